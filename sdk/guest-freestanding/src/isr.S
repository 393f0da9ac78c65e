/* SPDX-License-Identifier: MIT */
/*
 * Entry stubs for all 256 vectors: exceptions (0-31) and interrupts
 * (32-255).
 *
 * Vector v starts at vnr_isr_stubs + 16 * v; every frame has the layout of
 * struct vnr_exception_frame (libvnr/x86/isr_stubs.inc).
 */
#include <libvnr/x86/isr_stubs.inc>

	.text
	.code64

	.balign 16
	.globl vnr_isr_stubs
vnr_isr_stubs:
	VNR_ISR_STUBS isr_common

/*
 * The CPU aligns RSP to 16 before pushing its 5-word frame; with the error
 * code, the vector and 15 registers on top (22 words) RSP is aligned again
 * at the call.
 */
isr_common:
	VNR_PUSH_GPRS
	cld
	movq %rsp, %rdi
	call vnr_exception_dispatch
	VNR_POP_GPRS
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
