/* SPDX-License-Identifier: MIT */
/*
 * The exit benchmarks' guest: guest.h says what it does and what it takes
 * in its registers.  It is assembled into the host program as read-only
 * data; the host copies [guest_code, guest_code_end) to GUEST_CODE, and
 * the code jumps only relative to itself.
 */
#include "guest.h"

	.section .rodata, "a"
	.globl guest_code, guest_code_end
	.code64
guest_code:
	/* 1. Port I/O round trips; r9d holds the delta of the one before. */
	xor %r9d, %r9d
	mov $GUEST_ROUND_TRIPS + 1, %esi
1:	rdtsc
	mov %eax, %r10d
	mov %r9d, %eax
	out %eax, $GUEST_PORT_IO
	rdtsc
	sub %r10d, %eax
	mov %eax, %r9d
	dec %esi
	jnz 1b

	/* 2. Without a hypercall page there is nothing more to do. */
	test %rbx, %rbx
	jz halt

	/* 3. VP_YIELD round trips (RDTSC leaves RCX alone). */
	mov %rbx, %rax
	or $1, %rax			/* VNR_HYPERCALL_ENABLE */
	mov %rax, %rdx
	shr $32, %rdx
	mov $GUEST_MSR_HYPERCALL, %ecx
	wrmsr
	mov $GUEST_ROUND_TRIPS, %esi
2:	mov %r12, %rcx
	rdtsc
	mov %eax, %r10d
	call *%rbx
	mov %eax, %r11d			/* the result word's low half */
	rdtsc
	sub %r10d, %eax
	test %r11w, %r11w		/* status 0: VNR_STATUS_SUCCESS */
	jnz failed
	out %eax, $GUEST_PORT_YIELD
	dec %esi
	jnz 2b

	/* 4. PARTITION_EXIT with status 0; it returns only if it failed. */
	mov %r13, %rcx
	xor %edx, %edx
	call *%rbx
	mov %eax, %r11d
failed:					/* r11d: the failed call's result */
	mov %r11d, %eax
	out %eax, $GUEST_PORT_FAILED
halt:
	hlt
	jmp halt
guest_code_end:

	.section .note.GNU-stack, "", @progbits
