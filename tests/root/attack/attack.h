/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The root-mode attack module.  Every result is one kernel log line
 * "veneer_attack result: <name> <result>"; /init relays them to the
 * console.  Each attack reports what the hypervisor's isolation should
 * make impossible, so a line the harness finds is a break.
 */
#ifndef VENEER_ATTACK_H
#define VENEER_ATTACK_H

#include <linux/types.h>

#define pr_fmt(fmt) "veneer_attack result: " fmt

#include "fault_safe.h"

/* The hypervisor's memory as the root found it: the reserved region that
 * reads all zero on the boot CPU. */
struct hv_region {
	unsigned long base;
	unsigned long size;
};

/*
 * The start of the line the hypervisor logs for VMRUN on the root's VP.
 * An attack that can write the hypervisor's memory puts a marker of the
 * same length over LOGGED_WORDS, and the hypervisor's log shows it.
 */
#define LOGGED_TEXT	 "root: SVM instruction (exit "
#define LOGGED_WORDS	 "root: SVM instruction"
#define IMAGE_SCAN_BYTES (1UL << 20) /* the image is at the region's start */

/* Offset of LOGGED_TEXT in @buf, or -1. */
long find_logged_text(const void *buf, size_t len);

/* Runs VMRUN once on CPU 0, the root's VP: NO_FAULT or the vector it
 * raised.  The hypervisor logs it ("root: SVM instruction ..."). */
long vmrun_on_root_vp(void);

/* Runs @fn(@arg) on @cpu in process context and returns what it returns. */
long on_cpu(int cpu, long (*fn)(void *), void *arg);

/*
 * Every online CPU reads the first qword of the hypervisor's memory and
 * the CPUID SVM bit, then stores a pattern into the image's DOS header
 * (unused once the image runs) and reads it back.  A CPU that the
 * hypervisor does not run sees the hypervisor's real bytes; it then puts
 * its marker over LOGGED_WORDS and the root's VP runs VMRUN.
 */
void attack_cpus(const struct hv_region *hv);

/*
 * Device DMA out of and into the hypervisor's memory through the block
 * layer, on the scratch disk @disk: the device copies the first
 * IMAGE_SCAN_BYTES of the hypervisor's memory to the disk, the root reads
 * them from there, finds LOGGED_TEXT, and the device copies the sector
 * holding it back with the marker over LOGGED_WORDS.  Then the root's VP
 * runs VMRUN.
 */
void attack_dma(const struct hv_region *hv, const char *disk);

/*
 * On the root's VP, reads the MSRs that steer the hypervisor's own memory
 * and time and writes each back unchanged, reporting which accept it.
 */
void attack_msrs(void);

/*
 * INIT and STARTUP IPIs from the root to every other CPU, with a start
 * program that stores a marker: reports whether any CPU ran it.
 */
void attack_initsipi(void);

/*
 * INIT and STARTUP IPIs as attack_initsipi, written at the offsets 4, 8
 * and 12 past the ICR, which QEMU's APIC takes for the ICR.
 */
void attack_icralias(void);

/*
 * Exits the hypervisor logs each time: undecodable APIC stores and PM1a
 * sleep writes that sleep nothing, many of each.
 */
void attack_logflood(void);

/* A power-off by a 1-byte SLP_EN write to the high byte of PM1a control. */
void attack_pm1abyte(void);

#endif
