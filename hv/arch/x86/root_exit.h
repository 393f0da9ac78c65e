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
/* The FADT's PM1a control port (root mode), 0 for none; set at boot. */
extern u16 x86_root_pm1a_control;

/* Logs an MSR access of the root that raises #GP. */
void root_refused_msr(u32 msr, bool write);

#endif /* X86_ROOT_EXIT_H */
