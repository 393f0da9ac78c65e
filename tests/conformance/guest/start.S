/* SPDX-License-Identifier: MIT */
/*
 * Entry point of the conformance guest: it saves the processor state the
 * boot protocol defines before any instruction of its own can change it,
 * then calls conformance_main() on the boot stack.  Nothing is cleared or
 * set up here: the checks look at what the hypervisor left.
 */
#include "entry_state.h"

#define SLOT(n) (entry_state + (n) * 8)(%rip)

	.section .text.start, "ax", @progbits
	.code64
	.globl _start
	.type _start, @function
_start:
	/* General-purpose registers first: every later step needs one. */
	movq %rax, SLOT(ES_RAX)
	movq %rbx, SLOT(ES_RBX)
	movq %rcx, SLOT(ES_RCX)
	movq %rdx, SLOT(ES_RDX)
	movq %rsi, SLOT(ES_RSI)
	movq %rdi, SLOT(ES_RDI)
	movq %rbp, SLOT(ES_RBP)
	movq %rsp, SLOT(ES_RSP)
	movq %r8, SLOT(ES_R8 + 0)
	movq %r9, SLOT(ES_R8 + 1)
	movq %r10, SLOT(ES_R8 + 2)
	movq %r11, SLOT(ES_R8 + 3)
	movq %r12, SLOT(ES_R8 + 4)
	movq %r13, SLOT(ES_R8 + 5)
	movq %r14, SLOT(ES_R8 + 6)
	movq %r15, SLOT(ES_R8 + 7)
	pushfq
	popq SLOT(ES_RFLAGS)
	movq %cr0, %rax
	movq %rax, SLOT(ES_CR0)
	movq %cr2, %rax
	movq %rax, SLOT(ES_CR2)
	movq %cr3, %rax
	movq %rax, SLOT(ES_CR3)
	movq %cr4, %rax
	movq %rax, SLOT(ES_CR4)
	movq %cr8, %rax
	movq %rax, SLOT(ES_CR8)
	movq %db0, %rax
	movq %rax, SLOT(ES_DR0 + 0)
	movq %db1, %rax
	movq %rax, SLOT(ES_DR0 + 1)
	movq %db2, %rax
	movq %rax, SLOT(ES_DR0 + 2)
	movq %db3, %rax
	movq %rax, SLOT(ES_DR0 + 3)
	movq %db6, %rax
	movq %rax, SLOT(ES_DR6)
	movq %db7, %rax
	movq %rax, SLOT(ES_DR7)
	/* Selectors: 16-bit stores into slots that start as zero. */
	movw %cs, SLOT(ES_CS)
	movw %ds, SLOT(ES_DS)
	movw %es, SLOT(ES_ES)
	movw %ss, SLOT(ES_SS)
	movw %fs, SLOT(ES_FS)
	movw %gs, SLOT(ES_GS)
	sldt SLOT(ES_LDTR)
	str SLOT(ES_TR)
	sgdt SLOT(ES_GDTR)
	sidt SLOT(ES_IDTR)
	fnstenv SLOT(ES_FPU_ENV)

	movq SLOT(ES_RDI), %rdi
	xorl %ebp, %ebp
	call conformance_main
1:	hlt
	jmp 1b
	.size _start, . - _start

	/* In .data, not .bss: the BSS check must find the BSS as loaded. */
	.section .data
	.balign 8
	.globl entry_state
entry_state:
	.fill ES_COUNT, 8, 0

	.section .note.GNU-stack, "", @progbits
