/* SPDX-License-Identifier: MIT */
/*
 * The per-partition share of the hypervisor pool must keep the pool for
 * the others: with shares that added up to twice the 16 MiB pool of the
 * machine, four partitions that each stayed within their own share took
 * all of it.  Each grows its share with grants mapped at fresh GPAs and
 * revoked under it: a revoked grant's range stays scratch-backed, so its
 * tables are never freed.  The grant quota of an owner keeps the pool as
 * it was, and comes back whole.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/page_alloc.h>

#include "fixture.h"

#define IN_GPA	 0x4000ull
#define OUT_GPA	 0x6000ull
#define GRANT_PG 0xA000ull
#define MACHINE_POOL \
	MiB(16) /* EFI_HV_POOL_SIZE, hv/platform/efi/efi_platform.h */
#define HOGS 4

static enum vnr_status call(struct hv_partition *p, u64 control, u64 rdx,
			    u64 r8)
{
	return fx_hypercall(&p->vps[0], control, rdx, r8);
}

/* A two-page grant of owner's RAM to peer; its status, handle in *h. */
static enum vnr_status grant(struct hv_partition *owner,
			     struct hv_partition *peer, u64 *h)
{
	struct vnr_grant_create_input *in = fx_gpa(owner, IN_GPA);
	enum vnr_status st;

	memset(in, 0, PAGE_SIZE);
	in->peer_partition_id = peer->id;
	in->page_count = 2;
	in->gpa[0] = GRANT_PG;
	in->gpa[1] = GRANT_PG + PAGE_SIZE;
	st = call(owner, MEM(VNR_CALL_GRANT_CREATE), IN_GPA, OUT_GPA);
	*h = ((struct vnr_grant_create_output *)fx_gpa(owner, OUT_GPA))->handle;
	return st;
}

static enum vnr_status map_grant(struct hv_partition *peer,
				 struct hv_partition *owner, u64 handle,
				 u64 gpa)
{
	struct vnr_grant_map_input in = {owner->id, 0, handle, gpa};

	memcpy(fx_gpa(peer, IN_GPA), &in, sizeof(in));
	return call(peer, MEM(VNR_CALL_GRANT_MAP), IN_GPA, 0);
}

/*
 * The peer maps owner's grants across fresh 1 GiB boundaries (four table
 * pages each) and the owner revokes each one under it, until the peer's
 * share or the pool is used up.
 */
static void fill_share(struct hv_partition *peer, struct hv_partition *owner)
{
	for (u64 k = 0; k < 500; k++) {
		u64 gpa = (2 * k + 2) * GiB(1) - PAGE_SIZE, h;
		enum vnr_status st;

		if (grant(owner, peer, &h) != VNR_STATUS_SUCCESS)
			return;
		st = map_grant(peer, owner, h, gpa);
		ck_assert_int_eq(call(owner, FAST(VNR_CALL_GRANT_REVOKE), h, 0),
				 VNR_STATUS_SUCCESS);
		if (st != VNR_STATUS_SUCCESS)
			return;
	}
}

START_TEST(partitions_within_their_shares_leave_the_pool_to_others)
{
	static u8 *pool;
	struct hv_partition *hogs[HOGS], *victim, *friend;
	u64 h;

	fx_reset();
	if (!pool)
		pool = aligned_alloc(PAGE_SIZE, MACHINE_POOL);
	ck_assert_ptr_nonnull(pool);
	page_pool_init(pool, MACHINE_POOL); /* the machine's pool */
	page_pool_divide(HV_MAX_PARTITIONS);
	victim = fx_partition("victim", 0);
	friend = fx_partition("friend", 0);
	for (u32 i = 0; i < HOGS; i++) {
		char name[] = "hog0";

		name[3] = (char)('0' + i);
		hogs[i] = fx_partition(name, 0);
	}
	for (u32 i = 0; i < HOGS; i++) {
		fill_share(hogs[i], hogs[(i + 1) % HOGS]);
		ck_assert_uint_le(hogs[i]->pool.pages, hogs[i]->pool.limit);
	}
	/*
	 * The victim holds a few pages of its share and maps a grant of its
	 * friend's (a ring, say): five pages, its scratch page and tables.
	 */
	ck_assert_uint_lt(victim->pool.pages + 5, victim->pool.limit);
	ck_assert_int_eq(grant(friend, victim, &h), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_grant(victim, friend, h, GiB(4) - PAGE_SIZE),
			 VNR_STATUS_SUCCESS);
}
END_TEST

/*
 * What the shares promise: what is free of the pool when it is divided
 * (after the hypervisor's own structures) holds every partition's full
 * share, HV_MAX_PARTITIONS of them.
 */
START_TEST(shares_fit_the_pool)
{
	static u8 *pool;
	u64 free_pages;

	fx_reset();
	if (!pool)
		pool = aligned_alloc(PAGE_SIZE, MACHINE_POOL);
	ck_assert_ptr_nonnull(pool);
	page_pool_init(pool, MACHINE_POOL);
	ck_assert_ptr_nonnull(page_alloc_contiguous(100)); /* its own */
	free_pages = (page_pool_size() - page_pool_used()) / PAGE_SIZE;
	page_pool_divide(HV_MAX_PARTITIONS);
	ck_assert_uint_gt(page_pool_share(), 0);
	ck_assert_uint_le((u64)HV_MAX_PARTITIONS * page_pool_share(),
			  free_pages);
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		ck_assert_uint_eq(fx_partition("p", 0)->pool.limit,
				  page_pool_share());
}
END_TEST

static enum vnr_status grant_one(struct hv_partition *owner, u32 peer,
				 u64 *handle)
{
	struct vnr_grant_create_input *in = fx_gpa(owner, IN_GPA);
	struct vnr_grant_create_output *out = fx_gpa(owner, OUT_GPA);
	enum vnr_status st;

	memset(in, 0, PAGE_SIZE);
	in->peer_partition_id = peer;
	in->page_count = 1;
	in->gpa[0] = GRANT_PG;
	out->handle = 0;
	st = fx_hypercall(&owner->vps[0], MEM(VNR_CALL_GRANT_CREATE), IN_GPA,
			  OUT_GPA);
	*handle = out->handle;
	return st;
}

START_TEST(grants_quota_and_pool)
{
	struct hv_partition *p, *q;
	u64 handles[VNR_MAX_GRANTS], old[VNR_MAX_GRANTS], h, start, full;

	fx_reset();
	p = fx_partition("owner", 0);
	q = fx_partition("peer", 0);
	start = page_pool_used();
	for (unsigned i = 0; i < VNR_MAX_GRANTS; i++) {
		ck_assert_int_eq(grant_one(p, q->id, &handles[i]),
				 VNR_STATUS_SUCCESS);
		ck_assert_uint_ne(handles[i], 0);
		for (unsigned j = 0; j < i; j++)
			ck_assert_uint_ne(handles[i], handles[j]);
	}
	full = page_pool_used();
	for (unsigned k = 0; k < 3; k++) {
		ck_assert_int_eq(grant_one(p, q->id, &h),
				 VNR_STATUS_QUOTA_EXCEEDED);
		ck_assert_uint_eq(h, 0); /* no output written */
	}
	ck_assert_uint_eq(page_pool_used(), full);
	for (unsigned i = 0; i < VNR_MAX_GRANTS; i++)
		ck_assert_int_eq(fx_hypercall(&p->vps[0],
					      FAST(VNR_CALL_GRANT_REVOKE),
					      handles[i], 0),
				 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(page_pool_used(), start);
	memcpy(old, handles, sizeof(old));
	/* The quota is per owner and comes back whole. */
	for (unsigned i = 0; i < VNR_MAX_GRANTS; i++)
		ck_assert_int_eq(grant_one(p, q->id, &handles[i]),
				 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(grant_one(p, q->id, &h), VNR_STATUS_QUOTA_EXCEEDED);
	ck_assert_int_eq(grant_one(q, p->id, &h), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(page_pool_used(), full + PAGE_SIZE);
	/* Stale handles of the first round revoke nothing. */
	for (unsigned i = 0; i < VNR_MAX_GRANTS; i++) {
		ck_assert_int_eq(fx_hypercall(&p->vps[0],
					      FAST(VNR_CALL_GRANT_REVOKE),
					      old[i], 0),
				 VNR_STATUS_INVALID_GRANT);
		ck_assert_uint_ne(old[i], handles[i]);
	}
	ck_assert_uint_eq(page_pool_used(), full + PAGE_SIZE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("pool");
	TCase *quota = tcase_create("exhaustion");

	tcase_add_test(tc,
		       partitions_within_their_shares_leave_the_pool_to_others);
	tcase_add_test(tc, shares_fit_the_pool);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tcase_set_timeout(quota, 60);
	tcase_add_test(quota, grants_quota_and_pool);
	suite_add_tcase(s, quota);
	return fx_run_suite(s);
}
