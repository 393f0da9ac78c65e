/* SPDX-License-Identifier: MIT */
/*
 * The crash report for an exception in the hypervisor itself: vector,
 * error code, registers and a frame-pointer backtrace, then power-off with
 * a failure status instead of a silent hang.
 */
#include <hv/arch.h>
#include <hv/log.h>
#include "cpu.h"
#include "tables.h"

u64 hv_stack_bottom, hv_stack_top;

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
};

/* Frames are followed only inside the hypervisor stack. */
static void backtrace(u64 rbp)
{
	for (u32 depth = 0; depth < 16 && IS_ALIGNED(rbp, 8) &&
			    rbp >= hv_stack_bottom && rbp + 16 <= hv_stack_top;
	     depth++) {
		const u64 *frame = (const u64 *)(uintptr_t)rbp;

		hv_log("  #%u 0x%016llx\n", depth,
		       (unsigned long long)frame[1]);
		rbp = frame[0];
	}
}

void exception_report(const struct interrupt_frame *f)
{
	static bool reporting;
	const char *name = "unexpected interrupt";

	if (reporting)
		vnr_cpu_stop(); /* the report itself faulted */
	reporting = true;

	if (f->vector < 32 && exception_names[f->vector])
		name = exception_names[f->vector];
	hv_log("HYPERVISOR CRASH: vector %llu (%s), error code 0x%llx\n",
	       (unsigned long long)f->vector, name,
	       (unsigned long long)f->error_code);
	hv_log("  rip=%016llx cs=%llx rflags=%016llx rsp=%016llx cr2=%016llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->cs,
	       (unsigned long long)f->rflags, (unsigned long long)f->rsp,
	       (unsigned long long)vnr_read_cr2());
	hv_log("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	hv_log("  rsi=%016llx rdi=%016llx rbp=%016llx r8 =%016llx\n",
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	       (unsigned long long)f->rbp, (unsigned long long)f->r8);
	hv_log("  r9 =%016llx r10=%016llx r11=%016llx r12=%016llx\n",
	       (unsigned long long)f->r9, (unsigned long long)f->r10,
	       (unsigned long long)f->r11, (unsigned long long)f->r12);
	hv_log("  r13=%016llx r14=%016llx r15=%016llx cr3=%016llx\n",
	       (unsigned long long)f->r13, (unsigned long long)f->r14,
	       (unsigned long long)f->r15, (unsigned long long)vnr_read_cr3());
	hv_log("backtrace:\n");
	backtrace(f->rbp);
	arch_power_off(255);
}
