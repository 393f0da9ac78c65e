/* SPDX-License-Identifier: MIT */
/*
 * A rep call that fails completes no rep, also when it fails on a
 * re-entry after a continuation, and one entered with a non-zero rep
 * start leaves the outputs below the start alone (conventions.md "Rep
 * calls").
 */
#include <check.h>
#include <string.h>

#include "fixture.h"

#define IN_GPA	0x4000ull
#define OUT_GPA 0x6000ull

static struct hv_partition *P;
static struct hv_vp *VP;

static void setup(void)
{
	fx_reset();
	P = fx_partition("alpha", 0);
	VP = &P->vps[0];
}

static enum vnr_status call(u64 control, u64 rdx, u64 r8)
{
	return fx_hypercall(VP, control, rdx, r8);
}

/* A step-6 failure of a call entered with a non-zero rep start. */
START_TEST(rep_call_validation_failure_completes_no_rep)
{
	const u64 control =
		vnr_hc_control(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 4, 2);
	u64 base = 8; /* not page aligned: step 6 */

	memcpy(fx_ram(P) + IN_GPA, &base, 8);
	ck_assert_int_eq(call(control, IN_GPA, OUT_GPA),
			 VNR_STATUS_INVALID_ALIGNMENT);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 0);
	base = 1ull << 52; /* out of range: step 6 */
	memcpy(fx_ram(P) + IN_GPA, &base, 8);
	ck_assert_int_eq(call(control, IN_GPA, OUT_GPA),
			 VNR_STATUS_INVALID_GPA);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 0);
}
END_TEST

/*
 * The same through a continuation (fuzz_hypercall regression
 * rep-output-overwrites-input): 512 reps with input and output both at
 * GPA 0; the second entry refuses the overwritten input and reports 64.
 */
START_TEST(rep_call_refused_on_reentry_completes_no_rep)
{
	const u64 control =
		vnr_hc_control(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 512, 0);

	memset(fx_ram(P), 0, PAGE_SIZE);
	if (!fx_call(VP, control, 0, 0))
		while (!hv_hypercall(VP))
			;
	ck_assert_int_eq(fx_status(VP), VNR_STATUS_INVALID_ALIGNMENT);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 0);
}
END_TEST

/* Reps 0 and 1 belong to an earlier entry: not written again. */
START_TEST(rep_start_leaves_earlier_outputs)
{
	const u64 control =
		vnr_hc_control(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 4, 2);
	u64 base = 0, out[4];

	memcpy(fx_ram(P) + IN_GPA, &base, 8);
	memset(fx_ram(P) + OUT_GPA, 0xAA, sizeof(out));
	ck_assert_int_eq(call(control, IN_GPA, OUT_GPA), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 4);
	memcpy(out, fx_ram(P) + OUT_GPA, sizeof(out));
	ck_assert_uint_eq(out[0], 0xAAAAAAAAAAAAAAAAull);
	ck_assert_uint_eq(out[1], 0xAAAAAAAAAAAAAAAAull);
	ck_assert_uint_ne(out[2] & VNR_GPA_ATTR_PRESENT, 0);
	ck_assert_uint_ne(out[3] & VNR_GPA_ATTR_PRESENT, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hypercall-reps");
	TCase *tc = tcase_create("reps");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, rep_call_validation_failure_completes_no_rep);
	tcase_add_test(tc, rep_call_refused_on_reentry_completes_no_rep);
	tcase_add_test(tc, rep_start_leaves_earlier_outputs);
	suite_add_tcase(s, tc);
	return fx_run_suite(s);
}
