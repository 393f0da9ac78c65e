/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of a VP of a PC-platform partition (docs/spec/
 * pc-platform.md): in xAPIC mode through its page (xapic_mmio.h) until
 * the guest switches it to x2APIC mode, then through its MSRs, with the
 * timer in one-shot, periodic and TSC-deadline modes.  Its interrupts go
 * through the VP's interrupt controller (hv/vintc.h): IRR and ISR are that
 * controller's pending and in-service vectors, EOI ends the highest in
 * service.
 */
#ifndef X86_VLAPIC_H
#define X86_VLAPIC_H

#include <hv/partition.h>

struct vlapic {
	bool x2apic; /* IA32_APIC_BASE.EXTD: the MSRs, else the page */
	u32 tpr, svr, icr_low, icr_high, esr; /* ICR as last written */
	u32 lvt[7]; /* CMCI, timer, thermal, PMC, LINT0, LINT1, error */
	u32 timer_initial, timer_divide_config;
	u64 timer_due;	  /* TSC of the timer's next interrupt; 0: none */
	u64 timer_period; /* TSC cycles, periodic mode */
	u64 tsc_deadline; /* the IA32_TSC_DEADLINE value, deadline mode */
};

#define MSR_TSC_DEADLINE 0x000006E0u
#define MSR_X2APIC_FIRST 0x00000800u
#define MSR_X2APIC_LAST	 0x000008FFu
#define VLAPIC_BASE	 0xFEE00000ull /* as IA32_APIC_BASE reports it */

/* The state at reset: every LVT masked, the APIC software-disabled. */
void vlapic_reset(struct vlapic *a);
/* true if msr is one the local APIC answers (x2APIC range, deadline). */
bool vlapic_owns_msr(u32 msr);
/*
 * false: the access raises #GP, as the x2APIC's checks say (and for every
 * register but TSC_DEADLINE while the APIC is in xAPIC mode).
 */
bool vlapic_rdmsr(struct hv_vp *vp, u32 msr, u64 *value);
bool vlapic_wrmsr(struct hv_vp *vp, u32 msr, u64 value);
/* Register reg (x2APIC MSR 0x800 + reg) in either mode; false: refused. */
bool vlapic_read_reg(struct hv_vp *vp, u32 reg, u64 *value);
bool vlapic_write_reg(struct hv_vp *vp, u32 reg, u64 value);
/*
 * Raises the timer's interrupt if it is due at TSC now; returns the TSC of
 * its next interrupt, or ~0 when none is armed.
 */
u64 vlapic_poll(struct hv_vp *vp, u64 now);

#endif /* X86_VLAPIC_H */
