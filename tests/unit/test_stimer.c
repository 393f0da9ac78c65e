/* SPDX-License-Identifier: MIT */
/*
 * Timer storms: a halted partition with the shortest periodic timer, whose
 * messages it never reads, beside a busy victim.  The victim must be
 * preempted about once per time slice, not once per expiry: a timer whose
 * SINT queue is full is not armed in hardware, and periods are at least
 * VNR_STIMER_MIN_PERIOD.
 */
#include <check.h>
#include <stdio.h>

#include "fixture.h"

#define SIMP_GPA   0x4000ull /* a RAM page of the fixture's map */
#define STORM_SINT 2u
#define ONE_SECOND (FAKE_TSC_HZ)
/* Reference time (100 ns): 1 ms after the victim's second. */
#define STORM_UNTIL 10010000ull

static struct hv_partition *Storm, *Victim;
static u64 arms_at_victim_end, victim_exits;

static void storm_timer_on(struct hv_vp *vp, u64 count)
{
	ck_assert(synic_wrmsr(vp, VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
	ck_assert(
		synic_wrmsr(vp, VNR_MSR_SIMP, SIMP_GPA | VNR_PAGE_MSR_ENABLE));
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER0_COUNT, count));
	ck_assert(synic_wrmsr(
		vp, VNR_MSR_STIMER0_CONFIG,
		VNR_STIMER_ENABLE | VNR_STIMER_PERIODIC |
			((u64)STORM_SINT << VNR_STIMER_SINT_SHIFT)));
}

/* Sets the timer up once, then only halts until STORM_UNTIL and exits. */
static void storm_guest(struct hv_vp *vp)
{
	u64 now = reftime_now();

	if (vp->exits == 1)
		storm_timer_on(vp, 1);
	if (now >= STORM_UNTIL) {
		fx_call(vp, vnr_hc_control(VNR_CALL_PARTITION_EXIT, 1, 0, 0), 0,
			0);
		return;
	}
	fx_call(vp, vnr_hc_control(VNR_CALL_VP_HALT, 1, 0, 0),
		STORM_UNTIL - now, 0);
}

/* Works (each exit is fake_exit_cycles) for one simulated second. */
static void victim_guest(struct hv_vp *vp)
{
	victim_exits++;
	if (fake_tsc < ONE_SECOND)
		return;
	arms_at_victim_end = fake_timer_arms;
	fx_call(vp, vnr_hc_control(VNR_CALL_PARTITION_EXIT, 1, 0, 0), 0, 0);
}

static void dispatch(struct hv_vp *vp)
{
	(vp->partition == Storm ? storm_guest : victim_guest)(vp);
}

static void setup(void)
{
	fx_reset();
	Storm = fx_partition("storm", 0);
	Victim = fx_partition("victim", 0);
	arms_at_victim_end = 0;
	victim_exits = 0;
}

START_TEST(storm_costs_the_victim_only_its_slices)
{
	u64 slices = 1000 / FX_TIMESLICE_MS;

	fake_exit_cycles = FAKE_TSC_HZ / 1000000; /* 1 us per exit */
	fake_guest = dispatch;
	sched_run();
	ck_assert_str_eq(Victim->stop_reason, "exited with status 0");
	ck_assert_str_eq(Storm->stop_reason, "exited with status 0");
	/* the slot and the queue behind it hold the first expirations */
	ck_assert_uint_eq(Storm->vps[0].synic.queue_count[STORM_SINT],
			  VNR_MESSAGE_QUEUE_DEPTH);
	ck_assert_msg(arms_at_victim_end <=
			      slices + slices / 5 + VNR_MESSAGE_QUEUE_DEPTH,
		      "hardware timer armed %llu times in one simulated "
		      "second of the victim (time slices: %llu)",
		      (unsigned long long)arms_at_victim_end,
		      (unsigned long long)slices);
	fprintf(stderr,
		"stimer storm: %llu hardware timer arms in the victim's "
		"simulated second, %llu victim exits\n",
		(unsigned long long)arms_at_victim_end,
		(unsigned long long)victim_exits);
}
END_TEST

START_TEST(period_below_minimum_is_rounded_up)
{
	struct hv_vp *vp = &Storm->vps[0];
	const struct hv_stimer *t = &vp->synic.timers[0];
	u64 value, start;

	fake_tsc = ONE_SECOND;
	start = reftime_now();
	storm_timer_on(vp, 1);
	ck_assert(synic_rdmsr(vp, VNR_MSR_STIMER0_COUNT, &value));
	ck_assert_uint_eq(value, 1); /* reads back as written */
	ck_assert_uint_eq(t->due, start + VNR_STIMER_MIN_PERIOD);
	fake_tsc += reftime_to_tsc_delta(VNR_STIMER_MIN_PERIOD);
	ck_assert_uint_eq(stimer_poll(vp, reftime_now()),
			  start + 2 * VNR_STIMER_MIN_PERIOD);
}
END_TEST

/* A one-shot timer due in the past with nowhere to queue asks for nothing. */
START_TEST(full_queue_is_not_armed)
{
	struct hv_vp *vp = &Storm->vps[0];
	u64 now;

	fake_tsc = ONE_SECOND;
	storm_timer_on(vp, 1);
	for (u32 i = 0; i <= VNR_MESSAGE_QUEUE_DEPTH; i++) {
		fake_tsc += reftime_to_tsc_delta(VNR_STIMER_MIN_PERIOD);
		stimer_poll(vp, reftime_now());
	}
	ck_assert(!synic_can_queue(vp, STORM_SINT));
	now = reftime_now();
	ck_assert_uint_eq(stimer_poll(vp, now), ~0ull);
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER1_COUNT, now - 1));
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER1_CONFIG,
			      VNR_STIMER_ENABLE | ((u64)STORM_SINT
						   << VNR_STIMER_SINT_SHIFT)));
	ck_assert_uint_eq(stimer_poll(vp, now), ~0ull);
	/* freeing the slot lets the next message in: the timer counts again */
	memset(fx_ram(Storm) + SIMP_GPA +
		       STORM_SINT * sizeof(struct vnr_message),
	       0, 4);
	ck_assert(synic_wrmsr(vp, VNR_MSR_EOM, 0));
	ck_assert(synic_can_queue(vp, STORM_SINT));
	ck_assert_uint_ne(stimer_poll(vp, reftime_now()), ~0ull);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stimer");
	TCase *tc = tcase_create("storm");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, storm_costs_the_victim_only_its_slices);
	tcase_add_test(tc, period_below_minimum_is_rounded_up);
	tcase_add_test(tc, full_queue_is_not_armed);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
