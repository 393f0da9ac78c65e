/* SPDX-License-Identifier: MIT */
/*
 * The PC platform as a hostile kernel sees it (docs/spec/pc-platform.md),
 * built hosted like test_pc_platform: each test is an attack on the local
 * APIC, the xAPIC page, the PCI ports, the pvclock or the scheduler's
 * treatment of a VP's own timer.  The findings reproduce what was found
 * broken; what held is pinned down too, so that it keeps holding.
 */
#include <check.h>
#include <string.h>

#include <hv/reftime.h>
#include <veneer/msr.h>

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

#define APIC_BASE_MSR (VLAPIC_BASE | 0x900ull) /* enabled, BSP */
#define EXTD	      0x400ull
#define X2(reg)	      (MSR_X2APIC_FIRST + (reg))
#define SVR_ON	      0x1FFull
#define R_TPR	      0x08u
#define R_EOI	      0x0Bu
#define R_SVR	      0x0Fu
#define R_ICR	      0x30u
#define R_TIMER	      0x32u
#define R_INITIAL     0x38u
#define R_CURRENT     0x39u
#define R_DIVIDE      0x3Eu
#define R_SELF_IPI    0x3Fu
#define ICR_LOGICAL   0x800ull
#define RIP	      PC_FX_RIP

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

/* MOV [rax], eax on the xAPIC page at offset; true if it completed. */
static bool xapic_write(u32 offset, u32 value)
{
	static const u8 mov[] = {0x89, 0x00};
	struct x86_exit e = {.reason = HV_EXIT_NESTED_PAGE_FAULT,
			     .qualification = VLAPIC_BASE + offset,
			     .write = true};

	memcpy(fake_insn, mov, sizeof(mov));
	fake_insn_len = sizeof(mov);
	arch_vp_set_reg(vp, HV_REG_RAX, value);
	return xapic_mmio(vp, &e);
}

static u64 in(u16 port, u8 size)
{
	return pc_fx_in(vp, port, size, 0x1122334455667788ull);
}

static void out(u16 port, u8 size, u32 value)
{
	pc_fx_out(vp, port, size, value);
}

/* Findings */

/*
 * An xAPIC's physical destination 0xFF is every APIC (SDM 11.6.2.1), as
 * 0xFFFFFFFF is an x2APIC's: it was taken for the APIC ID 0xFF, which
 * no VP has, and dropped.
 */
START_TEST(xapic_icr_destination_ff_is_a_broadcast)
{
	ck_assert(xapic_write(0xF0, SVR_ON));
	ck_assert(xapic_write(0x310, 0xFF000000));
	ck_assert(xapic_write(0x300, 0x4071));
	ck_assert(pending(0x71));
}
END_TEST

/*
 * A fixed IPI with a logical destination (ICR bit 11) was delivered as if
 * its destination were a physical APIC ID: logical destination 0 names
 * no APIC, yet it reached VP 0.  The platform has physical destinations
 * only; a logical one without a shorthand reaches no VP.
 */
START_TEST(icr_logical_destination_is_not_an_apic_id)
{
	x2apic_on();
	wr(X2(R_ICR), ICR_LOGICAL | 0x72); /* logical destination 0: none */
	ck_assert(!pending(0x72));
	/* A shorthand ignores the destination mode, as on a processor. */
	wr(X2(R_ICR), ICR_LOGICAL | 0x40073);
	ck_assert(pending(0x73));
}
END_TEST

/* The scheduler with a VP that arms its own timer while it runs. */

static struct hv_partition *sa, *sb;
static u32 order[16], ran;

static u64 slice(void)
{
	return FAKE_TSC_HZ / 1000 * FX_TIMESLICE_MS;
}

/*
 * Partition a arms its timer a quarter slice ahead at its first exit (a
 * kernel writing IA32_TSC_DEADLINE from its tick handler, as the backend's
 * run loop reports it); b ends the test when it first runs.
 */
static void arming_guest(struct hv_vp *v)
{
	if (ran < ARRAY_SIZE(order))
		order[ran++] = v->partition == sa ? 1 : 2;
	if (v->partition == sa && ran == 1)
		sched_own_timer(v, fake_tsc + slice() / 4);
	if (v->partition == sb || ran == ARRAY_SIZE(order)) {
		partition_stop(sa, true, 0, "test");
		partition_stop(sb, true, 0, "test");
	}
}

/*
 * The spec: "a VP that is running is interrupted at the timer's time
 * too".  The hypervisor's timer was armed for the VP's own timer only as
 * it stood when the slice began, so a deadline the kernel set during its
 * slice (its next tick, programmed in the tick before) was served at the
 * slice's end or at an exit that happened to come: a busy kernel's ticks
 * came a slice apart.  Exits take an eighth of a slice here; a's timer,
 * armed at its first exit, must end its slice at its second.
 */
START_TEST(a_timer_armed_while_running_ends_the_slice)
{
	static const u32 want[] = {1, 1, 2};

	partition_stop(p, true, 0, "not in this test");
	sa = fx_partition("a", 0);
	sb = fx_partition("b", 0);
	ran = 0;
	fake_exit_cycles = slice() / 8;
	fake_guest = arming_guest;
	sched_run();
	ck_assert_uint_eq(ran, ARRAY_SIZE(want));
	for (u32 i = 0; i < ARRAY_SIZE(want); i++)
		ck_assert_uint_eq(order[i], want[i]);
}
END_TEST

/* Only the running VP's timer, and only when it is sooner, re-arms. */
START_TEST(another_vps_timer_or_a_later_one_changes_nothing)
{
	sched_own_timer(vp, fake_tsc + 1); /* vp is not running */
	ck_assert(!fake_timer_armed);
	ck_assert_uint_eq(fake_timer_arms, 0);
}
END_TEST

/* What held */

/* EOI with nothing in service, and the SynIC's EOI too, change nothing. */
START_TEST(eoi_without_a_vector_in_service_changes_nothing)
{
	x2apic_on();
	vintc_raise(&vp->intc, 0x80, false);
	wr(X2(R_EOI), 0);
	wr(VNR_MSR_EOI, 0);
	ck_assert(pending(0x80));
	vintc_accept(&vp->intc, 0x80);
	wr(X2(R_EOI), 0);
	wr(X2(R_EOI), 0);
	ck_assert(!in_service(0x80));
}
END_TEST

/* Every vector pending and in service: the highest goes first, in order. */
START_TEST(a_flood_of_every_vector_drains_in_priority_order)
{
	x2apic_on();
	for (u32 v = 0; v < 256; v++)
		wr(X2(R_SELF_IPI), v);
	for (u32 v = 0; v < 16; v++)
		ck_assert(!pending((u8)v));
	for (int v = 255; v >= 16; v--) {
		ck_assert_int_eq(vintc_deliverable(&vp->intc), v);
		vintc_accept(&vp->intc, (u8)v);
		/* Nothing lower interrupts it until its EOI. */
		ck_assert_int_eq(vintc_deliverable(&vp->intc), -1);
		wr(X2(R_EOI), 0);
		ck_assert(!in_service((u8)v));
	}
	ck_assert(nothing_pending());
}
END_TEST

/* TPR 0xFF holds everything back; disabling the APIC keeps the ISR. */
START_TEST(tpr_and_software_disable_games)
{
	x2apic_on();
	wr(X2(R_TPR), 0xFF);
	wr(X2(R_SELF_IPI), 0xFF);
	ck_assert_int_eq(vintc_deliverable(&vp->intc), -1);
	ck_assert(!guest_wrmsr(vp, X2(R_TPR), 0x100));
	wr(X2(R_TPR), 0);
	ck_assert_int_eq(vintc_deliverable(&vp->intc), 0xFF);
	vintc_accept(&vp->intc, 0xFF);
	wr(X2(R_SVR), 0xFF); /* software-disabled with 0xFF in service */
	wr(X2(R_EOI), 0);
	ck_assert(!in_service(0xFF));
}
END_TEST

/* Initial count 0xFFFFFFFF with each divide: no overflow, no wrap. */
START_TEST(the_largest_count_with_every_divide)
{
	static const u32 config[] = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB};
	static const u64 divisor[] = {2, 4, 8, 16, 32, 64, 128, 1};

	x2apic_on();
	wr(X2(R_TIMER), 0xEC | 0x20000); /* periodic */
	for (u32 i = 0; i < ARRAY_SIZE(config); i++) {
		fake_tsc = ~0ull / 2;
		wr(X2(R_DIVIDE), config[i]);
		wr(X2(R_INITIAL), 0xFFFFFFFFull);
		ck_assert_uint_eq(vlapic_poll(vp, fake_tsc),
				  fake_tsc + 0xFFFFFFFFull * divisor[i]);
		ck_assert_uint_le(rd(X2(R_CURRENT)), 0xFFFFFFFFull);
		fake_tsc += 0xFFFFFFFFull * divisor[i];
		ck_assert_uint_eq(vlapic_poll(vp, fake_tsc),
				  fake_tsc + 0xFFFFFFFFull * divisor[i]);
	}
	wr(X2(R_INITIAL), 0);
}
END_TEST

/*
 * CONFIG_ADDRESS left pointing anywhere, and 4-byte accesses at 0xCFD-
 * 0xCFF: only the bytes up to 0xCFF reach the dword, none past the
 * function's 256 bytes.
 */
START_TEST(pci_address_anywhere_and_wide_accesses_at_the_end)
{
	out(0xCF8, 4, 0xFFFFFFFF);
	ck_assert_uint_eq(in(0xCF8, 4), 0x80FFFFFC);
	ck_assert_uint_eq(in(0xCFC, 4), 0xFFFFFFFF); /* bus 255 */
	out(0xCF8, 4, 0x800008FF);		     /* 00:01.0, dword 0xFC */
	ck_assert_uint_eq(in(0xCFF, 4), 0xFFFFFF00);
	out(0xCFF, 4, 0xFFFFFFFF);
	ck_assert_uint_eq(in(0xCFC, 4), 0);
	out(0xCF8, 4, 0x8000084C); /* MSI data */
	out(0xCFD, 4, 0x11223344);
	ck_assert_uint_eq(in(0xCFC, 4), 0x00004400);
	ck_assert_uint_eq(in(0xCFE, 2) & 0xFFFF, 0x0000);
}
END_TEST

/*
 * Time records at the edge of RAM: inside, accepted; the wall clock's 12
 * bytes past the end, refused (#GP) without a byte written.
 */
START_TEST(pvclock_records_at_the_edge_of_ram)
{
	u8 *end = fx_ram(p) + FX_RAM_SIZE;

	wr(MSR_PV_SYSTEM_TIME, (FX_RAM_SIZE - 32) | 1);
	ck_assert_uint_eq(end[-32], 2); /* version */
	wr(MSR_PV_WALL_CLOCK, FX_RAM_SIZE - 12);
	ck_assert(!guest_wrmsr(vp, MSR_PV_WALL_CLOCK, FX_RAM_SIZE - 8));
	ck_assert(!guest_wrmsr(vp, MSR_PV_WALL_CLOCK, ~0ull - 3));
	ck_assert(!guest_wrmsr(vp, MSR_PV_SYSTEM_TIME, (~0ull & ~0x1Full) | 1));
	ck_assert_uint_eq(rd(MSR_PV_WALL_CLOCK), FX_RAM_SIZE - 12);
}
END_TEST

static Suite *pc_attack_suite(void)
{
	Suite *s = suite_create("pc_attack");
	TCase *found = tcase_create("found");
	TCase *held = tcase_create("held");

	tcase_add_checked_fixture(found, setup, teardown);
	tcase_add_test(found, xapic_icr_destination_ff_is_a_broadcast);
	tcase_add_test(found, icr_logical_destination_is_not_an_apic_id);
	tcase_add_test(found, a_timer_armed_while_running_ends_the_slice);
	tcase_add_test(found, another_vps_timer_or_a_later_one_changes_nothing);
	suite_add_tcase(s, found);

	tcase_add_checked_fixture(held, setup, teardown);
	tcase_add_test(held, eoi_without_a_vector_in_service_changes_nothing);
	tcase_add_test(held, a_flood_of_every_vector_drains_in_priority_order);
	tcase_add_test(held, tpr_and_software_disable_games);
	tcase_add_test(held, the_largest_count_with_every_divide);
	tcase_add_test(held, pci_address_anywhere_and_wide_accesses_at_the_end);
	tcase_add_test(held, pvclock_records_at_the_edge_of_ram);
	suite_add_tcase(s, held);
	return s;
}

int main(void)
{
	return fx_run_suite(pc_attack_suite());
}
