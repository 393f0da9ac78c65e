/* SPDX-License-Identifier: MIT */
/* The hypervisor's GDT, TSS and IDT. */
#ifndef X86_TABLES_H
#define X86_TABLES_H

#include <hv/types.h>

#define HV_CS		0x08
#define HV_DS		0x10
#define HV_TSS		0x18

#define VECTOR_TIMER	0x20
#define VECTOR_SPURIOUS 0xFF

/* Registers pushed by the interrupt entry stubs (isr.S), lowest first. */
struct interrupt_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

#define X86_VECTOR_GP_FAULT 13

void tables_init(void *ist_stack_top);
void interrupt_dispatch(struct interrupt_frame *f);
void exception_report(const struct interrupt_frame *f);

/* The hypervisor stack, for the crash report's backtrace. */
extern u64 hv_stack_bottom, hv_stack_top;

/* Handlers registered for device interrupts. */
void lapic_timer_interrupt(void);
void lapic_eoi(void);

#endif /* X86_TABLES_H */
