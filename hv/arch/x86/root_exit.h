/* SPDX-License-Identifier: MIT */
/*
 * The exits of the root of root mode that differ from other partitions'
 * (docs/spec/root-mode.md): it owns the machine, so what would stop another
 * partition gives it what the hardware would, or what a CPU without AMD-V
 * would, and the hypervisor logs it.
 */
#ifndef X86_ROOT_EXIT_H
#define X86_ROOT_EXIT_H

#include "vendor.h"

/* Handles exit e of the root's VP vp; false leaves it to the common code. */
bool root_handle_exit(struct hv_vp *vp, struct x86_exit *e);
/*
 * An IN or OUT of the root at the hypervisor's UART (base): the 16550 it
 * sees there, whose line goes nowhere (root_uart.c).
 */
void root_uart_access(struct hv_vp *vp, const struct x86_exit *e, u16 base);
/* An IN or OUT the root makes itself, done for it on the hardware. */
void root_pass_io(struct hv_vp *vp, const struct x86_exit *e);
/*
 * The Veneer PCI function (root_pci.c): found a free device number of
 * bus 0 (at the take-over); an access of the root to the configuration
 * data ports, which it handles when true.
 */
void root_pci_init(void);
bool root_pci_access(struct hv_vp *vp, const struct x86_exit *e);
/* The FADT's PM1a control port (root mode), 0 for none; set at boot. */
extern u16 x86_root_pm1a_control;

/*
 * Withheld CPUs (root_apic.c): whether gpa is in the root's guarded APIC
 * page; the root's write e to it, done unless it is an INIT or STARTUP
 * IPI; a write of the x2APIC ICR MSR likewise (false: #GP).
 */
bool root_apic_guarded(u64 gpa);
void root_apic_write(struct hv_vp *vp, const struct x86_exit *e);
bool root_apic_icr_msr_write(u64 value);
/* Starts guarding the root's CPU starts (once): 0, or -1 without memory. */
int root_apic_guard(struct hv_partition *root);
/* Root mode: the notice's address in the loader's image, CPUs withheld. */
void root_exit_init(u64 loader_image_base, u64 copy_image_base,
		    u32 cpus_withheld);

/*
 * Counts one more of an event of the root; true when this one is to be
 * logged: the first, then the 2nd, 4th, 8th..., so that a root repeating
 * it cannot flood the log.
 */
bool root_log_due(u64 *count);

/* Logs an MSR access of the root that raises #GP. */
void root_refused_msr(u32 msr, bool write);

#endif /* X86_ROOT_EXIT_H */
