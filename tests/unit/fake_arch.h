/* SPDX-License-Identifier: MIT */
/*
 * The hosted stand-in for hv/include/hv/arch.h: a register file per VP, a
 * record of nested-page mappings, a settable TSC and a one-shot timer.
 * Tests (and the fuzz targets) steer it through these variables.
 */
#ifndef TESTS_FAKE_ARCH_H
#define TESTS_FAKE_ARCH_H

#include <setjmp.h>

#include <hv/arch.h>
#include <hv/partition.h>
#include "../../hv/arch/x86/vp_state.h"

/* First, as the backends' per-VP state: x86 files built hosted read it. */
struct fake_vp {
	struct x86_vp_state common;
	u64 regs[HV_REG_COUNT]; /* those not kept in hv_vp.regs */
	struct hv_vp_boot_state boot;
};

/*
 * A partition's address space is made of real nested page tables
 * (hv/arch/x86/svm/npt.c), from the hypervisor pool and charged to the
 * partition like on the machine, so table usage and exhaustion are real.
 */
struct fake_npt {
	u64 *pml4;
	u32 unmaps; /* successful arch_unmap_gpa calls (each flushes the TLB) */
	u16 io_first, io_last;
};

/* What the page tables of p map gpa to, as the hardware walk sees it. */
bool fake_npt_lookup(struct hv_partition *p, u64 gpa, u64 *hpa, bool *writable);

/*
 * 2.56 GHz: 256 cycles per 100 ns tick, so that reftime's 32.32 fixed-point
 * conversions are exact and tests can compare times exactly.
 */
#define FAKE_TSC_HZ 2560000000ull

/* Time: fake_tsc only moves when a test, an exit or arch_idle moves it. */
extern u64 fake_tsc;
extern u64 fake_tsc_hz;
/* Cycles each simulated exit takes (added after the callback). */
extern u64 fake_exit_cycles;
extern bool fake_timer_armed;
extern u64 fake_timer_deadline;
extern u64 fake_timer_arms; /* arch_timer_arm calls */
extern u64 fake_idles;	    /* arch_idle calls */
/* What arch_vp_poll_timers() says of every VP: its timer's TSC, or ~0. */
extern u64 fake_platform_timer;

/*
 * The guest: arch_vp_run() calls it once per simulated exit, while the VP
 * is runnable and no tick is pending (like the real run loop).
 */
extern void (*fake_guest)(struct hv_vp *vp);
extern u64 fake_runs; /* simulated exits */
/* arch_vp_dispatch's last io_value; arch_raise_root_interrupt calls. */
extern u32 fake_last_io_value;
extern unsigned fake_root_interrupts;
/* arch_raise_pc_interrupt calls (the fake's, without pc_platform.c). */
extern unsigned fake_pc_interrupts;

/* What arch_cpu_limits() reports (reset: FAKE_CPU_LIMITS). */
extern struct hv_cpu_limits fake_cpu_limits;
/* An AMD processor with 48 address bits, without PKU, CET, UMIP or LA57. */
#define FAKE_CPU_LIMITS ((struct hv_cpu_limits){48, 0x003707FFull, 0x0D01ull})

/* Failure injection: the next call of each returns an error when set. */
extern bool fake_fail_partition_init, fake_fail_vp_init, fake_fail_map,
	fake_fail_allow_io;

/* arch_power_off() longjmps here (it aborts when it is NULL). */
extern jmp_buf *fake_power_off_jmp;
extern int fake_power_off_failures;

/* Restores every fake to its defaults (TSC 0 at FAKE_TSC_HZ, no guest). */
void fake_arch_reset(void);

struct fake_vp *fake_vp_of(struct hv_vp *vp);
struct fake_npt *fake_npt_of(struct hv_partition *p);
void fake_set_cpl(struct hv_vp *vp, unsigned cpl);
/* Advances the TSC, raising the tick when the armed deadline passes. */
void fake_advance(u64 cycles);

/* What the console captured (fake_console.c). */
extern char fake_console[8192];
extern size_t fake_console_len;
void fake_console_reset(void);

#endif /* TESTS_FAKE_ARCH_H */
