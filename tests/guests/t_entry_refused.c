// SPDX-License-Identifier: MIT
/*
 * A child built by t_entry_refused_root that makes the next VMRUN fail:
 * it sets CR0.NW without CR0.CD, which the architecture forbids.  A real
 * CPU raises #GP for the MOV (the child then exits with ENTRY_NOT_REFUSED);
 * QEMU's TCG takes the value, so the next entry (after the CPUID exit) is
 * refused and the hypervisor must stop the child naming the child's state.
 */
#include <vnr_test.h>

#define CR0_NW		  (1ul << 29)
#define MOV_CR0_INSN_LEN  3 /* 0F 22 C0 */
#define ENTRY_NOT_REFUSED 0x41

int vnr_main(const struct vnr_start_info *si)
{
	unsigned long cr0;

	(void)si;
	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	vnr_test_catch(VNR_EXC_GP, MOV_CR0_INSN_LEN);
	asm volatile("mov %0, %%cr0" : : "a"(cr0 | CR0_NW) : "memory");
	vnr_cpuid(0, 0);
	return ENTRY_NOT_REFUSED;
}
