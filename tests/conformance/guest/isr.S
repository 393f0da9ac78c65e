/* SPDX-License-Identifier: MIT */
/*
 * Interrupt entry of the conformance guest: one stub per exception vector
 * and one for the SINT vector, all into trap_entry(), which gets a
 * struct trap_frame and may move RIP past a probed instruction.
 */
#include "vectors.h"

	.text
	.code64

	.altmacro
/*
 * Exception stubs: the processor pushes an error code for vectors 8,
 * 10-14, 17, 21, 29 and 30; the others push 0 in its place so that every
 * frame has the same layout.
 */
.macro stub vec
	.balign 16
isr_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm
.macro address vec
	.quad isr_\vec
.endm

	.set vec, 0
	.rept 32
	stub %vec
	.set vec, vec + 1
	.endr

	.balign 16
isr_sint_entry:
	pushq $0
	pushq $SINT_VECTOR
	jmp isr_common

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
	/* 15 registers + vector, error code and the 40-byte frame: 16-aligned. */
	movq %rsp, %rdi
	cld
	call trap_entry
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

	/* The stubs' addresses, for the IDT (idt.c). */
	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	.set vec, 0
	.rept 32
	address %vec
	.set vec, vec + 1
	.endr
	.globl isr_sint
isr_sint:
	.quad isr_sint_entry

	.section .note.GNU-stack, "", @progbits
