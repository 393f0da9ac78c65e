// SPDX-License-Identifier: MIT
/* The IDT for all 256 vectors and the default exception report. */
#include <vnr_guest/guest.h>
#include "internal.h"

#define ISR_STUB_SIZE  16
#define GATE_INTERRUPT 0x8E /* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	vnr_u16 offset_low;
	vnr_u16 selector;
	vnr_u8 ist;
	vnr_u8 type;
	vnr_u16 offset_mid;
	vnr_u32 offset_high;
	vnr_u32 zero;
};
VNR_ABI_SIZE(struct idt_gate, 16);

struct idt_pointer {
	vnr_u16 limit;
	vnr_u64 base;
} __attribute__((packed));

extern const char vnr_isr_stubs[];

static struct idt_gate idt[VNR_IDT_VECTORS] __attribute__((aligned(16)));
static vnr_exception_handler handlers[VNR_EXC_COUNT];
static bool reporting;

static const char *const names[VNR_EXC_COUNT] = {
	[VNR_EXC_DE] = "#DE", [VNR_EXC_DB] = "#DB", [VNR_EXC_NMI] = "NMI",
	[VNR_EXC_BP] = "#BP", [VNR_EXC_OF] = "#OF", [VNR_EXC_BR] = "#BR",
	[VNR_EXC_UD] = "#UD", [VNR_EXC_NM] = "#NM", [VNR_EXC_DF] = "#DF",
	[VNR_EXC_TS] = "#TS", [VNR_EXC_NP] = "#NP", [VNR_EXC_SS] = "#SS",
	[VNR_EXC_GP] = "#GP", [VNR_EXC_PF] = "#PF", [VNR_EXC_MF] = "#MF",
	[VNR_EXC_AC] = "#AC", [VNR_EXC_MC] = "#MC", [VNR_EXC_XM] = "#XM",
	[VNR_EXC_VE] = "#VE", [VNR_EXC_CP] = "#CP", [VNR_EXC_VC] = "#VC",
	[VNR_EXC_SX] = "#SX",
};

static vnr_u16 code_selector(void)
{
	vnr_u16 cs;

	asm("mov %%cs, %0" : "=r"(cs));
	return cs;
}

void vnr_exceptions_init(void)
{
	/* Use the selector we run on rather than assume the loader's GDT. */
	vnr_u16 cs = code_selector();
	struct idt_pointer idtr = {sizeof(idt) - 1, vnr_gpa(idt)};
	unsigned int v;

	for (v = 0; v < VNR_IDT_VECTORS; v++) {
		vnr_u64 isr = vnr_gpa(vnr_isr_stubs) + v * ISR_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_low = (vnr_u16)isr,
			.selector = cs,
			.type = GATE_INTERRUPT,
			.offset_mid = (vnr_u16)(isr >> 16),
			.offset_high = (vnr_u32)(isr >> 32),
		};
	}
	asm volatile("lidt %0" : : "m"(idtr));
}

vnr_exception_handler vnr_set_exception_handler(unsigned int vector,
						vnr_exception_handler fn)
{
	vnr_exception_handler old;

	if (vector >= VNR_EXC_COUNT)
		return NULL;
	old = handlers[vector];
	handlers[vector] = fn;
	return old;
}

static void report(const struct vnr_exception_frame *f)
{
	const char *name = names[f->vector] ? names[f->vector] : "reserved";

	/* Start the report on a line of its own. */
	vnr_console_flush();
	vnr_printf("vnr_guest: exception %s (vector %lu) error 0x%lx "
		   "rip 0x%lx rsp 0x%lx",
		   name, f->vector, f->error_code, f->rip, f->rsp);
	if (f->vector == VNR_EXC_PF)
		vnr_printf(" cr2 0x%lx", vnr_read_cr2());
	vnr_printf("\n");
}

void vnr_exception_dispatch(struct vnr_exception_frame *f)
{
	vnr_exception_handler fn;

	if (f->vector >= VNR_EXC_COUNT) {
		vnr_irq_dispatch((unsigned int)f->vector);
		return;
	}
	fn = handlers[f->vector];
	if (fn && fn(f))
		return;
	/* A fault while reporting must not recurse forever. */
	if (!reporting) {
		reporting = true;
		report(f);
	}
	vnr_partition_exit(VNR_EXIT_EXCEPTION(f->vector));
}
