/* SPDX-License-Identifier: MIT */
/*
 * Entry stubs for all 256 vectors: exceptions (0-31) and interrupts
 * (32-255).
 *
 * Each stub is 16 bytes long, so that vector v starts at vnr_isr_stubs +
 * 16 * v, and pushes a zero error code where the CPU pushes none, so that
 * every frame has the layout of struct vnr_exception_frame.  Interrupts
 * never push one.
 */
	.text
	.code64

	.balign 16
	.globl vnr_isr_stubs
vnr_isr_stubs:
	.set vector, 0
	.rept 256
1:
	.set has_error, vector == 8 || (vector >= 10 && vector <= 14)
	.set has_error, has_error || vector == 17 || vector == 21
	.set has_error, has_error || vector == 29 || vector == 30
	.ifeq has_error
	pushq $0
	.endif
	pushq $vector
	jmp isr_common
	.org 1b + 16, 0xcc
	.set vector, vector + 1
	.endr

/*
 * The CPU aligns RSP to 16 before pushing its 5-word frame; with the error
 * code, the vector and 15 registers on top (22 words) RSP is aligned again
 * at the call.
 */
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
	cld
	movq %rsp, %rdi
	call vnr_exception_dispatch
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
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
