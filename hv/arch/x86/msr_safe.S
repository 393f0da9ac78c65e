/* SPDX-License-Identifier: MIT */
/*
 * bool x86_rdmsr_safe(u32 msr, u64 *value), bool x86_wrmsr_safe(u32 msr,
 * u64 value): RDMSR and WRMSR that may raise #GP, as an MSR the CPU does
 * not implement does.  interrupt_dispatch resumes a #GP at one of the two
 * instructions at x86_msr_fault, which returns false; otherwise true.
 */
	.text
	.globl x86_rdmsr_safe
	.globl x86_wrmsr_safe
	.globl x86_rdmsr_insn
	.globl x86_wrmsr_insn
	.globl x86_msr_fault
x86_rdmsr_safe:
	movl %edi, %ecx
x86_rdmsr_insn:
	rdmsr
	shlq $32, %rdx
	movl %eax, %eax
	orq %rdx, %rax
	movq %rax, (%rsi)
	movl $1, %eax
	ret

x86_wrmsr_safe:
	movl %edi, %ecx
	movl %esi, %eax
	movq %rsi, %rdx
	shrq $32, %rdx
x86_wrmsr_insn:
	wrmsr
	movl $1, %eax
	ret

x86_msr_fault:
	xorl %eax, %eax
	ret

	.section .note.GNU-stack,"",@progbits
