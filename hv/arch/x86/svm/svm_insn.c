/* SPDX-License-Identifier: MIT */
/*
 * Completing an instruction the hypervisor intercepted: its length, from
 * the CPU's next-RIP save when it has one and otherwise decoded from the
 * guest's bytes.  The instruction may carry prefixes, so its bytes are
 * read from the guest's memory through the guest's own page tables; an
 * instruction that cannot be decoded raises #UD instead of leaving RIP
 * inside it.
 */
#include <hv/string.h>
#include "../cpu.h"
#include "svm_internal.h"

#define CR0_PG	    (1ull << 31)
#define CR4_LA57    (1ull << 12)
#define CS_ATTR_L   (1u << 9)
#define PTE_PRESENT 0x1ull
#define PTE_LARGE   0x80ull
#define PTE_ADDR    0x000FFFFFFFFFF000ull
#define INSN_MAX    15 /* the architecture's longest instruction */
#define RFLAGS_TF   (1ull << 8)
#define DR6_BS	    (1ull << 14)

/* The page-table entries a translation went through, in host memory. */
struct walk_trace {
	const u64 *pte[SVM_INSN_WALK_MAX];
	u32 levels;
};

/*
 * A 4- or 5-level walk of the guest's page tables (4 KiB, 2 MiB, 1 GiB
 * pages).
 */
static bool walk(struct hv_partition *p, u64 cr3, int levels, u64 va, u64 *gpa,
		 struct walk_trace *t)
{
	u64 table = cr3 & PTE_ADDR;

	for (int level = levels; level >= 1; level--) {
		u32 shift = 12 + 9 * (u32)(level - 1);
		const u64 *e = partition_gpa_to_host(
			p, table + 8 * ((va >> shift) & 511), 8);

		if (!e || !(*e & PTE_PRESENT))
			return false;
		t->pte[t->levels++] = e;
		if (level == 1 || (level <= 3 && (*e & PTE_LARGE))) {
			u64 page = 1ull << shift;

			*gpa = (*e & PTE_ADDR & ~(page - 1)) |
			       (va & (page - 1));
			return true;
		}
		table = *e & PTE_ADDR;
	}
	return false;
}

/* Long-mode paging (4 or 5 levels) or none; legacy paging is not decoded. */
static bool linear_to_gpa(struct hv_partition *p, const struct vmcb_save *s,
			  u64 linear, u64 *gpa, struct walk_trace *t)
{
	t->levels = 0;
	if (!(s->cr0 & CR0_PG)) {
		*gpa = linear;
		return true;
	}
	if (!(s->efer & EFER_LMA))
		return false;
	return walk(p, s->cr3, (s->cr4 & CR4_LA57) ? 5 : 4, linear, gpa, t);
}

static u64 linear_rip(const struct vmcb_save *s, bool bits64)
{
	return bits64 ? s->rip : (u32)(s->cs.base + s->rip);
}

/*
 * Up to max bytes at CS:RIP, page by page; returns how many were read.
 * When all max lie in one page, *host and *t say where they were found.
 */
static u32 fetch(struct hv_partition *p, const struct vmcb_save *s, bool bits64,
		 u8 *buf, u32 max, const u8 **host, struct walk_trace *t)
{
	u64 linear = linear_rip(s, bits64);
	u32 got = 0;

	*host = NULL;
	while (got < max) {
		u64 at = linear + got, gpa;
		u32 chunk = (u32)(PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		const u8 *bytes;

		if (chunk > max - got)
			chunk = max - got;
		if (!linear_to_gpa(p, s, at, &gpa, t))
			break;
		bytes = partition_gpa_to_host(p, gpa, chunk);
		if (!bytes)
			break;
		memcpy(buf + got, bytes, chunk);
		if (!got && chunk == max)
			*host = bytes; /* all of them, in one page */
		got += chunk;
	}
	return got;
}

static bool is_prefix(u8 b, bool bits64)
{
	switch (b) {
	case 0x26: /* ES */
	case 0x2E: /* CS */
	case 0x36: /* SS */
	case 0x3E: /* DS */
	case 0x64: /* FS */
	case 0x65: /* GS */
	case 0x66: /* operand size */
	case 0x67: /* address size */
	case 0xF0: /* LOCK */
	case 0xF2: /* REPNE */
	case 0xF3: /* REP */
		return true;
	}
	return bits64 && (b & 0xF0) == 0x40; /* REX */
}

/* The opcode of the instruction behind an exit that gives no length. */
static u32 intercepted_opcode(const struct vmcb *v, u8 op[3])
{
	switch (v->control.exit_code) {
	case SVM_EXIT_VMMCALL:
		memcpy(op, "\x0F\x01\xD9", 3);
		return 3;
	case SVM_EXIT_CPUID:
		memcpy(op, "\x0F\xA2", 2);
		return 2;
	case SVM_EXIT_MSR: /* WRMSR 0F 30, RDMSR 0F 32 */
		memcpy(op, v->control.exit_info1 == 1 ? "\x0F\x30" : "\x0F\x32",
		       2);
		return 2;
	case SVM_EXIT_HLT:
		op[0] = 0xF4;
		return 1;
	case SVM_EXIT_INVD:
		memcpy(op, "\x0F\x08", 2);
		return 2;
	case SVM_EXIT_XSETBV:
		memcpy(op, "\x0F\x01\xD1", 3);
		return 3;
	}
	return 0;
}

/*
 * The instruction's bytes are unchanged.  All 15 bytes from c->host lie in
 * one page (cache_fill), so one 8-byte load covers a short instruction.
 */
static bool same_bytes(const struct svm_insn_cache *c)
{
	u64 now, then;

	if (c->len > 8)
		return !memcmp(c->host, c->bytes, c->len);
	__builtin_memcpy(&now, c->host, 8);
	__builtin_memcpy(&then, c->bytes, 8);
	return !((now ^ then) << (8 * (8 - c->len)));
}

/* Whether c still describes the instruction at CS:RIP of v. */
static bool cache_hit(const struct svm_insn_cache *c, const struct vmcb *v,
		      u64 linear, u64 ram_generation)
{
	const struct vmcb_save *s = &v->save;

	if (!c->len || c->linear != linear || c->cr3 != s->cr3 ||
	    c->cr0 != s->cr0 || c->cr4 != s->cr4 || c->efer != s->efer ||
	    c->cs_attrib != s->cs.attrib ||
	    c->exit_code != v->control.exit_code ||
	    c->ram_generation != ram_generation)
		return false;
	for (u32 i = 0; i < c->levels; i++)
		if (*c->pte[i] != c->pte_value[i])
			return false;
	return same_bytes(c);
}

static void cache_fill(struct svm_insn_cache *c, const struct vmcb *v,
		       u64 linear, u64 ram_generation, const u8 *host,
		       const struct walk_trace *t, u32 len)
{
	const struct vmcb_save *s = &v->save;

	c->len = 0;
	if (!host || len > INSN_MAX)
		return;
	*c = (struct svm_insn_cache){
		.linear = linear,
		.cr3 = s->cr3,
		.cr0 = s->cr0,
		.cr4 = s->cr4,
		.efer = s->efer,
		.cs_attrib = s->cs.attrib,
		.ram_generation = ram_generation,
		.exit_code = v->control.exit_code,
		.levels = t->levels,
		.host = host,
		.len = len,
	};
	for (u32 i = 0; i < t->levels; i++) {
		c->pte[i] = t->pte[i];
		c->pte_value[i] = *t->pte[i];
	}
	memcpy(c->bytes, host, INSN_MAX);
}

/*
 * Decoding reads up to 15 bytes through the guest's page tables; a loop
 * that exits on the same instruction (a hypercall in the hypercall page,
 * a CPUID) finds it in the per-VP cache instead.
 */
u32 svm_instruction_length(struct hv_vp *vp, const struct vmcb *v)
{
	struct svm_insn_cache *c = &((struct svm_vp *)vp->arch)->insn;
	const struct vmcb_save *s = &v->save;
	bool bits64 = (s->efer & EFER_LMA) && (s->cs.attrib & CS_ATTR_L);
	u64 linear = linear_rip(s, bits64),
	    generation = vp->partition->mem.ram_generation;
	u8 op[3], buf[INSN_MAX];
	u32 op_len, got, len = 0;
	struct walk_trace t;
	const u8 *host;

	if (cache_hit(c, v, linear, generation))
		return c->len;
	op_len = intercepted_opcode(v, op);
	got = fetch(vp->partition, s, bits64, buf, INSN_MAX, &host, &t);
	while (len < got && is_prefix(buf[len], bits64))
		len++;
	if (!op_len || len + op_len > got || memcmp(buf + len, op, op_len))
		return 0;
	cache_fill(c, v, linear, generation, host, &t, len + op_len);
	return len + op_len;
}

/*
 * An instruction the hypervisor completed traps like one the CPU
 * completed when RFLAGS.TF was set: #DB, with DR6.BS, before the next.
 */
static void single_step_trap(struct hv_vp *vp, struct vmcb *v)
{
	v->save.dr6 |= DR6_BS;
	vendor_inject_exception(vp, X86_VECTOR_DB, false, 0);
}

u32 vendor_read_instruction(struct hv_vp *vp, u8 *buf, u32 max)
{
	const struct vmcb_save *s = &((struct svm_vp *)vp->arch)->vmcb->save;
	bool bits64 = (s->efer & EFER_LMA) && (s->cs.attrib & CS_ATTR_L);
	struct walk_trace t;
	const u8 *host;

	return fetch(vp->partition, s, bits64, buf, MIN(max, INSN_MAX), &host,
		     &t);
}

bool vendor_decode_length(struct hv_vp *vp, struct x86_exit *exit)
{
	struct vmcb *v = ((struct svm_vp *)vp->arch)->vmcb;

	if (svm.nrips && v->control.next_rip)
		exit->insn_len = (u32)(v->control.next_rip - v->save.rip);
	else if (!exit->insn_len)
		exit->insn_len = svm_instruction_length(vp, v);
	return exit->insn_len != 0;
}

void vendor_skip_instruction(struct hv_vp *vp, const struct x86_exit *exit)
{
	struct vmcb *v = ((struct svm_vp *)vp->arch)->vmcb;
	u32 len = exit->insn_len;

	if (svm.nrips && v->control.next_rip) {
		v->save.rip = v->control.next_rip;
	} else {
		if (!len)
			len = svm_instruction_length(vp, v);
		if (!len) {
			vendor_inject_exception(vp, X86_VECTOR_UD, false, 0);
			return;
		}
		v->save.rip += len;
	}
	if (__builtin_expect(v->save.rflags & RFLAGS_TF, 0))
		single_step_trap(vp, v);
}
