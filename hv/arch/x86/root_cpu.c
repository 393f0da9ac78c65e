/* SPDX-License-Identifier: MIT */
/*
 * Root mode: the boot CPU's state at the hand-over.  The firmware goes on
 * running as the root partition's first VP, so the VP starts with exactly
 * the firmware's registers; the backend adds what only it can read (FS,
 * GS, TR, LDTR and the syscall MSRs, with VMSAVE on AMD-V).
 */
#include "cpu.h"
#include "root_cpu.h"

#define CR4_OSXSAVE_BIT (1ull << 18)
#define SELECTOR_LDT	0x4

struct x86_root_resume x86_root_resume;
struct x86_root_cpu x86_root_cpu;

struct table_register {
	u16 limit;
	u64 base;
} __attribute__((packed));

static u64 read_cr0(void)
{
	u64 v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static u64 read_dr(int n)
{
	u64 v;

	if (n == 6)
		__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	else
		__asm__ volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

static u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

/* A GDT selector's descriptor as a segment register holds it. */
static struct x86_segment segment(u16 selector, const struct table_register *g)
{
	struct x86_segment s = {.selector = selector};
	u64 d;

	if ((selector & ~3u) == 0 || (selector & SELECTOR_LDT) ||
	    (selector | 7u) > g->limit)
		return s; /* unusable: attrib 0 */
	d = ((const u64 *)(uintptr_t)g->base)[selector >> 3];
	s.attrib = (u16)(((d >> 40) & 0xFF) | (((d >> 52) & 0xF) << 8));
	s.limit = (u32)((d & 0xFFFF) | ((d >> 32) & 0xF0000));
	if (d & (1ull << 55)) /* granularity: 4 KiB units */
		s.limit = (s.limit << 12) | 0xFFF;
	s.base = ((d >> 16) & 0xFFFFFF) | (((d >> 56) & 0xFF) << 24);
	return s;
}

static u16 read_selector(int which)
{
	u16 v = 0;

	switch (which) {
	case 0:
		__asm__ volatile("mov %%cs, %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("mov %%ss, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("mov %%ds, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("mov %%es, %0" : "=r"(v));
		break;
	}
	return v;
}

void root_cpu_capture(u64 resume_rax)
{
	struct x86_root_cpu *c = &x86_root_cpu;
	struct table_register gdtr, idtr;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	c->gdt_base = gdtr.base;
	c->gdt_limit = gdtr.limit;
	c->idt_base = idtr.base;
	c->idt_limit = idtr.limit;
	c->cs = segment(read_selector(0), &gdtr);
	c->ss = segment(read_selector(1), &gdtr);
	c->ds = segment(read_selector(2), &gdtr);
	c->es = segment(read_selector(3), &gdtr);
	c->cr0 = read_cr0();
	c->cr3 = vnr_read_cr3();
	c->cr4 = read_cr4();
	c->efer = vnr_rdmsr(MSR_EFER);
	c->pat = vnr_rdmsr(MSR_PAT);
	c->dr6 = read_dr(6);
	c->dr7 = read_dr(7);
	c->xcr0 = (c->cr4 & CR4_OSXSAVE_BIT) ? xgetbv0() : 1;
	c->rax = resume_rax;
}
