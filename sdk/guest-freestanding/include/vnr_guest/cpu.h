/* SPDX-License-Identifier: MIT */
/* CPUID, MSR and control-register access (libvnr/x86/cpu.h), and INVLPG. */
#ifndef VNR_GUEST_CPU_H
#define VNR_GUEST_CPU_H

#include <libvnr/x86/cpu.h>

static inline void vnr_invlpg(vnr_u64 va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

#endif /* VNR_GUEST_CPU_H */
