/* SPDX-License-Identifier: MIT */
/*
 * Root mode: the state of the boot CPU when the hypervisor took it over,
 * which the root partition's first VP continues from.
 */
#ifndef X86_ROOT_CPU_H
#define X86_ROOT_CPU_H

#include <hv/types.h>

/* Written by arch_call_resumable (root_resume.S); the layout is its. */
struct x86_root_resume {
	u64 rip, rsp;
	u64 rbx, rbp, r12, r13, r14, r15;
	u64 rflags;
};

extern struct x86_root_resume x86_root_resume;

/* A segment register as a VMCB or VMCS holds it. */
struct x86_segment {
	u16 selector;
	u16 attrib; /* descriptor bits 40-47 and 52-55 */
	u32 limit;  /* in bytes, granularity applied */
	u64 base;
};

struct x86_root_cpu {
	u64 cr0, cr3, cr4, efer, dr6, dr7, pat, xcr0;
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	struct x86_segment cs, ss, ds, es;
	u64 rax; /* what the resumed call returns in the root */
};

/*
 * Records the control, descriptor-table and segment registers, EFER, PAT,
 * DR6/DR7 and XCR0 as the firmware has them, into x86_root_cpu.  Called
 * first in root mode, before the hypervisor loads anything of its own.
 */
void root_cpu_capture(u64 resume_rax);

extern struct x86_root_cpu x86_root_cpu;

#endif /* X86_ROOT_CPU_H */
