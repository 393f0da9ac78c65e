/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: hv_hypercall() with arbitrary control words, RDX, R8,
 * CPL and guest memory, on two partitions built with the fake arch layer
 * (tests/unit/fake_arch.c).  Guest RAM sits between inaccessible guard
 * regions, so a write or read outside it faults at once.
 *
 * Input: byte 0 = number of calls - 1 (mod 8), then per call a 26-byte
 * record (control, RDX, R8 little-endian; CPL byte; flags byte), then the
 * initial contents of guest RAM.  Flags: bit 0 = call from the partition
 * without privileges; bits 1/2 = fold RDX/R8 into [0, RAM size + 8 KiB);
 * bit 3 = clear reserved control bits and fold the code into [0, 11].
 *
 * Properties checked on every call: no memory error; the status is a
 * documented vnr_status and the result word's reserved bits are 0; reps
 * completed <= rep count; a rep continuation leaves RAX alone and advances
 * the rep start; registers other than RAX (and RDX/R8 of a call with fast
 * outputs) are preserved; guest RAM changes only on success and only
 * inside the call's output structure; CPL > 0 is always ACCESS_DENIED.
 * After each input every grant is revoked and the pool usage and nested
 * mappings must be back at what the two idle partitions hold.
 */
#include <string.h>

#include <hv/grant_ops.h>
#include <hv/hypercall.h>
#include <hv/page_alloc.h>
#include <hv/reftime.h>
#include <hv/sched.h>

#include "fake_arch.h"
#include "fuzz_util.h"

#define RAM_PAGES   8u
#define RAM_SIZE    ((u64)RAM_PAGES * PAGE_SIZE)
#define RECORD	    26u
#define MAX_ENTRIES 4096u

static struct hv_partition *parts[2];
static u8 *rams[2];
static u8 before[RAM_SIZE];
/* What the two partitions hold when idle, restored after every input. */
static u64 pool_baseline;
static u64 share_baseline[2]; /* each one's pool account */

static bool documented_status(enum vnr_status st)
{
#define VNR_STATUS(name, code) \
	if (st == (code))      \
		return true;
#include <veneer/status.def>
#undef VNR_STATUS
	return false;
}

static void init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	fake_arch_reset();
	reftime_init(0, fake_tsc_hz);
	sched_init(10);
	for (int i = 0; i < 2; i++) {
		struct hv_partition *p =
			partition_create(i ? "plain" : "fuzz",
					 i ? 0 : VNR_PRIV_MASK(DEBUG_CONSOLE));

		FUZZ_ASSERT(p);
		rams[i] = fuzz_guarded_alloc(RAM_SIZE);
		FUZZ_ASSERT(!partition_map_ram(p, 0, rams[i], RAM_SIZE));
		partition_add_memmap(p, 0, RAM_SIZE, VNR_MEM_RAM);
		partition_add_memmap(p, PAGE_SIZE, PAGE_SIZE, VNR_MEM_IMAGE);
		partition_add_memmap(p, RAM_SIZE - PAGE_SIZE, PAGE_SIZE,
				     VNR_MEM_BOOT_TABLES);
		FUZZ_ASSERT(partition_create_vp(
			p, &(struct hv_vp_boot_state){.rip = 0x1000}));
		partition_start(p);
		parts[i] = p;
	}
	pool_baseline = page_pool_used();
	for (int i = 0; i < 2; i++)
		share_baseline[i] = parts[i]->pool.pages;
}

/* Revokes every grant p made (which unmaps it from the peer). */
static void drop_grants(struct hv_partition *p)
{
	for (u32 g = 0; g < VNR_MAX_GRANTS; g++) {
		u64 handle = p->grants.slot[g].handle;

		if (handle)
			FUZZ_ASSERT(grant_revoke(p, handle) ==
				    VNR_STATUS_SUCCESS);
		FUZZ_ASSERT(!p->grants.slot[g].handle);
	}
}

/*
 * What revoked grants leave in a live partition: the scratch page backing
 * ranges revoked under it, its mappings outside its RAM and the handle
 * generation (the next input must see the handles a fresh partition would
 * give).
 */
static void drop_grant_leftovers(struct hv_partition *p)
{
	/* Grants map below 1 TiB (GRANT_MAP's limit). */
	FUZZ_ASSERT(arch_unmap_gpa(p, RAM_SIZE, (1ull << 40) - RAM_SIZE) == 0);
	if (p->grants.scratch)
		page_free_charged(&p->pool, p->grants.scratch);
	p->grants.scratch = NULL;
	p->grants.generation = 0;
}

/*
 * The partitions are built once and reused (a rebuilt partition would get
 * new ids); after each input they must be back in the state init_once()
 * left: pool usage and nested mappings as they were.
 */
static void reset_partitions(void)
{
	for (int i = 0; i < 2; i++)
		drop_grants(parts[i]);
	for (int i = 0; i < 2; i++) {
		drop_grant_leftovers(parts[i]);
		FUZZ_ASSERT(parts[i]->pool.pages == share_baseline[i]);
	}
	FUZZ_ASSERT(page_pool_used() == pool_baseline);
}

static u64 get64(const u8 *b)
{
	u64 v;

	memcpy(&v, b, 8);
	return v;
}

/* Bytes of output the call may write at R8 when it succeeds. */
static u64 output_size(u64 control)
{
	switch (vnr_hc_code(control)) {
	case VNR_CALL_PARTITION_INFO:
		return sizeof(struct vnr_partition_info);
	case VNR_CALL_VP_INFO:
		return sizeof(struct vnr_vp_info);
	case VNR_CALL_GRANT_CREATE:
		return sizeof(struct vnr_grant_create_output);
	case VNR_CALL_QUERY_GPA_ATTRIBUTES:
		return 8ull * vnr_hc_rep_count(control);
	default:
		return 0;
	}
}

/* Guest RAM equals `before` except in [start, start + size). */
static void ram_unchanged_outside(const u8 *ram, u64 start, u64 size)
{
	u64 lo = MIN(start, RAM_SIZE), hi = lo + MIN(size, RAM_SIZE - lo);

	FUZZ_ASSERT(!memcmp(ram, before, lo));
	FUZZ_ASSERT(!memcmp(ram + hi, before + hi, RAM_SIZE - hi));
}

static void one_call(struct hv_partition *p, u8 *ram, u64 control, u64 rdx,
		     u64 r8, unsigned cpl)
{
	struct hv_vp *vp = &p->vps[0];
	u64 regs[HV_REG_COUNT], rax, out = output_size(control);
	enum vnr_status st;
	unsigned entries = 0;
	u32 last_start = 0; /* rep start of the last entry */
	bool done;

	for (int r = 0; r < HV_REG_COUNT; r++)
		arch_vp_set_reg(vp, r, 0x0101010101010101ull * (u64)(r + 1));
	arch_vp_set_reg(vp, HV_REG_RCX, control);
	arch_vp_set_reg(vp, HV_REG_RDX, rdx);
	arch_vp_set_reg(vp, HV_REG_R8, r8);
	for (int r = 0; r < HV_REG_COUNT; r++)
		regs[r] = arch_vp_get_reg(vp, r);
	fake_set_cpl(vp, cpl);
	memcpy(before, ram, RAM_SIZE);

	for (;;) {
		u64 rcx = arch_vp_get_reg(vp, HV_REG_RCX);

		last_start = vnr_hc_rep_start(rcx);

		done = hv_hypercall(vp);
		entries++;
		if (done || vp->state == HV_VP_STOPPED)
			break;
		/* rep continuation: RAX untouched, rep start advanced */
		FUZZ_ASSERT(arch_vp_get_reg(vp, HV_REG_RAX) ==
			    regs[HV_REG_RAX]);
		FUZZ_ASSERT(vnr_hc_rep_start(arch_vp_get_reg(vp, HV_REG_RCX)) >
			    vnr_hc_rep_start(rcx));
		FUZZ_ASSERT((arch_vp_get_reg(vp, HV_REG_RCX) &
			     ~VNR_HC_REP_START_MASK) ==
			    (control & ~VNR_HC_REP_START_MASK));
		FUZZ_ASSERT(entries < MAX_ENTRIES);
	}
	if (vp->state == HV_VP_STOPPED) {
		/* only PARTITION_EXIT stops the caller */
		FUZZ_ASSERT(!done && cpl == 0 &&
			    vnr_hc_code(control) == VNR_CALL_PARTITION_EXIT);
		FUZZ_ASSERT(!memcmp(before, ram, RAM_SIZE));
		/* a stopped VP never runs again: restart it for the next call
		 */
		p->state = HV_PARTITION_RUNNING;
		vp->state = HV_VP_RUNNABLE;
		return;
	}
	rax = arch_vp_get_reg(vp, HV_REG_RAX);
	st = vnr_hc_status(rax);
	FUZZ_ASSERT(documented_status(st));
	FUZZ_ASSERT((rax & ~(VNR_HC_STATUS_MASK | VNR_HC_REPS_DONE_MASK)) == 0);
	FUZZ_ASSERT(vnr_hc_reps_done(rax) <= vnr_hc_rep_count(control));
	/* A failed call completes no rep. */
	if (st != VNR_STATUS_SUCCESS)
		FUZZ_ASSERT(vnr_hc_reps_done(rax) == 0);
	if (cpl != 0)
		FUZZ_ASSERT(st == VNR_STATUS_ACCESS_DENIED);
	if (control & VNR_HC_RESERVED_MASK)
		FUZZ_ASSERT(st == VNR_STATUS_INVALID_CONTROL || cpl != 0);
	for (int r = 0; r < HV_REG_COUNT; r++) {
		if (r == HV_REG_RAX || r == HV_REG_RCX)
			continue;
		if ((r == HV_REG_RDX || r == HV_REG_R8) &&
		    st == VNR_STATUS_SUCCESS &&
		    vnr_hc_code(control) == VNR_CALL_REFERENCE_TIME)
			continue;
		FUZZ_ASSERT(arch_vp_get_reg(vp, r) == regs[r]);
	}
	/* RCX: all but the rep start field preserved */
	FUZZ_ASSERT(
		(arch_vp_get_reg(vp, HV_REG_RCX) & ~VNR_HC_REP_START_MASK) ==
		(control & ~VNR_HC_REP_START_MASK));
	/*
	 * Guest RAM: only the output changes; on failure only the elements
	 * of reps completed in earlier entries of a continued rep call.
	 */
	if (st != VNR_STATUS_SUCCESS)
		out = vnr_hc_rep_count(control)
			      ? out / vnr_hc_rep_count(control) * last_start
			      : 0;
	ram_unchanged_outside(ram, r8, out);
	if (vp->state == HV_VP_HALTED)
		vp->state = HV_VP_RUNNABLE;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	unsigned ncalls;
	size_t pos = 1;

	if (size < 1 + RECORD)
		return 0;
	init_once();
	fake_console_reset();
	fake_tsc = 0;
	hv_tick_pending = false;
	ncalls = data[0] % 8 + 1;
	for (int i = 0; i < 2; i++) {
		struct hv_partition *p = parts[i];
		size_t rest = size > 1 + ncalls * RECORD
				      ? size - 1 - ncalls * RECORD
				      : 0;

		p->state = HV_PARTITION_RUNNING;
		p->vps[0].state = HV_VP_RUNNABLE;
		p->console.debug.len = 0;
		memset(rams[i], 0, RAM_SIZE);
		if (rest)
			memcpy(rams[i], data + 1 + ncalls * RECORD,
			       rest < RAM_SIZE ? rest : RAM_SIZE);
	}
	for (unsigned c = 0; c < ncalls && pos + RECORD <= size; c++) {
		const u8 *r = data + pos;
		u64 control = get64(r), rdx = get64(r + 8), r8 = get64(r + 16);
		unsigned cpl = r[24] & 3, flags = r[25];
		int which = flags & 1;

		pos += RECORD;
		if (flags & 2)
			rdx %= RAM_SIZE + 2 * PAGE_SIZE;
		if (flags & 4)
			r8 %= RAM_SIZE + 2 * PAGE_SIZE;
		if (flags & 8)
			control = (control & ~VNR_HC_RESERVED_MASK &
				   ~VNR_HC_CODE_MASK) |
				  (vnr_hc_code(control) % 12);
		one_call(parts[which], rams[which], control, rdx, r8, cpl);
	}
	reset_partitions();
	return 0;
}
