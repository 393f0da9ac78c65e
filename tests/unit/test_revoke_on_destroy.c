/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of what a destroyed owner's grants leave in their peers.  A
 * revoke may keep a grant it cannot take back (GRANT_REVOKE says
 * INSUFFICIENT_MEMORY); destroying the owner revokes every grant, so a
 * grant kept that way must either keep the owner or be taken back: a
 * peer may never go on mapping a range no grant accounts for any more,
 * and the pool pages the grant held may not be lost with the owner.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/grant_ops.h>
#include <hv/page_alloc.h>

#include "fixture.h"

#define GRANT_PG 0xA000ull
#define PEER_GPA GiB(8)

static bool mapped(struct hv_partition *p, u64 gpa)
{
	u64 hpa;
	bool writable;

	return fake_npt_lookup(p, gpa, &hpa, &writable);
}

/* Takes every page of the hypervisor pool; gives them back. */
static void **hog;
static u64 hogged;

static void hog_pool(void)
{
	u64 pages = (page_pool_size() - page_pool_used()) / PAGE_SIZE;

	hog = calloc(pages, sizeof(*hog));
	ck_assert_ptr_nonnull(hog);
	for (hogged = 0; hogged < pages; hogged++)
		ck_assert_ptr_nonnull(hog[hogged] = page_alloc());
}

static void release_pool(void)
{
	while (hogged)
		page_free(hog[--hogged]);
	free(hog);
	hog = NULL;
}

/*
 * The peer's mapping of the grant made one 2 MiB page: a range the revoke
 * cannot back with the scratch page, and cannot unmap without a table.
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
	hog_pool();
	st = partition_destroy(o);
	release_pool();
	/* Destroyed, it took the range back; kept, its grant still says so. */
	if (st == VNR_STATUS_SUCCESS)
		ck_assert_msg(
			!mapped(q, PEER_GPA),
			"the owner is gone, the peer still maps its grant");
	else
		ck_assert_int_ne(o->state, HV_PARTITION_FREE);
	if (mapped(q, PEER_GPA))
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
	hog_pool();
	used = page_pool_used();
	st = partition_destroy(o);
	if (st == VNR_STATUS_SUCCESS)
		ck_assert_uint_eq(used - page_pool_used(), held * PAGE_SIZE);
	release_pool();
	if (mapped(q, PEER_GPA))
		ck_assert_int_eq(arch_unmap_gpa(q, PEER_GPA, MiB(2)), 0);
	free(large);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("revoke_on_destroy");
	TCase *tc = tcase_create("revoke_on_destroy");

	tcase_add_test(tc, destroyed_owner_leaves_no_untracked_mapping);
	tcase_add_test(tc, destroyed_owner_gives_back_its_grant_pages);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
