// SPDX-License-Identifier: MIT
/*
 * Random hypercalls for t_hostile.
 *
 * Each call gets a random control word and registers.  Output GPAs point
 * only into scratch pages or outside RAM, so that no call can overwrite
 * the guest itself, and the codes of VP_HALT and PARTITION_EXIT are never
 * used.  A model of the control-word and GPA rules predicts which calls
 * are invalid; those must fail (with the exact status where only one rule
 * is broken), and every result word must be well formed.
 */
#include <vnr_test.h>
#include "t_hostile.h"

#define PAGE	    VNR_PAGE_SIZE
#define FAR_GPA	    (1ull << 40)
#define MAY_SUCCEED (-1)
#define ANY_ERROR   (-2)

/* Form + 1 per assigned code, 0 for an unassigned one. */
static const vnr_u8 form_of[VNR_CALL_BOUND] = {
#define VNR_CALL(name, code, form, priv) [code] = VNR_CALL_FORM_##form + 1,
#include <veneer/calls.def>
#undef VNR_CALL
};

/* Every defined status code, in status.def order (highest last). */
static const vnr_u16 status_codes[] = {
#define VNR_STATUS(name, code) code,
#include <veneer/status.def>
#undef VNR_STATUS
};

static char in[2][PAGE] __attribute__((aligned(PAGE)));
static char out[2][PAGE] __attribute__((aligned(PAGE)));
static vnr_u64 ram_end;
static vnr_u64 state;

struct fuzz_call {
	vnr_u64 control, rdx, r8;
};

static vnr_u64 rnd(vnr_u64 bound)
{
	return vnr_test_rand(&state) % bound;
}

static int form(vnr_u16 code)
{
	return code < VNR_CALL_BOUND ? form_of[code] - 1 : -1;
}

static vnr_u16 random_code(void)
{
	vnr_u16 code;

	do {
		if (rnd(2))
			code = 1 + rnd(VNR_CALL_BOUND - 1);
		else if (rnd(2))
			code = rnd(VNR_CALL_BOUND + 8);
		else
			code = (vnr_u16)vnr_test_rand(&state);
	} while (code == VNR_CALL_VP_HALT || code == VNR_CALL_PARTITION_EXIT);
	return code;
}

static vnr_u64 random_control(void)
{
	vnr_u16 code = random_code();
	int fast = rnd(4) ? form(code) == VNR_CALL_FORM_FAST : (int)rnd(2);
	vnr_u32 count = 0, start = 0;
	vnr_u64 control;

	switch (rnd(8)) {
	case 0:
		count = 1 + rnd(VNR_GPA_QUERY_MAX);
		start = rnd(count);
		break;
	case 1:
		count = rnd(VNR_HC_REP_MAX + 1);
		start = rnd(VNR_HC_REP_MAX + 1);
		break;
	case 2:
		start = rnd(VNR_HC_REP_MAX + 1);
		break;
	}
	if (form(code) == VNR_CALL_FORM_REP && rnd(2)) {
		count = 1 + rnd(VNR_GPA_QUERY_MAX);
		start = rnd(2) ? 0 : rnd(count);
	}
	control = vnr_hc_control(code, fast, count, start);
	if (!rnd(10))
		control |= vnr_test_rand(&state) & VNR_HC_RESERVED_MASK;
	return control;
}

/* Into a scratch page (maybe misaligned or near its end) or outside RAM. */
static vnr_u64 random_gpa(const char *page)
{
	switch (rnd(8)) {
	case 0:
	case 1:
	case 2:
		return vnr_gpa(page);
	case 3:
		return vnr_gpa(page) + 8 * rnd(PAGE / 8);
	case 4:
		return vnr_gpa(page) + rnd(PAGE);
	case 5:
		return ram_end + 8 * rnd(PAGE * 64);
	case 6:
		return vnr_test_rand(&state) | FAR_GPA;
	default:
		return 0;
	}
}

/* The first word of the input decides lengths, VP indexes and bases. */
static void random_input(void)
{
	vnr_u64 *word = (vnr_u64 *)in[0];

	switch (rnd(4)) {
	case 0:
		*word = 0;
		break;
	case 1:
		*word = rnd(16);
		break;
	case 2:
		*word = rnd(16) | 1ull << 32;
		break;
	default:
		*word = vnr_test_rand(&state);
	}
}

static bool fits(vnr_u64 gpa, vnr_u64 size)
{
	return gpa % VNR_HC_GPA_ALIGN == 0 && gpa < ram_end &&
	       gpa % PAGE + size <= PAGE;
}

/* Whether the GPAs the call uses can hold its structures. */
static bool gpas_valid(const struct fuzz_call *c)
{
	vnr_u32 count = vnr_hc_rep_count(c->control);

	switch (vnr_hc_code(c->control)) {
	case VNR_CALL_DEBUG_WRITE:
		return fits(c->rdx, sizeof(struct vnr_debug_write_input));
	case VNR_CALL_PARTITION_INFO:
		return fits(c->r8, sizeof(struct vnr_partition_info));
	case VNR_CALL_VP_INFO:
		return fits(c->rdx, sizeof(struct vnr_vp_info_input)) &&
		       fits(c->r8, sizeof(struct vnr_vp_info));
	case VNR_CALL_QUERY_GPA_ATTRIBUTES:
		return fits(c->rdx, sizeof(struct vnr_gpa_query_input)) &&
		       fits(c->r8, (vnr_u64)count * 8);
	default:
		return true;
	}
}

/* Where the rules of the control word alone decide the status. */
static int control_verdict(vnr_u64 control)
{
	int f = form(vnr_hc_code(control));
	bool reserved = control & VNR_HC_RESERVED_MASK;
	vnr_u32 count = vnr_hc_rep_count(control);
	vnr_u32 start = vnr_hc_rep_start(control);

	if (f < 0)
		return reserved ? ANY_ERROR : VNR_STATUS_INVALID_CALL_CODE;
	if (reserved || vnr_hc_is_fast(control) != (f == VNR_CALL_FORM_FAST))
		return VNR_STATUS_INVALID_CONTROL;
	if (f != VNR_CALL_FORM_REP && (count || start))
		return VNR_STATUS_INVALID_CONTROL;
	if (f == VNR_CALL_FORM_REP && (!count || start >= count))
		return VNR_STATUS_INVALID_CONTROL;
	return MAY_SUCCEED;
}

static int verdict(const struct fuzz_call *c)
{
	int v = control_verdict(c->control);

	if (v == MAY_SUCCEED && !gpas_valid(c))
		return ANY_ERROR;
	return v;
}

static bool result_ok(vnr_u64 result, int want)
{
	enum vnr_status st = vnr_hc_status(result);

	if (result & ~(VNR_HC_STATUS_MASK | VNR_HC_REPS_DONE_MASK))
		return false;
	if (st >
	    status_codes[sizeof(status_codes) / sizeof(status_codes[0]) - 1])
		return false;
	if (want == ANY_ERROR)
		return st != VNR_STATUS_SUCCESS;
	return want == MAY_SUCCEED || st == (enum vnr_status)want;
}

static bool fuzz_one(vnr_u64 n, unsigned int *invalid)
{
	struct fuzz_call c = {random_control(), random_gpa(in[0]),
			      random_gpa(out[0])};
	vnr_u64 rdx = c.rdx, r8 = c.r8, result;
	int want = verdict(&c);

	random_input();
	result = vnr_hypercall_raw(c.control, &rdx, &r8);
	*invalid += want != MAY_SUCCEED;
	if (result_ok(result, want))
		return true;
	vnr_test_note("fuzz call %lu: RCX 0x%lx RDX 0x%lx R8 0x%lx -> RAX "
		      "0x%lx, want %d",
		      n, c.control, c.rdx, c.r8, result, want);
	return false;
}

void hostile_fuzz(vnr_u64 seed, vnr_u64 count, vnr_u64 end)
{
	unsigned int invalid = 0, failures = 0;
	vnr_u64 n;

	/* xorshift never leaves 0. */
	state = seed ? seed : 1;
	ram_end = end;
	memset(in, '~', sizeof(in));
	vnr_test_note("fuzz: %lu calls, seed=0x%lx", count, state);
	for (n = 0; n < count; n++)
		failures += !fuzz_one(n, &invalid);
	vnr_test_note("fuzz: %u of the calls were invalid", invalid);
	VNR_EXPECT_EQ(failures, 0);
}
