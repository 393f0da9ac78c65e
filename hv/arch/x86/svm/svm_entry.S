/* SPDX-License-Identifier: MIT */
/*
 * svm_vmrun(RDI = u64 *regs, RSI = guest_vmcb_pa, RDX = host_vmcb_pa,
 *           RCX = set_gif)
 *
 * Not a C function: it returns with every general register but RSP and
 * RBP changed, and its only caller (svm_enter_guest in svm_internal.h)
 * tells the compiler so, which then saves just the registers it needs.
 *
 * The host VMCB holds the state VMSAVE took once at start-up (the
 * hypervisor never changes it); VMLOAD restores it after each exit.
 *
 * Loads the guest's general registers (regs[] by enum hv_reg; RAX and
 * RSP live in the VMCB),
 * runs it, and saves them back.
 *
 * Interrupts: the host runs with IF clear.  GIF is cleared first, then IF
 * set, so a host interrupt arriving while the guest runs causes an
 * intercepted exit (V_INTR_MASKING) rather than being delivered here;
 * after the exit IF is cleared again before GIF is set.  With set_gif 0
 * (root mode) GIF stays clear after the exit: the root's interrupts and
 * NMIs, which it takes itself, wait for its next entry.
 */
	.text
	.globl svm_vmrun
svm_vmrun:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rcx		/* set GIF after the exit */
	pushq %rdx		/* host VMCB */
	pushq %rdi		/* guest GPRs */

	movq %rsi, %rax		/* guest VMCB: RAX for VMLOAD/VMRUN/VMSAVE */

	movq 8*1(%rdi), %rbx
	movq 8*2(%rdi), %rcx
	movq 8*3(%rdi), %rdx
	movq 8*4(%rdi), %rsi
	movq 8*6(%rdi), %rbp
	movq 8*8(%rdi), %r8
	movq 8*9(%rdi), %r9
	movq 8*10(%rdi), %r10
	movq 8*11(%rdi), %r11
	movq 8*12(%rdi), %r12
	movq 8*13(%rdi), %r13
	movq 8*14(%rdi), %r14
	movq 8*15(%rdi), %r15
	movq 8*5(%rdi), %rdi

	clgi
	sti
	vmload %rax
	vmrun %rax
	vmsave %rax
	cli

	pushq %rdi
	movq 8(%rsp), %rdi	/* guest GPRs */
	movq %rbx, 8*1(%rdi)
	movq %rcx, 8*2(%rdi)
	movq %rdx, 8*3(%rdi)
	movq %rsi, 8*4(%rdi)
	popq 8*5(%rdi)
	movq %rbp, 8*6(%rdi)
	movq %r8, 8*8(%rdi)
	movq %r9, 8*9(%rdi)
	movq %r10, 8*10(%rdi)
	movq %r11, 8*11(%rdi)
	movq %r12, 8*12(%rdi)
	movq %r13, 8*13(%rdi)
	movq %r14, 8*14(%rdi)
	movq %r15, 8*15(%rdi)

	popq %rdi
	popq %rax		/* host VMCB */
	vmload %rax
	popq %rcx
	testq %rcx, %rcx
	jz 1f
	stgi
1:	popq %rbp
	ret

	.section .note.GNU-stack,"",@progbits
