/* SPDX-License-Identifier: MIT */
/*
 * arch_enter_hypervisor(struct hv_boot_info *bi, void *stack_top):
 * moves onto the hypervisor's own stack and calls hv_main(bi), which
 * never returns.  The zero frame pointer ends crash-report backtraces.
 * Interrupts go off first: in root mode the firmware's are still armed,
 * and from here on they are the root's, taken only while it runs.
 */
	.text
	.globl arch_enter_hypervisor
arch_enter_hypervisor:
	cli
	movq %rsi, %rsp
	xorl %ebp, %ebp
	call hv_main
1:	cli
	hlt
	jmp 1b

	.section .note.GNU-stack,"",@progbits
