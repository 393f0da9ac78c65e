/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables with 1 GiB pages (hv/arch/x86/svm/npt.c), as the root
 * of root mode is mapped: an identity map of gigabytes in a few tables,
 * and unmaps inside a 1 GiB page that split it into 2 MiB pages and those
 * into 4 KiB ones, all or nothing.
 */
#include <check.h>

#include <hv/arch.h>
#include <hv/page_alloc.h>

#include "../../hv/arch/x86/svm/npt.h"
#include "fake_arch.h"
#include "fixture.h"

#define BASE GiB(512) /* a PML4 entry of its own, clear of the fixture RAM */

static struct hv_partition *p;

static void setup(void)
{
	fx_reset();
	npt_huge_pages = true;
	p = fx_partition("huge", VNR_PRIV_NONE);
}

static void teardown(void)
{
	npt_huge_pages = false;
}

static bool maps_identity(u64 gpa)
{
	u64 hpa = 0;
	bool writable = false;

	return fake_npt_lookup(p, gpa, &hpa, &writable) && hpa == gpa &&
	       writable;
}

static bool unmapped(u64 gpa)
{
	u64 hpa;
	bool writable;

	return !fake_npt_lookup(p, gpa, &hpa, &writable);
}

START_TEST(gigabytes_in_one_table)
{
	u64 before = p->pool.pages;

	ck_assert_int_eq(arch_map_gpa(p, BASE, BASE, GiB(4), true), 0);
	/* A PDPT under the existing PML4 holds four 1 GiB entries. */
	ck_assert_uint_eq(p->pool.pages - before, 1);
	ck_assert(maps_identity(BASE));
	ck_assert(maps_identity(BASE + GiB(3) + 0x123456));
	ck_assert(unmapped(BASE + GiB(4)));
}
END_TEST

START_TEST(unmap_one_page_inside_a_gigabyte)
{
	u64 hole = BASE + GiB(1) + MiB(7) + PAGE_SIZE;
	u64 before;

	ck_assert_int_eq(arch_map_gpa(p, BASE, BASE, GiB(2), true), 0);
	before = p->pool.pages;
	ck_assert_int_eq(arch_unmap_gpa(p, hole, PAGE_SIZE), 0);
	ck_assert_uint_eq(p->pool.pages - before, 2); /* a PD and a PT */
	ck_assert(unmapped(hole));
	ck_assert(maps_identity(hole - PAGE_SIZE));
	ck_assert(maps_identity(hole + PAGE_SIZE));
	ck_assert(maps_identity(BASE + GiB(1)));
	ck_assert(maps_identity(BASE + GiB(2) - PAGE_SIZE));
	ck_assert(maps_identity(BASE + GiB(1) - PAGE_SIZE));
}
END_TEST

/* Both ends inside 2 MiB pages of two different 1 GiB pages: 4 tables. */
START_TEST(unmap_across_a_gigabyte_boundary)
{
	u64 lo = BASE + GiB(1) - MiB(2) - PAGE_SIZE,
	    hi = BASE + GiB(1) + MiB(3);
	u64 before;

	ck_assert_int_eq(arch_map_gpa(p, BASE, BASE, GiB(2), true), 0);
	before = p->pool.pages;
	ck_assert_int_eq(arch_unmap_gpa(p, lo, hi - lo), 0);
	ck_assert_uint_eq(p->pool.pages - before, 4);
	ck_assert(maps_identity(lo - PAGE_SIZE));
	ck_assert(unmapped(lo));
	ck_assert(unmapped(BASE + GiB(1)));
	ck_assert(unmapped(hi - PAGE_SIZE));
	ck_assert(maps_identity(hi));
	ck_assert(maps_identity(BASE));
	ck_assert(maps_identity(BASE + GiB(2) - PAGE_SIZE));
}
END_TEST

/* Room for one of the two tables a split needs: nothing may change. */
START_TEST(split_without_memory_changes_nothing)
{
	u64 hole = BASE + GiB(1) + MiB(7) + PAGE_SIZE;

	ck_assert_int_eq(arch_map_gpa(p, BASE, BASE, GiB(2), true), 0);
	p->pool.limit = p->pool.pages + 1;
	ck_assert_int_eq(arch_unmap_gpa(p, hole, PAGE_SIZE), HV_MAP_NO_MEMORY);
	ck_assert(maps_identity(hole));
	ck_assert(maps_identity(BASE + GiB(1)));
}
END_TEST

/* A range covering whole 2 MiB pages of a 1 GiB page needs one split. */
START_TEST(unmap_whole_large_pages_splits_once)
{
	u64 before;

	ck_assert_int_eq(arch_map_gpa(p, BASE, BASE, GiB(1), true), 0);
	before = p->pool.pages;
	ck_assert_int_eq(arch_unmap_gpa(p, BASE + MiB(4), MiB(4)), 0);
	ck_assert_uint_eq(p->pool.pages - before, 1);
	ck_assert(unmapped(BASE + MiB(4)));
	ck_assert(unmapped(BASE + MiB(8) - PAGE_SIZE));
	ck_assert(maps_identity(BASE + MiB(8)));
	ck_assert(maps_identity(BASE + MiB(4) - PAGE_SIZE));
}
END_TEST

static Suite *npt_huge_suite(void)
{
	Suite *s = suite_create("npt_huge");
	TCase *t = tcase_create("huge");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, gigabytes_in_one_table);
	tcase_add_test(t, unmap_one_page_inside_a_gigabyte);
	tcase_add_test(t, unmap_across_a_gigabyte_boundary);
	tcase_add_test(t, split_without_memory_changes_nothing);
	tcase_add_test(t, unmap_whole_large_pages_splits_once);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return fx_run_suite(npt_huge_suite());
}
