/* SPDX-License-Identifier: MIT */
/*
 * The PC platform of a partition booted by the Linux boot protocol, built
 * hosted: the local APIC (hv/arch/x86/vlapic.c) through its MSRs
 * (guest_msr.c) and its xAPIC page (xapic_mmio.c), the ports
 * (pc_platform.c), the pvclock (pv_clock.c) and libvnr's MP table.  A
 * fake vendor layer keeps the VP's registers in the fake arch's register
 * file and fetches the instruction bytes a test sets.  Every access the
 * hardware refuses raises #GP (the MSR functions return false) or stops
 * the partition (the exit handlers return false), and changes nothing.
 */
#include <check.h>
#include <string.h>

#include <hv/reftime.h>
#include <libvnr/mp_table.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/guest.h"
#include "../../hv/arch/x86/pc_platform.h"
#include "../../hv/arch/x86/pv_clock.h"
#include "../../hv/arch/x86/vendor.h"
#include "../../hv/arch/x86/vlapic.h"
#include "../../hv/arch/x86/vp_state.h"
#include "../../hv/arch/x86/xapic_mmio.h"
#include "fake_pc_vendor.h"
#include "fixture.h"
#include "pc_fixture.h"

#define PAGE_GPA      0x5000ull		       /* in the fixture's RAM */
#define APIC_BASE_MSR (VLAPIC_BASE | 0x900ull) /* enabled, BSP */
#define EXTD	      0x400ull
#define X2(reg)	      (MSR_X2APIC_FIRST + (reg))
#define LVT_MASKED    0x10000ull
#define PERIODIC      0x20000ull
#define DEADLINE      0x40000ull
#define SVR_ON	      0x1FFull /* enabled, spurious vector 0xFF */
#define TIMER_VECTOR  0xECu
#define RIP	      PC_FX_RIP
/* 200 us at FAKE_TSC_HZ: the shortest period of a periodic timer. */
#define MIN_PERIOD (FAKE_TSC_HZ / 5000)

enum {
	R_ID = 0x02,
	R_VERSION = 0x03,
	R_TPR = 0x08,
	R_PPR = 0x0A,
	R_EOI = 0x0B,
	R_LDR = 0x0D,
	R_SVR = 0x0F,
	R_ISR = 0x10,
	R_TMR = 0x18,
	R_IRR = 0x20,
	R_ESR = 0x28,
	R_CMCI = 0x2F,
	R_ICR = 0x30,
	R_TIMER = 0x32,
	R_LINT0 = 0x35,
	R_ERROR = 0x37,
	R_INITIAL = 0x38,
	R_CURRENT = 0x39,
	R_DIVIDE = 0x3E,
	R_SELF_IPI = 0x3F,
};

static struct hv_partition *p;
static struct hv_vp *vp;

static void setup(void)
{
	vp = pc_fx_setup(&p, VNR_PRIV_MASK(DEBUG_CONSOLE));
}

static void teardown(void)
{
	pc_fx_teardown(p);
}

static u64 rd(u32 msr)
{
	return pc_fx_rdmsr(vp, msr);
}

static bool rd_faults(u32 msr)
{
	u64 value;

	return !guest_rdmsr(vp, msr, &value);
}

static void wr(u32 msr, u64 value)
{
	pc_fx_wrmsr(vp, msr, value);
}

static void x2apic_on(void)
{
	pc_fx_x2apic_on(vp);
}

static bool pending(u8 vector)
{
	return pc_fx_pending(vp, vector);
}

static bool in_service(u8 vector)
{
	return pc_fx_in_service(vp, vector);
}

static bool nothing_pending(void)
{
	return pc_fx_nothing_pending(vp);
}

/* The guest takes vector, as the backend's injection does. */
static void take(u8 vector)
{
	vintc_accept(&vp->intc, vector);
}

/* IA32_APIC_BASE */

START_TEST(apic_base_reads_an_enabled_xapic_at_the_usual_base)
{
	ck_assert_uint_eq(rd(MSR_APIC_BASE), APIC_BASE_MSR);
}
END_TEST

/* Linux reads it on AMD processors with erratum 400; nothing writes it. */
START_TEST(int_pending_msg_reads_0_and_refuses_writes)
{
	ck_assert_uint_eq(rd(MSR_K8_INT_PENDING_MSG), 0);
	ck_assert(!guest_wrmsr(vp, MSR_K8_INT_PENDING_MSG, 0));
	ck_assert_uint_eq(fake_completions, 0);
}
END_TEST

START_TEST(apic_base_switches_to_x2apic_once)
{
	wr(MSR_APIC_BASE, APIC_BASE_MSR);
	wr(MSR_APIC_BASE, APIC_BASE_MSR | EXTD);
	ck_assert_uint_eq(rd(MSR_APIC_BASE), APIC_BASE_MSR | EXTD);
	wr(MSR_APIC_BASE, APIC_BASE_MSR | EXTD);
	/* x2APIC back to xAPIC is an invalid transition (SDM 11.12.5). */
	ck_assert(!guest_wrmsr(vp, MSR_APIC_BASE, APIC_BASE_MSR));
	ck_assert_uint_eq(rd(MSR_APIC_BASE), APIC_BASE_MSR | EXTD);
}
END_TEST

START_TEST(apic_base_refuses_a_move_a_disable_and_reserved_bits)
{
	static const u64 refused[] = {
		0xFED00900ull,		     /* another base */
		VLAPIC_BASE | 0x100ull,	     /* disabled */
		VLAPIC_BASE | 0x500ull,	     /* x2APIC without enable */
		VLAPIC_BASE | 0x800ull,	     /* not the BSP */
		APIC_BASE_MSR | 0x1ull,	     /* reserved */
		APIC_BASE_MSR | (1ull << 63) /* reserved */
	};

	for (u32 i = 0; i < ARRAY_SIZE(refused); i++)
		ck_assert_msg(!guest_wrmsr(vp, MSR_APIC_BASE, refused[i]),
			      "APIC_BASE 0x%llx accepted",
			      (unsigned long long)refused[i]);
	ck_assert_uint_eq(rd(MSR_APIC_BASE), APIC_BASE_MSR);
}
END_TEST

START_TEST(x2apic_msrs_fault_in_xapic_mode)
{
	ck_assert(rd_faults(X2(R_ID)));
	ck_assert(rd_faults(X2(R_VERSION)));
	ck_assert(!guest_wrmsr(vp, X2(R_EOI), 0));
	ck_assert(!guest_wrmsr(vp, X2(R_SELF_IPI), 0x40));
	ck_assert(nothing_pending());
	ck_assert_uint_eq(rd(MSR_TSC_DEADLINE), 0); /* not an x2APIC MSR */
}
END_TEST

/* x2APIC registers */

START_TEST(x2apic_identifies_the_vp)
{
	x2apic_on();
	ck_assert_uint_eq(rd(X2(R_ID)), 0);
	ck_assert_uint_eq(rd(X2(R_LDR)), 1); /* cluster 0, bit 0 */
	ck_assert_uint_eq(rd(X2(R_VERSION)) & 0xFF, 0x14);
}
END_TEST

/* The max LVT entry of the version register counts every LVT it has. */
START_TEST(x2apic_version_counts_the_lvts_that_answer)
{
	u32 max_lvt;

	x2apic_on();
	max_lvt = (rd(X2(R_VERSION)) >> 16) & 0xFF;
	/* LVT CMCI (0x82F) exists only when the max LVT entry is 6 or more. */
	if (max_lvt < 6)
		ck_assert(rd_faults(X2(R_CMCI)));
	else
		ck_assert_uint_eq(rd(X2(R_CMCI)), LVT_MASKED);
}
END_TEST

START_TEST(x2apic_read_only_registers_fault_on_write)
{
	static const u32 regs[] = {R_ID,  R_VERSION, R_PPR,    R_LDR,
				   R_ISR, R_ISR + 7, R_TMR,    R_TMR + 7,
				   R_IRR, R_IRR + 7, R_CURRENT};

	x2apic_on();
	for (u32 i = 0; i < ARRAY_SIZE(regs); i++)
		ck_assert_msg(!guest_wrmsr(vp, X2(regs[i]), 0),
			      "write of 0x%x accepted", X2(regs[i]));
}
END_TEST

START_TEST(x2apic_write_only_registers_fault_on_read)
{
	x2apic_on();
	ck_assert(rd_faults(X2(R_EOI)));
	ck_assert(rd_faults(X2(R_SELF_IPI)));
}
END_TEST

/* Reserved x2APIC MSRs, DFR and ICR high among them (SDM table 11-6). */
START_TEST(x2apic_reserved_registers_fault)
{
	static const u32 regs[] = {0x00, 0x01, 0x04, 0x07, 0x09,
				   0x0C, 0x0E, 0x29, 0x2E, 0x31,
				   0x3A, 0x3D, 0x40, 0x80, 0xFF};

	x2apic_on();
	for (u32 i = 0; i < ARRAY_SIZE(regs); i++) {
		ck_assert_msg(rd_faults(X2(regs[i])), "read of 0x%x",
			      X2(regs[i]));
		ck_assert_msg(!guest_wrmsr(vp, X2(regs[i]), 0), "write of 0x%x",
			      X2(regs[i]));
	}
}
END_TEST

/* Non-zero writes to reserved bits raise #GP (SDM 11.12.1.3). */
START_TEST(x2apic_reserved_bits_fault)
{
	static const struct {
		u32 reg;
		u64 value;
	} refused[] = {
		{R_TPR, 0x100},
		{R_EOI, 1},
		{R_ESR, 1},
		{R_SVR, 0x200},
		{R_SVR, 0x1000}, /* EOI-broadcast suppression: not offered */
		{R_SVR, 1ull << 32},
		{R_SELF_IPI, 0x100},
		{R_DIVIDE, 0x4},
		{R_INITIAL, 1ull << 32},
		{R_ICR, 1ull << 12},
		{R_ICR, 1ull << 13},
		{R_ICR, 1ull << 16},
		{R_ICR, 1ull << 20},
		{R_TIMER, LVT_MASKED | 0x60000}, /* timer mode 3 */
		{R_TIMER, LVT_MASKED | 0x100},	 /* delivery mode */
		{R_LINT0, LVT_MASKED | 0x4000},	 /* remote IRR */
		{R_ERROR, LVT_MASKED | 0x400},
		{R_ERROR, LVT_MASKED | 1ull << 32},
	};

	x2apic_on();
	for (u32 i = 0; i < ARRAY_SIZE(refused); i++)
		ck_assert_msg(
			!guest_wrmsr(vp, X2(refused[i].reg), refused[i].value),
			"0x%llx to 0x%x accepted",
			(unsigned long long)refused[i].value,
			X2(refused[i].reg));
	ck_assert(nothing_pending());
}
END_TEST

START_TEST(lvts_stay_masked_while_the_apic_is_software_disabled)
{
	wr(MSR_APIC_BASE, APIC_BASE_MSR | EXTD);
	ck_assert_uint_eq(rd(X2(R_SVR)), 0xFF);
	wr(X2(R_TIMER), TIMER_VECTOR);
	ck_assert_uint_eq(rd(X2(R_TIMER)), LVT_MASKED | TIMER_VECTOR);
	wr(X2(R_SVR), SVR_ON);
	wr(X2(R_TIMER), TIMER_VECTOR);
	wr(X2(R_LINT0), 0x700);
	ck_assert_uint_eq(rd(X2(R_TIMER)), TIMER_VECTOR);
	wr(X2(R_SVR), 0xFF);
	ck_assert_uint_eq(rd(X2(R_TIMER)), LVT_MASKED | TIMER_VECTOR);
	ck_assert_uint_eq(rd(X2(R_LINT0)), LVT_MASKED | 0x700);
}
END_TEST

START_TEST(ppr_is_the_higher_of_tpr_and_the_class_in_service)
{
	x2apic_on();
	wr(X2(R_TPR), 0x20);
	ck_assert_uint_eq(rd(X2(R_PPR)), 0x20);
	vintc_raise(&vp->intc, 0x51, false);
	take(0x51);
	ck_assert_uint_eq(rd(X2(R_PPR)), 0x50);
	wr(X2(R_TPR), 0x6F);
	ck_assert_uint_eq(rd(X2(R_PPR)), 0x6F);
}
END_TEST

/* A pending vector of TPR's class or below waits until TPR drops. */
START_TEST(tpr_holds_back_its_class_and_below)
{
	x2apic_on();
	wr(X2(R_TPR), 0x5F);
	vintc_raise(&vp->intc, 0x51, false);
	ck_assert_int_eq(vintc_deliverable(&vp->intc), -1);
	vintc_raise(&vp->intc, 0x61, false);
	ck_assert_int_eq(vintc_deliverable(&vp->intc), 0x61);
	take(0x61);
	ck_assert_int_eq(vintc_deliverable(&vp->intc), -1);
	wr(X2(R_TPR), 0x40);
	wr(X2(R_EOI), 0);
	ck_assert_int_eq(vintc_deliverable(&vp->intc), 0x51);
}
END_TEST

START_TEST(irr_and_isr_read_the_vectors_of_the_interrupt_controller)
{
	x2apic_on();
	vintc_raise(&vp->intc, 0x45, false);
	vintc_raise(&vp->intc, 0xE1, false);
	ck_assert_uint_eq(rd(X2(R_IRR + 2)), 1u << 5);
	ck_assert_uint_eq(rd(X2(R_IRR + 7)), 1u << 1);
	ck_assert_uint_eq(rd(X2(R_ISR + 7)), 0);
	take(0xE1);
	ck_assert_uint_eq(rd(X2(R_IRR + 7)), 0);
	ck_assert_uint_eq(rd(X2(R_ISR + 7)), 1u << 1);
	for (u32 w = 0; w < 8; w++)
		ck_assert_uint_eq(rd(X2(R_TMR + w)), 0);
}
END_TEST

START_TEST(eoi_ends_the_highest_vector_in_service)
{
	x2apic_on();
	wr(X2(R_EOI), 0); /* nothing in service: nothing changes */
	vintc_raise(&vp->intc, 0x30, false);
	take(0x30);
	vintc_raise(&vp->intc, 0x80, false);
	take(0x80);
	wr(X2(R_EOI), 0);
	ck_assert(!in_service(0x80));
	ck_assert(in_service(0x30));
	wr(X2(R_EOI), 0);
	ck_assert(!in_service(0x30));
	wr(X2(R_EOI), 0);
}
END_TEST

START_TEST(self_ipi_raises_its_vector_and_drops_illegal_ones)
{
	x2apic_on();
	wr(X2(R_SELF_IPI), 0x41);
	ck_assert(pending(0x41));
	wr(X2(R_SELF_IPI), 0x0F);
	ck_assert(!pending(0x0F));
}
END_TEST

START_TEST(icr_fixed_interrupts_reach_the_vps_named)
{
	x2apic_on();
	wr(X2(R_ICR), 0x50);		      /* physical, VP 0 */
	wr(X2(R_ICR), 0xFFFFFFFF00000051ull); /* broadcast */
	wr(X2(R_ICR), 0x40052);		      /* self */
	wr(X2(R_ICR), 0x80053);		      /* all including self */
	wr(X2(R_ICR), 0xC0054);		      /* all but self */
	wr(X2(R_ICR), (7ull << 32) | 0x55);   /* no such VP */
	wr(X2(R_ICR), 0x0A);		      /* an illegal vector */
	for (u8 v = 0x50; v <= 0x53; v++)
		ck_assert_msg(pending(v), "vector 0x%x", v);
	ck_assert(!pending(0x54));
	ck_assert(!pending(0x55));
	ck_assert(!pending(0x0A));
}
END_TEST

/* NMI, SMI, INIT and start-up IPIs: a partition's VPs cannot be reset. */
START_TEST(icr_other_delivery_modes_are_dropped)
{
	static const u64 modes[] = {0x200, 0x400, 0x500, 0x600};

	x2apic_on();
	for (u32 i = 0; i < ARRAY_SIZE(modes); i++)
		wr(X2(R_ICR), modes[i] | 0x40060);
	ck_assert(nothing_pending());
	ck_assert_int_eq(vp->state, HV_VP_RUNNABLE);
}
END_TEST

/* In x2APIC mode the ICR is one 64-bit register (SDM 11.12.9). */
START_TEST(icr_reads_back_what_was_written)
{
	x2apic_on();
	wr(X2(R_ICR), (3ull << 32) | 0x4060);
	ck_assert_uint_eq(rd(X2(R_ICR)), (3ull << 32) | 0x4060);
}
END_TEST

/* The timer, on the fake TSC */

START_TEST(one_shot_fires_once_after_count_times_divisor)
{
	x2apic_on();
	wr(X2(R_DIVIDE), 0); /* divide by 2 */
	wr(X2(R_TIMER), TIMER_VECTOR);
	fake_tsc = 1000;
	wr(X2(R_INITIAL), 100);
	ck_assert_uint_eq(rd(X2(R_INITIAL)), 100);
	fake_tsc = 1100;
	ck_assert_uint_eq(rd(X2(R_CURRENT)), 50);
	ck_assert_uint_eq(vlapic_poll(vp, 1199), 1200);
	ck_assert(!pending(TIMER_VECTOR));
	ck_assert_uint_eq(vlapic_poll(vp, 1200), ~0ull);
	ck_assert(pending(TIMER_VECTOR));
	fake_tsc = 1300;
	ck_assert_uint_eq(rd(X2(R_CURRENT)), 0);
	ck_assert_uint_eq(vlapic_poll(vp, 5000), ~0ull);
}
END_TEST

/* Divide configuration bits 0, 1 and 3 (SDM figure 11-10). */
START_TEST(every_divide_configuration_scales_the_count)
{
	static const struct {
		u32 config;
		u64 divisor;
	} div[] = {{0x0, 2},  {0x1, 4},	 {0x2, 8},   {0x3, 16},
		   {0x8, 32}, {0x9, 64}, {0xA, 128}, {0xB, 1}};

	x2apic_on();
	wr(X2(R_TIMER), TIMER_VECTOR);
	for (u32 i = 0; i < ARRAY_SIZE(div); i++) {
		fake_tsc = 0;
		wr(X2(R_DIVIDE), div[i].config);
		ck_assert_uint_eq(rd(X2(R_DIVIDE)), div[i].config);
		wr(X2(R_INITIAL), 10);
		ck_assert_uint_eq(vlapic_poll(vp, 0), 10 * div[i].divisor);
	}
}
END_TEST

START_TEST(an_initial_count_of_zero_stops_the_timer)
{
	x2apic_on();
	wr(X2(R_TIMER), TIMER_VECTOR | PERIODIC);
	wr(X2(R_INITIAL), 0x100000);
	wr(X2(R_INITIAL), 0);
	ck_assert_uint_eq(vlapic_poll(vp, ~0ull - 1), ~0ull);
	ck_assert(nothing_pending());
}
END_TEST

START_TEST(a_periodic_timer_rearms_and_skips_what_it_missed)
{
	const u64 period = 2 * MIN_PERIOD;

	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), TIMER_VECTOR | PERIODIC);
	wr(X2(R_INITIAL), period);
	ck_assert_uint_eq(vlapic_poll(vp, period), 2 * period);
	ck_assert(pending(TIMER_VECTOR));
	take(TIMER_VECTOR);
	/* Ten periods late: one interrupt, the next a period from now. */
	ck_assert_uint_eq(vlapic_poll(vp, 12 * period + 5), 13 * period + 5);
	ck_assert(pending(TIMER_VECTOR));
}
END_TEST

/*
 * A periodic timer of count 1 re-arms no sooner than 200 us later, as
 * KVM bounds it: it cannot fall due at every entry of its VP, nor keep
 * the hypervisor's own timer firing while the VP halts.
 */
START_TEST(a_periodic_timer_of_count_1_is_bounded_to_200us)
{
	u64 next;

	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), TIMER_VECTOR | PERIODIC);
	wr(X2(R_INITIAL), 1);
	next = vlapic_poll(vp, 1);
	ck_assert(pending(TIMER_VECTOR));
	ck_assert_uint_ge(next, 1 + MIN_PERIOD);
	for (u32 i = 0; i < 100; i++) {
		u64 now = next;

		next = vlapic_poll(vp, now);
		ck_assert_uint_ge(next, now + MIN_PERIOD);
	}
	fake_tsc = next - MIN_PERIOD / 2;
	ck_assert_uint_le(rd(X2(R_CURRENT)), 1);
}
END_TEST

/* Masked, the timer counts on and interrupts nothing. */
START_TEST(a_masked_timer_raises_nothing)
{
	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), LVT_MASKED | TIMER_VECTOR | PERIODIC);
	wr(X2(R_INITIAL), MIN_PERIOD);
	ck_assert_uint_eq(vlapic_poll(vp, MIN_PERIOD), 2 * MIN_PERIOD);
	ck_assert(nothing_pending());
}
END_TEST

START_TEST(software_disable_masks_an_armed_timer)
{
	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), TIMER_VECTOR);
	wr(X2(R_INITIAL), 100);
	wr(X2(R_SVR), 0xFF);
	vlapic_poll(vp, 100);
	ck_assert(nothing_pending());
}
END_TEST

START_TEST(the_timer_wakes_its_halted_vp)
{
	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), TIMER_VECTOR);
	wr(X2(R_INITIAL), 100);
	sched_halt(vp, 0);
	ck_assert_int_eq(vp->state, HV_VP_HALTED);
	vlapic_poll(vp, 100);
	ck_assert_int_eq(vp->state, HV_VP_RUNNABLE);
	ck_assert(pending(TIMER_VECTOR));
}
END_TEST

/* IA32_TSC_DEADLINE outside deadline mode: reads 0, writes ignored. */
START_TEST(tsc_deadline_is_ignored_outside_deadline_mode)
{
	x2apic_on();
	wr(X2(R_TIMER), TIMER_VECTOR);
	wr(MSR_TSC_DEADLINE, 500);
	ck_assert_uint_eq(rd(MSR_TSC_DEADLINE), 0);
	ck_assert_uint_eq(vlapic_poll(vp, 1000), ~0ull);
	ck_assert(nothing_pending());
}
END_TEST

START_TEST(tsc_deadline_fires_once_at_its_value)
{
	x2apic_on();
	wr(X2(R_TIMER), TIMER_VECTOR | DEADLINE);
	wr(MSR_TSC_DEADLINE, 5000);
	ck_assert_uint_eq(rd(MSR_TSC_DEADLINE), 5000);
	wr(X2(R_INITIAL), 10); /* ignored in deadline mode */
	ck_assert_uint_eq(rd(X2(R_INITIAL)), 0);
	ck_assert_uint_eq(rd(X2(R_CURRENT)), 0);
	ck_assert_uint_eq(vlapic_poll(vp, 4999), 5000);
	ck_assert_uint_eq(vlapic_poll(vp, 5000), ~0ull);
	ck_assert(pending(TIMER_VECTOR));
	ck_assert_uint_eq(rd(MSR_TSC_DEADLINE), 0);
}
END_TEST

START_TEST(a_tsc_deadline_in_the_past_fires_at_the_next_poll)
{
	x2apic_on();
	wr(X2(R_TIMER), TIMER_VECTOR | DEADLINE);
	fake_tsc = 1000000;
	wr(MSR_TSC_DEADLINE, 1);
	ck_assert_uint_eq(vlapic_poll(vp, fake_tsc), ~0ull);
	ck_assert(pending(TIMER_VECTOR));
}
END_TEST

START_TEST(a_tsc_deadline_of_zero_disarms_and_of_all_ones_never_fires)
{
	x2apic_on();
	wr(X2(R_TIMER), TIMER_VECTOR | DEADLINE);
	wr(MSR_TSC_DEADLINE, 100);
	wr(MSR_TSC_DEADLINE, 0);
	ck_assert_uint_eq(vlapic_poll(vp, 200), ~0ull);
	wr(MSR_TSC_DEADLINE, ~0ull);
	ck_assert_uint_eq(vlapic_poll(vp, ~0ull - 1), ~0ull);
	ck_assert(nothing_pending());
}
END_TEST

/* Transitions into and out of TSC-deadline mode disarm (SDM 11.5.4.1). */
START_TEST(changing_to_or_from_deadline_mode_disarms_the_timer)
{
	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), TIMER_VECTOR);
	wr(X2(R_INITIAL), 100);
	wr(X2(R_TIMER), TIMER_VECTOR | DEADLINE);
	ck_assert_uint_eq(vlapic_poll(vp, 100), ~0ull);
	wr(MSR_TSC_DEADLINE, 200);
	wr(X2(R_TIMER), TIMER_VECTOR);
	ck_assert_uint_eq(vlapic_poll(vp, 200), ~0ull);
	ck_assert(nothing_pending());
}
END_TEST

/* Between one-shot and periodic the timer keeps counting. */
START_TEST(changing_between_one_shot_and_periodic_keeps_the_count)
{
	x2apic_on();
	wr(X2(R_DIVIDE), 0xB);
	wr(X2(R_TIMER), TIMER_VECTOR);
	wr(X2(R_INITIAL), MIN_PERIOD);
	wr(X2(R_TIMER), TIMER_VECTOR | PERIODIC);
	ck_assert_uint_eq(rd(X2(R_INITIAL)), MIN_PERIOD);
	ck_assert_uint_eq(vlapic_poll(vp, MIN_PERIOD), 2 * MIN_PERIOD);
	ck_assert(pending(TIMER_VECTOR));
}
END_TEST

/* The xAPIC page */

static struct x86_exit npf(u32 offset, bool write)
{
	return (struct x86_exit){.reason = HV_EXIT_NESTED_PAGE_FAULT,
				 .qualification = VLAPIC_BASE + offset,
				 .write = write};
}

static void code(const u8 *bytes, u32 n)
{
	memcpy(fake_insn, bytes, n);
	fake_insn_len = n;
}

/* Runs the access of bytes at offset; true if it completed. */
static bool mmio(const u8 *bytes, u32 n, u32 offset, bool write)
{
	struct x86_exit e = npf(offset, write);

	code(bytes, n);
	return xapic_mmio(vp, &e);
}

/* The read of the version register by each form of 8B /r. */
START_TEST(xapic_reads_decode_every_modrm_sib_and_disp_form)
{
	static const struct {
		u8 bytes[8];
		u32 len;
		enum hv_reg reg;
	} forms[] = {
		{{0x8B, 0x00}, 2, HV_REG_RAX},		   /* [rax] */
		{{0x8B, 0x38}, 2, HV_REG_RDI},		   /* edi, [rax] */
		{{0x8B, 0x05, 1, 2, 3, 4}, 6, HV_REG_RAX}, /* [rip+d32] */
		{{0x8B, 0x04, 0x24}, 3, HV_REG_RAX},	   /* [rsp] */
		{{0x8B, 0x04, 0x25, 1, 2, 3, 4}, 7, HV_REG_RAX}, /* [d32] */
		{{0x8B, 0x40, 0x08}, 3, HV_REG_RAX},		 /* [rax+d8] */
		{{0x8B, 0x45, 0x00}, 3, HV_REG_RAX},		 /* [rbp+d8] */
		{{0x8B, 0x80, 1, 2, 3, 4}, 6, HV_REG_RAX},	 /* [rax+d32] */
		{{0x8B, 0x44, 0x24, 0x08}, 4, HV_REG_RAX},	 /* SIB+d8 */
		{{0x8B, 0x84, 0x24, 1, 2, 3, 4}, 7, HV_REG_RAX}, /* SIB+d32 */
		{{0x8B, 0x14, 0x8D, 1, 2, 3, 4},
		 7,
		 HV_REG_RDX},				   /* [rcx*4+d32] */
		{{0x44, 0x8B, 0x00}, 3, HV_REG_R8},	   /* REX.R */
		{{0x44, 0x8B, 0x3C, 0x24}, 4, HV_REG_R15}, /* REX.R, SIB */
		{{0x41, 0x8B, 0x00}, 3, HV_REG_RAX},	   /* REX.B */
		{{0x40, 0x8B, 0x18}, 3, HV_REG_RBX},	   /* empty REX */
	};
	u64 version;

	ck_assert(vlapic_read_reg(vp, R_VERSION, &version));

	for (u32 i = 0; i < ARRAY_SIZE(forms); i++) {
		arch_vp_set_reg(vp, forms[i].reg, ~0ull);
		arch_vp_set_reg(vp, HV_REG_RIP, RIP);
		ck_assert_msg(mmio(forms[i].bytes, sizeof(forms[i].bytes), 0x30,
				   false),
			      "form %u refused", i);
		ck_assert_uint_eq(arch_vp_get_reg(vp, forms[i].reg), version);
		ck_assert_msg(
			arch_vp_get_reg(vp, HV_REG_RIP) == RIP + forms[i].len,
			"form %u: length %llu", i,
			(unsigned long long)(arch_vp_get_reg(vp, HV_REG_RIP) -
					     RIP));
	}
}
END_TEST

START_TEST(xapic_writes_take_a_register_or_an_immediate)
{
	static const u8 mov_ecx[] = {0x89, 0x08};
	static const u8 mov_r9[] = {0x44, 0x89, 0x08};
	static const u8 mov_imm[] = {0xC7, 0x00, 0x30, 0, 0, 0};
	static const u8 mov_imm_d32[] = {0xC7, 0x80, 1, 2, 3, 4, 0x40, 0, 0, 0};
	static const u8 mov_imm_sib[] = {0xC7, 0x04, 0x24, 0x50, 0, 0, 0};
	u64 tpr;

	arch_vp_set_reg(vp, HV_REG_RCX, 0xFFFFFFFF00000010ull);
	ck_assert(mmio(mov_ecx, sizeof(mov_ecx), 0x80, true));
	ck_assert(vlapic_read_reg(vp, R_TPR, &tpr));
	ck_assert_uint_eq(tpr, 0x10);
	arch_vp_set_reg(vp, HV_REG_R9, 0x20);
	ck_assert(mmio(mov_r9, sizeof(mov_r9), 0x80, true));
	ck_assert(vlapic_read_reg(vp, R_TPR, &tpr));
	ck_assert_uint_eq(tpr, 0x20);
	ck_assert(mmio(mov_imm, sizeof(mov_imm), 0x80, true));
	ck_assert(vlapic_read_reg(vp, R_TPR, &tpr));
	ck_assert_uint_eq(tpr, 0x30);
	ck_assert(mmio(mov_imm_d32, sizeof(mov_imm_d32), 0x80, true));
	ck_assert(vlapic_read_reg(vp, R_TPR, &tpr));
	ck_assert_uint_eq(tpr, 0x40);
	ck_assert(mmio(mov_imm_sib, sizeof(mov_imm_sib), 0x80, true));
	ck_assert(vlapic_read_reg(vp, R_TPR, &tpr));
	ck_assert_uint_eq(tpr, 0x50);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RIP),
			  RIP + 2 + 3 + 6 + 10 + 7);
}
END_TEST

/* What the decoder does not know stops the partition, having done nothing. */
START_TEST(xapic_refuses_what_it_does_not_decode)
{
	static const struct {
		u8 bytes[8];
		u32 n;
		bool write;
	} refused[] = {
		{{0x48, 0x8B, 0x00}, 3, false},	     /* REX.W: 64 bits */
		{{0x66, 0x8B, 0x00}, 3, false},	     /* 16 bits */
		{{0x8A, 0x00}, 2, false},	     /* 8 bits */
		{{0x8B, 0xC0}, 2, false},	     /* mod 3: no memory */
		{{0xC7, 0xC0, 0, 0, 0, 0}, 6, true}, /* mod 3 */
		{{0xC7, 0x08, 0, 0, 0, 0}, 6, true}, /* C7 /1 */
		{{0x48, 0xC7, 0x00, 0, 0, 0, 0}, 7, true},
		{{0x8B, 0x00}, 2, true}, /* a read that faulted as a write */
		{{0x89, 0x00}, 2, false},
		{{0xF3, 0xA5}, 2, false}, /* MOVS */
	};

	for (u32 i = 0; i < ARRAY_SIZE(refused); i++) {
		arch_vp_set_reg(vp, HV_REG_RAX, 0x1234);
		ck_assert_msg(!mmio(refused[i].bytes, refused[i].n, 0x80,
				    refused[i].write),
			      "form %u accepted", i);
		ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RAX), 0x1234);
	}
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RIP), RIP);
}
END_TEST

/* An instruction cut short by the fetch (a page boundary) is refused. */
START_TEST(xapic_refuses_a_truncated_fetch)
{
	static const struct {
		u8 bytes[8];
		u32 n;
	} cut[] = {
		{{0x44}, 1},
		{{0x8B}, 1},
		{{0x44, 0x8B}, 2},
		{{0x8B, 0x04}, 2}, /* SIB missing */
		{{0x8B, 0x04, 0x25, 1, 2}, 5},
		{{0x8B, 0x40}, 2},
		{{0x8B, 0x80, 1, 2, 3}, 5},
		{{0x8B, 0x05, 1}, 3},
		{{0xC7, 0x00, 1, 2, 3}, 5},
		{{0xC7, 0x04, 0x24, 1}, 4},
	};

	for (u32 i = 0; i < ARRAY_SIZE(cut); i++)
		ck_assert_msg(!mmio(cut[i].bytes, cut[i].n, 0x30, false) &&
				      !mmio(cut[i].bytes, cut[i].n, 0x80, true),
			      "form %u accepted", i);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RIP), RIP);
	ck_assert_uint_eq(fake_completions, 0);
}
END_TEST

START_TEST(xapic_refuses_other_pages_unaligned_offsets_and_x2apic_mode)
{
	static const u8 mov[] = {0x8B, 0x00};
	struct x86_exit e = npf(0x30, false);

	code(mov, sizeof(mov));
	e.qualification = VLAPIC_BASE - 4;
	ck_assert(!xapic_mmio(vp, &e));
	e.qualification = VLAPIC_BASE + PAGE_SIZE;
	ck_assert(!xapic_mmio(vp, &e));
	ck_assert(!mmio(mov, sizeof(mov), 0x34, false));
	wr(MSR_APIC_BASE, APIC_BASE_MSR | EXTD);
	ck_assert(!mmio(mov, sizeof(mov), 0x30, false));
}
END_TEST

/* RIP moves as the backend completes an instruction (a single step too). */
START_TEST(xapic_accesses_complete_through_the_backend)
{
	static const u8 mov[] = {0x8B, 0x00};

	ck_assert(mmio(mov, sizeof(mov), 0x30, false));
	ck_assert_uint_eq(fake_completions, 1);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RIP), RIP + 2);
}
END_TEST

static u32 xapic_read(u32 offset)
{
	static const u8 mov[] = {0x8B, 0x00};

	ck_assert(mmio(mov, sizeof(mov), offset, false));
	return (u32)arch_vp_get_reg(vp, HV_REG_RAX);
}

static void xapic_write(u32 offset, u32 value)
{
	static const u8 mov[] = {0x89, 0x00};

	arch_vp_set_reg(vp, HV_REG_RAX, value);
	ck_assert(mmio(mov, sizeof(mov), offset, true));
}

START_TEST(xapic_layouts_of_id_dfr_and_icr)
{
	ck_assert_uint_eq(xapic_read(0x20), 0);
	ck_assert_uint_eq(xapic_read(0xE0), 0xFFFFFFFF);
	xapic_write(0x20, 0x05000000); /* the ID stays */
	ck_assert_uint_eq(xapic_read(0x20), 0);
	xapic_write(0xF0, SVR_ON);
	xapic_write(0x310, 0);
	xapic_write(0x300, 0x4061);
	ck_assert(pending(0x61));
	ck_assert_uint_eq(xapic_read(0x300) & (1u << 12), 0); /* idle */
	xapic_write(0x310, 0x07000000);			      /* no such VP */
	ck_assert_uint_eq(xapic_read(0x310), 0x07000000);
	xapic_write(0x300, 0x4062);
	ck_assert(!pending(0x62));
}
END_TEST

START_TEST(xapic_eoi_takes_any_value_and_reads_zero)
{
	vintc_raise(&vp->intc, 0x70, false);
	take(0x70);
	xapic_write(0xB0, 0xDEADBEEF);
	ck_assert(!in_service(0x70));
	ck_assert_uint_eq(xapic_read(0xB0), 0);
}
END_TEST

/* SELF IPI (0x3F0) is an x2APIC register: reserved on the xAPIC page. */
START_TEST(xapic_page_has_no_self_ipi)
{
	xapic_write(0xF0, SVR_ON);
	xapic_write(0x3F0, 0x41);
	ck_assert(nothing_pending());
	ck_assert_uint_eq(xapic_read(0x3F0), 0);
}
END_TEST

/* The UART and the absent ports */

static u64 in(u16 port, u8 size, u64 rax)
{
	return pc_fx_in(vp, port, size, rax);
}

static u8 uart_in(u16 port)
{
	return (u8)in(port, 1, 0);
}

static void out(u16 port, u8 size, u64 value)
{
	pc_fx_out(vp, port, size, value);
}

static void uart_out(u16 port, u8 value)
{
	out(port, 1, value);
}

#define COM1 0x3F8

/* What Linux's 8250 autoconfig() asks before it calls the port a 16550A. */
START_TEST(uart_passes_the_8250_autoconfig_as_a_16550a)
{
	u8 ier;

	/* The IER test: 0 and 0x0F read back. */
	uart_out(COM1 + 1, 0);
	ck_assert_uint_eq(uart_in(COM1 + 1) & 0x0F, 0);
	uart_out(COM1 + 1, 0x0F);
	ck_assert_uint_eq(uart_in(COM1 + 1) & 0x0F, 0x0F);
	uart_out(COM1 + 1, 0);
	/* The scratch register keeps a byte. */
	uart_out(COM1 + 7, 0xA5);
	ck_assert_uint_eq(uart_in(COM1 + 7), 0xA5);
	/* The loopback test: RTS and OUT2 come back as CTS and DCD. */
	uart_out(COM1 + 4, 0x1A);
	ck_assert_uint_eq(uart_in(COM1 + 6) & 0xF0, 0x90);
	uart_out(COM1 + 4, 0x1F);
	ck_assert_uint_eq(uart_in(COM1 + 6) & 0xF0, 0xF0);
	uart_out(COM1 + 4, 0);
	/* FIFOs on: IIR bits 7:6 say 16550A; the 16750 test fails. */
	uart_out(COM1 + 3, 0xBF);
	uart_out(COM1 + 2, 0);
	uart_out(COM1 + 3, 0);
	uart_out(COM1 + 2, 0x01);
	ck_assert_uint_eq(uart_in(COM1 + 2) >> 6, 3);
	uart_out(COM1 + 2, 0x21);
	ck_assert_uint_eq(uart_in(COM1 + 2) >> 5, 6);
	uart_out(COM1 + 3, 0x80);
	uart_out(COM1 + 2, 0x21);
	ck_assert_uint_eq(uart_in(COM1 + 2) >> 5, 6);
	uart_out(COM1 + 3, 0);
	/* No UUE bit (XScale) in the IER. */
	ier = uart_in(COM1 + 1);
	uart_out(COM1 + 1, ier | 0x40);
	ck_assert_uint_eq(uart_in(COM1 + 1) & 0x40, 0);
	/* No interrupt pending; FIFOs off clear IIR bits 7:6. */
	uart_out(COM1 + 2, 0);
	ck_assert_uint_eq(uart_in(COM1 + 2), 0x01);
}
END_TEST

START_TEST(uart_line_is_ready_and_a_terminal_is_there)
{
	ck_assert_uint_eq(uart_in(COM1 + 5), 0x60);
	ck_assert_uint_eq(uart_in(COM1 + 6) & 0xF0, 0xB0);
	ck_assert_uint_eq(uart_in(COM1), 0); /* nothing is ever received */
}
END_TEST

START_TEST(uart_divisor_latch_reads_back_and_prints_nothing)
{
	uart_out(COM1 + 3, 0x83);
	uart_out(COM1, 0x01);
	uart_out(COM1 + 1, 0x02);
	ck_assert_uint_eq(uart_in(COM1), 0x01);
	ck_assert_uint_eq(uart_in(COM1 + 1), 0x02);
	uart_out(COM1 + 3, 0x03);
	ck_assert_uint_eq(uart_in(COM1 + 3), 0x03);
	ck_assert_uint_eq(uart_in(COM1 + 1), 0);
	ck_assert_uint_eq(fake_console_len, 0);
}
END_TEST

START_TEST(uart_prints_lines_as_the_partition_console)
{
	const char *text = "hi\x1b\n";

	for (const char *c = text; *c; c++)
		uart_out(COM1, (u8)*c);
	ck_assert_str_eq(fake_console, "[pc] hi?\n");
	/* Loopback: nothing leaves the chip. */
	uart_out(COM1 + 4, 0x10);
	uart_out(COM1, 'x');
	uart_out(COM1, '\n');
	ck_assert_str_eq(fake_console, "[pc] hi?\n");
}
END_TEST

/* The UART is a console, and a console needs debug_console. */
START_TEST(uart_without_debug_console_prints_nothing)
{
	p->privileges = 0;
	uart_out(COM1, 'x');
	uart_out(COM1, '\n');
	ck_assert_uint_eq(fake_console_len, 0);
	ck_assert_uint_eq(uart_in(COM1 + 5), 0x60); /* still a UART */
}
END_TEST

/* Ports without a device: IN reads all ones, as wide as the access. */
START_TEST(absent_ports_read_all_ones_at_each_width)
{
	const u64 rax = 0x1122334455667788ull;

	ck_assert_uint_eq(in(0x80, 1, rax), 0x11223344556677FFull);
	ck_assert_uint_eq(in(0x61, 2, rax), 0x112233445566FFFFull);
	ck_assert_uint_eq(in(0x70, 4, rax), 0xFFFFFFFFull); /* zero-extends */
	ck_assert_uint_eq(in(0xFFFF, 1, rax), 0x11223344556677FFull);
	/* A UART register is a byte: a wider access finds no device. */
	ck_assert_uint_eq(in(COM1, 2, rax), 0x112233445566FFFFull);
	ck_assert_uint_eq(in(COM1 + 4, 4, rax), 0xFFFFFFFFull);
	ck_assert_uint_eq(arch_vp_get_reg(vp, HV_REG_RIP), RIP + 6);
}
END_TEST

START_TEST(absent_ports_drop_writes)
{
	out(0x80, 1, 0x55);
	out(0x70, 4, 0x80000000u);
	out(COM1, 2, 'x');
	ck_assert_uint_eq(fake_console_len, 0);
	ck_assert_uint_eq(fake_completions, 3);
}
END_TEST

START_TEST(string_io_stops_the_partition)
{
	struct x86_exit e = pc_fx_port_exit(COM1, 1, true);

	e.io_string = true;
	ck_assert(!pc_platform_io(vp, &e));
	ck_assert_uint_eq(fake_completions, 0);
}
END_TEST

/* The pvclock */

struct pv_record {
	u32 version, pad0;
	u64 tsc_timestamp, system_time;
	u32 mul;
	int8_t shift;
	u8 flags, pad[2];
};

/* The guest's computation (Linux's pvclock_scale_delta). */
static u64 pvclock_ns(const struct pv_record *r, u64 tsc)
{
	u64 delta = tsc - r->tsc_timestamp;

	if (r->shift < 0)
		delta >>= -r->shift;
	else
		delta <<= r->shift;
	return r->system_time +
	       (u64)(((unsigned __int128)delta * r->mul) >> 32);
}

START_TEST(pvclock_record_gives_the_reference_time_in_ns)
{
	static const u64 hz[] = {FAKE_TSC_HZ,	1000000000ull, 2000000000ull,
				 3000000000ull, 999999999ull,  4200000000ull,
				 100000000ull,	1000001ull};
	const struct pv_record *r = fx_gpa(p, PAGE_GPA);

	for (u32 i = 0; i < ARRAY_SIZE(hz); i++) {
		u64 ns;

		fake_tsc_hz = hz[i];
		wr(MSR_PV_SYSTEM_TIME, PAGE_GPA | 1);
		ck_assert_uint_eq(r->version % 2, 0);
		ck_assert_uint_eq(r->flags, 1); /* TSC stable */
		ck_assert_uint_eq(r->system_time, 0);
		ck_assert_uint_eq(r->tsc_timestamp, reftime_to_tsc(0));
		ck_assert_uint_ge(r->mul, 1u << 31);
		ns = pvclock_ns(r, r->tsc_timestamp + hz[i]);
		ck_assert_msg(ns <= 1000000000ull && ns >= 999999999ull,
			      "%llu Hz: 1 s is %llu ns",
			      (unsigned long long)hz[i],
			      (unsigned long long)ns);
	}
	fake_tsc_hz = FAKE_TSC_HZ;
	/* At FAKE_TSC_HZ the scale is exact over a long time too. */
	wr(MSR_PV_SYSTEM_TIME, PAGE_GPA | 1);
	ck_assert_uint_eq(pvclock_ns(r, r->tsc_timestamp + 3600 * FAKE_TSC_HZ),
			  3600 * 1000000000ull);
	ck_assert_uint_eq(rd(MSR_PV_SYSTEM_TIME), PAGE_GPA | 1);
}
END_TEST

START_TEST(pvclock_version_moves_on_by_two_to_an_even_value)
{
	struct pv_record *r = fx_gpa(p, PAGE_GPA);

	r->version = 7;
	wr(MSR_PV_SYSTEM_TIME, PAGE_GPA | 1);
	ck_assert_uint_eq(r->version, 8);
	wr(MSR_PV_SYSTEM_TIME, PAGE_GPA | 1);
	ck_assert_uint_eq(r->version, 10);
}
END_TEST

START_TEST(pvclock_disabled_writes_nothing)
{
	const u8 *page = fx_gpa(p, PAGE_GPA);

	wr(MSR_PV_SYSTEM_TIME, PAGE_GPA);
	ck_assert_uint_eq(rd(MSR_PV_SYSTEM_TIME), PAGE_GPA);
	for (u32 i = 0; i < 32; i++)
		ck_assert_uint_eq(page[i], 0);
}
END_TEST

/* A record outside RAM, across its end or misaligned: #GP, nothing kept. */
START_TEST(pvclock_refuses_records_outside_ram)
{
	static const u64 refused[] = {
		FX_RAM_SIZE | 1,	PAGE_GPA | 0x3,	    PAGE_GPA | 0x11,
		(~0ull & ~0x1Full) | 1, 0x100000000ull | 1,
	};

	for (u32 i = 0; i < ARRAY_SIZE(refused); i++)
		ck_assert_msg(!guest_wrmsr(vp, MSR_PV_SYSTEM_TIME, refused[i]),
			      "0x%llx accepted",
			      (unsigned long long)refused[i]);
	ck_assert_uint_eq(rd(MSR_PV_SYSTEM_TIME), 0);
	wr(MSR_PV_SYSTEM_TIME, (FX_RAM_SIZE - 32) | 1);
}
END_TEST

START_TEST(pv_wall_clock_is_the_epoch_at_system_time_zero)
{
	u32 *w = fx_gpa(p, PAGE_GPA + 4);

	w[0] = 3;
	w[1] = w[2] = 0xFFFFFFFF;
	wr(MSR_PV_WALL_CLOCK, PAGE_GPA + 4);
	ck_assert_uint_eq(w[0], 4);
	ck_assert_uint_eq(w[1], 0);
	ck_assert_uint_eq(w[2], 0);
	ck_assert_uint_eq(rd(MSR_PV_WALL_CLOCK), PAGE_GPA + 4);
	wr(MSR_PV_WALL_CLOCK, FX_RAM_SIZE - 12);
}
END_TEST

/*
 * With the firmware's clock read 2.5 ms after reference time 0 (the
 * fake's TSC runs at 2.56 GHz), the record holds the time of day at 0.
 */
START_TEST(pv_wall_clock_is_the_firmware_time_at_system_time_zero)
{
	u32 *w = fx_gpa(p, PAGE_GPA + 4);
	u64 zero = reftime_to_tsc(0);

	fake_tsc = zero + 6400000;
	reftime_set_wall_clock(1700000000, fake_tsc);
	wr(MSR_PV_WALL_CLOCK, PAGE_GPA + 4);
	ck_assert_uint_eq(w[1], 1699999999);
	ck_assert_uint_eq(w[2], 997500000);
	reftime_set_wall_clock(0, fake_tsc); /* unknown: changes nothing */
	wr(MSR_PV_WALL_CLOCK, PAGE_GPA + 4);
	ck_assert_uint_eq(w[1], 1699999999);
}
END_TEST

START_TEST(pv_wall_clock_refuses_records_outside_ram)
{
	static const u64 refused[] = {PAGE_GPA + 2, FX_RAM_SIZE - 8,
				      FX_RAM_SIZE, ~0ull & ~3ull};

	for (u32 i = 0; i < ARRAY_SIZE(refused); i++)
		ck_assert_msg(!guest_wrmsr(vp, MSR_PV_WALL_CLOCK, refused[i]),
			      "0x%llx accepted",
			      (unsigned long long)refused[i]);
	ck_assert_uint_eq(rd(MSR_PV_WALL_CLOCK), 0);
}
END_TEST

/* The MP table */

static u8 low_memory[0x100000];

static u8 sum(const u8 *b, u32 len)
{
	u8 s = 0;

	for (u32 i = 0; i < len; i++)
		s = (u8)(s + b[i]);
	return s;
}

static u32 get32(const u8 *b)
{
	return b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

START_TEST(mp_table_lists_each_vp_with_valid_checksums)
{
	const struct vnr_gpa_writer w = {vnr_gpa_copy_to_ram, low_memory};
	const u8 *mpf = low_memory + VNR_MP_TABLE_GPA, *mpc;
	u32 vps = (u32)_i, len;

	memset(low_memory, 0, sizeof(low_memory));
	ck_assert_int_eq(vnr_mp_table_write(&w, vps), 0);
	ck_assert_mem_eq(mpf, "_MP_", 4);
	ck_assert_uint_eq(mpf[8], 1);
	ck_assert_uint_eq(mpf[9], 4);
	ck_assert_uint_eq(sum(mpf, 16), 0);
	ck_assert_uint_eq(mpf[11], 0); /* a configuration table follows */
	ck_assert_uint_eq(get32(mpf + 4) % 4, 0);
	mpc = low_memory + get32(mpf + 4);
	len = mpc[4] | (u32)mpc[5] << 8;
	ck_assert_mem_eq(mpc, "PCMP", 4);
	ck_assert_uint_eq(len, 44 + 20 * vps);
	ck_assert_uint_eq(sum(mpc, len), 0);
	ck_assert_uint_eq(mpc[34] | mpc[35] << 8, vps);
	ck_assert_uint_eq(get32(mpc + 36), VLAPIC_BASE);
	ck_assert_uint_eq(mpc[40] | mpc[41] << 8, 0); /* no extended table */
	for (u32 i = 0; i < vps; i++) {
		const u8 *e = mpc + 44 + 20 * i;

		ck_assert_uint_eq(e[0], 0);
		ck_assert_uint_eq(e[1], i);
		ck_assert_uint_eq(e[2], 0x14);
		ck_assert_uint_eq(e[3], i == 0 ? 3 : 1);
	}
	/* Nothing past the table. */
	ck_assert_uint_eq(sum(mpc + len, 64), 0);
}
END_TEST

START_TEST(mp_table_refuses_no_vps_and_too_many)
{
	const struct vnr_gpa_writer w = {vnr_gpa_copy_to_ram, low_memory};

	ck_assert_int_eq(vnr_mp_table_write(&w, 0), -1);
	ck_assert_int_eq(vnr_mp_table_write(&w, VNR_MP_TABLE_MAX_VPS + 1), -1);
}
END_TEST

static Suite *pc_platform_suite(void)
{
	Suite *s = suite_create("pc_platform");
	TCase *apic = tcase_create("apic");
	TCase *timer = tcase_create("timer");
	TCase *page = tcase_create("xapic_page");
	TCase *ports = tcase_create("ports");
	TCase *clock = tcase_create("pvclock");
	TCase *mp = tcase_create("mp_table");

	tcase_add_checked_fixture(apic, setup, teardown);
	tcase_add_test(apic,
		       apic_base_reads_an_enabled_xapic_at_the_usual_base);
	tcase_add_test(apic, apic_base_switches_to_x2apic_once);
	tcase_add_test(apic,
		       apic_base_refuses_a_move_a_disable_and_reserved_bits);
	tcase_add_test(apic, int_pending_msg_reads_0_and_refuses_writes);
	tcase_add_test(apic, x2apic_msrs_fault_in_xapic_mode);
	tcase_add_test(apic, x2apic_identifies_the_vp);
	tcase_add_test(apic, x2apic_version_counts_the_lvts_that_answer);
	tcase_add_test(apic, x2apic_read_only_registers_fault_on_write);
	tcase_add_test(apic, x2apic_write_only_registers_fault_on_read);
	tcase_add_test(apic, x2apic_reserved_registers_fault);
	tcase_add_test(apic, x2apic_reserved_bits_fault);
	tcase_add_test(apic,
		       lvts_stay_masked_while_the_apic_is_software_disabled);
	tcase_add_test(apic, ppr_is_the_higher_of_tpr_and_the_class_in_service);
	tcase_add_test(apic, tpr_holds_back_its_class_and_below);
	tcase_add_test(
		apic, irr_and_isr_read_the_vectors_of_the_interrupt_controller);
	tcase_add_test(apic, eoi_ends_the_highest_vector_in_service);
	tcase_add_test(apic, self_ipi_raises_its_vector_and_drops_illegal_ones);
	tcase_add_test(apic, icr_fixed_interrupts_reach_the_vps_named);
	tcase_add_test(apic, icr_other_delivery_modes_are_dropped);
	tcase_add_test(apic, icr_reads_back_what_was_written);
	suite_add_tcase(s, apic);

	tcase_add_checked_fixture(timer, setup, teardown);
	tcase_add_test(timer, one_shot_fires_once_after_count_times_divisor);
	tcase_add_test(timer, every_divide_configuration_scales_the_count);
	tcase_add_test(timer, an_initial_count_of_zero_stops_the_timer);
	tcase_add_test(timer, a_periodic_timer_rearms_and_skips_what_it_missed);
	tcase_add_test(timer, a_periodic_timer_of_count_1_is_bounded_to_200us);
	tcase_add_test(timer, a_masked_timer_raises_nothing);
	tcase_add_test(timer, software_disable_masks_an_armed_timer);
	tcase_add_test(timer, the_timer_wakes_its_halted_vp);
	tcase_add_test(timer, tsc_deadline_is_ignored_outside_deadline_mode);
	tcase_add_test(timer, tsc_deadline_fires_once_at_its_value);
	tcase_add_test(timer,
		       a_tsc_deadline_in_the_past_fires_at_the_next_poll);
	tcase_add_test(
		timer,
		a_tsc_deadline_of_zero_disarms_and_of_all_ones_never_fires);
	tcase_add_test(timer,
		       changing_to_or_from_deadline_mode_disarms_the_timer);
	tcase_add_test(timer,
		       changing_between_one_shot_and_periodic_keeps_the_count);
	suite_add_tcase(s, timer);

	tcase_add_checked_fixture(page, setup, teardown);
	tcase_add_test(page, xapic_reads_decode_every_modrm_sib_and_disp_form);
	tcase_add_test(page, xapic_writes_take_a_register_or_an_immediate);
	tcase_add_test(page, xapic_refuses_what_it_does_not_decode);
	tcase_add_test(page, xapic_refuses_a_truncated_fetch);
	tcase_add_test(
		page,
		xapic_refuses_other_pages_unaligned_offsets_and_x2apic_mode);
	tcase_add_test(page, xapic_accesses_complete_through_the_backend);
	tcase_add_test(page, xapic_layouts_of_id_dfr_and_icr);
	tcase_add_test(page, xapic_eoi_takes_any_value_and_reads_zero);
	tcase_add_test(page, xapic_page_has_no_self_ipi);
	suite_add_tcase(s, page);

	tcase_add_checked_fixture(ports, setup, teardown);
	tcase_add_test(ports, uart_passes_the_8250_autoconfig_as_a_16550a);
	tcase_add_test(ports, uart_line_is_ready_and_a_terminal_is_there);
	tcase_add_test(ports, uart_divisor_latch_reads_back_and_prints_nothing);
	tcase_add_test(ports, uart_prints_lines_as_the_partition_console);
	tcase_add_test(ports, uart_without_debug_console_prints_nothing);
	tcase_add_test(ports, absent_ports_read_all_ones_at_each_width);
	tcase_add_test(ports, absent_ports_drop_writes);
	tcase_add_test(ports, string_io_stops_the_partition);
	suite_add_tcase(s, ports);

	tcase_add_checked_fixture(clock, setup, teardown);
	tcase_add_test(clock, pvclock_record_gives_the_reference_time_in_ns);
	tcase_add_test(clock, pvclock_version_moves_on_by_two_to_an_even_value);
	tcase_add_test(clock, pvclock_disabled_writes_nothing);
	tcase_add_test(clock, pvclock_refuses_records_outside_ram);
	tcase_add_test(clock, pv_wall_clock_is_the_epoch_at_system_time_zero);
	tcase_add_test(clock, pv_wall_clock_refuses_records_outside_ram);
	tcase_add_test(clock,
		       pv_wall_clock_is_the_firmware_time_at_system_time_zero);
	suite_add_tcase(s, clock);

	tcase_add_loop_test(mp, mp_table_lists_each_vp_with_valid_checksums, 1,
			    VNR_MP_TABLE_MAX_VPS + 1);
	tcase_add_test(mp, mp_table_refuses_no_vps_and_too_many);
	suite_add_tcase(s, mp);
	return s;
}

int main(void)
{
	return fx_run_suite(pc_platform_suite());
}
