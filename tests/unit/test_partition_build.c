/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of building partitions when a step fails: the configuration's
 * boot path (boot_build_partition), partition_create and
 * partition_create_vp.  Whatever step fails, arch or pool, the partition
 * gives back its slot and every pool page it took.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/boot.h>

#include "fixture.h"

#define BUILD_RAM_SIZE MiB(2)
#define POOL_PAGES     (MiB(8) / PAGE_SIZE)

static u8 *ram;
static struct hv_partition_config cfg;
static struct hv_boot_partition bp;

/* Pages taken out of the pool so that only a few are left to a build. */
static void *drained[POOL_PAGES];
static u32 drained_count;

static void setup(void)
{
	fx_reset();
	ram = aligned_alloc(BUILD_RAM_SIZE, BUILD_RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "built");
	cfg.memory_bytes = BUILD_RAM_SIZE;
	cfg.vp_count = HV_MAX_VPS;
	cfg.io_first = 0x3F8;
	cfg.io_last = 0x3FF;
	memset(&bp, 0, sizeof(bp));
	bp.cfg = &cfg;
	bp.ram = ram;
	/* An image without segments: the build's steps are what is tested. */
	bp.elf.entry = VNR_IMAGE_MIN_GPA;
	bp.elf.lowest_gpa = VNR_IMAGE_MIN_GPA;
	bp.elf.highest_gpa_end = VNR_IMAGE_MIN_GPA + PAGE_SIZE;
	drained_count = 0;
}

static void teardown(void)
{
	free(ram);
}

/* Leaves exactly free_pages pages in the pool. */
static void drain_pool_to(u64 free_pages)
{
	void *page;

	while ((page = page_alloc()))
		drained[drained_count++] = page;
	for (u64 i = 0; i < free_pages; i++)
		page_free(drained[--drained_count]);
}

static void refill_pool(void)
{
	while (drained_count)
		page_free(drained[--drained_count]);
}

static u32 slots_taken(void)
{
	u32 taken = 0;

	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		taken += partition_at(i)->state != HV_PARTITION_FREE;
	return taken;
}

/* The build fails and the pool and the partition table are as before. */
static void expect_build_fails_cleanly(void)
{
	u64 used = page_pool_used();

	ck_assert_int_eq(boot_build_partition(&bp), -1);
	ck_assert_uint_eq(slots_taken(), 0);
	ck_assert_uint_eq(page_pool_used(), used);
}

static void expect_build_succeeds(void)
{
	struct hv_partition *p;

	ck_assert_int_eq(boot_build_partition(&bp), 0);
	ck_assert_uint_eq(slots_taken(), 1);
	p = partition_at(0);
	ck_assert_int_eq(p->state, HV_PARTITION_CREATED);
	ck_assert_uint_eq(p->vp_count, HV_MAX_VPS);
	ck_assert_uint_eq(p->mem.ram_size, BUILD_RAM_SIZE);
}

START_TEST(build_fails_without_address_space)
{
	fake_fail_partition_init = true;
	expect_build_fails_cleanly();
	expect_build_succeeds();
}
END_TEST

START_TEST(build_fails_without_io_ports)
{
	fake_fail_allow_io = true;
	expect_build_fails_cleanly();
	expect_build_succeeds();
}
END_TEST

START_TEST(build_fails_without_ram_mapping)
{
	fake_fail_map = true;
	expect_build_fails_cleanly();
	expect_build_succeeds();
}
END_TEST

START_TEST(build_fails_without_vp_state)
{
	fake_fail_vp_init = true;
	expect_build_fails_cleanly();
	expect_build_succeeds();
}
END_TEST

/*
 * With fewer pool pages than a build takes, it runs out at one of its
 * steps (address space, its tables, the VP's message queues): every such
 * point leaves nothing behind.
 */
START_TEST(build_fails_cleanly_whenever_the_pool_runs_out)
{
	u64 before = page_pool_used(), need;

	expect_build_succeeds();
	need = (page_pool_used() - before) / PAGE_SIZE;
	ck_assert_uint_gt(need, 0);
	ck_assert_int_eq(partition_destroy(partition_at(0)),
			 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(page_pool_used(), before);
	for (u64 pages = 0; pages < need; pages++) {
		drain_pool_to(pages);
		expect_build_fails_cleanly();
		refill_pool();
	}
	drain_pool_to(need);
	expect_build_succeeds();
	refill_pool();
}
END_TEST

START_TEST(create_fails_cleanly_when_the_pool_is_empty)
{
	u64 used;

	drain_pool_to(0);
	used = page_pool_used();
	ck_assert_ptr_null(partition_create("nopool", 0));
	ck_assert_uint_eq(slots_taken(), 0);
	ck_assert_uint_eq(page_pool_used(), used);
	refill_pool();
	ck_assert_ptr_nonnull(partition_create("pool", 0));
}
END_TEST

/* VP_CREATE's step: a VP that cannot be made leaves no VP and no page. */
START_TEST(create_vp_fails_cleanly_at_each_step)
{
	struct hv_partition *p = partition_create("vps", 0);
	u64 used = page_pool_used();

	ck_assert_ptr_nonnull(p);
	fake_fail_vp_init = true;
	ck_assert_ptr_null(partition_create_vp(p, NULL));
	ck_assert_uint_eq(p->vp_count, 0);
	ck_assert_uint_eq(page_pool_used(), used);
	for (u64 pages = 0; pages < HV_SYNIC_QUEUE_PAGES; pages++) {
		drain_pool_to(pages);
		ck_assert_ptr_null(partition_create_vp(p, NULL));
		ck_assert_uint_eq(p->vp_count, 0);
		ck_assert_uint_eq(p->pool.pages, 1); /* its address space */
		refill_pool();
		ck_assert_uint_eq(page_pool_used(), used);
	}
	ck_assert_ptr_nonnull(partition_create_vp(p, NULL));
	ck_assert_uint_eq(p->vp_count, 1);
	ck_assert_int_eq(partition_destroy(p), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(slots_taken(), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("partition_build");
	TCase *tc = tcase_create("partition_build");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, build_fails_without_address_space);
	tcase_add_test(tc, build_fails_without_io_ports);
	tcase_add_test(tc, build_fails_without_ram_mapping);
	tcase_add_test(tc, build_fails_without_vp_state);
	tcase_add_test(tc, build_fails_cleanly_whenever_the_pool_runs_out);
	tcase_add_test(tc, create_fails_cleanly_when_the_pool_is_empty);
	tcase_add_test(tc, create_vp_fails_cleanly_at_each_step);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
