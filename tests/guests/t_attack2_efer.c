// SPDX-License-Identifier: MIT
/*
 * In long mode with paging on, EFER.LME cannot change: the processor
 * raises #GP for a WRMSR that clears it (AMD64 APM vol. 2, 14.6.1).  The
 * hypervisor emulates the write and only keeps LMA as it is, so a guest
 * can leave itself in long mode with LME clear, a state SET_VP_REGISTERS
 * refuses to a parent.
 */
#include <vnr_test.h>

#define MSR_EFER     0xC0000080u
#define EFER_LME     (1ull << 8)
#define MSR_INSN_LEN 2 /* wrmsr is 0F 30 */

static vnr_u64 gp_error;

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 efer;

	(void)si;
	vnr_test_begin("t_attack2_efer");
	efer = vnr_rdmsr(MSR_EFER);
	VNR_EXPECT(efer & EFER_LME);
	vnr_test_catch(VNR_EXC_GP, MSR_INSN_LEN);
	vnr_wrmsr(MSR_EFER, efer & ~EFER_LME);
	VNR_EXPECT_EQ(vnr_test_caught(&gp_error), VNR_EXC_GP);
	VNR_EXPECT_EQ(vnr_rdmsr(MSR_EFER), efer);
	return vnr_test_done();
}
