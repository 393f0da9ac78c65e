/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry stubs: each pushes its vector (and a zero
 * where the CPU pushes no error code) and joins one common path that saves
 * the general registers as a struct interrupt_frame.
 */
#include <libvnr/x86/isr_stubs.inc>

	.text

isr_common:
	VNR_PUSH_GPRS
	movq %rsp, %rdi
	movq %rsp, %rbx		/* callee-saved: the frame across the call */
	andq $-16, %rsp
	cld
	call interrupt_dispatch
	movq %rbx, %rsp
	VNR_POP_GPRS
	addq $16, %rsp		/* vector and error code */
	iretq

/* The IDT entry of vector v is isr_stubs + 16 * v. */
	.align 16
	.globl isr_stubs
isr_stubs:
	VNR_ISR_STUBS isr_common

	.section .note.GNU-stack,"",@progbits
