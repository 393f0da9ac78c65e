/* SPDX-License-Identifier: MIT */
/*
 * The MSRs the hypervisor emulates (hv/arch/x86/guest_msr.c), built hosted
 * against a fake vendor layer that keeps a VP's registers in the fake
 * arch's register file and its PAT here.  Each emulated MSR reads and
 * writes as documented; every access the CPU would refuse, and every MSR
 * not emulated, raises #GP (guest_rdmsr/guest_wrmsr return false) and
 * changes nothing.
 */
#include <check.h>
#include <string.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/guest.h"
#include "fixture.h"

#define BOOT_EFER  (EFER_LME | EFER_LMA | EFER_NXE)
#define CR0_PG	   (1ull << 31)
#define BOOT_CR0   0x80010033ull /* PE MP ET NE WP PG */
#define PAT_RESET  0x0007040600070406ull
#define PAGE_GPA   0x5000ull   /* in the fixture's RAM */
#define OUTSIDE	   0x100000ull /* beyond the fixture's RAM */
#define MSR_STAR   0xC0000081u /* passed through: never emulated */
#define MSR_UNUSED 0x40000050u /* in the synthetic range, not defined */

/* The fake vendor layer guest_msr.c is built against. */
static u64 fake_pat;
static u8 *fake_hypercall_page;
static u32 fake_hypercall_fills;

u64 vendor_get_pat(struct hv_vp *vp)
{
	(void)vp;
	return fake_pat;
}

void vendor_set_pat(struct hv_vp *vp, u64 pat)
{
	(void)vp;
	fake_pat = pat;
}

void vendor_hypercall_code(u8 *page)
{
	fake_hypercall_page = page;
	fake_hypercall_fills++;
	page[0] = 0xCC;
}

static struct hv_partition *p;
static struct hv_vp *vp;

static void setup(void)
{
	fx_reset();
	p = fx_partition("msr", 0);
	vp = &p->vps[0];
	arch_vp_set_reg(vp, HV_REG_CR0, BOOT_CR0);
	arch_vp_set_reg(vp, HV_REG_EFER, BOOT_EFER);
	fake_pat = PAT_RESET;
	fake_hypercall_page = NULL;
	fake_hypercall_fills = 0;
}

static u64 rd(u32 msr)
{
	u64 value = 0;

	ck_assert_msg(guest_rdmsr(vp, msr, &value), "RDMSR 0x%x faulted", msr);
	return value;
}

static bool rd_faults(u32 msr)
{
	u64 value;

	return !guest_rdmsr(vp, msr, &value);
}

START_TEST(tsc_reads_the_counter_and_refuses_writes)
{
	u64 a = rd(MSR_TSC), b = rd(MSR_TSC);

	ck_assert_uint_gt(a, 0);
	ck_assert_uint_ge(b, a);
	ck_assert(!guest_wrmsr(vp, MSR_TSC, 0));
}
END_TEST

/* What the root of root mode may write is refused to every partition. */
START_TEST(root_only_msrs_fault_for_partitions)
{
	ck_assert(!guest_wrmsr(vp, MSR_APIC_BASE, 0xFEE00900));
	ck_assert(!guest_wrmsr(vp, MSR_X2APIC_ICR, 0x500));
	ck_assert(rd_faults(MSR_X2APIC_ICR));
	ck_assert(rd_faults(MSR_APIC_BASE));
}
END_TEST

START_TEST(efer_reads_the_guest_value)
{
	ck_assert_uint_eq(rd(MSR_EFER), BOOT_EFER);
}
END_TEST

START_TEST(efer_sce_and_nxe_are_writable)
{
	ck_assert(guest_wrmsr(vp, MSR_EFER, BOOT_EFER | EFER_SCE));
	ck_assert_uint_eq(rd(MSR_EFER), BOOT_EFER | EFER_SCE);
	ck_assert(guest_wrmsr(vp, MSR_EFER, EFER_LME | EFER_LMA));
	ck_assert_uint_eq(rd(MSR_EFER), EFER_LME | EFER_LMA);
}
END_TEST

START_TEST(efer_lma_belongs_to_the_cpu)
{
	ck_assert(!guest_wrmsr(vp, MSR_EFER, BOOT_EFER & ~EFER_LMA));
	arch_vp_set_reg(vp, HV_REG_CR0, 0);
	arch_vp_set_reg(vp, HV_REG_EFER, EFER_LME);
	ck_assert(!guest_wrmsr(vp, MSR_EFER, EFER_LME | EFER_LMA));
	ck_assert_uint_eq(rd(MSR_EFER), EFER_LME);
}
END_TEST

START_TEST(efer_lme_changes_only_without_paging)
{
	ck_assert(!guest_wrmsr(vp, MSR_EFER, BOOT_EFER & ~EFER_LME));
	ck_assert_uint_eq(rd(MSR_EFER), BOOT_EFER);
	arch_vp_set_reg(vp, HV_REG_CR0, BOOT_CR0 & ~CR0_PG);
	arch_vp_set_reg(vp, HV_REG_EFER, EFER_NXE);
	ck_assert(guest_wrmsr(vp, MSR_EFER, EFER_NXE | EFER_LME));
	ck_assert_uint_eq(rd(MSR_EFER), EFER_NXE | EFER_LME);
	ck_assert(guest_wrmsr(vp, MSR_EFER, EFER_NXE));
	ck_assert_uint_eq(rd(MSR_EFER), EFER_NXE);
}
END_TEST

/* Each bit outside SCE, LME, LMA and NXE, and one the CPU lacks. */
START_TEST(efer_refuses_bits_the_cpu_does_not_have)
{
	for (u32 bit = 0; bit < 64; bit++) {
		u64 b = 1ull << bit;

		if (b & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
			continue;
		ck_assert_msg(!guest_wrmsr(vp, MSR_EFER, BOOT_EFER | b),
			      "EFER bit %u accepted", bit);
	}
	fake_cpu_limits.efer &= ~EFER_SCE;
	ck_assert(!guest_wrmsr(vp, MSR_EFER, BOOT_EFER | EFER_SCE));
	ck_assert_uint_eq(rd(MSR_EFER), BOOT_EFER);
}
END_TEST

START_TEST(pat_reads_and_writes_the_guest_pat)
{
	ck_assert_uint_eq(rd(MSR_PAT), PAT_RESET);
	ck_assert(guest_wrmsr(vp, MSR_PAT, 0x0706050401000000ull));
	ck_assert_uint_eq(rd(MSR_PAT), 0x0706050401000000ull);
}
END_TEST

/* Types 2, 3 and above 7 are reserved, in any of the eight entries. */
START_TEST(pat_refuses_a_reserved_type_in_any_entry)
{
	static const u8 reserved[] = {2, 3, 8, 0xFF};

	for (u32 entry = 0; entry < 8; entry++)
		for (u32 i = 0; i < ARRAY_SIZE(reserved); i++) {
			u64 pat = PAT_RESET & ~(0xFFull << (8 * entry));

			pat |= (u64)reserved[i] << (8 * entry);
			ck_assert_msg(!guest_wrmsr(vp, MSR_PAT, pat),
				      "PAT 0x%llx accepted",
				      (unsigned long long)pat);
		}
	ck_assert_uint_eq(rd(MSR_PAT), PAT_RESET);
}
END_TEST

START_TEST(guest_os_id_is_kept)
{
	ck_assert_uint_eq(rd(VNR_MSR_GUEST_OS_ID), 0);
	ck_assert(guest_wrmsr(vp, VNR_MSR_GUEST_OS_ID, 0x1234567890ull));
	ck_assert_uint_eq(rd(VNR_MSR_GUEST_OS_ID), 0x1234567890ull);
}
END_TEST

START_TEST(hypercall_enable_fills_the_page)
{
	u64 value = PAGE_GPA | VNR_HYPERCALL_ENABLE;

	ck_assert(guest_wrmsr(vp, VNR_MSR_HYPERCALL, value));
	ck_assert_uint_eq(rd(VNR_MSR_HYPERCALL), value);
	ck_assert_uint_eq(fake_hypercall_fills, 1);
	ck_assert_ptr_eq(fake_hypercall_page, fx_ram(p) + PAGE_GPA);
	ck_assert(guest_wrmsr(vp, VNR_MSR_HYPERCALL, PAGE_GPA));
	ck_assert_uint_eq(rd(VNR_MSR_HYPERCALL), PAGE_GPA);
	ck_assert_uint_eq(fake_hypercall_fills, 1);
}
END_TEST

START_TEST(hypercall_refuses_reserved_bits_and_absent_pages)
{
	ck_assert(!guest_wrmsr(vp, VNR_MSR_HYPERCALL,
			       PAGE_GPA | VNR_HYPERCALL_ENABLE | 0x10));
	ck_assert(!guest_wrmsr(vp, VNR_MSR_HYPERCALL,
			       OUTSIDE | VNR_HYPERCALL_ENABLE));
	ck_assert_uint_eq(rd(VNR_MSR_HYPERCALL), 0);
	ck_assert_uint_eq(fake_hypercall_fills, 0);
}
END_TEST

START_TEST(vp_index_is_read_only)
{
	ck_assert_uint_eq(rd(VNR_MSR_VP_INDEX), vp->index);
	ck_assert(!guest_wrmsr(vp, VNR_MSR_VP_INDEX, 3));
}
END_TEST

START_TEST(reference_time_counts_100ns_and_is_read_only)
{
	fake_tsc = 256 * 1000; /* 1000 ticks of 100 ns at FAKE_TSC_HZ */
	ck_assert_uint_eq(rd(VNR_MSR_REFERENCE_TIME), reftime_now());
	ck_assert_uint_eq(rd(VNR_MSR_REFERENCE_TIME), 1000);
	ck_assert(!guest_wrmsr(vp, VNR_MSR_REFERENCE_TIME, 0));
}
END_TEST

START_TEST(reference_tsc_page_enable_fills_the_page)
{
	const struct vnr_reference_tsc_page *page =
		(const void *)(fx_ram(p) + PAGE_GPA);
	u64 value = PAGE_GPA | VNR_PAGE_MSR_ENABLE;

	ck_assert(guest_wrmsr(vp, VNR_MSR_REFERENCE_TSC_PAGE, value));
	ck_assert_uint_eq(rd(VNR_MSR_REFERENCE_TSC_PAGE), value);
	ck_assert_uint_eq(page->sequence, 1);
	ck_assert_uint_ne(page->tsc_scale, 0);
}
END_TEST

START_TEST(reference_tsc_page_refuses_reserved_bits_and_absent_pages)
{
	ck_assert(!guest_wrmsr(vp, VNR_MSR_REFERENCE_TSC_PAGE,
			       PAGE_GPA | VNR_PAGE_MSR_ENABLE | 0x2));
	ck_assert(!guest_wrmsr(vp, VNR_MSR_REFERENCE_TSC_PAGE,
			       OUTSIDE | VNR_PAGE_MSR_ENABLE));
	ck_assert_uint_eq(rd(VNR_MSR_REFERENCE_TSC_PAGE), 0);
}
END_TEST

START_TEST(synic_msrs_go_to_the_synic)
{
	ck_assert(guest_wrmsr(vp, VNR_MSR_SINT3, 0x40));
	ck_assert_uint_eq(rd(VNR_MSR_SINT3), 0x40);
}
END_TEST

START_TEST(other_msrs_fault)
{
	static const u32 msrs[] = {MSR_APIC_BASE, MSR_VM_CR,  MSR_VM_HSAVE_PA,
				   MSR_STAR,	  MSR_UNUSED, 0xFFFFFFFFu};

	for (u32 i = 0; i < ARRAY_SIZE(msrs); i++) {
		ck_assert_msg(rd_faults(msrs[i]), "RDMSR 0x%x", msrs[i]);
		ck_assert_msg(!guest_wrmsr(vp, msrs[i], 0), "WRMSR 0x%x",
			      msrs[i]);
	}
}
END_TEST

static Suite *guest_msr_suite(void)
{
	Suite *s = suite_create("guest_msr");
	TCase *tc = tcase_create("msr");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tsc_reads_the_counter_and_refuses_writes);
	tcase_add_test(tc, root_only_msrs_fault_for_partitions);
	tcase_add_test(tc, efer_reads_the_guest_value);
	tcase_add_test(tc, efer_sce_and_nxe_are_writable);
	tcase_add_test(tc, efer_lma_belongs_to_the_cpu);
	tcase_add_test(tc, efer_lme_changes_only_without_paging);
	tcase_add_test(tc, efer_refuses_bits_the_cpu_does_not_have);
	tcase_add_test(tc, pat_reads_and_writes_the_guest_pat);
	tcase_add_test(tc, pat_refuses_a_reserved_type_in_any_entry);
	tcase_add_test(tc, guest_os_id_is_kept);
	tcase_add_test(tc, hypercall_enable_fills_the_page);
	tcase_add_test(tc, hypercall_refuses_reserved_bits_and_absent_pages);
	tcase_add_test(tc, vp_index_is_read_only);
	tcase_add_test(tc, reference_time_counts_100ns_and_is_read_only);
	tcase_add_test(tc, reference_tsc_page_enable_fills_the_page);
	tcase_add_test(
		tc, reference_tsc_page_refuses_reserved_bits_and_absent_pages);
	tcase_add_test(tc, synic_msrs_go_to_the_synic);
	tcase_add_test(tc, other_msrs_fault);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(guest_msr_suite());
}
