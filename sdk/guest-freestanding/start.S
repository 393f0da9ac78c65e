/* SPDX-License-Identifier: MIT */
/*
 * Entry point of a freestanding guest (sdk/include/veneer/boot.h).
 *
 * RDI holds the GPA (== GVA) of struct vnr_start_info and is passed through
 * to vnr_guest_main() unchanged.  The boot stack is used as is, but its
 * alignment is forced rather than trusted.
 */
	.section .text.start, "ax", @progbits
	.code64
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	andq $-16, %rsp

	/*
	 * The loader zeroes .bss; clearing it again keeps the image correct
	 * under a loader that only copies the file contents.
	 */
	movq %rdi, %rbx
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	movq %rbx, %rdi

	xorl %ebp, %ebp
	call vnr_guest_main
1:	hlt
	jmp 1b
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
