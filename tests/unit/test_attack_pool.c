/* SPDX-License-Identifier: MIT */
/*
 * The per-partition share of the hypervisor pool must keep the pool for
 * the others: with shares that added up to twice the 16 MiB pool of the
 * machine, four partitions that each stayed within their own share took
 * all of it.  Each grows its share with grants mapped at fresh GPAs and
 * revoked under it: a revoked grant's range stays scratch-backed, so its
 * tables are never freed.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/page_alloc.h>

#include "fixture.h"

#define FAST(code)   ((u64)(code) | VNR_HC_FAST)
#define MEM(code)    ((u64)(code))

#define IN_GPA	     0x4000ull
#define OUT_GPA	     0x6000ull
#define GRANT_PG     0xA000ull
#define MACHINE_POOL MiB(16) /* POOL_SIZE in hv/platform/efi/efi_main.c */
#define HOGS	     4

static enum vnr_status call(struct hv_partition *p, u64 control, u64 rdx,
			    u64 r8)
{
	ck_assert(fx_call(&p->vps[0], control, rdx, r8));
	return fx_status(&p->vps[0]);
}

static void *gpa_of(struct hv_partition *p, u64 gpa)
{
	return fx_ram(p) + gpa;
}

/* A two-page grant of owner's RAM to peer; its status, handle in *h. */
static enum vnr_status grant(struct hv_partition *owner,
			     struct hv_partition *peer, u64 *h)
{
	struct vnr_grant_create_input *in = gpa_of(owner, IN_GPA);
	enum vnr_status st;

	memset(in, 0, PAGE_SIZE);
	in->peer_partition_id = peer->id;
	in->page_count = 2;
	in->gpa[0] = GRANT_PG;
	in->gpa[1] = GRANT_PG + PAGE_SIZE;
	st = call(owner, MEM(VNR_CALL_GRANT_CREATE), IN_GPA, OUT_GPA);
	*h = ((struct vnr_grant_create_output *)gpa_of(owner, OUT_GPA))->handle;
	return st;
}

static enum vnr_status map_grant(struct hv_partition *peer,
				 struct hv_partition *owner, u64 handle,
				 u64 gpa)
{
	struct vnr_grant_map_input in = {owner->id, 0, handle, gpa};

	memcpy(gpa_of(peer, IN_GPA), &in, sizeof(in));
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

int main(void)
{
	Suite *s = suite_create("attack_pool");
	TCase *tc = tcase_create("pool");

	tcase_add_test(tc,
		       partitions_within_their_shares_leave_the_pool_to_others);
	tcase_add_test(tc, shares_fit_the_pool);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
