/* SPDX-License-Identifier: MIT */
/*
 * arch_call_resumable(fn, a0, a1, a2, a3): calls fn(a0, a1, a2, a3) and
 * first records where its caller resumes: the return address, the stack
 * pointer after the return, the callee-saved registers and RFLAGS, into
 * x86_root_resume.  In root mode the root partition's first VP starts
 * there, so for the caller the call returns a second time, in the guest
 * (root_cpu.c).  fn is reached by a jump: it returns to the caller itself.
 */
	.text
	.globl arch_call_resumable
arch_call_resumable:
	leaq x86_root_resume(%rip), %rax
	movq (%rsp), %r10
	movq %r10, 0(%rax)	/* rip */
	leaq 8(%rsp), %r10
	movq %r10, 8(%rax)	/* rsp */
	movq %rbx, 16(%rax)
	movq %rbp, 24(%rax)
	movq %r12, 32(%rax)
	movq %r13, 40(%rax)
	movq %r14, 48(%rax)
	movq %r15, 56(%rax)
	pushfq
	popq 64(%rax)		/* rflags */
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %rcx
	jmp *%rax

/*
 * arch_root_boot_services_ended(void): runs in the root, in the image the
 * firmware loaded; the CPUID at x86_root_notice is the hypervisor's sign
 * that the firmware's boot services have ended (root_exit.c).
 */
	.globl arch_root_boot_services_ended
	.globl x86_root_notice
arch_root_boot_services_ended:
	pushq %rbx
	xorl %eax, %eax
	xorl %ecx, %ecx
x86_root_notice:
	cpuid
	popq %rbx
	ret

	.section .note.GNU-stack,"",@progbits
