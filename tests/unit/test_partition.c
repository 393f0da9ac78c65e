/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of partition bookkeeping (hv/core/partition.c): create, give
 * memory, create VPs, start and stop, GPA translation and the memory map.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static u8 *ram;

static void setup(void)
{
	fx_reset();
	ram = aligned_alloc(PAGE_SIZE, FX_RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
}

static void teardown(void)
{
	free(ram);
}

/* The memory type part of the attributes QUERY_GPA_ATTRIBUTES reports. */
static u32 gpa_type(struct hv_partition *p, u64 gpa)
{
	return (u32)((partition_gpa_attributes(p, gpa) &
		      VNR_GPA_ATTR_TYPE_MASK) >>
		     VNR_GPA_ATTR_TYPE_SHIFT);
}

START_TEST(create_fills_slots)
{
	struct hv_partition *p[HV_MAX_PARTITIONS];

	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		p[i] = partition_create("p", i);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_uint_eq(p[i]->id, i + 1);
		ck_assert_int_eq(p[i]->state, HV_PARTITION_CREATED);
		ck_assert_uint_eq(p[i]->privileges, i);
		ck_assert_ptr_eq(partition_by_id(i + 1), p[i]);
		ck_assert_ptr_eq(partition_at(i), p[i]);
	}
	ck_assert_ptr_null(partition_create("extra", 0));
	ck_assert_ptr_nonnull(strstr(fake_console, "no free partition slot"));
	ck_assert_ptr_null(partition_at(HV_MAX_PARTITIONS));
	ck_assert_ptr_null(partition_at(UINT32_MAX));
	ck_assert_ptr_null(partition_by_id(0));
	ck_assert_ptr_null(partition_by_id(HV_MAX_PARTITIONS + 1));
}
END_TEST

START_TEST(create_truncates_name)
{
	struct hv_partition *p =
		partition_create("a-name-that-is-longer-than-32-bytes!", 0);

	ck_assert_uint_eq(strlen(p->name), VNR_NAME_MAX - 1);
	ck_assert_str_eq(p->name, "a-name-that-is-longer-than-32-b");
}
END_TEST

START_TEST(create_fails_without_address_space)
{
	fake_fail_partition_init = true;
	ck_assert_ptr_null(partition_create("nompt", 0));
	ck_assert_ptr_nonnull(strstr(fake_console, "no memory"));
	/* the slot is still free */
	ck_assert_int_eq(partition_at(0)->state, HV_PARTITION_FREE);
	ck_assert_ptr_nonnull(partition_create("next", 0));
}
END_TEST

static void expect_mapped(struct hv_partition *p, u64 gpa, u64 want)
{
	u64 hpa;
	bool writable;

	ck_assert(fake_npt_lookup(p, gpa, &hpa, &writable));
	ck_assert_uint_eq(hpa, want);
	ck_assert(writable);
}

START_TEST(give_memory)
{
	struct hv_partition *p = partition_create("m", 0);
	u64 tables = p->pool.pages, hpa;
	bool writable;

	ck_assert_int_ne(partition_map_ram(p, 0, ram, 0), 0);
	ck_assert_int_ne(partition_map_ram(p, 0, ram, PAGE_SIZE + 8), 0);
	ck_assert_int_ne(partition_map_ram(p, 0, ram, 100), 0);
	ck_assert(!fake_npt_lookup(p, 0, &hpa, &writable));
	ck_assert_uint_eq(p->pool.pages, tables);
	fake_fail_map = true;
	ck_assert_int_ne(partition_map_ram(p, 0, ram, FX_RAM_SIZE), 0);
	ck_assert_uint_eq(p->mem.extent_count, 0);
	ck_assert_uint_eq(p->mem.ram_size, 0);

	ck_assert_int_eq(partition_map_ram(p, 0, ram, FX_RAM_SIZE), 0);
	ck_assert_ptr_eq(partition_gpa_to_host(p, 0, FX_RAM_SIZE), ram);
	ck_assert_uint_eq(p->mem.ram_size, FX_RAM_SIZE);
	expect_mapped(p, 0, (uintptr_t)ram);
	expect_mapped(p, FX_RAM_SIZE - PAGE_SIZE,
		      (uintptr_t)ram + FX_RAM_SIZE - PAGE_SIZE);
	ck_assert(!fake_npt_lookup(p, FX_RAM_SIZE, &hpa, &writable));
	/* once only */
	ck_assert_int_ne(partition_map_ram(p, 0, ram, FX_RAM_SIZE), 0);
	ck_assert_uint_eq(p->mem.extent_count, 1);
}
END_TEST

/* The fake NPT refuses overlaps, like the real one. */
START_TEST(fake_npt_refuses_overlap)
{
	struct hv_partition *p = partition_create("m", 0);

	ck_assert_int_eq(arch_map_gpa(p, 0x10000, 0x200000, 0x4000, true), 0);
	ck_assert_int_ne(arch_map_gpa(p, 0x13000, 0x300000, 0x1000, true), 0);
	ck_assert_int_ne(arch_map_gpa(p, 0xF000, 0x300000, 0x2000, true), 0);
	ck_assert_int_ne(arch_map_gpa(p, 0, 0x300000, ~0ull & PAGE_MASK, true),
			 0);
	ck_assert_int_ne(arch_map_gpa(p, 0x20001, 0x300000, 0x1000, true), 0);
	ck_assert_int_eq(arch_map_gpa(p, 0x14000, 0x300000, 0x1000, true), 0);
	ck_assert_int_eq(arch_map_gpa(p, 0xF000, 0x300000, 0x1000, true), 0);
}
END_TEST

START_TEST(create_vp_and_start)
{
	struct hv_partition *p = partition_create("v", 0);
	struct hv_vp_boot_state boot = {
		.rip = 0x1234, .rsp = 0x8000, .rdi = 0x7000, .cr3 = 0x9000};
	struct hv_vp *vp;

	fake_fail_vp_init = true;
	ck_assert_ptr_null(partition_create_vp(p, &boot));
	ck_assert_uint_eq(p->vp_count, 0);
	vp = partition_create_vp(p, &boot);
	ck_assert_ptr_eq(vp, &p->vps[0]);
	ck_assert_ptr_eq(vp->partition, p);
	ck_assert_uint_eq(vp->index, 0);
	ck_assert_uint_eq(p->vp_count, 1);
	ck_assert_int_eq(vp->state, HV_VP_STOPPED);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RIP), 0x1234);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RSP), 0x8000);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RDI), 0x7000);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_CR3), 0x9000);
	/* HV_MAX_VPS per partition */
	for (u32 i = 1; i < HV_MAX_VPS; i++)
		ck_assert_ptr_nonnull(partition_create_vp(p, &boot));
	ck_assert_ptr_null(partition_create_vp(p, &boot));
	ck_assert_uint_eq(p->vp_count, HV_MAX_VPS);

	partition_start(p);
	ck_assert_int_eq(p->state, HV_PARTITION_RUNNING);
	ck_assert_int_eq(vp->state, HV_VP_RUNNABLE);
}
END_TEST

START_TEST(stop_once)
{
	struct hv_partition *p = fx_partition("s", 0);

	partition_stop(p, false, 7, "first %d", 1);
	ck_assert_int_eq(p->state, HV_PARTITION_STOPPED);
	ck_assert_int_eq(p->vps[0].state, HV_VP_STOPPED);
	ck_assert(!p->clean_exit);
	ck_assert_uint_eq(p->exit_status, 7);
	ck_assert_str_eq(p->stop_reason, "first 1");
	ck_assert_ptr_nonnull(strstr(fake_console, "'s' stopped: first 1"));
	/* a second stop changes nothing */
	partition_stop(p, true, 0, "second");
	ck_assert_str_eq(p->stop_reason, "first 1");
	ck_assert(!p->clean_exit);
	ck_assert_uint_eq(p->exit_status, 7);
	/* an over-long reason is truncated, terminated */
	{
		struct hv_partition *q = fx_partition("t", 0);
		char longer[400];

		memset(longer, 'r', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = 0;
		partition_stop(q, true, 0, "%s", longer);
		ck_assert_uint_eq(strlen(q->stop_reason),
				  sizeof(q->stop_reason) - 1);
	}
}
END_TEST

START_TEST(fault_dumps_registers)
{
	struct hv_partition *p = fx_partition("f", 0);
	struct hv_vp *vp = &p->vps[0];

	arch_vp_set_reg(vp, HV_REG_RIP, 0xDEADBEEF);
	arch_vp_set_reg(vp, HV_REG_R15, 0x1515151515151515ull);
	partition_fault(vp, "triple fault");
	ck_assert_int_eq(p->state, HV_PARTITION_STOPPED);
	ck_assert(!p->clean_exit);
	ck_assert_str_eq(p->stop_reason,
			 "triple fault at RIP 0xdeadbeef (VP 0)");
	ck_assert_ptr_nonnull(strstr(fake_console, "r15=1515151515151515"));
	ck_assert_ptr_nonnull(strstr(fake_console, "efer="));
}
END_TEST

START_TEST(gpa_to_host_bounds)
{
	struct hv_partition *p = fx_partition("g", 0);
	u8 *r = partition_gpa_to_host(p, 0, FX_RAM_SIZE);
	const u64 n = FX_RAM_SIZE;

	ck_assert_ptr_eq(partition_gpa_to_host(p, 0, n), r);
	ck_assert_ptr_eq(partition_gpa_to_host(p, 0, 1), r);
	ck_assert_ptr_eq(partition_gpa_to_host(p, n - 1, 1), r + n - 1);
	ck_assert_ptr_eq(partition_gpa_to_host(p, n - 8, 8), r + n - 8);
	ck_assert_ptr_eq(partition_gpa_to_host(p, 0x1000, n - 0x1000),
			 r + 0x1000);
	ck_assert_ptr_eq(partition_gpa_to_host(p, 0, 0), r);
	ck_assert_ptr_null(partition_gpa_to_host(p, 0, n + 1));
	ck_assert_ptr_null(partition_gpa_to_host(p, n - 8, 9));
	ck_assert_ptr_null(partition_gpa_to_host(p, n, 0));
	ck_assert_ptr_null(partition_gpa_to_host(p, n, 1));
	ck_assert_ptr_null(partition_gpa_to_host(p, 0x1000, n));
	/* overflow of gpa + size */
	ck_assert_ptr_null(partition_gpa_to_host(p, 8, UINT64_MAX));
	ck_assert_ptr_null(partition_gpa_to_host(p, 1, UINT64_MAX - 0));
	ck_assert_ptr_null(partition_gpa_to_host(p, 0, UINT64_MAX));
	ck_assert_ptr_null(partition_gpa_to_host(p, UINT64_MAX, 1));
	ck_assert_ptr_null(partition_gpa_to_host(p, UINT64_MAX - 7, 16));
	ck_assert_ptr_null(partition_gpa_to_host(p, UINT64_MAX - 7, 8));
	ck_assert_ptr_null(partition_gpa_to_host(p, 1ull << 63, 1ull << 63));
	ck_assert_ptr_null(partition_gpa_to_host(p, 0 - n, n));
	/* a partition without memory has none */
	{
		struct hv_partition *q = partition_create("empty", 0);

		ck_assert_ptr_null(partition_gpa_to_host(q, 0, 1));
		ck_assert_ptr_null(partition_gpa_to_host(q, 0, 0));
		ck_assert_uint_eq(gpa_type(q, 0), 0);
	}
}
END_TEST

START_TEST(memmap_types)
{
	struct hv_partition *p = fx_partition("t", 0); /* see fixture.h */
	u32 count;

	ck_assert_uint_eq(p->mem.memmap_count, 4);
	ck_assert_uint_eq(gpa_type(p, 0), VNR_MEM_RAM);
	ck_assert_uint_eq(gpa_type(p, 0x1FFF), VNR_MEM_RAM);
	ck_assert_uint_eq(gpa_type(p, 0x2000), VNR_MEM_IMAGE);
	ck_assert_uint_eq(gpa_type(p, 0x3FFF), VNR_MEM_IMAGE);
	ck_assert_uint_eq(gpa_type(p, 0x4000), VNR_MEM_RAM);
	ck_assert_uint_eq(gpa_type(p, 0xE000), VNR_MEM_BOOT_TABLES);
	ck_assert_uint_eq(gpa_type(p, FX_RAM_SIZE - 1), VNR_MEM_BOOT_TABLES);
	ck_assert_uint_eq(gpa_type(p, FX_RAM_SIZE), 0);
	ck_assert_uint_eq(gpa_type(p, UINT64_MAX), 0);
	/* later entries win; entries reaching to 2^64 do not wrap */
	ck_assert_int_eq(partition_add_memmap(p, 0x5000, 0x1000, VNR_MEM_IMAGE),
			 0);
	ck_assert_uint_eq(gpa_type(p, 0x5000), VNR_MEM_IMAGE);
	ck_assert_uint_eq(gpa_type(p, 0x6000), VNR_MEM_RAM);
	ck_assert_int_eq(partition_add_memmap(p, 0x8000, UINT64_MAX,
					      VNR_MEM_BOOT_TABLES),
			 0);
	ck_assert_uint_eq(gpa_type(p, 0x7FFF), VNR_MEM_RAM);
	ck_assert_uint_eq(gpa_type(p, 0x8000), VNR_MEM_BOOT_TABLES);
	/* an empty range is omitted, as the boot protocol says */
	count = p->mem.memmap_count;
	ck_assert_int_eq(partition_add_memmap(p, 0x9000, 0, VNR_MEM_IMAGE), 0);
	ck_assert_uint_eq(p->mem.memmap_count, count);
	/* the map holds HV_MAX_MEMMAP entries */
	while (p->mem.memmap_count < HV_MAX_MEMMAP)
		ck_assert_int_eq(
			partition_add_memmap(p, 0, 0x1000, VNR_MEM_RAM), 0);
	ck_assert_int_ne(partition_add_memmap(p, 0, 0x1000, VNR_MEM_IMAGE), 0);
	ck_assert_uint_eq(p->mem.memmap_count, HV_MAX_MEMMAP);
	ck_assert_uint_eq(p->mem.memmap[4].reserved, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("partition");
	TCase *tc = tcase_create("partition");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_fills_slots);
	tcase_add_test(tc, create_truncates_name);
	tcase_add_test(tc, create_fails_without_address_space);
	tcase_add_test(tc, give_memory);
	tcase_add_test(tc, fake_npt_refuses_overlap);
	tcase_add_test(tc, create_vp_and_start);
	tcase_add_test(tc, stop_once);
	tcase_add_test(tc, fault_dumps_registers);
	tcase_add_test(tc, gpa_to_host_bounds);
	tcase_add_test(tc, memmap_types);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
