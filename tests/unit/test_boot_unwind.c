/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the configuration's boot path (boot_build_partition) at
 * the steps the layers below it may refuse: whatever step refuses, the
 * partition gives back its slot and every pool page it took, and what
 * the image leaves unwritten (BSS, gaps) reads as zero however the RAM
 * was filled before.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/boot.h>

#include "fixture.h"

#define RAM_SIZE  MiB(4)
#define IMAGE_GPA 0x2000u

static u8 *ram;
static struct hv_partition_config cfg;
static struct hv_boot_partition bp;
static u8 image[2 * PAGE_SIZE];

static void setup(void)
{
	fx_reset();
	ram = aligned_alloc(MiB(2), RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	memset(ram, 0xAA, RAM_SIZE); /* what the RAM held before */
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "unwind");
	cfg.memory_bytes = MiB(2);
	cfg.vp_count = HV_MAX_VPS;
	memset(image, 0x5C, sizeof(image));
	memset(&bp, 0, sizeof(bp));
	bp.cfg = &cfg;
	bp.ram = ram;
	bp.image = image;
	bp.image_len = sizeof(image);
	/* One segment: a page of file bytes, then three pages of BSS. */
	bp.elf.entry = IMAGE_GPA;
	bp.elf.lowest_gpa = IMAGE_GPA;
	bp.elf.highest_gpa_end = IMAGE_GPA + 4 * PAGE_SIZE;
	bp.elf.segment_count = 1;
	bp.elf.segments[0] = (struct vnr_elf_segment){
		.gpa = IMAGE_GPA,
		.file_offset = 0,
		.file_size = PAGE_SIZE,
		.mem_size = 4 * PAGE_SIZE,
		.flags = VNR_PF_X,
	};
}

static void teardown(void)
{
	free(ram);
}

static u32 slots_taken(void)
{
	u32 taken = 0;

	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++)
		taken += partition_at(i)->state != HV_PARTITION_FREE;
	return taken;
}

/*
 * A memory size the boot region cannot map (the parser refuses it, the
 * boot path is reached with it all the same) fails the build: the
 * partition must not stay behind CREATED, holding its slot, its address
 * space and its RAM mapping, to be started with no VP.
 */
START_TEST(boot_region_refusal_gives_back_the_slot)
{
	u64 used = page_pool_used();

	cfg.memory_bytes = MiB(2) + PAGE_SIZE;
	ck_assert_int_eq(boot_build_partition(&bp), -1);
	ck_assert_uint_eq(slots_taken(), 0);
	ck_assert_uint_eq(page_pool_used(), used);
}
END_TEST

/* The loader writes file bytes only: BSS is zero because the RAM is. */
START_TEST(bss_is_zero_in_ram_that_held_data)
{
	ck_assert_int_eq(boot_build_partition(&bp), 0);
	for (u64 i = 0; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(ram[IMAGE_GPA + i], 0x5C);
	for (u64 i = PAGE_SIZE; i < 4 * PAGE_SIZE; i++)
		ck_assert_uint_eq(ram[IMAGE_GPA + i], 0);
	for (u64 i = 0; i < IMAGE_GPA; i++)
		ck_assert_uint_eq(ram[i], 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("boot_unwind");
	TCase *tc = tcase_create("boot_unwind");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, boot_region_refusal_gives_back_the_slot);
	tcase_add_test(tc, bss_is_zero_in_ram_that_held_data);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
