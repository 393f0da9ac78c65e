/* SPDX-License-Identifier: MIT */
/*
 * GDT with a 64-bit TSS (its IST gives #DF, NMI and #MC a known-good
 * stack) and an IDT with a stub for every vector: the timer and the
 * spurious vector are handled, any other vector is unexpected and
 * reported like an exception.
 */
#include <hv/string.h>
#include "tables.h"

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __attribute__((packed));

struct table_pointer {
	u16 limit;
	u64 base;
} __attribute__((packed));

extern const u8 isr_stubs[256][16];

static u64 gdt[5] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));

#define GATE_INTERRUPT 0x8E
#define IST_CRITICAL   1

static void set_gate(u32 vector, u64 handler, u8 ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_lo = (u16)handler;
	g->selector = HV_CS;
	g->ist = ist;
	g->type = GATE_INTERRUPT;
	g->offset_mid = (u16)(handler >> 16);
	g->offset_hi = (u32)(handler >> 32);
	g->reserved = 0;
}

static void build_gdt(void)
{
	u64 base = (u64)(uintptr_t)&tss, limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00AF9A000000FFFFull; /* 64-bit code */
	gdt[2] = 0x00CF92000000FFFFull; /* data */
	gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
		 (0x89ull << 40) | (((limit >> 16) & 0xF) << 48) |
		 (((base >> 24) & 0xFF) << 56);
	gdt[4] = base >> 32;
}

static void load_tables(void)
{
	struct table_pointer gdtr = {sizeof(gdt) - 1, (u64)(uintptr_t)gdt};
	struct table_pointer idtr = {sizeof(idt) - 1, (u64)(uintptr_t)idt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "ltr %w3\n\t"
			 "lidt %4"
			 :
			 : "m"(gdtr), "i"(HV_CS), "r"(HV_DS), "r"(HV_TSS),
			   "m"(idtr)
			 : "rax", "memory");
}

void tables_init(void *ist_stack_top)
{
	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_CRITICAL - 1] = (u64)(uintptr_t)ist_stack_top;
	tss.iomap_base = sizeof(tss);
	build_gdt();
	for (u32 v = 0; v < 256; v++) {
		bool critical = v == 2 || v == 8 || v == 18; /* NMI #DF #MC */

		set_gate(v, (u64)(uintptr_t)isr_stubs[v],
			 critical ? IST_CRITICAL : 0);
	}
	load_tables();
}

extern const u8 x86_rdmsr_insn[], x86_wrmsr_insn[], x86_msr_fault[];

/* A #GP of x86_rdmsr_safe or x86_wrmsr_safe: they return false. */
static bool msr_fault_fixed(struct interrupt_frame *f)
{
	if (f->rip != (u64)(uintptr_t)x86_rdmsr_insn &&
	    f->rip != (u64)(uintptr_t)x86_wrmsr_insn)
		return false;
	f->rip = (u64)(uintptr_t)x86_msr_fault;
	return true;
}

void interrupt_dispatch(struct interrupt_frame *f)
{
	switch (f->vector) {
	case X86_VECTOR_GP_FAULT:
		if (msr_fault_fixed(f))
			return;
		exception_report(f);
		return;
	case VECTOR_TIMER:
		lapic_timer_interrupt();
		lapic_eoi();
		return;
	case VECTOR_SPURIOUS:
		return; /* no EOI for spurious interrupts */
	default:
		exception_report(f);
	}
}
