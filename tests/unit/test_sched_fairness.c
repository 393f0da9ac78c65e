/* SPDX-License-Identifier: MIT */
/*
 * A VP_HALT timeout is a deadline the guest chooses freely, and the
 * scheduler arms the hardware timer for it with no lower bound.  When it
 * is due, the running VP of another partition is preempted and the round
 * robin moves on past it: the sleeper runs next, and the rest of the
 * preempted slice is lost to its owner.
 *
 * - A sleeper that halts for 1 us at every exit preempts its neighbour
 *   at every exit, not about once per time slice.
 * - A hog that spins through its own slice and halts for 1 us just
 *   before the slice ends gets the CPU back almost at once: the victim
 *   beside it runs one exit per slice of the hog's.
 */
#include <check.h>

#include "fixture.h"

#define SLICE_TSC   (FAKE_TSC_HZ / 1000 * FX_TIMESLICE_MS)
#define RUN_FOR_TSC (20 * SLICE_TSC) /* 200 ms */
#define HALT_1US    10ull	     /* longer than an exit takes here */

static struct hv_partition *attacker, *victim;
static u64 last_victim_exit, victim_preemptions, attacker_slice_start,
	last_attacker_exit;

static void call(struct hv_vp *vp, u32 code, u64 rdx)
{
	fx_call(vp, vnr_hc_control(code, 1, 0, 0), rdx, 0);
}

static bool time_is_up(struct hv_vp *vp)
{
	if (fake_tsc < RUN_FOR_TSC)
		return false;
	call(vp, VNR_CALL_PARTITION_EXIT, 0);
	return true;
}

/* Busy; counts the times another VP ran between two of its exits. */
static void victim_exit(struct hv_vp *vp)
{
	if (last_victim_exit && fake_tsc != last_victim_exit + fake_exit_cycles)
		victim_preemptions++;
	last_victim_exit = fake_tsc;
	time_is_up(vp);
}

static void sleeper(struct hv_vp *vp)
{
	if (vp->partition == victim) {
		victim_exit(vp);
		return;
	}
	if (!time_is_up(vp))
		call(vp, VNR_CALL_VP_HALT, HALT_1US);
}

/* Spins through its slice; halts for 1 us one exit before it ends. */
static void hog(struct hv_vp *vp)
{
	if (vp->partition == victim) {
		victim_exit(vp);
		return;
	}
	if (fake_tsc != last_attacker_exit + fake_exit_cycles)
		attacker_slice_start = fake_tsc;
	last_attacker_exit = fake_tsc;
	if (time_is_up(vp))
		return;
	if (fake_tsc - attacker_slice_start + 2 * fake_exit_cycles >= SLICE_TSC)
		call(vp, VNR_CALL_VP_HALT, HALT_1US);
}

static void setup(void)
{
	fx_reset();
	attacker = fx_partition("attacker", 0);
	victim = fx_partition("victim", 0);
	last_victim_exit = victim_preemptions = 0;
	attacker_slice_start = last_attacker_exit = 0;
}

START_TEST(tiny_halts_preempt_a_neighbour_about_once_per_slice)
{
	fake_guest = sleeper;
	sched_run();
	/* 20 slices of run time: a few preemptions each at most. */
	ck_assert_uint_le(victim_preemptions, 3 * RUN_FOR_TSC / SLICE_TSC);
}
END_TEST

START_TEST(a_halt_before_the_slice_ends_takes_no_cpu_from_the_victim)
{
	fake_guest = hog;
	sched_run();
	/* Round robin between two busy VPs: about half each. */
	ck_assert_uint_ge(victim->vps[0].run_tsc * 3, attacker->vps[0].run_tsc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sched_fairness");
	TCase *tc = tcase_create("sched");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tiny_halts_preempt_a_neighbour_about_once_per_slice);
	tcase_add_test(
		tc, a_halt_before_the_slice_ends_takes_no_cpu_from_the_victim);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
