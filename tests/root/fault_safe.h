/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the root's test modules (probe/, attack/; kit.sh copies this file
 * beside their sources): a store that may fault, caught through the
 * kernel's exception table, so that a refusal by the hypervisor is a
 * result to report, not an oops.
 */
#ifndef VENEER_FAULT_SAFE_H
#define VENEER_FAULT_SAFE_H

#include <linux/types.h>
#include <asm/asm.h>

/* What a try_ helper returns when the instruction raised no fault. */
#define NO_FAULT (-1L)

/* Stores @value at @p: NO_FAULT, or the vector of the fault it raised. */
static inline long try_store(u64 *p, u64 value)
{
	long rax = 0;

	asm volatile("1: movq %[v], (%[p])\n\t"
		     "mov %[none], %%rax\n\t"
		     "2:\n\t" _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax)
		     : [p] "r"(p), [v] "r"(value), [none] "i"(NO_FAULT)
		     : "memory");
	return rax;
}

#endif
