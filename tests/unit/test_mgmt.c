/* SPDX-License-Identifier: MIT */
/*
 * The management calls at the boundaries between partitions, in the hosted
 * core: every partition-id argument against ids the caller did not create
 * (and callers without the privilege), the deposit quota and create/destroy
 * cycles with a check that nothing else grows, and byte-by-byte checks of
 * what the hypervisor writes into guest memory (PARTITION_QUERY,
 * MEMORY_INFO, the exit message) for leaks.
 *
 * With test_ipc.c and test_pool.c these are the "without a test" items of
 * docs/spec/conformance.md on cross-partition checks, exhaustion and
 * information leaks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/page_alloc.h>
#include <hv/synic.h>

#include "fixture.h"

/* Pages of the fixture's RAM (all RAM, see fixture.h). */
#define IN_GPA	 0x4000ull
#define OUT_GPA	 0x6000ull
#define SIMP_GPA 0x8000ull
/* Extra RAM of a managing partition, one NPT entry per page, to deposit. */
#define EXTRA_GPA   0x100000ull
#define EXTRA_PAGES 20u
#define FILL	    0xAA

#define PRIV_MGMT \
	(VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY))

static u8 child_ram[4][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned child_ram_used;
static u8 extra_ram[EXTRA_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* A child of parent built directly (state CREATED, one VP, one page). */
static struct hv_partition *child_of(const char *name,
				     struct hv_partition *parent)
{
	struct hv_partition *p = partition_create(name, 0);
	u8 *ram;

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_lt(child_ram_used, ARRAY_SIZE(child_ram));
	ram = child_ram[child_ram_used++];
	memset(ram, FILL, PAGE_SIZE);
	ck_assert_int_eq(partition_map_ram(p, 0, ram, PAGE_SIZE), 0);
	ck_assert_ptr_nonnull(partition_create_vp(p, NULL));
	p->parent = parent->id;
	p->vp_limit = 2;
	return p;
}

/* Gives p EXTRA_PAGES more pages of RAM at EXTRA_GPA, page by page. */
static void add_extra_ram(struct hv_partition *p)
{
	for (u32 i = 0; i < EXTRA_PAGES; i++)
		ck_assert_int_eq(partition_map_ram(p, EXTRA_GPA + i * PAGE_SIZE,
						   extra_ram[i], PAGE_SIZE),
				 0);
}

/* ------------------------------------------------------------------ */
/* 1. Partition ids of the management calls                            */
/* ------------------------------------------------------------------ */

enum mcall {
	M_START,
	M_SUSPEND,
	M_RESUME,
	M_STOP,
	M_DESTROY,
	M_VP_CREATE,
	M_QUERY,
	M_MAP,
	M_WRITE,
	M_GETREG,
	M_SETREG,
	M_COUNT
};

static const struct {
	const char *name;
	u16 code;
	bool fast;
	u64 priv;
} mcalls[M_COUNT] = {
	[M_START] = {"PARTITION_START", VNR_CALL_PARTITION_START, true,
		     VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_SUSPEND] = {"PARTITION_SUSPEND", VNR_CALL_PARTITION_SUSPEND, true,
		       VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_RESUME] = {"PARTITION_RESUME", VNR_CALL_PARTITION_RESUME, true,
		      VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_STOP] = {"PARTITION_STOP", VNR_CALL_PARTITION_STOP, true,
		    VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_DESTROY] = {"PARTITION_DESTROY", VNR_CALL_PARTITION_DESTROY, true,
		       VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_VP_CREATE] = {"VP_CREATE", VNR_CALL_VP_CREATE, true,
			 VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_QUERY] = {"PARTITION_QUERY", VNR_CALL_PARTITION_QUERY, false,
		     VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_MAP] = {"MAP_GPA_PAGES", VNR_CALL_MAP_GPA_PAGES, false,
		   VNR_PRIV_MASK(MANAGE_MEMORY)},
	[M_WRITE] = {"WRITE_PARTITION_MEMORY", VNR_CALL_WRITE_PARTITION_MEMORY,
		     false, VNR_PRIV_MASK(MANAGE_MEMORY)},
	[M_GETREG] = {"GET_VP_REGISTERS", VNR_CALL_GET_VP_REGISTERS, false,
		      VNR_PRIV_MASK(CREATE_PARTITIONS)},
	[M_SETREG] = {"SET_VP_REGISTERS", VNR_CALL_SET_VP_REGISTERS, false,
		      VNR_PRIV_MASK(CREATE_PARTITIONS)},
};

/*
 * Makes management call c on vp naming partition id (fast calls take all
 * 64 bits, memory calls the low 32), with well-formed inputs otherwise.
 * The output page is filled first; a refused call must leave it alone.
 */
static enum vnr_status mcall(struct hv_vp *vp, enum mcall c, u64 id)
{
	struct hv_partition *self = vp->partition;
	u8 *in = fx_gpa(self, IN_GPA), *out = fx_gpa(self, OUT_GPA);
	enum vnr_status st;

	memset(in, 0, PAGE_SIZE);
	memset(out, FILL, PAGE_SIZE);
	switch (c) {
	case M_VP_CREATE:
		/* VP index 1: the next one of a one-VP child */
		st = fx_hypercall(vp, FAST(mcalls[c].code), id, 1);
		break;
	case M_QUERY: {
		struct vnr_partition_query_input q = {(u32)id, 0};

		memcpy(in, &q, sizeof(q));
		st = fx_hypercall(vp, MEM(mcalls[c].code), IN_GPA, OUT_GPA);
		break;
	}
	case M_MAP: {
		struct vnr_map_gpa_input m = {(u32)id, 0, 0x200000};

		memcpy(in, &m, sizeof(m));
		st = fx_hypercall(vp, REP(mcalls[c].code, 1, 0), IN_GPA,
				  OUT_GPA);
		break;
	}
	case M_WRITE: {
		struct vnr_write_memory_input *w = (void *)in;

		w->partition_id = (u32)id;
		w->length = 8;
		w->gpa = 0;
		memset(w->data, 0x55, 8);
		st = fx_hypercall(vp, MEM(mcalls[c].code), IN_GPA, 0);
		break;
	}
	case M_GETREG: {
		struct vnr_vp_registers_input h = {(u32)id, 0};
		u32 name = VNR_REG_RAX;

		memcpy(in, &h, sizeof(h));
		memcpy(in + sizeof(h), &name, sizeof(name));
		st = fx_hypercall(vp, REP(mcalls[c].code, 1, 0), IN_GPA,
				  OUT_GPA);
		break;
	}
	case M_SETREG: {
		struct vnr_vp_registers_input h = {(u32)id, 0};
		struct vnr_register_value v = {VNR_REG_RAX, 0, 0x1234};

		memcpy(in, &h, sizeof(h));
		memcpy(in + sizeof(h), &v, sizeof(v));
		st = fx_hypercall(vp, REP(mcalls[c].code, 1, 0), IN_GPA, 0);
		break;
	}
	default:
		st = fx_hypercall(vp, FAST(mcalls[c].code), id, 0);
		break;
	}
	if (st != VNR_STATUS_SUCCESS) {
		u32 i = 0;

		while (i < PAGE_SIZE && out[i] == FILL)
			i++;
		ck_assert_msg(i == PAGE_SIZE,
			      "%s id 0x%llx: status %d but output byte %u "
			      "written",
			      mcalls[c].name, (unsigned long long)id, st, i);
	}
	return st;
}

#define EXPECT_MCALL(st, vp, c, id)                                            \
	do {                                                                   \
		enum vnr_status got_ = mcall(vp, c, id);                       \
		ck_assert_msg(got_ == (st),                                    \
			      "%s by '%s' naming 0x%llx: status %d, expected " \
			      "%s",                                            \
			      mcalls[c].name, (vp)->partition->name,           \
			      (unsigned long long)(id), got_, #st);            \
	} while (0)

static struct hv_partition *R, *R2, *B, *C, *C2, *K, *N;

static void mgmt_setup(void)
{
	fx_reset();
	child_ram_used = 0;
	R = fx_partition("root", PRIV_MGMT);
	B = fx_partition("boot", VNR_PRIV_MASK(DEBUG_CONSOLE));
	R2 = fx_partition("root2", PRIV_MGMT);
	N = fx_partition("none", 0);
	C = child_of("child", R);
	C2 = child_of("child2", R2);
	/* A privileged child of R, running, which manages nothing itself. */
	K = fx_partition("kid", PRIV_MGMT);
	K->parent = R->id;
	memset(fx_ram(B), FILL, FX_RAM_SIZE);
	arch_vp_set_reg(&C2->vps[0], HV_REG_RAX, 0x77);
	arch_vp_set_reg(&B->vps[0], HV_REG_RAX, 0x77);
}

/* Nothing happened to the partitions a failed call named. */
static void expect_bystanders_untouched(void)
{
	ck_assert_int_eq(B->state, HV_PARTITION_RUNNING);
	ck_assert_int_eq(R2->state, HV_PARTITION_RUNNING);
	ck_assert_int_eq(N->state, HV_PARTITION_RUNNING);
	ck_assert_int_eq(C->state, HV_PARTITION_CREATED);
	ck_assert_int_eq(C2->state, HV_PARTITION_CREATED);
	ck_assert_uint_eq(B->vp_count, 1);
	ck_assert_uint_eq(C->vp_count, 1);
	ck_assert_uint_eq(C2->vp_count, 1);
	ck_assert_uint_eq(B->mem.ram_size, FX_RAM_SIZE);
	ck_assert_uint_eq(C->mem.ram_size, PAGE_SIZE);
	ck_assert_uint_eq(C2->mem.ram_size, PAGE_SIZE);
	ck_assert_uint_eq(arch_vp_get_reg(&B->vps[0], HV_REG_RAX), 0x77);
	ck_assert_uint_eq(arch_vp_get_reg(&C2->vps[0], HV_REG_RAX), 0x77);
	for (u64 i = 0; i < FX_RAM_SIZE; i++)
		if (fx_ram(B)[i] != FILL)
			ck_abort_msg("boot RAM changed at %llu",
				     (unsigned long long)i);
	for (u64 i = 0; i < PAGE_SIZE; i++)
		if (child_ram[0][i] != FILL || child_ram[1][i] != FILL)
			ck_abort_msg("child RAM changed at %llu",
				     (unsigned long long)i);
}

/* The harness works: R may name its own child. */
START_TEST(mgmt_own_child_baseline)
{
	EXPECT_MCALL(VNR_STATUS_SUCCESS, &R->vps[0], M_QUERY, C->id);
	EXPECT_MCALL(VNR_STATUS_SUCCESS, &R->vps[0], M_GETREG, C->id);
	/* Stopped with state checks, not id checks, for a created child. */
	EXPECT_MCALL(VNR_STATUS_INVALID_PARTITION_STATE, &R->vps[0], M_RESUME,
		     C->id);
}
END_TEST

/* (a), (b), (c): ids R did not create, from every call that takes one. */
START_TEST(mgmt_foreign_ids_every_call)
{
	const u64 ids32[] = {
		B->id,	/* a boot partition */
		R2->id, /* another root */
		C2->id, /* another root's child */
		N->id,
		R->id,	       /* itself */
		K->id + 1000u, /* never existed */
		0,
		0xFFFFFFFFull,
	};
	/* Fast calls see all 64 bits: high bits over valid ids. */
	const u64 ids64[] = {
		(1ull << 32) | C->id,
		(1ull << 63) | C->id,
		(1ull << 32) | C2->id,
		0xFFFFFFFF00000000ull | C->id,
		~0ull,
		1ull << 32,
	};

	for (unsigned c = 0; c < M_COUNT; c++) {
		for (unsigned i = 0; i < ARRAY_SIZE(ids32); i++)
			EXPECT_MCALL(VNR_STATUS_INVALID_PARTITION_ID,
				     &R->vps[0], (enum mcall)c, ids32[i]);
		if (!mcalls[c].fast)
			continue;
		for (unsigned i = 0; i < ARRAY_SIZE(ids64); i++)
			EXPECT_MCALL(VNR_STATUS_INVALID_PARTITION_ID,
				     &R->vps[0], (enum mcall)c, ids64[i]);
	}
	expect_bystanders_untouched();
	/* C was named (with high bits) but must not have been touched. */
	ck_assert_uint_eq(arch_vp_get_reg(&C->vps[0], HV_REG_RAX), 0);
}
END_TEST

/* A privileged child names its parent, its sibling and itself. */
START_TEST(mgmt_child_cannot_reach_up_or_across)
{
	const u64 ids[] = {R->id, C->id, K->id, C2->id};

	for (unsigned c = 0; c < M_COUNT; c++)
		for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
			EXPECT_MCALL(VNR_STATUS_INVALID_PARTITION_ID,
				     &K->vps[0], (enum mcall)c, ids[i]);
	ck_assert_int_eq(R->state, HV_PARTITION_RUNNING);
	ck_assert_int_eq(K->state, HV_PARTITION_RUNNING);
	expect_bystanders_untouched();
}
END_TEST

/* An id that was R's child but has been destroyed names nothing. */
START_TEST(mgmt_destroyed_child_id)
{
	struct hv_partition *d = child_of("doomed", R);
	u32 id = d->id;

	EXPECT_MCALL(VNR_STATUS_SUCCESS, &R->vps[0], M_DESTROY, id);
	ck_assert_int_eq(d->state, HV_PARTITION_FREE);
	for (unsigned c = 0; c < M_COUNT; c++)
		EXPECT_MCALL(VNR_STATUS_INVALID_PARTITION_ID, &R->vps[0],
			     (enum mcall)c, id);
	/* A new partition in the freed slot has a new id. */
	d = child_of("reborn", R2);
	ck_assert_uint_ne(d->id, id);
	for (unsigned c = 0; c < M_COUNT; c++)
		EXPECT_MCALL(VNR_STATUS_INVALID_PARTITION_ID, &R->vps[0],
			     (enum mcall)c, d->id);
	ck_assert_int_eq(d->state, HV_PARTITION_CREATED);
}
END_TEST

/* Without the call's privilege: ACCESS_DENIED whatever the id. */
START_TEST(mgmt_unprivileged_denied_any_id)
{
	struct hv_partition *co, *mo, *own;
	struct hv_partition *callers[4];

	/* Eight partitions at most: K and R2 lose one privilege each. */
	co = K;
	co->privileges = VNR_PRIV_MASK(CREATE_PARTITIONS);
	mo = R2;
	mo->privileges = VNR_PRIV_MASK(MANAGE_MEMORY);
	B->privileges =
		VNR_PRIV_MASK(DEBUG_CONSOLE) | VNR_PRIV_MASK(OWN_DEVICES);
	own = child_of("nchild", N); /* N's own child: still denied */
	callers[0] = N;
	callers[1] = co;
	callers[2] = mo;
	callers[3] = B;

	for (unsigned k = 0; k < ARRAY_SIZE(callers); k++) {
		struct hv_partition *p = callers[k];
		const u64 ids[] = {own->id, C->id,	   C2->id,
				   p->id,   R->id,	   1000,
				   0,	    0xFFFFFFFFull, 1ull << 32};

		for (unsigned c = 0; c < M_COUNT; c++) {
			if ((p->privileges & mcalls[c].priv) == mcalls[c].priv)
				continue;
			for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
				if (!mcalls[c].fast && ids[i] > 0xFFFFFFFFull)
					continue;
				EXPECT_MCALL(VNR_STATUS_ACCESS_DENIED,
					     &p->vps[0], (enum mcall)c, ids[i]);
			}
			ck_assert_uint_eq(
				p->stats.hypercalls_by_code[mcalls[c].code], 0);
		}
	}
	ck_assert_int_eq(own->state, HV_PARTITION_CREATED);
	ck_assert_int_eq(C->state, HV_PARTITION_CREATED);
	ck_assert_int_eq(C2->state, HV_PARTITION_CREATED);
	ck_assert_uint_eq(own->vp_count, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 2. Resource exhaustion                                              */
/* ------------------------------------------------------------------ */

static enum vnr_status mem_range(struct hv_partition *p, u16 code, u64 gpa,
				 u64 pages)
{
	struct vnr_memory_range_input in = {gpa, pages};

	memcpy(fx_gpa(p, IN_GPA), &in, sizeof(in));
	return fx_hypercall(&p->vps[0], MEM(code), IN_GPA, 0);
}

static struct vnr_memory_info memory_info(struct hv_partition *p)
{
	struct vnr_memory_info info;

	ck_assert_int_eq(
		fx_hypercall(&p->vps[0], MEM(VNR_CALL_MEMORY_INFO), 0, OUT_GPA),
		VNR_STATUS_SUCCESS);
	memcpy(&info, fx_gpa(p, OUT_GPA), sizeof(info));
	return info;
}

START_TEST(deposits_quota)
{
	struct hv_partition *r;
	struct vnr_memory_info info;
	u64 start;

	fx_reset();
	r = fx_partition("root", PRIV_MGMT);
	add_extra_ram(r);
	start = page_pool_used();
	for (u32 i = 0; i < HV_MAX_DEPOSITS; i++)
		ck_assert_int_eq(mem_range(r, VNR_CALL_MEMORY_DEPOSIT,
					   EXTRA_GPA + i * PAGE_SIZE, 1),
				 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(HV_MAX_DEPOSITS, 16);
	for (u32 i = HV_MAX_DEPOSITS; i < EXTRA_PAGES; i++) {
		ck_assert_int_eq(mem_range(r, VNR_CALL_MEMORY_DEPOSIT,
					   EXTRA_GPA + i * PAGE_SIZE, 1),
				 VNR_STATUS_QUOTA_EXCEEDED);
		/* The refused page is still the caller's RAM. */
		ck_assert_ptr_nonnull(partition_gpa_to_host(
			r, EXTRA_GPA + i * PAGE_SIZE, PAGE_SIZE));
	}
	info = memory_info(r);
	ck_assert_uint_eq(info.deposited, 16);
	ck_assert_uint_eq(info.used, 0);
	ck_assert_uint_eq(info.free, 16);
	for (u32 i = 0; i < HV_MAX_DEPOSITS; i++)
		ck_assert_int_eq(mem_range(r, VNR_CALL_MEMORY_WITHDRAW,
					   EXTRA_GPA + i * PAGE_SIZE, 1),
				 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(page_pool_used(), start);
	info = memory_info(r);
	ck_assert_uint_eq(info.deposited, 0);
	ck_assert_uint_eq(r->mem.ram_size,
			  FX_RAM_SIZE + EXTRA_PAGES * PAGE_SIZE);
}
END_TEST

static enum vnr_status map_pages(struct hv_partition *r, u32 id, u32 n)
{
	struct vnr_map_gpa_input in = {id, 0, 0};

	memcpy(fx_gpa(r, IN_GPA), &in, sizeof(in));
	return fx_hypercall(&r->vps[0], REP(VNR_CALL_MAP_GPA_PAGES, n, 0),
			    IN_GPA, 0);
}

/* A root with 4 deposited pages (one deposit). */
static struct hv_partition *root_with_deposit(void)
{
	struct hv_partition *r;

	fx_reset();
	r = fx_partition("root", PRIV_MGMT);
	add_extra_ram(r);
	ck_assert_int_eq(mem_range(r, VNR_CALL_MEMORY_DEPOSIT, EXTRA_GPA, 4),
			 VNR_STATUS_SUCCESS);
	return r;
}

/*
 * Child pages 0 and 1 from deposit pages 1 and 0: not next to each other
 * in the host, so two pieces.  A write across their boundary still lands
 * byte for byte, and one that runs into an unmapped page writes nothing.
 */
START_TEST(write_across_child_pages)
{
	struct hv_partition *r = root_with_deposit();
	struct vnr_map_gpa_input map = {0, 0, PAGE_SIZE};
	struct hv_partition *c;
	u8 *lo, *hi;
	u32 id;

	ck_assert_int_eq(fx_create_child(r, "pieces", &id), VNR_STATUS_SUCCESS);
	map.partition_id = id;
	memcpy(fx_gpa(r, IN_GPA), &map, sizeof(map));
	ck_assert_int_eq(fx_hypercall(&r->vps[0],
				      REP(VNR_CALL_MAP_GPA_PAGES, 1, 0), IN_GPA,
				      0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_pages(r, id, 1), VNR_STATUS_SUCCESS);
	c = partition_by_id(id);
	lo = partition_gpa_to_host(c, 0, PAGE_SIZE);
	hi = partition_gpa_to_host(c, PAGE_SIZE, PAGE_SIZE);
	ck_assert_ptr_nonnull(lo);
	ck_assert_ptr_nonnull(hi);
	ck_assert_ptr_ne(lo + PAGE_SIZE, hi);
	ck_assert_ptr_null(partition_gpa_to_host(c, 0, 2 * PAGE_SIZE));

	ck_assert_int_eq(fx_write_child(r, id, PAGE_SIZE - 8, 16, 0x5C),
			 VNR_STATUS_SUCCESS);
	for (u32 i = 0; i < PAGE_SIZE; i++) {
		ck_assert_uint_eq(lo[i], i >= PAGE_SIZE - 8 ? 0x5C : 0);
		ck_assert_uint_eq(hi[i], i < 8 ? 0x5C : 0);
	}
	/* Into page 2, which is not mapped: nothing is written. */
	ck_assert_int_eq(fx_write_child(r, id, 2 * PAGE_SIZE - 8, 16, 0x77),
			 VNR_STATUS_INVALID_GPA);
	for (u32 i = PAGE_SIZE - 8; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(hi[i], 0);
}
END_TEST

START_TEST(create_destroy_cycles_leak_nothing)
{
	struct hv_partition *r = root_with_deposit();
	struct hv_vp *vp = &r->vps[0];
	u64 start = page_pool_used();
	struct vnr_memory_info info;

	for (unsigned i = 0; i < 100; i++) {
		u32 id;

		ck_assert_int_eq(fx_create_child(r, "cycle", &id),
				 VNR_STATUS_SUCCESS);
		ck_assert_int_eq(
			fx_hypercall(vp, FAST(VNR_CALL_VP_CREATE), id, 0),
			VNR_STATUS_SUCCESS);
		ck_assert_int_eq(map_pages(r, id, 2), VNR_STATUS_SUCCESS);
		if (i % 2) { /* half of them run and are stopped */
			ck_assert_int_eq(
				fx_hypercall(vp, FAST(VNR_CALL_PARTITION_START),
					     id, 0),
				VNR_STATUS_SUCCESS);
			ck_assert_int_eq(
				fx_hypercall(vp, FAST(VNR_CALL_PARTITION_STOP),
					     id, 0),
				VNR_STATUS_SUCCESS);
		}
		ck_assert_int_eq(fx_hypercall(vp,
					      FAST(VNR_CALL_PARTITION_DESTROY),
					      id, 0),
				 VNR_STATUS_SUCCESS);
		ck_assert_uint_eq(page_pool_used(), start);
	}
	info = memory_info(r);
	ck_assert_uint_eq(info.deposited, 4);
	ck_assert_uint_eq(info.used, 0);
	ck_assert_uint_eq(info.free, 4);
	for (u32 s = 0; s < HV_MAX_PARTITIONS; s++)
		ck_assert(partition_at(s)->state == HV_PARTITION_FREE ||
			  partition_at(s) == r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 3. Information leaks                                                */
/* ------------------------------------------------------------------ */

static void expect_fill_from(const u8 *page, size_t from, const char *what)
{
	for (size_t i = from; i < PAGE_SIZE; i++)
		ck_assert_msg(page[i] == FILL, "%s: byte %zu after the output",
			      what, i);
}

static void expect_nul_padded(const char *s, size_t size, const char *what)
{
	size_t n = strnlen(s, size);

	ck_assert_msg(n < size, "%s not NUL-terminated", what);
	for (size_t i = n; i < size; i++)
		ck_assert_msg(s[i] == 0, "%s byte %zu is 0x%02x", what, i,
			      (u8)s[i]);
}

static struct vnr_partition_status *query(struct hv_partition *r, u32 id)
{
	struct vnr_partition_query_input in = {id, 0};
	u8 *out = fx_gpa(r, OUT_GPA);

	memset(out, FILL, PAGE_SIZE);
	memcpy(fx_gpa(r, IN_GPA), &in, sizeof(in));
	ck_assert_int_eq(fx_hypercall(&r->vps[0], MEM(VNR_CALL_PARTITION_QUERY),
				      IN_GPA, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	expect_fill_from(out, sizeof(struct vnr_partition_status),
			 "PARTITION_QUERY");
	return (void *)out;
}

static void expect_query_clean(const struct vnr_partition_status *st)
{
	for (u32 k = HV_EXIT_COUNT; k < VNR_QUERY_EXIT_KINDS; k++)
		ck_assert_msg(st->exits_by_kind[k] == 0,
			      "exits_by_kind[%u] = 0x%llx", k,
			      (unsigned long long)st->exits_by_kind[k]);
	expect_nul_padded(st->diagnostic, sizeof(st->diagnostic), "diagnostic");
}

START_TEST(partition_query_leaks_nothing)
{
	struct hv_partition *r = root_with_deposit(), *c;
	struct hv_vp *vp = &r->vps[0];
	const struct vnr_partition_status *st;
	char longer[200];
	u32 id;

	ck_assert_int_eq(fx_create_child(r, "leaky", &id), VNR_STATUS_SUCCESS);
	st = query(r, id);
	ck_assert_uint_eq(st->partition_id, id);
	ck_assert_uint_eq(st->state, VNR_PARTITION_CREATED);
	ck_assert_uint_eq(st->exit_reason, VNR_EXIT_NONE);
	ck_assert_uint_eq(st->vp_count, 0);
	ck_assert_uint_eq(st->exit_status, 0);
	ck_assert_uint_eq(st->memory_pages, 0);
	ck_assert_uint_eq(st->run_time_100ns, 0);
	ck_assert_uint_eq(st->exits, 0);
	ck_assert_uint_eq(st->hypercalls, 0);
	for (u32 k = 0; k < VNR_QUERY_EXIT_KINDS; k++)
		ck_assert_uint_eq(st->exits_by_kind[k], 0);
	for (u32 i = 0; i < sizeof(st->diagnostic); i++)
		ck_assert_uint_eq((u8)st->diagnostic[i], 0);

	ck_assert_int_eq(fx_hypercall(vp, FAST(VNR_CALL_VP_CREATE), id, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_pages(r, id, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(
		fx_hypercall(vp, FAST(VNR_CALL_PARTITION_START), id, 0),
		VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_hypercall(vp, FAST(VNR_CALL_PARTITION_STOP), id, 0),
			 VNR_STATUS_SUCCESS);
	st = query(r, id);
	ck_assert_uint_eq(st->state, VNR_PARTITION_STOPPED);
	ck_assert_uint_eq(st->exit_reason, VNR_EXIT_STOPPED);
	ck_assert_uint_eq(st->vp_count, 1);
	ck_assert_uint_eq(st->memory_pages, 2);
	ck_assert_str_eq(st->diagnostic, "stopped by its parent");
	expect_query_clean(st);

	/* A long reason, truncated: still NUL-terminated and padded. */
	ck_assert_int_eq(
		fx_hypercall(vp, FAST(VNR_CALL_PARTITION_DESTROY), id, 0),
		VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_create_child(r, "leaky2", &id), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_hypercall(vp, FAST(VNR_CALL_VP_CREATE), id, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_pages(r, id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(
		fx_hypercall(vp, FAST(VNR_CALL_PARTITION_START), id, 0),
		VNR_STATUS_SUCCESS);
	c = partition_by_id(id);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	partition_stop(c, true, 0x1234, "%s", longer);
	st = query(r, id);
	ck_assert_uint_eq(st->exit_reason, VNR_EXIT_CLEAN);
	ck_assert_uint_eq(st->exit_status, 0x1234);
	ck_assert_uint_eq(strnlen(st->diagnostic, sizeof(st->diagnostic)),
			  sizeof(st->diagnostic) - 1);
	expect_query_clean(st);
	/* A shorter reason after a longer one leaves no stale bytes. */
	snprintf(c->stop_reason, sizeof(c->stop_reason), "short");
	st = query(r, id);
	ck_assert_str_eq(st->diagnostic, "short");
	expect_query_clean(st);
}
END_TEST

START_TEST(memory_info_leaks_nothing)
{
	struct hv_partition *r = root_with_deposit();
	const struct vnr_memory_info *info;
	u32 id;

	ck_assert_int_eq(fx_create_child(r, "user", &id), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_pages(r, id, 3), VNR_STATUS_SUCCESS);
	memset(fx_gpa(r, OUT_GPA), FILL, PAGE_SIZE);
	ck_assert_int_eq(
		fx_hypercall(&r->vps[0], MEM(VNR_CALL_MEMORY_INFO), 0, OUT_GPA),
		VNR_STATUS_SUCCESS);
	info = fx_gpa(r, OUT_GPA);
	ck_assert_uint_eq(info->deposited, 4);
	ck_assert_uint_eq(info->used, 3);
	ck_assert_uint_eq(info->free, 1);
	ck_assert_uint_eq(info->reserved, 0);
	expect_fill_from(fx_gpa(r, OUT_GPA), sizeof(*info), "MEMORY_INFO");
}
END_TEST

START_TEST(exit_message_leaks_nothing)
{
	struct hv_partition *r = root_with_deposit(), *c;
	struct hv_vp *vp = &r->vps[0];
	const struct vnr_partition_exit_message *em;
	struct vnr_message *m;
	u32 id;

	ck_assert(synic_wrmsr(vp, VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
	ck_assert(
		synic_wrmsr(vp, VNR_MSR_SIMP, SIMP_GPA | VNR_PAGE_MSR_ENABLE));
	ck_assert_int_eq(fx_create_child(r, "exiter", &id), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_hypercall(vp, FAST(VNR_CALL_VP_CREATE), id, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_pages(r, id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(
		fx_hypercall(vp, FAST(VNR_CALL_PARTITION_START), id, 0),
		VNR_STATUS_SUCCESS);
	m = fx_free_slot(r, SIMP_GPA, 1); /* notify_sint 1 */
	c = partition_by_id(id);
	partition_stop(c, true, 7, "exited with status %d", 7);
	ck_assert_uint_eq(m->header.message_type, VNR_MSG_PARTITION_EXIT);
	ck_assert_uint_eq(m->header.payload_size, sizeof(*em));
	ck_assert_uint_eq(m->header.flags, 0);
	ck_assert_uint_eq(m->header.reserved, 0);
	ck_assert_uint_eq(m->header.sender_partition, 0);
	ck_assert_uint_eq(m->header.port_id, 0);
	em = (const void *)m->payload;
	ck_assert_uint_eq(em->partition_id, id);
	ck_assert_uint_eq(em->exit_reason, VNR_EXIT_CLEAN);
	ck_assert_uint_eq(em->exit_status, 7);
	ck_assert_str_eq(em->diagnostic, "exited with status 7");
	expect_nul_padded(em->diagnostic, sizeof(em->diagnostic),
			  "exit message diagnostic");
	fx_expect_payload_zero_from(m, sizeof(*em));
	fx_expect_other_slots_untouched(r, SIMP_GPA, 1);
}
END_TEST

/* A child of the PC platform: its VPs start with Linux's boot selectors. */
START_TEST(pc_platform_child)
{
	struct hv_partition *r = root_with_deposit(), *c;
	struct vnr_partition_create_input *in = fx_gpa(r, IN_GPA);
	struct hv_vp *vp = &r->vps[0];
	u32 plain;

	memset(in, 0, sizeof(*in));
	strcpy(in->name, "linux");
	in->vp_count = 1;
	in->platform = VNR_PLATFORM_PC;
	ck_assert_int_eq(fx_hypercall(vp, MEM(VNR_CALL_PARTITION_CREATE),
				      IN_GPA, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	c = partition_by_id(
		((struct vnr_partition_create_output *)fx_gpa(r, OUT_GPA))
			->partition_id);
	ck_assert(c->pc_platform);
	ck_assert_int_eq(fx_hypercall(vp, FAST(VNR_CALL_VP_CREATE), c->id, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_vp_of(&c->vps[0])->boot.code_selector, 0x10);
	ck_assert_uint_eq(fake_vp_of(&c->vps[0])->boot.data_selector, 0x18);
	ck_assert_int_eq(
		fx_hypercall(vp, FAST(VNR_CALL_PARTITION_DESTROY), c->id, 0),
		VNR_STATUS_SUCCESS);

	/* A Veneer child has no PC platform; 2 is no platform at all. */
	ck_assert_int_eq(fx_create_child(r, "plain", &plain),
			 VNR_STATUS_SUCCESS);
	ck_assert(!partition_by_id(plain)->pc_platform);
	memset(in, 0, sizeof(*in));
	strcpy(in->name, "other");
	in->vp_count = 1;
	in->platform = 2;
	ck_assert_int_eq(fx_hypercall(vp, MEM(VNR_CALL_PARTITION_CREATE),
				      IN_GPA, OUT_GPA),
			 VNR_STATUS_INVALID_PARAMETER);
}
END_TEST

static Suite *mgmt_suite(void)
{
	Suite *s = suite_create("mgmt");
	TCase *ids = tcase_create("partition_ids");
	TCase *quota = tcase_create("exhaustion");
	TCase *leaks = tcase_create("leaks");

	tcase_add_checked_fixture(ids, mgmt_setup, NULL);
	tcase_set_timeout(ids, 60);
	tcase_add_test(ids, mgmt_own_child_baseline);
	tcase_add_test(ids, mgmt_foreign_ids_every_call);
	tcase_add_test(ids, mgmt_child_cannot_reach_up_or_across);
	tcase_add_test(ids, mgmt_destroyed_child_id);
	tcase_add_test(ids, mgmt_unprivileged_denied_any_id);
	suite_add_tcase(s, ids);

	tcase_set_timeout(quota, 60);
	tcase_add_test(quota, deposits_quota);
	tcase_add_test(quota, create_destroy_cycles_leak_nothing);
	tcase_add_test(quota, write_across_child_pages);
	suite_add_tcase(s, quota);

	tcase_add_test(leaks, partition_query_leaks_nothing);
	tcase_add_test(leaks, memory_info_leaks_nothing);
	tcase_add_test(leaks, exit_message_leaks_nothing);
	tcase_add_test(leaks, pc_platform_child);
	suite_add_tcase(s, leaks);
	return s;
}

int main(void)
{
	return fx_run_suite(mgmt_suite());
}
