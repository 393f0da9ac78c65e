/* SPDX-License-Identifier: MIT */
/*
 * VP_HALT with a timeout too long for the TSC (e.g. UINT64_MAX) sleeps
 * "forever" (until an event): the conversion saturates and the wake-up
 * time never wraps into the past or onto 0 ("no timeout").
 */
#include <check.h>

#include "fixture.h"

static struct hv_partition *P;
static struct hv_vp *VP;
static u32 runs;
static u64 second_run_tsc;

static void guest(struct hv_vp *vp)
{
	if (runs++ == 0) {
		fx_call(vp, vnr_hc_control(VNR_CALL_VP_HALT, 1, 0, 0), ~0ull,
			0);
		return;
	}
	second_run_tsc = fake_tsc;
	fx_call(vp, vnr_hc_control(VNR_CALL_PARTITION_EXIT, 1, 0, 0), 0, 0);
}

static void setup(void)
{
	fx_reset();
	P = fx_partition("sleeper", 0);
	VP = &P->vps[0];
	runs = 0;
}

START_TEST(huge_timeout_does_not_wrap)
{
	static const u64 timeouts[] = {~0ull, 1ull << 63, 1ull << 60,
				       ~0ull / 256 + 1};

	fake_tsc = 1000000;
	for (unsigned i = 0; i < ARRAY_SIZE(timeouts); i++) {
		VP->state = HV_VP_RUNNABLE;
		fx_call(VP, vnr_hc_control(VNR_CALL_VP_HALT, 1, 0, 0),
			timeouts[i], 0);
		ck_assert_int_eq(VP->state, HV_VP_HALTED);
		ck_assert_msg(VP->wake_tsc > fake_tsc + (1ull << 40),
			      "timeout 0x%llx: wake_tsc 0x%llx, now 0x%llx",
			      (unsigned long long)timeouts[i],
			      (unsigned long long)VP->wake_tsc,
			      (unsigned long long)fake_tsc);
	}
}
END_TEST

START_TEST(huge_timeout_sleeps)
{
	fake_guest = guest;
	fake_tsc = 1000000;
	sched_run();
	ck_assert_uint_eq(runs, 2);
	/* the VP must not have run again before its timeout */
	ck_assert_uint_gt(second_run_tsc, 1ull << 62);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sched_halt");
	TCase *tc = tcase_create("halt");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, huge_timeout_does_not_wrap);
	tcase_add_test(tc, huge_timeout_sleeps);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
