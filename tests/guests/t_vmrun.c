// SPDX-License-Identifier: MIT
/* A partition cannot use SVM itself: VMRUN raises #UD. */
#include <vnr_test.h>

#define MSR_EFER       0xC0000080u
#define VMRUN_INSN_LEN 3 /* 0F 01 D8 */

/* A would-be VMCB, so that nothing but the intercept can refuse VMRUN. */
static char vmcb[VNR_PAGE_SIZE] __attribute__((aligned(VNR_PAGE_SIZE)));

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	vnr_test_begin("t_vmrun");
	vnr_test_note("EFER reads 0x%lx", vnr_rdmsr(MSR_EFER));
	vnr_test_catch(VNR_EXC_UD, VMRUN_INSN_LEN);
	asm volatile("vmrun" : : "a"(vnr_gpa(vmcb)) : "memory");
	VNR_EXPECT_EQ(vnr_test_caught(NULL), VNR_EXC_UD);
	return vnr_test_done();
}
