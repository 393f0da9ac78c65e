/* SPDX-License-Identifier: MIT */
/* CPUID, MSR and control-register access. */
#ifndef VNR_GUEST_CPU_H
#define VNR_GUEST_CPU_H

#include <veneer/types.h>

struct vnr_cpuid_regs {
	vnr_u32 eax, ebx, ecx, edx;
};

static inline struct vnr_cpuid_regs vnr_cpuid(vnr_u32 leaf, vnr_u32 subleaf)
{
	struct vnr_cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

/*
 * The "memory" clobbers keep MSR accesses in program order relative to
 * the exception-handler bookkeeping of tests that expect them to fault.
 */
static inline vnr_u64 vnr_rdmsr(vnr_u32 msr)
{
	vnr_u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((vnr_u64)hi << 32) | lo;
}

static inline void vnr_wrmsr(vnr_u32 msr, vnr_u64 value)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((vnr_u32)value),
		       "d"((vnr_u32)(value >> 32))
		     : "memory");
}

static inline vnr_u64 vnr_rdtsc(void)
{
	vnr_u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((vnr_u64)hi << 32) | lo;
}

static inline vnr_u64 vnr_read_cr2(void)
{
	vnr_u64 v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline vnr_u64 vnr_read_cr3(void)
{
	vnr_u64 v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void vnr_invlpg(vnr_u64 va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Stops this VP for good: interrupts stay off, so nothing wakes it. */
static inline __attribute__((noreturn)) void vnr_cpu_stop(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif /* VNR_GUEST_CPU_H */
