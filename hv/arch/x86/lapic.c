/* SPDX-License-Identifier: MIT */
/*
 * The local APIC timer drives the scheduler.  It is used in one-shot
 * mode and calibrated against the TSC, whose frequency the platform
 * measured.  The legacy 8259 PICs are masked: the hypervisor takes no
 * device interrupts.
 */
#include <hv/arch.h>
#include "cpu.h"
#include "lapic.h"
#include "tables.h"

#define APIC_BASE_ENABLE  (1ull << 11)
#define APIC_BASE_X2APIC  (1ull << 10)
#define APIC_BASE_ADDR	  0xFFFFFF000ull

#define REG_EOI		  0x0B0
#define REG_SVR		  0x0F0
#define REG_LVT_TIMER	  0x320
#define REG_TIMER_INIT	  0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE  0x3E0
#define SVR_ENABLE	  0x100
#define LVT_MASKED	  0x10000
#define DIVIDE_BY_1	  0xB

static volatile u32 *apic;
static u64 apic_hz;

static u32 apic_read(u32 reg)
{
	return apic[reg / 4];
}

static void apic_write(u32 reg, u32 v)
{
	apic[reg / 4] = v;
}

static void mask_legacy_pics(void)
{
	outb(0x21, 0xFF);
	outb(0xA1, 0xFF);
}

/* Counts APIC timer ticks over 10 ms of TSC. */
static u64 calibrate(void)
{
	u64 start, wait = arch_tsc_hz() / 100;
	u32 left;

	apic_write(REG_TIMER_DIVIDE, DIVIDE_BY_1);
	apic_write(REG_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
	apic_write(REG_TIMER_INIT, 0xFFFFFFFF);
	start = vnr_rdtsc();
	while (vnr_rdtsc() - start < wait)
		;
	left = apic_read(REG_TIMER_CURRENT);
	apic_write(REG_TIMER_INIT, 0);
	return (u64)(0xFFFFFFFFu - left) * 100;
}

int lapic_init(void)
{
	u64 base = vnr_rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC))
		return -1; /* firmware hands over in xAPIC mode */
	apic = (volatile u32 *)(uintptr_t)(base & APIC_BASE_ADDR);
	mask_legacy_pics();
	apic_write(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	apic_hz = calibrate();
	if (apic_hz == 0)
		return -1;
	apic_write(REG_LVT_TIMER, VECTOR_TIMER);
	return 0;
}

u64 lapic_timer_hz(void)
{
	return apic_hz;
}

void lapic_eoi(void)
{
	apic_write(REG_EOI, 0);
}

void lapic_timer_interrupt(void)
{
	hv_tick_pending = true;
}

/*
 * A tick later than a second is never needed (the scheduler re-arms), and
 * with that bound and both rates scaled down by 256 the product below
 * fits 64 bits for any realistic TSC and APIC frequency.
 */
void arch_timer_arm(u64 tsc_delta)
{
	u64 tsc_hz = arch_tsc_hz();
	u64 ticks = MIN(tsc_delta, tsc_hz) * (apic_hz >> 8) / (tsc_hz >> 8);

	hv_tick_pending = false;
	apic_write(REG_TIMER_INIT, (u32)MAX(1, MIN(ticks, 0xFFFFFFFFull)));
}

void arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}
