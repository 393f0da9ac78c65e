/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of libvnr's boot region builder (sdk/libvnr/src/boot_layout.c)
 * and partition name rule (sdk/libvnr/src/name.c), against the layout
 * <veneer/boot.h> publishes.
 */
#include <check.h>

#include "fixture.h"
#include <string.h>

#include <libvnr/boot_layout.h>
#include <libvnr/name.h>

/* The boot region of the partition under test: no write lands elsewhere. */
static u8 region[VNR_BOOT_REGION_SIZE];
static u64 region_base;
static u32 writes;

static int write_region(void *ctx, u64 gpa, const void *src, u64 len)
{
	(void)ctx;
	ck_assert_uint_ge(gpa, region_base);
	ck_assert_uint_le(len, sizeof(region) - (gpa - region_base));
	/* No write crosses a page: a writer may make one call a page. */
	ck_assert_uint_le((gpa & (PAGE_SIZE - 1)) + len, PAGE_SIZE);
	writes++;
	memcpy(region + (gpa - region_base), src, len);
	return 0;
}

static void build(u64 size, struct vnr_boot_layout *layout)
{
	struct vnr_gpa_writer w = {write_region, NULL};

	memset(region, 0, sizeof(region));
	region_base = size - VNR_BOOT_REGION_SIZE;
	writes = 0;
	ck_assert_int_eq(vnr_boot_layout_build(size, &w, layout), 0);
}

static u64 entry_at(u64 gpa)
{
	u64 v;

	ck_assert_uint_ge(gpa, region_base);
	ck_assert_uint_lt(gpa - region_base, sizeof(region));
	memcpy(&v, region + (gpa - region_base), sizeof(v));
	return v;
}

/* What the page tables map va to, walked as the CPU walks them. */
static bool walk(u64 cr3, u64 va, u64 *pa)
{
	const u64 table = VNR_BOOT_PTE_PRESENT | VNR_BOOT_PTE_WRITABLE;
	u64 e = entry_at(cr3 + ((va >> 39) & 511) * 8);

	if ((e & table) != table)
		return false;
	e = entry_at((e & ~0xfffull) + ((va >> 30) & 511) * 8);
	if ((e & table) != table)
		return false;
	e = entry_at((e & ~0xfffull) + ((va >> 21) & 511) * 8);
	if ((e & (table | VNR_BOOT_PTE_LARGE)) != (table | VNR_BOOT_PTE_LARGE))
		return false;
	*pa = (e & ~(MiB(2) - 1) & ~(1ull << 63)) + (va & (MiB(2) - 1));
	return true;
}

START_TEST(layout_follows_the_public_constants)
{
	struct vnr_boot_layout l;
	u64 boot = MiB(64) - VNR_BOOT_REGION_SIZE;

	build(MiB(64), &l);
	ck_assert_uint_eq(l.boot_region, boot);
	ck_assert_uint_eq(l.pml4, boot + VNR_BOOT_PML4_PAGE * PAGE_SIZE);
	ck_assert_uint_eq(l.gdt, boot + VNR_BOOT_GDT_PAGE * PAGE_SIZE);
	ck_assert_uint_eq(l.start_info,
			  boot + VNR_BOOT_START_INFO_PAGE * PAGE_SIZE);
	ck_assert_uint_eq(l.stack_top, MiB(64));
	/* The stack below the top of RAM leaves the tables alone. */
	ck_assert_uint_le(l.start_info + sizeof(struct vnr_start_info),
			  l.stack_top - VNR_BOOT_STACK_SIZE);
	ck_assert_uint_le(VNR_BOOT_PD_PAGE + VNR_BOOT_PD_COUNT,
			  VNR_BOOT_GDT_PAGE);
}
END_TEST

START_TEST(gdt_has_the_boot_selectors)
{
	struct vnr_boot_layout l;

	build(MiB(2) * 3, &l);
	ck_assert_uint_eq(entry_at(l.gdt), 0);
	ck_assert_uint_eq(entry_at(l.gdt + VNR_BOOT_SELECTOR_CODE64),
			  VNR_BOOT_GDT_CODE64);
	ck_assert_uint_eq(entry_at(l.gdt + VNR_BOOT_SELECTOR_DATA),
			  VNR_BOOT_GDT_DATA);
	ck_assert_uint_eq(VNR_BOOT_GDT_LIMIT + 1, 3 * 8);
}
END_TEST

static void expect_same_layout(const struct vnr_boot_layout *a,
			       const struct vnr_boot_layout *b)
{
	ck_assert_uint_eq(a->boot_region, b->boot_region);
	ck_assert_uint_eq(a->pml4, b->pml4);
	ck_assert_uint_eq(a->gdt, b->gdt);
	ck_assert_uint_eq(a->start_info, b->start_info);
	ck_assert_uint_eq(a->stack_top, b->stack_top);
	ck_assert_uint_eq(a->gdt_limit, b->gdt_limit);
	ck_assert_uint_eq(a->code_selector, b->code_selector);
	ck_assert_uint_eq(a->data_selector, b->data_selector);
}

/* A Linux kernel's GDT: the boot protocol's selectors, nothing at 0x08. */
START_TEST(linux_gdt_has_boot_cs_and_ds)
{
	struct vnr_gpa_writer w = {write_region, NULL};
	struct vnr_boot_layout l, plan;

	memset(region, 0, sizeof(region));
	region_base = MiB(8) - VNR_BOOT_REGION_SIZE;
	ck_assert_int_eq(
		vnr_boot_layout_build_for(MiB(8), VNR_BOOT_GDT_LINUX, &w, &l),
		0);
	ck_assert_uint_eq(l.gdt, region_base + VNR_BOOT_GDT_PAGE * PAGE_SIZE);
	ck_assert_uint_eq(l.gdt_limit, 31);
	ck_assert_uint_eq(l.code_selector, 0x10);
	ck_assert_uint_eq(l.data_selector, 0x18);
	ck_assert_uint_eq(entry_at(l.gdt), 0);
	ck_assert_uint_eq(entry_at(l.gdt + 0x08), 0);
	ck_assert_uint_eq(entry_at(l.gdt + 0x10), VNR_BOOT_GDT_CODE64);
	ck_assert_uint_eq(entry_at(l.gdt + 0x18), VNR_BOOT_GDT_DATA);
	ck_assert_uint_eq(entry_at(l.gdt + 0x20), 0);
	/* The plan is what the build makes. */
	vnr_boot_layout_plan(MiB(8), VNR_BOOT_GDT_LINUX, &plan);
	expect_same_layout(&plan, &l);
}
END_TEST

/* A Veneer guest's selectors are in the layout too, as before. */
START_TEST(veneer_layout_names_its_selectors)
{
	struct vnr_boot_layout l, plan;

	build(MiB(8), &l);
	ck_assert_uint_eq(l.gdt_limit, VNR_BOOT_GDT_LIMIT);
	ck_assert_uint_eq(l.code_selector, VNR_BOOT_SELECTOR_CODE64);
	ck_assert_uint_eq(l.data_selector, VNR_BOOT_SELECTOR_DATA);
	ck_assert_uint_eq(entry_at(l.gdt + 0x18), 0); /* nothing past 3 */
	vnr_boot_layout_plan(MiB(8), VNR_BOOT_GDT_VENEER, &plan);
	expect_same_layout(&plan, &l);
}
END_TEST

/* Every 2 MiB page of RAM maps to itself; nothing above RAM is mapped. */
static void check_identity_map(u64 size)
{
	struct vnr_boot_layout l;
	u64 va, pa;

	build(size, &l);
	for (va = 0; va < size; va += MiB(2)) {
		ck_assert_msg(walk(l.pml4, va + 0x1234, &pa), "0x%llx unmapped",
			      (unsigned long long)va);
		ck_assert_uint_eq(pa, va + 0x1234);
	}
	ck_assert(!walk(l.pml4, size, &pa));
	ck_assert(!walk(l.pml4, size + GiB(1), &pa));
}

START_TEST(identity_maps_exactly_ram)
{
	check_identity_map(MiB(2));
	check_identity_map(MiB(6));
	check_identity_map(GiB(1));
	check_identity_map(GiB(1) + MiB(2));
	check_identity_map(GiB(4));
}
END_TEST

START_TEST(one_write_a_table)
{
	struct vnr_boot_layout l;

	/* PML4, PDPT, one directory, the GDT. */
	build(MiB(8), &l);
	ck_assert_uint_eq(writes, 4);
	build(GiB(4), &l);
	ck_assert_uint_eq(writes, 3 + VNR_BOOT_PD_COUNT);
}
END_TEST

static int refuse_second(void *ctx, u64 gpa, const void *src, u64 len)
{
	(void)gpa, (void)src, (void)len;
	return ++*(int *)ctx == 2 ? -3 : 0;
}

START_TEST(stops_at_a_failed_write)
{
	int calls = 0;
	struct vnr_gpa_writer w = {refuse_second, &calls};
	struct vnr_boot_layout l;

	ck_assert_int_eq(vnr_boot_layout_build(MiB(8), &w, &l), -3);
	ck_assert_int_eq(calls, 2);
}
END_TEST

START_TEST(names)
{
	char longest[VNR_NAME_MAX];

	ck_assert(vnr_name_valid("root"));
	ck_assert(vnr_name_valid("a-b_C9"));
	ck_assert(!vnr_name_valid(""));
	ck_assert(!vnr_name_valid("hv"));
	ck_assert(vnr_name_valid("hv2"));
	ck_assert(!vnr_name_valid("a b"));
	ck_assert(!vnr_name_valid("a]"));
	memset(longest, 'x', sizeof(longest));
	longest[VNR_NAME_MAX - 1] = '\0';
	ck_assert(vnr_name_valid(longest));
}
END_TEST

static Suite *boot_layout_suite(void)
{
	Suite *s = suite_create("boot_layout");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, layout_follows_the_public_constants);
	tcase_add_test(tc, gdt_has_the_boot_selectors);
	tcase_add_test(tc, linux_gdt_has_boot_cs_and_ds);
	tcase_add_test(tc, veneer_layout_names_its_selectors);
	tcase_add_test(tc, identity_maps_exactly_ram);
	tcase_add_test(tc, one_write_a_table);
	tcase_add_test(tc, stops_at_a_failed_write);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(boot_layout_suite());
}
