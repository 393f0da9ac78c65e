/* SPDX-License-Identifier: MIT */
/*
 * User-space context check (every public header, -std=c11 -pedantic) and
 * round trips of the hypercall.h control and result word helpers.
 */
#include <check.h>
#include <stdlib.h>

#include "veneer_all_headers.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The layouts of hypercall.h, written out bit by bit. */
#define CONTROL_RESERVED 0xF000F000FFFE0000ull
#define RESULT_RESERVED	 0xFFFFF000FFFF0000ull

static const vnr_u16 codes[] = {0x0000, 0x0001, 0x8000, 0xFFFF};
static const int fasts[] = {0, 1};
static const vnr_u32 reps[] = {0, 1, 0x800, VNR_HC_REP_MAX};

START_TEST(control_masks_partition_the_word)
{
	const vnr_u64 fields[] = {VNR_HC_CODE_MASK, VNR_HC_FAST,
				  VNR_HC_REP_COUNT_MASK, VNR_HC_REP_START_MASK,
				  VNR_HC_RESERVED_MASK};
	vnr_u64 all = 0;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		for (j = 0; j < i; j++)
			ck_assert_msg((fields[i] & fields[j]) == 0,
				      "control fields %zu and %zu overlap", j,
				      i);
		all |= fields[i];
	}
	ck_assert_uint_eq(all, ~0ull);
	ck_assert_uint_eq(VNR_HC_RESERVED_MASK, CONTROL_RESERVED);
	ck_assert_uint_eq(~VNR_HC_RESERVED_MASK, VNR_HC_CODE_MASK |
							 VNR_HC_FAST |
							 VNR_HC_REP_COUNT_MASK |
							 VNR_HC_REP_START_MASK);
	ck_assert_uint_eq(VNR_HC_REP_COUNT_MASK >> VNR_HC_REP_COUNT_SHIFT,
			  VNR_HC_REP_MAX);
	ck_assert_uint_eq(VNR_HC_REP_START_MASK >> VNR_HC_REP_START_SHIFT,
			  VNR_HC_REP_MAX);
}
END_TEST

static void check_control(vnr_u16 code, int fast, vnr_u32 count, vnr_u32 start)
{
	vnr_u64 w = vnr_hc_control(code, fast, count, start);

	ck_assert_uint_eq(w & VNR_HC_RESERVED_MASK, 0);
	ck_assert_uint_eq(vnr_hc_code(w), code);
	ck_assert_int_eq(vnr_hc_is_fast(w), fast);
	ck_assert_uint_eq(vnr_hc_rep_count(w), count);
	ck_assert_uint_eq(vnr_hc_rep_start(w), start);
}

START_TEST(control_round_trips_at_extremes)
{
	const size_t nc = ARRAY_SIZE(codes), nf = ARRAY_SIZE(fasts);
	const size_t nr = ARRAY_SIZE(reps);
	size_t i;

	/* Every combination of the extreme values of the four fields. */
	for (i = 0; i < nc * nf * nr * nr; i++)
		check_control(codes[i % nc], fasts[i / nc % nf],
			      reps[i / (nc * nf) % nr],
			      reps[i / (nc * nf * nr) % nr]);
}
END_TEST

START_TEST(control_field_positions)
{
	ck_assert_uint_eq(vnr_hc_control(0xFFFF, 0, 0, 0), 0xFFFFull);
	ck_assert_uint_eq(vnr_hc_control(0, 1, 0, 0), 1ull << 16);
	ck_assert_uint_eq(vnr_hc_control(0, 0, 0xFFF, 0), 0xFFFull << 32);
	ck_assert_uint_eq(vnr_hc_control(0, 0, 0, 0xFFF), 0xFFFull << 48);
	/* Any non-zero value sets the fast bit. */
	ck_assert_uint_eq(vnr_hc_control(0, 2, 0, 0), VNR_HC_FAST);
}
END_TEST

START_TEST(control_never_sets_reserved_bits)
{
	vnr_u64 w = vnr_hc_control(0xFFFF, 1, 0xFFFFFFFFu, 0xFFFFFFFFu);

	ck_assert_uint_eq(w & VNR_HC_RESERVED_MASK, 0);
	ck_assert_uint_eq(w, ~VNR_HC_RESERVED_MASK);
	/* Counts above the field width are truncated, not carried. */
	ck_assert_uint_eq(vnr_hc_rep_count(vnr_hc_control(1, 0, 0x1001, 0)), 1);
	ck_assert_uint_eq(vnr_hc_rep_start(vnr_hc_control(1, 0, 0, 0x1001)), 1);
}
END_TEST

START_TEST(control_decode_ignores_reserved_bits)
{
	vnr_u64 w = vnr_hc_control(0x1234, 1, 0x56, 0x78) | CONTROL_RESERVED;

	ck_assert_uint_eq(vnr_hc_code(w), 0x1234);
	ck_assert_int_eq(vnr_hc_is_fast(w), 1);
	ck_assert_uint_eq(vnr_hc_rep_count(w), 0x56);
	ck_assert_uint_eq(vnr_hc_rep_start(w), 0x78);
	ck_assert_uint_eq(vnr_hc_code(CONTROL_RESERVED), 0);
	ck_assert_int_eq(vnr_hc_is_fast(CONTROL_RESERVED), 0);
	ck_assert_uint_eq(vnr_hc_rep_count(CONTROL_RESERVED), 0);
	ck_assert_uint_eq(vnr_hc_rep_start(CONTROL_RESERVED), 0);
}
END_TEST

START_TEST(control_with_rep_start_changes_only_start)
{
	size_t s;

	for (s = 0; s < ARRAY_SIZE(reps); s++) {
		vnr_u64 w = vnr_hc_control(0xABCD, 1, 0x123, 0xFFF) |
			    CONTROL_RESERVED;
		vnr_u64 u = vnr_hc_with_rep_start(w, reps[s]);

		ck_assert_uint_eq(vnr_hc_rep_start(u), reps[s]);
		ck_assert_uint_eq(u & ~VNR_HC_REP_START_MASK,
				  w & ~VNR_HC_REP_START_MASK);
	}
	ck_assert_uint_eq(vnr_hc_with_rep_start(0, 0x1FFF),
			  vnr_hc_control(0, 0, 0, 0xFFF));
}
END_TEST

START_TEST(every_call_code_round_trips)
{
	static const struct {
		vnr_u16 code;
		enum vnr_call_form form;
	} calls[] = {
#define VNR_CALL(name, code, form, priv) {code, VNR_CALL_FORM_##form},
#include <veneer/calls.def>
#undef VNR_CALL
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		int fast = calls[i].form == VNR_CALL_FORM_FAST;
		vnr_u32 count = calls[i].form == VNR_CALL_FORM_REP ? 3 : 0;
		vnr_u64 w = vnr_hc_control(calls[i].code, fast, count, 0);

		ck_assert_uint_eq(vnr_hc_code(w), calls[i].code);
		ck_assert_int_eq(vnr_hc_is_fast(w), fast);
		ck_assert_uint_eq(vnr_hc_rep_count(w), count);
	}
}
END_TEST

START_TEST(result_masks_and_round_trips)
{
	static const enum vnr_status statuses[] = {
#define VNR_STATUS(name, code) VNR_STATUS_##name,
#include <veneer/status.def>
#undef VNR_STATUS
	};
	size_t i, n;

	ck_assert_uint_eq(VNR_HC_STATUS_MASK & VNR_HC_REPS_DONE_MASK, 0);
	ck_assert_uint_eq(~(VNR_HC_STATUS_MASK | VNR_HC_REPS_DONE_MASK),
			  RESULT_RESERVED);
	ck_assert_uint_eq(VNR_HC_REPS_DONE_MASK >> VNR_HC_REPS_DONE_SHIFT,
			  VNR_HC_REP_MAX);

	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		for (n = 0; n < ARRAY_SIZE(reps); n++) {
			vnr_u64 r = vnr_hc_result(statuses[i], reps[n]);

			ck_assert_uint_eq(r & RESULT_RESERVED, 0);
			ck_assert_int_eq(vnr_hc_status(r), statuses[i]);
			ck_assert_uint_eq(vnr_hc_reps_done(r), reps[n]);
		}
	}

	/* Extremes of both fields, and decoding past reserved bits. */
	ck_assert_uint_eq(vnr_hc_result((enum vnr_status)0xFFFF, 0xFFF),
			  ~RESULT_RESERVED);
	ck_assert_uint_eq(
		vnr_hc_result(VNR_STATUS_SUCCESS, 0x1FFF) & RESULT_RESERVED, 0);
	ck_assert_int_eq(vnr_hc_status(RESULT_RESERVED | 0x4),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(vnr_hc_reps_done(RESULT_RESERVED |
					   (7ull << VNR_HC_REPS_DONE_SHIFT)),
			  7);
	ck_assert_uint_eq(vnr_hc_result(VNR_STATUS_SUCCESS, 0), 0);
}
END_TEST

static Suite *codec_suite(void)
{
	Suite *s = suite_create("hypercall_codec");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, control_masks_partition_the_word);
	tcase_add_test(tc, control_round_trips_at_extremes);
	tcase_add_test(tc, control_field_positions);
	tcase_add_test(tc, control_never_sets_reserved_bits);
	tcase_add_test(tc, control_decode_ignores_reserved_bits);
	tcase_add_test(tc, control_with_rep_start_changes_only_start);
	tcase_add_test(tc, every_call_code_round_trips);
	tcase_add_test(tc, result_masks_and_round_trips);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(codec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
