/* SPDX-License-Identifier: MIT */
/*
 * CPUID, MSR, TSC and control-register access, as inline functions, for the
 * x86 code of the hypervisor (hv/arch/x86 only) and the guests.
 */
#ifndef LIBVNR_X86_CPU_H
#define LIBVNR_X86_CPU_H

#include <veneer/types.h>

struct vnr_cpuid_regs {
	vnr_u32 eax, ebx, ecx, edx;
};

/* CPUID leaf (subleaf in ECX for the leaves that take one). */
static inline struct vnr_cpuid_regs vnr_cpuid(vnr_u32 leaf, vnr_u32 subleaf)
{
	struct vnr_cpuid_regs r;

	__asm__ volatile("cpuid"
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

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((vnr_u64)hi << 32) | lo;
}

/* Writes an MSR; #GP (the caller's to handle) for one the CPU refuses. */
static inline void vnr_wrmsr(vnr_u32 msr, vnr_u64 value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((vnr_u32)value),
			   "d"((vnr_u32)(value >> 32))
			 : "memory");
}

/* The time-stamp counter, unserialized: it may run ahead of earlier loads. */
static inline vnr_u64 vnr_rdtsc(void)
{
	vnr_u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((vnr_u64)hi << 32) | lo;
}

/* The last page-fault address (CR2); CPL 0 only. */
static inline vnr_u64 vnr_read_cr2(void)
{
	vnr_u64 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* The current page-table root (CR3); CPL 0 only. */
static inline vnr_u64 vnr_read_cr3(void)
{
	vnr_u64 v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Stops this CPU for good: interrupts stay off, so nothing wakes it. */
static inline __attribute__((noreturn)) void vnr_cpu_stop(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* LIBVNR_X86_CPU_H */
