// SPDX-License-Identifier: MIT
/*
 * Synthetic MSRs read back what they should, and forbidden accesses raise
 * #GP in the guest (sdk/include/veneer/msr.h).
 *
 * Assumes that REFERENCE_TIME, like VP_INDEX, is read-only and counts the
 * same 100 ns ticks as the REFERENCE_TIME hypercall.
 */
#include <vnr_test.h>

#define MSR_INSN_LEN	  2 /* rdmsr and wrmsr are 0F 32 and 0F 30 */
#define GUEST_OS_ID_VALUE 0x8000564E52000001ull

static vnr_u64 gp_error;

static int rdmsr_fault(vnr_u32 msr)
{
	vnr_test_catch(VNR_EXC_GP, MSR_INSN_LEN);
	vnr_rdmsr(msr);
	return vnr_test_caught(&gp_error);
}

static int wrmsr_fault(vnr_u32 msr, vnr_u64 value)
{
	vnr_test_catch(VNR_EXC_GP, MSR_INSN_LEN);
	vnr_wrmsr(msr, value);
	return vnr_test_caught(&gp_error);
}

static void check_reads(void)
{
	vnr_u64 page = vnr_gpa(vnr_hypercall_page) | VNR_HYPERCALL_ENABLE;
	vnr_u64 before, ticks, after;

	VNR_EXPECT_EQ(vnr_rdmsr(VNR_MSR_VP_INDEX), 0);
	VNR_EXPECT_EQ(vnr_rdmsr(VNR_MSR_HYPERCALL), page);
	vnr_wrmsr(VNR_MSR_GUEST_OS_ID, GUEST_OS_ID_VALUE);
	VNR_EXPECT_EQ(vnr_rdmsr(VNR_MSR_GUEST_OS_ID), GUEST_OS_ID_VALUE);
	before = vnr_rdmsr(VNR_MSR_REFERENCE_TIME);
	ticks = vnr_reference_time();
	after = vnr_rdmsr(VNR_MSR_REFERENCE_TIME);
	VNR_EXPECT(before <= ticks);
	VNR_EXPECT(ticks <= after);
}

static void check_read_only(void)
{
	VNR_EXPECT_EQ(wrmsr_fault(VNR_MSR_VP_INDEX, 0), VNR_EXC_GP);
	VNR_EXPECT_EQ(gp_error, 0);
	VNR_EXPECT_EQ(wrmsr_fault(VNR_MSR_VP_INDEX, 5), VNR_EXC_GP);
	VNR_EXPECT_EQ(vnr_rdmsr(VNR_MSR_VP_INDEX), 0);
	VNR_EXPECT_EQ(wrmsr_fault(VNR_MSR_REFERENCE_TIME, 0), VNR_EXC_GP);
}

static void check_unlisted(void)
{
	VNR_EXPECT_EQ(rdmsr_fault(0x400000F0), VNR_EXC_GP);
	VNR_EXPECT_EQ(gp_error, 0);
	VNR_EXPECT_EQ(wrmsr_fault(0x400000F0, 1), VNR_EXC_GP);
	VNR_EXPECT_EQ(rdmsr_fault(VNR_MSR_REFERENCE_TSC_PAGE + 1), VNR_EXC_GP);
	VNR_EXPECT_EQ(rdmsr_fault(VNR_MSR_RANGE_LAST), VNR_EXC_GP);
}

static void check_hypercall_reserved(void)
{
	vnr_u64 page = vnr_gpa(vnr_hypercall_page) | VNR_HYPERCALL_ENABLE;

	VNR_EXPECT_EQ(wrmsr_fault(VNR_MSR_HYPERCALL, page | 0x2), VNR_EXC_GP);
	VNR_EXPECT_EQ(wrmsr_fault(VNR_MSR_HYPERCALL, page | 0x800), VNR_EXC_GP);
	VNR_EXPECT_EQ(wrmsr_fault(VNR_MSR_HYPERCALL,
				  page | VNR_HYPERCALL_RESERVED_MASK),
		      VNR_EXC_GP);
	/* The refused writes changed nothing. */
	VNR_EXPECT_EQ(vnr_rdmsr(VNR_MSR_HYPERCALL), page);
	VNR_EXPECT_EQ(vnr_null_call(), VNR_STATUS_SUCCESS);
}

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	vnr_test_begin("t_msr");
	check_reads();
	check_read_only();
	check_unlisted();
	check_hypercall_reserved();
	return vnr_test_done();
}
