/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the scheduler (hv/core/sched.c) on the fake arch layer:
 * round-robin order, time slices, halt with and without a timeout,
 * deadlock detection and yield.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* The scripted guest (kept in this file: one concept per test program). */
enum gs_op { GS_END, GS_RUN, GS_YIELD, GS_HALT, GS_EXIT };
struct gs_step {
	enum gs_op op;
	u64 arg;
};
#define GS_MAX_STEPS 64
#define GS_MAX_TRACE 512

static struct gs_step script[HV_MAX_PARTITIONS + 1][GS_MAX_STEPS];
static u32 step[HV_MAX_PARTITIONS + 1];
static struct {
	u32 id;
	u64 tsc;
} trace[GS_MAX_TRACE];
static u32 ntrace;

/* One exit of the guest: the next step of its partition's script. */
static void scripted_guest(struct hv_vp *vp)
{
	u32 id = vp->partition->id;
	struct gs_step s;
	u64 control;

	ck_assert_uint_le(id, HV_MAX_PARTITIONS);
	ck_assert_uint_lt(ntrace, GS_MAX_TRACE);
	ck_assert_int_eq(vp->state, HV_VP_RUNNABLE);
	trace[ntrace].id = id;
	trace[ntrace].tsc = fake_tsc;
	ntrace++;
	ck_assert_uint_lt(step[id], GS_MAX_STEPS);
	s = script[id][step[id]++];
	switch (s.op) {
	case GS_RUN:
		return;
	case GS_YIELD:
		control = vnr_hc_control(VNR_CALL_VP_YIELD, 1, 0, 0);
		break;
	case GS_HALT:
		control = vnr_hc_control(VNR_CALL_VP_HALT, 1, 0, 0);
		break;
	case GS_EXIT:
	case GS_END:
	default:
		control = vnr_hc_control(VNR_CALL_PARTITION_EXIT, 1, 0, 0);
		break;
	}
	fx_call(vp, control, s.arg, 0);
	if (s.op != GS_EXIT && s.op != GS_END)
		ck_assert_int_eq(fx_status(vp), VNR_STATUS_SUCCESS);
}

static void setup(void)
{
	fx_reset();
	memset(script, 0, sizeof(script));
	memset(step, 0, sizeof(step));
	ntrace = 0;
	fake_guest = scripted_guest;
}

static u64 slice(void)
{
	return fake_tsc_hz / 1000 * FX_TIMESLICE_MS;
}

static void set_script(u32 id, u32 n, const struct gs_step *steps)
{
	memcpy(script[id], steps, n * sizeof(*steps));
}

#define SCRIPT(p, ...)                                       \
	set_script((p)->id,                                  \
		   sizeof((struct gs_step[]){__VA_ARGS__}) / \
			   sizeof(struct gs_step),           \
		   (struct gs_step[]){__VA_ARGS__})

static void expect_order(const u32 *ids, u32 n)
{
	ck_assert_uint_eq(ntrace, n);
	for (u32 i = 0; i < n; i++)
		ck_assert_msg(trace[i].id == ids[i],
			      "exit %u: partition %u, expected %u", i,
			      trace[i].id, ids[i]);
}

/* Each VP gets a whole slice in turn, in slot order. */
START_TEST(round_robin_by_slice)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0),
			    *c = fx_partition("c", 0);
	static const u32 want[] = {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 1, 2, 3};

	/* two exits per slice */
	fake_exit_cycles = slice() / 2;
	SCRIPT(a, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0});
	SCRIPT(b, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0});
	SCRIPT(c, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0});
	sched_run();
	expect_order(want, ARRAY_SIZE(want));
	/* slices start where the previous one ended */
	for (u32 i = 0; i + 1 < ARRAY_SIZE(want); i++)
		ck_assert_uint_eq(trace[i + 1].tsc - trace[i].tsc,
				  fake_exit_cycles);
	ck_assert_int_eq(a->state, HV_PARTITION_STOPPED);
	ck_assert(a->clean_exit && b->clean_exit && c->clean_exit);
	/* each VP's run time is what it ran */
	ck_assert_uint_eq(a->vps[0].run_tsc, 5 * fake_exit_cycles);
	ck_assert_uint_eq(fake_idles, 0);
}
END_TEST

/*
 * A VP whose own platform timer falls due within its slice runs until
 * that timer, and no longer.  The fake's timer is due at half a slice for
 * every VP, and past from then on: each slice ends after one exit of half
 * a slice, where round_robin_by_slice has two.
 */
START_TEST(own_platform_timer_ends_the_slice_early)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0);
	static const u32 want[] = {1, 2, 1, 2, 1, 2, 2, 2};

	fake_exit_cycles = slice() / 2;
	fake_platform_timer = fake_exit_cycles;
	SCRIPT(a, {GS_RUN, 0}, {GS_RUN, 0});
	SCRIPT(b, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0}, {GS_RUN, 0});
	sched_run();
	expect_order(want, ARRAY_SIZE(want));
	ck_assert(a->clean_exit && b->clean_exit);
}
END_TEST

/* A stopped partition in the middle is skipped. */
START_TEST(round_robin_skips_stopped)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0),
			    *c = fx_partition("c", 0);
	static const u32 want[] = {1, 3, 1, 3};

	fake_exit_cycles = slice();
	partition_stop(b, true, 0, "test");
	SCRIPT(a, {GS_RUN, 0});
	SCRIPT(c, {GS_RUN, 0});
	sched_run();
	expect_order(want, ARRAY_SIZE(want));
	(void)a;
	(void)c;
}
END_TEST

/* A halted VP wakes exactly when its timeout expires, while idle. */
START_TEST(halt_timeout_idle)
{
	struct hv_partition *a = fx_partition("a", 0);
	const u64 ticks = 12345; /* 1.2345 ms */

	fake_exit_cycles = 100;
	fake_tsc = 777;
	SCRIPT(a, {GS_HALT, ticks}, {GS_RUN, 0});
	sched_run();
	ck_assert_uint_eq(ntrace, 3);
	ck_assert_uint_eq(trace[1].tsc, 777 + ticks * (fake_tsc_hz / 10000000));
	ck_assert_uint_ge(fake_idles, 1);
	ck_assert(a->clean_exit);
	/* the VP did not run while it was halted */
	ck_assert_uint_eq(a->vps[0].run_tsc, 3 * fake_exit_cycles);
}
END_TEST

/* A halted VP wakes on time while another VP is running. */
START_TEST(halt_timeout_while_others_run)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0);
	const u64 ticks = 1000; /* 100 us, well inside b's slice */
	u64 wake;
	u32 i;

	fake_exit_cycles = 1000;
	SCRIPT(a, {GS_HALT, ticks}, {GS_RUN, 0});
	for (i = 0; i < 60; i++)
		script[b->id][i] = (struct gs_step){GS_RUN, 0};
	sched_run();
	wake = 0 + ticks * (fake_tsc_hz / 10000000);
	ck_assert_uint_eq(trace[0].id, a->id);
	for (i = 1; i < ntrace && trace[i].id != a->id; i++)
		ck_assert_uint_lt(trace[i].tsc, wake);
	ck_assert_uint_lt(i, ntrace);
	/* b's slice was cut short at a's wake-up: a runs at the next exit */
	ck_assert_uint_ge(trace[i].tsc, wake);
	ck_assert_uint_lt(trace[i].tsc, wake + fake_exit_cycles);
	ck_assert(a->clean_exit && b->clean_exit);
}
END_TEST

/* Every VP halted forever: all are stopped as deadlocked. */
START_TEST(deadlock_stops_halted_forever)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0);

	SCRIPT(a, {GS_HALT, 0});
	SCRIPT(b, {GS_RUN, 0}, {GS_HALT, 0});
	sched_run();
	ck_assert_int_eq(a->state, HV_PARTITION_STOPPED);
	ck_assert_int_eq(b->state, HV_PARTITION_STOPPED);
	ck_assert(!a->clean_exit && !b->clean_exit);
	ck_assert_ptr_nonnull(strstr(a->stop_reason, "deadlock"));
	ck_assert_ptr_nonnull(strstr(b->stop_reason, "deadlock"));
	ck_assert_uint_eq(ntrace, 3);
	ck_assert_uint_eq(fake_idles, 0);
}
END_TEST

/* A VP halted forever is not a deadlock while another can still run. */
START_TEST(deadlock_only_when_nothing_can_wake)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0);
	u32 runs_b = 0;

	fake_exit_cycles = slice();
	SCRIPT(a, {GS_HALT, 0});
	/* b sleeps twice with a timeout, then exits */
	SCRIPT(b, {GS_HALT, 50000}, {GS_RUN, 0}, {GS_HALT, 50000},
	       {GS_EXIT, 3});
	sched_run();
	for (u32 i = 0; i < ntrace; i++)
		runs_b += trace[i].id == b->id;
	ck_assert_uint_eq(runs_b, 4);
	ck_assert(b->clean_exit);
	ck_assert_uint_eq(b->exit_status, 3);
	ck_assert(!a->clean_exit);
	ck_assert_ptr_nonnull(strstr(a->stop_reason, "deadlock"));
	ck_assert_ptr_nonnull(strstr(fake_console, "deadlock"));
}
END_TEST

/* Yield ends the slice: two yielding VPs alternate at every exit. */
START_TEST(yield_alternates)
{
	struct hv_partition *a = fx_partition("a", 0),
			    *b = fx_partition("b", 0);
	static const u32 want[] = {1, 2, 1, 2, 1, 2, 1, 2};

	fake_exit_cycles = 10; /* far from the end of a slice */
	SCRIPT(a, {GS_YIELD, 0}, {GS_YIELD, 0}, {GS_YIELD, 0});
	SCRIPT(b, {GS_YIELD, 0}, {GS_YIELD, 0}, {GS_YIELD, 0});
	sched_run();
	expect_order(want, ARRAY_SIZE(want));
	(void)a;
	(void)b;
}
END_TEST

/* Yield with no other runnable VP returns to the same VP at once. */
START_TEST(yield_alone)
{
	struct hv_partition *a = fx_partition("a", 0);

	fake_exit_cycles = 10;
	SCRIPT(a, {GS_YIELD, 0}, {GS_YIELD, 0});
	sched_run();
	ck_assert_uint_eq(ntrace, 3);
	ck_assert_uint_eq(trace[2].tsc - trace[0].tsc, 2 * fake_exit_cycles);
	ck_assert_uint_eq(fake_idles, 0);
	ck_assert(a->clean_exit);
}
END_TEST

/* No partition at all: sched_run returns at once. */
START_TEST(nothing_to_run)
{
	sched_run();
	ck_assert_uint_eq(ntrace, 0);
	ck_assert_uint_eq(fake_runs, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("sched");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, round_robin_by_slice);
	tcase_add_test(tc, round_robin_skips_stopped);
	tcase_add_test(tc, own_platform_timer_ends_the_slice_early);
	tcase_add_test(tc, halt_timeout_idle);
	tcase_add_test(tc, halt_timeout_while_others_run);
	tcase_add_test(tc, deadlock_stops_halted_forever);
	tcase_add_test(tc, deadlock_only_when_nothing_can_wake);
	tcase_add_test(tc, yield_alternates);
	tcase_add_test(tc, yield_alone);
	tcase_add_test(tc, nothing_to_run);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
