/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry stubs: each pushes its vector (and a zero
 * where the CPU pushes no error code) and joins one common path that saves
 * the general registers as a struct interrupt_frame.
 */
	.text

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %rsp, %rbx		/* callee-saved: the frame across the call */
	andq $-16, %rsp
	cld
	call interrupt_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

/*
 * One 16-byte stub per vector, so the IDT entry of vector v is
 * isr_stubs + 16 * v.  Vectors 8, 10-14, 17, 21, 29 and 30 push an error
 * code; the others push a zero in its place.
 */
	.align 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

	.section .note.GNU-stack,"",@progbits
