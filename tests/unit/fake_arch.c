/* SPDX-License-Identifier: MIT */
/* The hosted fake of hv/include/hv/arch.h: see fake_arch.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/boot.h>

#include "../../hv/arch/x86/svm/npt.h"
#include "fake_arch.h"
#include <hv/page_alloc.h>
#include <hv/sched.h>

u64 fake_tsc;
u64 fake_tsc_hz = FAKE_TSC_HZ;
u64 fake_exit_cycles = 1000;
bool fake_timer_armed;
u64 fake_timer_deadline;
u64 fake_timer_arms;
u64 fake_idles;
void (*fake_guest)(struct hv_vp *vp);
u64 fake_runs;
bool fake_fail_partition_init, fake_fail_vp_init, fake_fail_map,
	fake_fail_allow_io;
struct hv_cpu_limits fake_cpu_limits;
jmp_buf *fake_power_off_jmp;
int fake_power_off_failures = -1;

/* The hypervisor's page pool (VMCB-free here: SynIC queues, grants). */
#define FAKE_POOL_SIZE MiB(8)

void fake_arch_reset(void)
{
	static u8 *pool;

	if (!pool)
		pool = aligned_alloc(PAGE_SIZE, FAKE_POOL_SIZE);
	if (!pool)
		abort();
	page_pool_init(pool, FAKE_POOL_SIZE);
	page_pool_divide(HV_MAX_PARTITIONS);
	fake_tsc = 0;
	fake_tsc_hz = FAKE_TSC_HZ;
	fake_exit_cycles = 1000;
	fake_timer_armed = false;
	fake_timer_deadline = 0;
	fake_platform_timer = ~0ull;
	fake_timer_arms = 0;
	fake_idles = 0;
	fake_guest = NULL;
	fake_runs = 0;
	fake_last_io_value = 0;
	fake_root_interrupts = 0;
	fake_pc_interrupts = 0;
	fake_fail_partition_init = false;
	fake_fail_vp_init = false;
	fake_fail_map = false;
	fake_fail_allow_io = false;
	fake_cpu_limits = FAKE_CPU_LIMITS;
	fake_power_off_jmp = NULL;
	fake_power_off_failures = -1;
	hv_tick_pending = false;
}

struct fake_vp *fake_vp_of(struct hv_vp *vp)
{
	return vp->arch;
}

struct fake_npt *fake_npt_of(struct hv_partition *p)
{
	return p->arch;
}

void fake_set_cpl(struct hv_vp *vp, unsigned cpl)
{
	vp->cpl = (u8)cpl; /* the backend records it at each exit */
}

void fake_advance(u64 cycles)
{
	fake_tsc += cycles;
	if (fake_timer_armed && fake_tsc >= fake_timer_deadline) {
		fake_timer_armed = false;
		hv_tick_pending = true;
	}
}

int arch_partition_init(struct hv_partition *p)
{
	struct fake_npt *npt;

	if (fake_fail_partition_init) {
		fake_fail_partition_init = false;
		return -1;
	}
	npt = calloc(1, sizeof(*npt));
	if (!npt)
		return -1;
	npt->pml4 = page_alloc_charged(&p->pool, 1);
	if (!npt->pml4) {
		free(npt);
		return -1;
	}
	p->arch = npt;
	return 0;
}

void arch_partition_destroy(struct hv_partition *p)
{
	npt_free(&p->pool, fake_npt_of(p)->pml4);
	free(p->arch);
	p->arch = NULL;
}

int arch_map_gpa(struct hv_partition *p, u64 gpa, u64 hpa, u64 size,
		 bool writable)
{
	if (fake_fail_map) {
		fake_fail_map = false;
		return HV_MAP_NO_MEMORY;
	}
	if (size == 0)
		return HV_MAP_IN_USE;
	return npt_map(&p->pool, fake_npt_of(p)->pml4, gpa, hpa, size,
		       writable);
}

int arch_unmap_gpa(struct hv_partition *p, u64 gpa, u64 size)
{
	struct fake_npt *npt = fake_npt_of(p);
	int err = npt_unmap(&p->pool, npt->pml4, gpa, size);

	if (!err)
		npt->unmaps++;
	return err;
}

bool arch_gpa_maps_page(struct hv_partition *p, u64 gpa, u64 hpa)
{
	return npt_maps_small_page(fake_npt_of(p)->pml4, gpa, hpa);
}

int arch_back_gpa_with_page(struct hv_partition *p, u64 gpa, u64 size, u64 hpa)
{
	return npt_back_with_page(fake_npt_of(p)->pml4, gpa, size, hpa);
}

/* The walk of the hardware: present bit 0, large pages bit 7, RW bit 1. */
bool fake_npt_lookup(struct hv_partition *p, u64 gpa, u64 *hpa, bool *writable)
{
	const u64 addr = 0x000FFFFFFFFFF000ull;
	u64 *table = fake_npt_of(p)->pml4;

	for (int level = 3; level >= 0; level--) {
		u64 e = table[(gpa >> (12 + 9 * level)) & 511];
		u64 span = 1ull << (12 + 9 * level);

		if (!(e & 1))
			return false;
		if (level == 0 || (e & 0x80)) {
			*hpa = (e & addr & ~(span - 1)) + (gpa & (span - 1));
			*writable = e & 2;
			return true;
		}
		table = (u64 *)(uintptr_t)(e & addr);
	}
	return false;
}

int arch_partition_allow_io(struct hv_partition *p, u16 first, u16 last)
{
	struct fake_npt *npt = fake_npt_of(p);

	if (fake_fail_allow_io) {
		fake_fail_allow_io = false;
		return -1;
	}
	npt->io_first = first;
	npt->io_last = last;
	return 0;
}

/*
 * The platform's devices are the arch layer's: the fake has none.  Weak,
 * so that a test built with hv/arch/x86/pc_platform.c gets its devices.
 */
__attribute__((weak)) int
arch_partition_enable_pc_platform(struct hv_partition *p)
{
	p->pc_platform = true;
	return 0;
}

__attribute__((weak)) void
arch_partition_disable_pc_platform(struct hv_partition *p)
{
	p->pc_platform = false;
}

unsigned fake_pc_interrupts;

/* Weak for the same reason: pc_platform.c raises the real one. */
__attribute__((weak)) void arch_raise_pc_interrupt(struct hv_vp *vp)
{
	(void)vp;
	fake_pc_interrupts++;
}

u64 fake_platform_timer = ~0ull;

u64 arch_vp_poll_timers(struct hv_vp *vp, u64 now)
{
	(void)vp;
	(void)now;
	return fake_platform_timer;
}

int arch_vp_init(struct hv_vp *vp, const struct hv_vp_boot_state *boot)
{
	struct fake_vp *f;

	if (fake_fail_vp_init) {
		fake_fail_vp_init = false;
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	if (boot) {
		f->boot = *boot;
		f->regs[HV_REG_RIP] = boot->rip;
		f->regs[HV_REG_RSP] = boot->rsp;
		f->regs[HV_REG_CR3] = boot->cr3;
		vp->regs[HV_REG_RDI] = boot->rdi;
	}
	vp->arch = f;
	return 0;
}

void arch_vp_destroy(struct hv_vp *vp)
{
	free(vp->arch);
	vp->arch = NULL;
}

/* One guest exit: the test's callback, then the time it took. */
static void run_once(struct hv_vp *vp)
{
	fake_runs++;
	vp->exits++;
	if (fake_guest)
		fake_guest(vp);
	fake_advance(fake_exit_cycles);
}

/* Like the real run loop: the VP's own timer is polled before each run. */
void arch_vp_run(struct hv_vp *vp)
{
	do {
		sched_own_timer(vp, arch_vp_poll_timers(vp, arch_read_tsc()));
		run_once(vp);
	} while (vp->state == HV_VP_RUNNABLE && !hv_tick_pending &&
		 !vp->run_ended);
}

u32 fake_last_io_value;

void arch_vp_dispatch(struct hv_vp *dispatcher, struct hv_vp *vp, u32 io_value)
{
	(void)dispatcher;
	fake_last_io_value = io_value;
	arch_vp_run(vp);
}

unsigned fake_root_interrupts;

void arch_raise_root_interrupt(void)
{
	fake_root_interrupts++;
}

/*
 * Like the real backend: the general registers except RSP live in
 * vp->regs (the hypercall ABI reads them there directly), the
 * others in the backend's state.
 */
static bool in_vp_regs(enum hv_reg reg)
{
	return (unsigned)reg < ARRAY_SIZE(((struct hv_vp *)0)->regs) &&
	       reg != HV_REG_RSP;
}

u64 arch_vp_get_reg(struct hv_vp *vp, enum hv_reg reg)
{
	if ((unsigned)reg >= HV_REG_COUNT)
		abort();
	if (in_vp_regs(reg))
		return vp->regs[reg];
	return fake_vp_of(vp)->regs[reg];
}

void arch_vp_set_reg(struct hv_vp *vp, enum hv_reg reg, u64 value)
{
	if ((unsigned)reg >= HV_REG_COUNT)
		abort();
	if (in_vp_regs(reg))
		vp->regs[reg] = value;
	else
		fake_vp_of(vp)->regs[reg] = value;
}

const struct hv_cpu_limits *arch_cpu_limits(void)
{
	return &fake_cpu_limits;
}

u64 arch_read_tsc(void)
{
	return fake_tsc;
}

u64 arch_tsc_hz(void)
{
	return fake_tsc_hz;
}

void arch_timer_arm(u64 tsc_delta)
{
	fake_timer_arms++;
	fake_timer_armed = true;
	fake_timer_deadline = fake_tsc + tsc_delta;
	if (fake_timer_deadline < fake_tsc)
		fake_timer_deadline = ~0ull;
}

/* Sleeps until the armed tick; with no tick armed the machine would hang. */
void arch_idle(void)
{
	fake_idles++;
	if (!fake_timer_armed) {
		fprintf(stderr, "fake arch: arch_idle with no timer armed\n");
		abort();
	}
	if (fake_tsc < fake_timer_deadline)
		fake_tsc = fake_timer_deadline;
	fake_advance(0);
}

int arch_init(const struct hv_boot_info *bi)
{
	(void)bi;
	return 0;
}

void arch_crash_test(void)
{
	abort(); /* hosted tests never enable crash_test */
}

void arch_power_off(int failures)
{
	fake_power_off_failures = failures;
	if (!fake_power_off_jmp) {
		fprintf(stderr, "fake arch: power off (%d failures)\n",
			failures);
		abort();
	}
	longjmp(*fake_power_off_jmp, 1);
}

void arch_reset(void)
{
	fprintf(stderr, "fake arch: machine reset\n");
	abort();
}
