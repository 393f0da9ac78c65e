/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The root-mode isolation probe.  Every result is one kernel log line
 * "veneer_probe result: <name> <result>"; /init relays them to the console.
 */
#ifndef VENEER_PROBE_H
#define VENEER_PROBE_H

#define pr_fmt(fmt) "veneer_probe result: " fmt

#include "fault_safe.h"

/*
 * Reports CPUID's SVM bit, what each SVM instruction does (ud, gp, ok),
 * the SVM MSRs and EFER.SVME.  Runs the instructions only while EFER.SVME
 * is clear, where the architecture makes them fault.
 */
void probe_svm(void);

/*
 * Reads the first and last page of each of the @count regions, given as
 * base, size pairs in @regions; the one region that reads all zero is the
 * hypervisor's, and a write to it must not stick.  Reports each region and
 * exactly one "hv-memory" line.
 */
void probe_hv_memory(const unsigned long *regions, unsigned int count);

/*
 * Points Veneer's hypercall MSR at a page of RAM and at the local APIC's
 * page: "hypercall-page-ram" and "hypercall-page-apic", ok or gp each.
 */
void probe_hypercall_page(void);

#endif
