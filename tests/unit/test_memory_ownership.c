/* SPDX-License-Identifier: MIT */
/*
 * Who owns a host page, and what the hypervisor pool holds, through the
 * hypercalls of the hosted core on real nested page tables (fake_arch.c):
 * a page changes owner only when no grant mapping still reaches it,
 * address-space changes complete or leave nothing behind, unmapping what
 * was mapped frees its tables, a partition's hypervisor memory is capped
 * by its quota, a revoke needs no memory, and deposit bitmaps do not
 * fragment the pool.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/grant_ops.h>
#include <hv/page_alloc.h>

#include "fixture.h"

/* Pages of the fixture's RAM. */
#define IN_GPA	 0x4000ull
#define OUT_GPA	 0x6000ull
#define GRANT_PG 0xA000ull

/*
 * Big RAM of the root at 1 GiB - BIG_BELOW: 2 MiB-aligned on both sides,
 * so mapped with large pages, and across the first 1 GiB boundary, so its
 * upper part needs tables of its own.
 */
#define BIG_SIZE  MiB(130)
#define BIG_BELOW MiB(4)
#define BIG_GPA	  (GiB(1) - BIG_BELOW)
#define BIG_PAGES (BIG_SIZE / PAGE_SIZE)
#define PEER_GPA  GiB(8) /* where peers map grants */

#define PRIV_MGMT \
	(VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY))

static u8 *big_ram;

static enum vnr_status call(struct hv_partition *p, u64 control, u64 rdx,
			    u64 r8)
{
	return fx_hypercall(&p->vps[0], control, rdx, r8);
}

static struct hv_partition *root_with_big_ram(void)
{
	struct hv_partition *r;

	fx_reset();
	r = fx_partition("root", PRIV_MGMT);
	if (!big_ram)
		big_ram = aligned_alloc(MiB(2), BIG_SIZE);
	ck_assert_ptr_nonnull(big_ram);
	ck_assert_int_eq(partition_map_ram(r, BIG_GPA, big_ram, BIG_SIZE),
			 VNR_STATUS_SUCCESS);
	return r;
}

static enum vnr_status mem_range(struct hv_partition *p, u16 code, u64 gpa,
				 u64 pages)
{
	struct vnr_memory_range_input in = {gpa, pages};

	memcpy(fx_gpa(p, IN_GPA), &in, sizeof(in));
	return call(p, MEM(code), IN_GPA, 0);
}

static enum vnr_status deposit(struct hv_partition *p, u64 gpa, u64 pages)
{
	return mem_range(p, VNR_CALL_MEMORY_DEPOSIT, gpa, pages);
}

static enum vnr_status withdraw(struct hv_partition *p, u64 gpa, u64 pages)
{
	return mem_range(p, VNR_CALL_MEMORY_WITHDRAW, gpa, pages);
}

static u64 deposited(struct hv_partition *p)
{
	struct vnr_memory_info info;

	ck_assert_int_eq(call(p, MEM(VNR_CALL_MEMORY_INFO), 0, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	memcpy(&info, fx_gpa(p, OUT_GPA), sizeof(info));
	return info.deposited;
}

/* A grant of count pages of owner's RAM from gpa on, to peer. */
static u64 grant(struct hv_partition *owner, struct hv_partition *peer, u64 gpa,
		 u32 count)
{
	struct vnr_grant_create_input *in = fx_gpa(owner, IN_GPA);

	memset(in, 0, PAGE_SIZE);
	in->peer_partition_id = peer->id;
	in->page_count = count;
	for (u32 i = 0; i < count; i++)
		in->gpa[i] = gpa + (u64)i * PAGE_SIZE;
	ck_assert_int_eq(
		call(owner, MEM(VNR_CALL_GRANT_CREATE), IN_GPA, OUT_GPA),
		VNR_STATUS_SUCCESS);
	return ((struct vnr_grant_create_output *)fx_gpa(owner, OUT_GPA))
		->handle;
}

static enum vnr_status map_grant(struct hv_partition *peer,
				 struct hv_partition *owner, u64 handle,
				 u64 gpa)
{
	struct vnr_grant_map_input in = {owner->id, 0, handle, gpa};

	memcpy(fx_gpa(peer, IN_GPA), &in, sizeof(in));
	return call(peer, MEM(VNR_CALL_GRANT_MAP), IN_GPA, 0);
}

static enum vnr_status unmap_grant(struct hv_partition *peer,
				   struct hv_partition *owner, u64 handle)
{
	struct vnr_grant_unmap_input in = {owner->id, 0, handle};

	memcpy(fx_gpa(peer, IN_GPA), &in, sizeof(in));
	return call(peer, MEM(VNR_CALL_GRANT_UNMAP), IN_GPA, 0);
}

static bool mapped(struct hv_partition *p, u64 gpa, u64 *hpa)
{
	u64 unused_hpa;
	bool writable;

	return fake_npt_lookup(p, gpa, hpa ? hpa : &unused_hpa, &writable);
}

/* Takes every page of the hypervisor pool but keep; gives them back. */
static void **hog;
static u64 hogged;

static void hog_pool(u64 keep)
{
	u64 pages = (page_pool_size() - page_pool_used()) / PAGE_SIZE;

	hog = calloc(pages, sizeof(*hog));
	ck_assert_ptr_nonnull(hog);
	for (hogged = 0; hogged + keep < pages; hogged++)
		ck_assert_ptr_nonnull(hog[hogged] = page_alloc());
}

static void release_pool(void)
{
	while (hogged)
		page_free(hog[--hogged]);
	free(hog);
	hog = NULL;
}

/* ------------------------------------------------------------------ */
/* A page changes owner only when no grant mapping reaches it          */
/* ------------------------------------------------------------------ */

START_TEST(deposit_refuses_pages_mapped_through_a_grant)
{
	struct hv_partition *r = root_with_big_ram();
	struct hv_partition *q = fx_partition("peer", 0);
	u64 h = grant(r, q, BIG_GPA + MiB(6), 1);

	ck_assert_int_eq(map_grant(q, r, h, PEER_GPA), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(deposit(r, BIG_GPA, 2048), VNR_STATUS_GPA_IN_USE);
	ck_assert_int_eq(deposit(r, BIG_GPA + MiB(6), 1),
			 VNR_STATUS_GPA_IN_USE);
	ck_assert_uint_eq(deposited(r), 0);
	ck_assert_ptr_nonnull(partition_gpa_to_host(r, BIG_GPA, MiB(8)));
	/* Pages next to the granted one can go. */
	ck_assert_int_eq(deposit(r, BIG_GPA, 1536), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(withdraw(r, BIG_GPA, 1536), VNR_STATUS_SUCCESS);
	/* Once the peer has let go, the page may change owner. */
	ck_assert_int_eq(unmap_grant(q, r, h), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(deposit(r, BIG_GPA, 2048), VNR_STATUS_SUCCESS);
	/* ... and the grant cannot reach it any more. */
	ck_assert_int_eq(map_grant(q, r, h, PEER_GPA), VNR_STATUS_GPA_IN_USE);
	ck_assert(!mapped(q, PEER_GPA, NULL));
}
END_TEST

/* A grant of a child's page to its parent ends with the child. */
START_TEST(destroyed_owner_grant_does_not_reach_the_next_child)
{
	struct hv_partition *r = root_with_big_ram(), *c;
	struct vnr_map_gpa_input map = {0, 0, 0};
	struct vnr_grant_create_input *in;
	u64 hpa, h;
	u32 id;

	ck_assert_int_eq(deposit(r, BIG_GPA, 2), VNR_STATUS_SUCCESS);
	memset(fx_gpa(r, IN_GPA), 0, PAGE_SIZE);
	strcpy(((struct vnr_partition_create_input *)fx_gpa(r, IN_GPA))->name,
	       "child");
	((struct vnr_partition_create_input *)fx_gpa(r, IN_GPA))->vp_count = 1;
	ck_assert_int_eq(
		call(r, MEM(VNR_CALL_PARTITION_CREATE), IN_GPA, OUT_GPA),
		VNR_STATUS_SUCCESS);
	id = ((struct vnr_partition_create_output *)fx_gpa(r, OUT_GPA))
		     ->partition_id;
	ck_assert_int_eq(call(r, FAST(VNR_CALL_VP_CREATE), id, 0),
			 VNR_STATUS_SUCCESS);
	map.partition_id = id;
	memcpy(fx_gpa(r, IN_GPA), &map, sizeof(map));
	ck_assert_int_eq(call(r, REP(VNR_CALL_MAP_GPA_PAGES, 2, 0), IN_GPA, 0),
			 VNR_STATUS_SUCCESS);
	c = partition_by_id(id);
	ck_assert_int_eq(call(r, FAST(VNR_CALL_PARTITION_START), id, 0),
			 VNR_STATUS_SUCCESS);
	/* The child grants its first page to r (input there, output next). */
	in = partition_gpa_to_host(c, 0, PAGE_SIZE);
	memset(in, 0, sizeof(*in));
	in->peer_partition_id = r->id;
	in->page_count = 1;
	ck_assert_int_eq(call(c, MEM(VNR_CALL_GRANT_CREATE), 0, PAGE_SIZE),
			 VNR_STATUS_SUCCESS);
	h = *(u64 *)partition_gpa_to_host(c, PAGE_SIZE, 8);
	ck_assert_int_eq(map_grant(r, c, h, PEER_GPA), VNR_STATUS_SUCCESS);
	ck_assert(mapped(r, PEER_GPA, &hpa));
	ck_assert_ptr_eq((void *)(uintptr_t)hpa, big_ram);
	ck_assert_int_eq(call(r, FAST(VNR_CALL_PARTITION_STOP), id, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(call(r, FAST(VNR_CALL_PARTITION_DESTROY), id, 0),
			 VNR_STATUS_SUCCESS);
	/* The page is free in the pool again; r's range is its scratch. */
	ck_assert(mapped(r, PEER_GPA, &hpa));
	ck_assert_ptr_eq((void *)(uintptr_t)hpa, r->grants.scratch);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Address-space changes complete or leave no trace                    */
/* ------------------------------------------------------------------ */

START_TEST(deposit_hole_takes_no_grant_mapping)
{
	struct hv_partition *r = root_with_big_ram();
	struct hv_partition *o = fx_partition("owner", 0);
	u64 h = grant(o, r, GRANT_PG, 1);

	ck_assert_int_eq(deposit(r, BIG_GPA, 2048), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_grant(r, o, h, BIG_GPA + MiB(6)),
			 VNR_STATUS_GPA_IN_USE);
	ck_assert_int_eq(map_grant(r, o, h, BIG_GPA + MiB(8) - PAGE_SIZE),
			 VNR_STATUS_GPA_IN_USE);
	ck_assert(!mapped(r, BIG_GPA + MiB(6), NULL));
	ck_assert_int_eq(withdraw(r, BIG_GPA, 2048), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(deposited(r), 0);
	ck_assert_ptr_nonnull(partition_gpa_to_host(r, BIG_GPA, MiB(8)));
	/* Right after the hole, the GPA is free. */
	ck_assert_int_eq(deposit(r, BIG_GPA, 2048), VNR_STATUS_SUCCESS);
}
END_TEST

/*
 * The withdraw maps the part below 1 GiB with tables that exist, then
 * needs a table above it and there is none to have: nothing of the
 * deposit may stay mapped, and the withdraw works once there is memory.
 */
START_TEST(failed_withdraw_maps_nothing)
{
	struct hv_partition *r = root_with_big_ram();
	u64 limit = r->pool.limit;

	ck_assert_int_eq(deposit(r, BIG_GPA, BIG_PAGES), VNR_STATUS_SUCCESS);
	r->pool.limit = r->pool.pages;
	ck_assert_int_eq(withdraw(r, BIG_GPA, BIG_PAGES),
			 VNR_STATUS_INSUFFICIENT_MEMORY);
	for (u64 off = 0; off < BIG_SIZE; off += PAGE_SIZE)
		ck_assert_msg(!mapped(r, BIG_GPA + off, NULL),
			      "page +%#llx mapped after the failed withdraw",
			      (unsigned long long)off);
	ck_assert_ptr_null(partition_gpa_to_host(r, BIG_GPA, PAGE_SIZE));
	ck_assert_uint_eq(deposited(r), BIG_PAGES);
	r->pool.limit = limit;
	ck_assert_int_eq(withdraw(r, BIG_GPA, BIG_PAGES), VNR_STATUS_SUCCESS);
	ck_assert(mapped(r, BIG_GPA, NULL));
	ck_assert(mapped(r, BIG_GPA + BIG_SIZE - PAGE_SIZE, NULL));
	ck_assert_uint_eq(deposited(r), 0);
}
END_TEST

/* One pool page left: the bitmap takes it, the split finds none. */
START_TEST(deposit_that_cannot_split_fails)
{
	struct hv_partition *r = root_with_big_ram();
	u64 page = BIG_GPA + MiB(10) + 5 * PAGE_SIZE, hpa;

	hog_pool(1);
	ck_assert_int_eq(deposit(r, page, 1), VNR_STATUS_INSUFFICIENT_MEMORY);
	ck_assert(mapped(r, page, &hpa));
	ck_assert_ptr_eq((void *)(uintptr_t)hpa, big_ram + (page - BIG_GPA));
	ck_assert_ptr_nonnull(partition_gpa_to_host(r, page, PAGE_SIZE));
	ck_assert_uint_eq(deposited(r), 0);
	release_pool();
	ck_assert_int_eq(deposit(r, page, 1), VNR_STATUS_SUCCESS);
	ck_assert(!mapped(r, page, NULL));
	ck_assert(mapped(r, page - PAGE_SIZE, NULL));
	ck_assert(mapped(r, page + PAGE_SIZE, NULL));
	ck_assert_int_eq(withdraw(r, page, 1), VNR_STATUS_SUCCESS);
	ck_assert(mapped(r, page, &hpa));
	ck_assert_ptr_eq((void *)(uintptr_t)hpa, big_ram + (page - BIG_GPA));
}
END_TEST

/* Two large pages to split, memory for one: nothing may change. */
START_TEST(deposit_splitting_both_ends_is_all_or_nothing)
{
	struct hv_partition *r = root_with_big_ram();
	u64 first = BIG_GPA + MiB(10) + 7 * PAGE_SIZE;
	u64 pages = (MiB(4) - 9 * PAGE_SIZE) / PAGE_SIZE;
	u64 last = first + (pages - 1) * PAGE_SIZE, held = r->pool.pages;

	hog_pool(2); /* the bitmap and one split */
	ck_assert_int_eq(deposit(r, first, pages),
			 VNR_STATUS_INSUFFICIENT_MEMORY);
	for (u64 gpa = first; gpa <= last; gpa += PAGE_SIZE)
		ck_assert(mapped(r, gpa, NULL));
	ck_assert_uint_eq(r->pool.pages, held);
	release_pool();
	ck_assert_int_eq(deposit(r, first, pages), VNR_STATUS_SUCCESS);
	ck_assert(!mapped(r, first, NULL));
	ck_assert(!mapped(r, last, NULL));
	ck_assert(mapped(r, first - PAGE_SIZE, NULL));
	ck_assert(mapped(r, last + PAGE_SIZE, NULL));
}
END_TEST

/* A child whose tables do not fit gets nothing, and its page goes back. */
START_TEST(map_gpa_pages_without_table_memory_takes_no_page)
{
	struct hv_partition *r = root_with_big_ram(), *c;
	struct vnr_partition_create_input *in = fx_gpa(r, IN_GPA);
	struct vnr_map_gpa_input map = {0, 0, 0};
	struct vnr_memory_info info;

	ck_assert_int_eq(deposit(r, BIG_GPA, 4), VNR_STATUS_SUCCESS);
	memset(in, 0, sizeof(*in));
	strcpy(in->name, "child");
	in->vp_count = 1;
	ck_assert_int_eq(
		call(r, MEM(VNR_CALL_PARTITION_CREATE), IN_GPA, OUT_GPA),
		VNR_STATUS_SUCCESS);
	map.partition_id =
		((struct vnr_partition_create_output *)fx_gpa(r, OUT_GPA))
			->partition_id;
	c = partition_by_id(map.partition_id);
	c->pool.limit = c->pool.pages;
	memcpy(fx_gpa(r, IN_GPA), &map, sizeof(map));
	ck_assert_int_eq(call(r, REP(VNR_CALL_MAP_GPA_PAGES, 1, 0), IN_GPA, 0),
			 VNR_STATUS_INSUFFICIENT_MEMORY);
	ck_assert_uint_eq(c->mem.ram_size, 0);
	ck_assert(!mapped(c, 0, NULL));
	ck_assert_int_eq(call(r, MEM(VNR_CALL_MEMORY_INFO), 0, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	memcpy(&info, fx_gpa(r, OUT_GPA), sizeof(info));
	ck_assert_uint_eq(info.used, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Hypervisor memory a partition can drive                             */
/* ------------------------------------------------------------------ */

START_TEST(grant_map_unmap_cycles_free_their_tables)
{
	struct hv_partition *o, *q;
	u64 h, used, held;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	h = grant(o, q, GRANT_PG, 1);
	ck_assert_int_eq(map_grant(q, o, h, PEER_GPA), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(unmap_grant(q, o, h), VNR_STATUS_SUCCESS);
	used = page_pool_used();
	held = q->pool.pages;
	for (u64 i = 1; i <= 4010; i++) {
		u64 gpa = i * GiB(1) / 4 + MiB(2) * (i % 128);

		ck_assert_uint_lt(gpa, 1ull << 40);
		ck_assert_int_eq(map_grant(q, o, h, gpa), VNR_STATUS_SUCCESS);
		ck_assert(mapped(q, gpa, NULL));
		ck_assert_int_eq(unmap_grant(q, o, h), VNR_STATUS_SUCCESS);
		ck_assert(!mapped(q, gpa, NULL));
		ck_assert_uint_eq(page_pool_used(), used);
	}
	ck_assert_uint_eq(q->pool.pages, held);
}
END_TEST

/*
 * A peer maps two-page grants across 1 GiB boundaries, four table pages
 * each, until its quota stops it: the pool keeps what others need.
 */
START_TEST(pool_quota_caps_one_partition)
{
	struct hv_partition *q, *owners[5], *late;
	u64 handles[5][VNR_MAX_GRANTS], held;
	u32 maps = 0, refused = 0;

	fx_reset();
	q = fx_partition("peer", 0);
	held = q->pool.pages;
	for (u32 o = 0; o < 5; o++) {
		char name[8] = "owner0";

		name[5] = (char)('0' + o);
		owners[o] = fx_partition(name, 0);
		for (u32 g = 0; g < VNR_MAX_GRANTS; g++)
			handles[o][g] = grant(owners[o], q, GRANT_PG, 2);
	}
	for (u32 o = 0; o < 5; o++)
		for (u32 g = 0; g < VNR_MAX_GRANTS; g++) {
			u64 gpa = (2 * (u64)(o * VNR_MAX_GRANTS + g) + 2) *
					  GiB(1) -
				  PAGE_SIZE;
			enum vnr_status st =
				map_grant(q, owners[o], handles[o][g], gpa);

			if (st == VNR_STATUS_SUCCESS) {
				maps++;
				continue;
			}
			ck_assert_int_eq(st, VNR_STATUS_INSUFFICIENT_MEMORY);
			ck_assert(!mapped(q, gpa, NULL));
			refused++;
		}
	ck_assert_uint_gt(refused, 0);
	ck_assert_uint_le(q->pool.pages, q->pool.limit);
	ck_assert_uint_ge(q->pool.pages, q->pool.limit - 4);
	/* Everyone else still gets memory: new partitions, their grants. */
	late = fx_partition("late", 0);
	grant(late, owners[0], GRANT_PG, 1);
	grant(fx_partition("later", 0), late, GRANT_PG, 1);
	/* And it all comes back. */
	for (u32 o = 0; o < 5; o++)
		for (u32 g = 0; g < VNR_MAX_GRANTS && maps; g++)
			if (unmap_grant(q, owners[o], handles[o][g]) ==
			    VNR_STATUS_SUCCESS)
				maps--;
	ck_assert_uint_eq(maps, 0);
	ck_assert_uint_eq(q->pool.pages, held + 1); /* + the scratch page */
}
END_TEST

START_TEST(revoke_under_exhaustion_keeps_the_peer_running)
{
	struct hv_partition *o, *q;
	u64 h, hpa;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	h = grant(o, q, GRANT_PG, 3);
	ck_assert_int_eq(map_grant(q, o, h, PEER_GPA), VNR_STATUS_SUCCESS);
	hog_pool(0);
	ck_assert_int_eq(call(o, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
			 VNR_STATUS_SUCCESS);
	for (u32 i = 0; i < 3; i++) {
		ck_assert(mapped(q, PEER_GPA + i * PAGE_SIZE, &hpa));
		ck_assert_ptr_eq((void *)(uintptr_t)hpa, q->grants.scratch);
	}
	ck_assert_int_eq(q->state, HV_PARTITION_RUNNING);
	release_pool();
}
END_TEST

/*
 * A peer that serves one channel after another maps each at the same GPA:
 * a revoke's scratch pages are taken back by the next map over them, so
 * revokes cannot use up the peer's address space or its table memory.  A
 * range that holds anything else is still refused whole.
 */
START_TEST(map_over_revoked_range_takes_it_back)
{
	struct hv_partition *o, *q;
	u64 h, hpa, tables;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	h = grant(o, q, GRANT_PG, 3);
	ck_assert_int_eq(map_grant(q, o, h, PEER_GPA), VNR_STATUS_SUCCESS);
	tables = q->pool.pages;
	for (u32 round = 0; round < 100; round++) {
		ck_assert_int_eq(call(o, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
				 VNR_STATUS_SUCCESS);
		ck_assert(mapped(q, PEER_GPA, &hpa));
		ck_assert_ptr_eq((void *)(uintptr_t)hpa, q->grants.scratch);
		/* Two pages, then three: a third left as scratch comes back. */
		h = grant(o, q, GRANT_PG, round % 2 ? 3 : 2);
		ck_assert_int_eq(map_grant(q, o, h, PEER_GPA),
				 VNR_STATUS_SUCCESS);
		ck_assert(mapped(q, PEER_GPA, &hpa));
		ck_assert_ptr_ne((void *)(uintptr_t)hpa, q->grants.scratch);
	}
	ck_assert_uint_eq(q->pool.pages, tables);
	/* Scratch before, another grant after: refused, the scratch gone. */
	ck_assert_int_eq(call(o, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_grant(q, o, grant(o, q, GRANT_PG, 1),
				   PEER_GPA + 3 * PAGE_SIZE),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_grant(q, o, grant(o, q, GRANT_PG, 4), PEER_GPA),
			 VNR_STATUS_GPA_IN_USE);
	ck_assert(mapped(q, PEER_GPA + 3 * PAGE_SIZE, &hpa));
	ck_assert_ptr_ne((void *)(uintptr_t)hpa, q->grants.scratch);
	ck_assert(!mapped(q, PEER_GPA, NULL));
}
END_TEST

/*
 * Makes the peer's mapping of a grant at PEER_GPA one 2 MiB page of other
 * memory: a range a revoke cannot back with the scratch page in place.
 */
static void *remap_large(struct hv_partition *q)
{
	void *large = aligned_alloc(MiB(2), MiB(2));

	ck_assert_ptr_nonnull(large);
	ck_assert_int_eq(arch_unmap_gpa(q, PEER_GPA, PAGE_SIZE), 0);
	ck_assert_int_eq(
		arch_map_gpa(q, PEER_GPA, (u64)(uintptr_t)large, MiB(2), true),
		0);
	return large;
}

/* Such a range is unmapped instead; wanting memory for that, kept. */
START_TEST(revoke_unmaps_a_range_it_cannot_back)
{
	struct hv_partition *o, *q;
	void *large;
	u64 h;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	h = grant(o, q, GRANT_PG, 1);
	ck_assert_int_eq(map_grant(q, o, h, PEER_GPA), VNR_STATUS_SUCCESS);
	large = remap_large(q);
	hog_pool(0);
	ck_assert_int_eq(call(o, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
			 VNR_STATUS_INSUFFICIENT_MEMORY);
	ck_assert(mapped(q, PEER_GPA, NULL));
	release_pool();
	ck_assert_int_eq(call(o, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert(!mapped(q, PEER_GPA, NULL));
	ck_assert_int_eq(call(o, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
			 VNR_STATUS_INVALID_GRANT);
	ck_assert_int_eq(arch_unmap_gpa(q, PEER_GPA, MiB(2)), 0);
	free(large);
}
END_TEST

/*
 * Destroying an owner revokes its grants.  A revoke that cannot take a
 * range back keeps the grant, and then the owner too: no peer goes on
 * mapping a range no grant accounts for, and no pool page is lost.
 */
START_TEST(destroyed_owner_leaves_no_untracked_mapping)
{
	static const u64 gpas[1] = {GRANT_PG};
	struct hv_partition *o, *q;
	enum vnr_status st;
	void *large;
	u64 h;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	ck_assert_int_eq(grant_create(o, q->id, gpas, 1, false, &h),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(grant_map(q, o->id, h, PEER_GPA), VNR_STATUS_SUCCESS);
	large = remap_large(q);
	partition_stop(o, true, 0, "done");
	hog_pool(0);
	st = partition_destroy(o);
	release_pool();
	/* Destroyed, it took the range back; kept, its grant still says so. */
	if (st == VNR_STATUS_SUCCESS)
		ck_assert_msg(
			!mapped(q, PEER_GPA, NULL),
			"the owner is gone, the peer still maps its grant");
	else
		ck_assert_int_ne(o->state, HV_PARTITION_FREE);
	if (mapped(q, PEER_GPA, NULL))
		ck_assert_int_eq(arch_unmap_gpa(q, PEER_GPA, MiB(2)), 0);
	free(large);
}
END_TEST

/* Every pool page the owner held comes back, its grant's page list too. */
START_TEST(destroyed_owner_gives_back_its_grant_pages)
{
	static const u64 gpas[1] = {GRANT_PG};
	struct hv_partition *o, *q;
	enum vnr_status st;
	u64 held, used;
	void *large;
	u64 h;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	ck_assert_int_eq(grant_create(o, q->id, gpas, 1, false, &h),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(grant_map(q, o->id, h, PEER_GPA), VNR_STATUS_SUCCESS);
	large = remap_large(q);
	partition_stop(o, true, 0, "done");
	held = o->pool.pages;
	hog_pool(0);
	used = page_pool_used();
	st = partition_destroy(o);
	if (st == VNR_STATUS_SUCCESS)
		ck_assert_uint_eq(used - page_pool_used(), held * PAGE_SIZE);
	release_pool();
	if (mapped(q, PEER_GPA, NULL))
		ck_assert_int_eq(arch_unmap_gpa(q, PEER_GPA, MiB(2)), 0);
	free(large);
}
END_TEST

/* The scratch page is taken at the first map, or the map fails. */
START_TEST(grant_map_reserves_the_revoke_scratch_page)
{
	struct hv_partition *o, *q;
	u64 h;

	fx_reset();
	o = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	h = grant(o, q, GRANT_PG, 1);
	hog_pool(0);
	ck_assert_int_eq(map_grant(q, o, h, PEER_GPA),
			 VNR_STATUS_INSUFFICIENT_MEMORY);
	ck_assert_ptr_null(q->grants.scratch);
	ck_assert(!mapped(q, PEER_GPA, NULL));
	release_pool();
	ck_assert_int_eq(map_grant(q, o, h, PEER_GPA), VNR_STATUS_SUCCESS);
	ck_assert_ptr_nonnull(q->grants.scratch);
}
END_TEST

START_TEST(deposit_cycles_do_not_fragment_the_pool)
{
	struct hv_partition *r = root_with_big_ram();
	u64 used;

	/* The first cycle leaves the table of the split at the end. */
	ck_assert_int_eq(deposit(r, BIG_GPA, 32769), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(withdraw(r, BIG_GPA, 32769), VNR_STATUS_SUCCESS);
	used = page_pool_used();
	for (u32 i = 0; i < 2000; i++) {
		ck_assert_int_eq(deposit(r, BIG_GPA, 32769),
				 VNR_STATUS_SUCCESS);
		ck_assert_int_eq(withdraw(r, BIG_GPA, 32769),
				 VNR_STATUS_SUCCESS);
		ck_assert_uint_eq(page_pool_used(), used);
	}
	ck_assert_int_eq(deposit(r, BIG_GPA, BIG_PAGES), VNR_STATUS_SUCCESS);
}
END_TEST

/* Pages of a run freed one by one make the run whole again. */
START_TEST(contiguous_runs_come_back_whole)
{
	u8 *run, *again;

	fx_reset();
	run = page_alloc_contiguous(3);
	ck_assert_ptr_nonnull(run);
	for (u32 i = 0; i < 3; i++)
		page_free(run + i * PAGE_SIZE);
	again = page_alloc_contiguous(3);
	ck_assert_ptr_eq(again, run);
	for (u32 i = 0; i < 3; i++)
		page_free(again + i * PAGE_SIZE);
	ck_assert_uint_eq(page_pool_used(), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("memory_ownership");
	TCase *owner = tcase_create("owner"), *trace = tcase_create("trace"),
	      *pool = tcase_create("pool");

	tcase_add_test(owner, deposit_refuses_pages_mapped_through_a_grant);
	tcase_add_test(owner,
		       destroyed_owner_grant_does_not_reach_the_next_child);
	tcase_add_test(trace, deposit_hole_takes_no_grant_mapping);
	tcase_add_test(trace, failed_withdraw_maps_nothing);
	tcase_add_test(trace, deposit_that_cannot_split_fails);
	tcase_add_test(trace, deposit_splitting_both_ends_is_all_or_nothing);
	tcase_add_test(trace, map_gpa_pages_without_table_memory_takes_no_page);
	tcase_add_test(pool, grant_map_unmap_cycles_free_their_tables);
	tcase_add_test(pool, pool_quota_caps_one_partition);
	tcase_add_test(pool, revoke_under_exhaustion_keeps_the_peer_running);
	tcase_add_test(pool, revoke_unmaps_a_range_it_cannot_back);
	tcase_add_test(pool, map_over_revoked_range_takes_it_back);
	tcase_add_test(pool, destroyed_owner_leaves_no_untracked_mapping);
	tcase_add_test(pool, destroyed_owner_gives_back_its_grant_pages);
	tcase_add_test(pool, grant_map_reserves_the_revoke_scratch_page);
	tcase_add_test(pool, deposit_cycles_do_not_fragment_the_pool);
	tcase_add_test(pool, contiguous_runs_come_back_whole);
	tcase_set_timeout(pool, 60);
	suite_add_tcase(s, owner);
	suite_add_tcase(s, trace);
	suite_add_tcase(s, pool);
	return fx_run_suite(s);
}
