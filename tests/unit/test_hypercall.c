/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the hypercall dispatcher (hv/core/hypercall.c) and the v0.1
 * call handlers against docs/spec/conventions.md and hypercalls.md: every
 * status of the validation order, rep continuation, fast outputs, output
 * writes and the input copy.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "hc_wrap.h"

/* Constant control words (vnr_hc_control() is not a constant expression). */

/* Page layout used by the tests (all RAM of the partition). */
#define IN_GPA	0x4000ull
#define OUT_GPA 0x6000ull
#define FAR_GPA 0x8000ull
#define FILL	0xAA

static struct hv_partition *P; /* with DEBUG_CONSOLE */
static struct hv_vp *VP;
static struct hv_partition *Q; /* without privileges */
static struct hv_vp *QVP;
static u8 *ram;

static void setup(void)
{
	fx_reset();
	P = fx_partition("alpha", VNR_PRIV_MASK(DEBUG_CONSOLE));
	VP = &P->vps[0];
	Q = fx_partition("beta", 0);
	QVP = &Q->vps[0];
	ram = fx_ram(P);
	memset(ram, FILL, FX_RAM_SIZE);
	handler_calls = 0;
	handler_input = NULL;
}

static void *gpa(u64 g)
{
	return ram + g;
}

/* Calls and returns the status; checks the result word's reserved bits. */
static enum vnr_status call(struct hv_vp *vp, u64 control, u64 rdx, u64 r8)
{
	u64 rax;

	ck_assert(fx_call(vp, control, rdx, r8));
	rax = fx_reg(vp, HV_REG_RAX);
	ck_assert_msg(
		(rax & ~(VNR_HC_STATUS_MASK | VNR_HC_REPS_DONE_MASK)) == 0,
		"reserved result bits set: 0x%llx", (unsigned long long)rax);
	return vnr_hc_status(rax);
}

#define EXPECT(st, vp, control, rdx, r8)                                       \
	do {                                                                   \
		enum vnr_status got_ = call(vp, control, rdx, r8);             \
		ck_assert_msg(got_ == (st),                                    \
			      "control 0x%llx rdx 0x%llx r8 0x%llx: status "   \
			      "%d, expected %d (%s)",                          \
			      (unsigned long long)(control),                   \
			      (unsigned long long)(rdx),                       \
			      (unsigned long long)(r8), got_, (int)(st), #st); \
	} while (0)

/* Makes a call and re-enters it until it completes; returns the status. */
static enum vnr_status call_to_end(struct hv_vp *vp, u64 control, u64 rdx,
				   u64 r8)
{
	unsigned entries = 1;

	if (!fx_call(vp, control, rdx, r8))
		while (!hv_hypercall(vp))
			ck_assert_uint_lt(++entries, 4096);
	return fx_status(vp);
}

/* The whole guest RAM still holds FILL except where the test wrote. */
static void expect_ram_untouched(void)
{
	static u8 fill[FX_RAM_SIZE];

	memset(fill, FILL, sizeof(fill));
	if (!memcmp(ram, fill, sizeof(fill)))
		return;
	for (u64 i = 0; i < FX_RAM_SIZE; i++)
		ck_assert_msg(ram[i] == FILL, "guest RAM changed at 0x%llx",
			      (unsigned long long)i);
}

static void put_vp_info_input(u64 g, u32 index, u32 reserved)
{
	struct vnr_vp_info_input in = {.vp_index = index, .reserved = reserved};

	memcpy(gpa(g), &in, sizeof(in));
}

static void put_debug_input(u64 g, u32 len, u32 reserved, const char *data)
{
	struct vnr_debug_write_input *in = gpa(g);

	in->length = len;
	in->reserved = reserved;
	if (data)
		memcpy(in->data, data, strlen(data));
}

static void put_query_input(u64 g, u64 base)
{
	memcpy(gpa(g), &base, sizeof(base));
}

/* Step 0: CPL > 0 is refused before anything else, and has no effect. */
START_TEST(cpl_nonzero_denied_first)
{
	static const u64 controls[] = {
		FAST(VNR_CALL_NULL_CALL),
		FAST(VNR_CALL_NULL_CALL) | (1ull << 63),
		0,
		MEM(0xFFFF),
		MEM(VNR_CALL_NULL_CALL),
		MEM(VNR_CALL_DEBUG_WRITE),
		FAST(VNR_CALL_PARTITION_EXIT),
		REP(VNR_CALL_QUERY_GPA_ATTRIBUTES, 4095, 4095),
	};
	put_debug_input(IN_GPA, 3, 0, "hi\n");
	for (unsigned cpl = 1; cpl <= 3; cpl++) {
		fake_set_cpl(VP, cpl);
		for (unsigned i = 0; i < ARRAY_SIZE(controls); i++) {
			EXPECT(VNR_STATUS_ACCESS_DENIED, VP, controls[i],
			       IN_GPA, OUT_GPA);
			ck_assert_uint_eq(fx_reg(VP, HV_REG_RDX), IN_GPA);
			ck_assert_uint_eq(fx_reg(VP, HV_REG_R8), OUT_GPA);
			ck_assert_uint_eq(fx_reg(VP, HV_REG_RCX), controls[i]);
		}
	}
	ck_assert_int_eq(P->state, HV_PARTITION_RUNNING);
	ck_assert_uint_eq(handler_calls, 0);
	ck_assert_ptr_null(strstr(fake_console, "[alpha]"));
	for (u32 c = 0; c < VNR_CALL_BOUND; c++)
		ck_assert_uint_eq(P->stats.hypercalls_by_code[c], 0);
	fake_set_cpl(VP, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_NULL_CALL), 0, 0);
}
END_TEST

/* Step 1: every reserved bit of each reserved range, alone. */
START_TEST(reserved_control_bits)
{
	static const struct {
		unsigned lo, hi;
	} ranges[] = {{17, 31}, {44, 47}, {60, 63}};
	unsigned n = 0;

	for (unsigned r = 0; r < ARRAY_SIZE(ranges); r++)
		for (unsigned b = ranges[r].lo; b <= ranges[r].hi; b++) {
			u64 bit = 1ull << b;

			ck_assert(VNR_HC_RESERVED_MASK & bit);
			n++;
			EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
			       FAST(VNR_CALL_NULL_CALL) | bit, 0, 0);
			/* before the call code (step 2) */
			EXPECT(VNR_STATUS_INVALID_CONTROL, VP, bit, 0, 0);
			EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
			       MEM(0x1234) | bit, 0, 0);
			/* before privilege and layout (steps 4, 5) */
			EXPECT(VNR_STATUS_INVALID_CONTROL, QVP,
			       MEM(VNR_CALL_DEBUG_WRITE) | bit, 1, 1);
			EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
			       REP(VNR_CALL_QUERY_GPA_ATTRIBUTES, 1, 0) | bit,
			       IN_GPA, OUT_GPA);
		}
	/* The three ranges are the whole mask. */
	ck_assert_uint_eq(n,
			  (unsigned)__builtin_popcountll(VNR_HC_RESERVED_MASK));
	EXPECT(VNR_STATUS_INVALID_CONTROL, VP, ~0ull, 0, 0);
	expect_ram_untouched();
	ck_assert_uint_eq(handler_calls, 0);
}
END_TEST

/* Assigned codes, counted from calls.def. */
#define VNR_CALL(name, c, form, priv) +1
static const u32 assigned_codes = 0
#include <veneer/calls.def>
	;
#undef VNR_CALL

static bool code_assigned(u32 code)
{
#define VNR_CALL(name, c, form, priv) \
	if (code == (c))              \
		return true;
#include <veneer/calls.def>
#undef VNR_CALL
	return false;
}

/* Step 2: code 0 and every unassigned code, in every form. */
START_TEST(unknown_call_codes)
{
	u32 checked = 0, highest = 0;

	for (u32 code = 0; code <= 0xFFFF; code++) {
		if (code_assigned(code)) {
			highest = code;
			continue;
		}
		EXPECT(VNR_STATUS_INVALID_CALL_CODE, VP, FAST(code), 0, 0);
		EXPECT(VNR_STATUS_INVALID_CALL_CODE, VP, MEM(code), IN_GPA,
		       OUT_GPA);
		/* before the form check (step 3) */
		EXPECT(VNR_STATUS_INVALID_CALL_CODE, VP,
		       vnr_hc_control(code, 1, 7, 9), 0, 0);
		checked++;
	}
	ck_assert_uint_eq(checked, 0x10000 - assigned_codes);
	ck_assert_uint_eq(VNR_CALL_BOUND, highest + 1);
	expect_ram_untouched();
}
END_TEST

/*
 * Every call of calls.def has a handler in the dispatch table: with a
 * control word no form accepts, it gets past step 2 and fails step 3.
 */
START_TEST(every_call_has_a_handler)
{
	static const u16 codes[] = {
#define VNR_CALL(name, c, form, priv) c,
#include <veneer/calls.def>
#undef VNR_CALL
	};

	for (u32 i = 0; i < ARRAY_SIZE(codes); i++)
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(codes[i], 1, 7, 9), 0, 0);
	ck_assert_uint_eq(handler_calls, 0);
	expect_ram_untouched();
}
END_TEST

/* Step 3: each way a control word can mismatch its call's form. */
START_TEST(form_mismatch)
{
	static const u16 fast_calls[] = {
		VNR_CALL_NULL_CALL, VNR_CALL_REFERENCE_TIME, VNR_CALL_VP_YIELD,
		VNR_CALL_VP_HALT,   VNR_CALL_PARTITION_EXIT,
	};
	static const u16 mem_calls[] = {
		VNR_CALL_DEBUG_WRITE,
		VNR_CALL_PARTITION_INFO,
		VNR_CALL_VP_INFO,
	};
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	for (unsigned i = 0; i < ARRAY_SIZE(fast_calls); i++) {
		u16 c = fast_calls[i];

		EXPECT(VNR_STATUS_INVALID_CONTROL, VP, MEM(c), 0, 0);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 1, 1, 0), 0, 0);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 1, 0, 1), 0, 0);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 1, 4095, 4095), 0, 0);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 0, 2, 1), 0, 0);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(mem_calls); i++) {
		u16 c = mem_calls[i];

		EXPECT(VNR_STATUS_INVALID_CONTROL, VP, FAST(c), IN_GPA,
		       OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 0, 1, 0), IN_GPA, OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 0, 0, 1), IN_GPA, OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP,
		       vnr_hc_control(c, 0, 2, 1), IN_GPA, OUT_GPA);
		/* before privilege (step 4) */
		EXPECT(VNR_STATUS_INVALID_CONTROL, QVP, FAST(c), 1, 1);
	}
	/* rep: fast bit, rep count 0, rep start >= rep count */
	EXPECT(VNR_STATUS_INVALID_CONTROL, VP, vnr_hc_control(q, 1, 1, 0),
	       IN_GPA, OUT_GPA);
	EXPECT(VNR_STATUS_INVALID_CONTROL, VP, REP(q, 0, 0), IN_GPA, OUT_GPA);
	EXPECT(VNR_STATUS_INVALID_CONTROL, VP, REP(q, 0, 1), IN_GPA, OUT_GPA);
	for (u32 n = 1; n <= 4095; n = n * 2 + 1) {
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP, REP(q, n, n), IN_GPA,
		       OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_CONTROL, VP, REP(q, n, 4095), IN_GPA,
		       OUT_GPA);
	}
	EXPECT(VNR_STATUS_INVALID_CONTROL, VP, REP(q, 4, 5), IN_GPA, OUT_GPA);
	/* before step 5.1: 4095 reps is too many but the start is wrong */
	EXPECT(VNR_STATUS_INVALID_CONTROL, VP, REP(q, 4095, 4095), 1, 1);
	expect_ram_untouched();
	ck_assert_uint_eq(handler_calls, 0);
}
END_TEST

/* Step 4: DEBUG_WRITE needs DEBUG_CONSOLE, checked before the layout. */
START_TEST(missing_privilege)
{
	memset(fx_ram(Q), 0, FX_RAM_SIZE);
	memcpy(fx_ram(Q) + IN_GPA, &(u32[2]){3, 0}, 8);
	memcpy(fx_ram(Q) + IN_GPA + 8, "no\n", 3);
	EXPECT(VNR_STATUS_ACCESS_DENIED, QVP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA,
	       0);
	EXPECT(VNR_STATUS_ACCESS_DENIED, QVP, MEM(VNR_CALL_DEBUG_WRITE), 3, 0);
	EXPECT(VNR_STATUS_ACCESS_DENIED, QVP, MEM(VNR_CALL_DEBUG_WRITE), ~0ull,
	       ~0ull);
	ck_assert_ptr_null(strstr(fake_console, "[beta]"));
	ck_assert_uint_eq(handler_calls, 0);
	ck_assert_uint_eq(Q->stats.hypercalls_by_code[VNR_CALL_DEBUG_WRITE], 0);
	/* Calls without a privilege work for it. */
	EXPECT(VNR_STATUS_SUCCESS, QVP, FAST(VNR_CALL_NULL_CALL), 0, 0);
	EXPECT(VNR_STATUS_SUCCESS, QVP, MEM(VNR_CALL_PARTITION_INFO), 0,
	       OUT_GPA);
}
END_TEST

/* Step 5.1: too many reps, before any layout check. */
START_TEST(rep_count_limit)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	put_query_input(IN_GPA, 0);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, REP(q, 513, 0), IN_GPA,
	       OUT_GPA);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, REP(q, 4095, 0), IN_GPA,
	       OUT_GPA);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, REP(q, 513, 512), 3, 5);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, REP(q, 4095, 17), ~0ull,
	       ~0ull);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 0);
	ck_assert_uint_eq(handler_calls, 0);
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();
	put_query_input(IN_GPA, 0);
	/* 512 is the maximum: whole page of output */
	ck_assert_int_eq(call_to_end(VP, REP(q, 512, 0), IN_GPA, OUT_GPA),
			 VNR_STATUS_SUCCESS);
}
END_TEST

/* Step 5.2: GPAs not 8-byte aligned, input and output. */
START_TEST(misaligned_gpas)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	put_vp_info_input(IN_GPA, 0, 0);
	for (u64 off = 1; off < 8; off++) {
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_VP_INFO),
		       IN_GPA + off, OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_VP_INFO),
		       IN_GPA, OUT_GPA + off);
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP,
		       MEM(VNR_CALL_PARTITION_INFO), 0, OUT_GPA + off);
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP,
		       MEM(VNR_CALL_DEBUG_WRITE), IN_GPA + off, 0);
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 1, 0),
		       IN_GPA + off, OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 1, 0), IN_GPA,
		       OUT_GPA + off);
		/* misaligned input wins over an output outside RAM */
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_VP_INFO),
		       IN_GPA + off, ~0ull & ~7ull);
		/* misaligned and outside RAM: alignment comes first */
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_VP_INFO),
		       (~0ull & ~7ull) + off, OUT_GPA);
	}
	ck_assert_uint_eq(handler_calls, 0);
	/* restore the input bytes written above before checking RAM */
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();
}
END_TEST

/* Step 5.3: structures that cross a page boundary. */
START_TEST(structures_crossing_a_page)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	put_vp_info_input(IN_GPA, 0, 0);
	/* VP_INFO output: 32 bytes */
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA + PAGE_SIZE - 24);
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA + PAGE_SIZE - 8);
	/* PARTITION_INFO output: 88 bytes */
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_PARTITION_INFO),
	       0, OUT_GPA + PAGE_SIZE - 80);
	/*
	 * DEBUG_WRITE input: 4096 bytes, so only page-aligned GPAs fit.  The
	 * dispatcher copies only its 8-byte header and the handler checks the
	 * page rule, so here the handler runs (and must refuse).
	 */
	for (u64 off = 8; off < PAGE_SIZE; off += 8)
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP,
		       MEM(VNR_CALL_DEBUG_WRITE), IN_GPA + off, 0);
	ck_assert_uint_eq(fake_console_len, 0);
	handler_calls = 0;
	/* QUERY output: rep count * 8 bytes, for the whole call */
	put_query_input(IN_GPA, 0);
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 2, 0), IN_GPA,
	       OUT_GPA + PAGE_SIZE - 8);
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 512, 0), IN_GPA,
	       OUT_GPA + 8);
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 512, 511), IN_GPA,
	       OUT_GPA + 8);
	/* crossing wins over outside RAM (step 5.3 before 5.4) */
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_PARTITION_INFO),
	       0, FX_RAM_SIZE - 8);
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, MEM(VNR_CALL_PARTITION_INFO),
	       0, ~0ull & ~7ull);
	ck_assert_uint_eq(handler_calls, 0);
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();

	/* The last fitting positions work. */
	put_vp_info_input(IN_GPA + PAGE_SIZE - 8, 0, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO),
	       IN_GPA + PAGE_SIZE - 8, OUT_GPA + PAGE_SIZE - 32);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_PARTITION_INFO), 0,
	       OUT_GPA + PAGE_SIZE - 88);
	EXPECT(VNR_STATUS_SUCCESS, VP, REP(q, 1, 0), IN_GPA + PAGE_SIZE - 8,
	       OUT_GPA + PAGE_SIZE - 8);
}
END_TEST

/* Step 5.4: structures outside guest RAM, including wrap-around cases. */
START_TEST(gpas_outside_ram)
{
	static const u64 bad[] = {
		FX_RAM_SIZE,
		FX_RAM_SIZE + PAGE_SIZE,
		1ull << 32,
		1ull << 52,
		1ull << 63,
		0xFFFFFFFFFFFFF000ull,
		0xFFFFFFFFFFFFFFF8ull,
		0xFFFFFFFFFFFFFFE0ull, /* 32 bytes up to 2^64 exactly */
		0xFFFFFFFFFFFFFFA8ull, /* 88 bytes up to 2^64 exactly */
		0x7FFFFFFFFFFFF000ull,
		(0ull - FX_RAM_SIZE) & ~7ull,
	};
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	put_vp_info_input(IN_GPA, 0, 0);
	put_query_input(IN_GPA, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 g = bad[i];
		bool fits32 = (g & 0xFFF) + 32 <= PAGE_SIZE;
		bool fits88 = (g & 0xFFF) + 88 <= PAGE_SIZE;

		EXPECT(VNR_STATUS_INVALID_GPA, VP, MEM(VNR_CALL_VP_INFO), g,
		       OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 1, 0), g, OUT_GPA);
		EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 1, 0), IN_GPA, g);
		if (fits32)
			EXPECT(VNR_STATUS_INVALID_GPA, VP,
			       MEM(VNR_CALL_VP_INFO), IN_GPA, g);
		if (fits88)
			EXPECT(VNR_STATUS_INVALID_GPA, VP,
			       MEM(VNR_CALL_PARTITION_INFO), 0, g);
		if ((g & 0xFFF) == 0) {
			EXPECT(VNR_STATUS_INVALID_GPA, VP,
			       MEM(VNR_CALL_DEBUG_WRITE), g, 0);
			EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 512, 0),
			       IN_GPA, g);
		}
		/* both outside: input first (same status) */
		EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 1, 0), g, g);
	}
	/* the other partition's RAM is not ours */
	EXPECT(VNR_STATUS_INVALID_GPA, QVP, MEM(VNR_CALL_PARTITION_INFO), 0,
	       FX_RAM_SIZE);
	ck_assert_uint_eq(handler_calls, 0);
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();
	/* the last page of RAM is fine */
	put_debug_input(FX_RAM_SIZE - PAGE_SIZE, 0, 0, NULL);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE),
	       FX_RAM_SIZE - PAGE_SIZE, 0);
}
END_TEST

/* Structures a call does not use are not checked (RDX/R8 ignored). */
START_TEST(unused_registers_ignored)
{
	static const u64 junk[] = {0,		1,     7,
				   FX_RAM_SIZE, ~0ull, 0xFFFFFFFFFFFFF001ull};

	put_debug_input(IN_GPA, 0, 0, NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(junk); i++) {
		EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_PARTITION_INFO),
		       junk[i], OUT_GPA);
		EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE),
		       IN_GPA, junk[i]);
		EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_NULL_CALL),
		       junk[i], junk[i]);
		EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_REFERENCE_TIME),
		       junk[i], junk[i]);
	}
}
END_TEST

/* The documented rule (hypercalls.md, DEBUG_WRITE): 0 for a dropped byte. */
static char console_shows(u32 b)
{
	if (b == '\r')
		return 0;
	return (b >= 0x20 && b <= 0x7E) || b == '\t' ? (char)b : '?';
}

/* Only text reaches the console: no C0/C1 control, DEL or byte above 0x7E. */
START_TEST(debug_write_every_byte)
{
	struct vnr_debug_write_input *in = gpa(IN_GPA);
	char want[300];
	u32 n = 0;

	for (u32 b = 0; b < 256; b++)
		in->data[b] = b == '\n' ? 'n' : (char)b;
	in->data[256] = '\n';
	in->length = 257;
	in->reserved = 0;
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	/* 255 bytes shown (CR dropped): the line buffer splits them once. */
	n += (u32)sprintf(want, "[alpha] ");
	for (u32 b = 0, shown = 0; b < 256; b++) {
		char c = b == '\n' ? 'n' : console_shows(b);

		if (!c)
			continue;
		if (shown++ == sizeof(P->console.debug.text))
			n += (u32)sprintf(want + n, "\n[alpha] ");
		want[n++] = c;
	}
	want[n++] = '\n';
	want[n] = '\0';
	ck_assert_str_eq(fake_console, want);
}
END_TEST

/* Step 6 of DEBUG_WRITE: reserved, then length; then the console line. */
START_TEST(debug_write)
{
	char big[200];

	put_debug_input(IN_GPA, 5, 1, "oops\n");
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, MEM(VNR_CALL_DEBUG_WRITE),
	       IN_GPA, 0);
	put_debug_input(IN_GPA, 0xFFFFFFFF, 0x80000000, NULL);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, MEM(VNR_CALL_DEBUG_WRITE),
	       IN_GPA, 0);
	put_debug_input(IN_GPA, VNR_DEBUG_WRITE_MAX + 1, 0, "oops\n");
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, MEM(VNR_CALL_DEBUG_WRITE),
	       IN_GPA, 0);
	put_debug_input(IN_GPA, 0xFFFFFFFF, 0, NULL);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, MEM(VNR_CALL_DEBUG_WRITE),
	       IN_GPA, 0);
	ck_assert_uint_eq(fake_console_len, 0);
	ck_assert_uint_eq(P->console.debug.len, 0);

	put_debug_input(IN_GPA, 0, 0, NULL);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	ck_assert_uint_eq(fake_console_len, 0);

	put_debug_input(IN_GPA, 11, 0, "he\x01lo\tyou\nx");
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	ck_assert_str_eq(fake_console, "[alpha] he?lo\tyou\n");
	put_debug_input(IN_GPA, 2, 0, "y\n");
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	ck_assert_str_eq(fake_console, "[alpha] he?lo\tyou\n[alpha] xy\n");

	/* A long line comes out in pieces, each with the prefix. */
	fake_console_reset();
	memset(big, 'z', sizeof(big));
	memcpy(gpa(IN_GPA + 8), big, sizeof(big));
	put_debug_input(IN_GPA, sizeof(big), 0, NULL);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	ck_assert_uint_eq(fake_console_len,
			  8 + sizeof(P->console.debug.text) + 1);
	ck_assert_uint_eq(P->console.debug.len,
			  sizeof(big) - sizeof(P->console.debug.text));
	/* The maximum length is accepted. */
	memset(gpa(IN_GPA + 8), 'w', VNR_DEBUG_WRITE_MAX);
	put_debug_input(IN_GPA, VNR_DEBUG_WRITE_MAX, 0, NULL);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	/* A partial line is printed when the partition stops. */
	fake_console_reset();
	put_debug_input(IN_GPA, 4, 0, "tail");
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	partition_stop(P, true, 0, "test");
	ck_assert_ptr_nonnull(strstr(fake_console, "wtail\n"));
}
END_TEST

/* PARTITION_INFO: exactly the 88 bytes, padding and reserved written 0. */
START_TEST(partition_info_output)
{
	struct vnr_partition_info want;
	const u8 *out = gpa(OUT_GPA);

	memset(&want, 0, sizeof(want));
	want.partition_id = P->id;
	want.vp_count = 1;
	want.memory_size = FX_RAM_SIZE;
	want.privileges = VNR_PRIV_MASK(DEBUG_CONSOLE);
	strcpy(want.name, "alpha");

	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_PARTITION_INFO), 0,
	       OUT_GPA);
	for (unsigned i = 0; i < sizeof(want); i++)
		ck_assert_msg(out[i] == ((const u8 *)&want)[i],
			      "byte %u is 0x%02x, expected 0x%02x", i, out[i],
			      ((const u8 *)&want)[i]);
	/* nothing around it */
	memset(gpa(OUT_GPA), FILL, sizeof(want));
	expect_ram_untouched();
	/* RDX and R8 preserved, RCX too */
	ck_assert_uint_eq(fx_reg(VP, HV_REG_R8), OUT_GPA);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RCX), MEM(VNR_CALL_PARTITION_INFO));
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX),
			  vnr_hc_result(VNR_STATUS_SUCCESS, 0));

	/* a name of VNR_NAME_MAX - 1 characters is terminated */
	{
		struct hv_partition *r =
			fx_partition("0123456789abcdef0123456789abcdefXYZ", 0);
		struct vnr_partition_info got;

		EXPECT(VNR_STATUS_SUCCESS, &r->vps[0],
		       MEM(VNR_CALL_PARTITION_INFO), 0, OUT_GPA);
		memcpy(&got, fx_ram(r) + OUT_GPA, sizeof(got));
		ck_assert_uint_eq(got.name[VNR_NAME_MAX - 1], 0);
		ck_assert_str_eq(got.name, "0123456789abcdef0123456789abcde");
	}
}
END_TEST

/* VP_INFO: checks in order, no output on failure, exact output. */
START_TEST(vp_info)
{
	struct vnr_vp_info want;
	const u8 *out = gpa(OUT_GPA);
	u64 hypercalls;

	put_vp_info_input(IN_GPA, 7, 1);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA);
	put_vp_info_input(IN_GPA, 0, 0xFFFFFFFF);
	EXPECT(VNR_STATUS_INVALID_PARAMETER, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA);
	put_vp_info_input(IN_GPA, 1, 0);
	EXPECT(VNR_STATUS_INVALID_VP_INDEX, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA);
	put_vp_info_input(IN_GPA, 0xFFFFFFFF, 0);
	EXPECT(VNR_STATUS_INVALID_VP_INDEX, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA);
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();

	VP->exits = 42;
	VP->run_tsc = fake_tsc_hz / 1000; /* 1 ms */
	put_vp_info_input(IN_GPA, 0, 0);
	hypercalls = VP->hypercalls;
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO), IN_GPA, OUT_GPA);
	want = (struct vnr_vp_info){
		.vp_index = 0,
		.partition_id = P->id,
		.run_time_100ns = 10000,
		.exits = 42,
		.hypercalls = hypercalls + 1, /* including this one */
	};
	ck_assert_mem_eq(out, &want, sizeof(want));
	memset(gpa(OUT_GPA), FILL, sizeof(want));
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();

	/* input and output of a memory call may overlap */
	put_vp_info_input(IN_GPA, 0, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO), IN_GPA, IN_GPA);
	ck_assert_uint_eq(
		((const struct vnr_vp_info *)gpa(IN_GPA))->partition_id, P->id);
}
END_TEST

/*
 * The pages a call's buffers were found in are remembered between calls
 * (hypercall.c): a page the partition no longer has is refused, and one
 * mapped again to other host memory is used there, not where it was.
 */
START_TEST(buffers_follow_ram_changes)
{
	u8 *other = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	const struct vnr_vp_info *out;

	ck_assert_ptr_nonnull(other);
	memset(other, FILL, PAGE_SIZE);
	put_vp_info_input(IN_GPA, 0, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(partition_unmap_ram(P, OUT_GPA, PAGE_SIZE),
			  VNR_STATUS_SUCCESS);
	EXPECT(VNR_STATUS_INVALID_GPA, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA);
	ck_assert_uint_eq(partition_map_ram(P, OUT_GPA, other, PAGE_SIZE),
			  VNR_STATUS_SUCCESS);
	memset(gpa(OUT_GPA), FILL, PAGE_SIZE); /* the page it was */
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO), IN_GPA, OUT_GPA);
	out = (const void *)other;
	ck_assert_uint_eq(out->partition_id, P->id);
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();
	/* the input's page too */
	ck_assert_uint_eq(partition_unmap_ram(P, IN_GPA, PAGE_SIZE),
			  VNR_STATUS_SUCCESS);
	EXPECT(VNR_STATUS_INVALID_GPA, VP, MEM(VNR_CALL_VP_INFO), IN_GPA,
	       OUT_GPA);
	free(other);
}
END_TEST

/* QUERY_GPA_ATTRIBUTES: elements per page, checks, no output on failure. */
START_TEST(query_gpa_attributes)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;
	const u64 rwx = VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ |
			VNR_GPA_ATTR_WRITE | VNR_GPA_ATTR_EXECUTE;
	const u64 *out = gpa(OUT_GPA);
	const u32 n = FX_RAM_PAGES + 4;

	put_query_input(IN_GPA, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, REP(q, n, 0), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), n);
	for (u32 i = 0; i < n; i++) {
		u64 type = i < 2	      ? VNR_MEM_RAM
			   : i < 4	      ? VNR_MEM_IMAGE
			   : i < 14	      ? VNR_MEM_RAM
			   : i < FX_RAM_PAGES ? VNR_MEM_BOOT_TABLES
					      : 0;
		u64 want = type ? rwx | type << VNR_GPA_ATTR_TYPE_SHIFT : 0;

		ck_assert_msg(out[i] == want, "page %u: 0x%llx", i,
			      (unsigned long long)out[i]);
	}
	for (u32 i = n * 8; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(((const u8 *)out)[i], FILL);

	/* call-specific checks: alignment, then range (2^52) */
	memset(gpa(OUT_GPA), FILL, PAGE_SIZE);
	for (u64 off = 8; off < PAGE_SIZE; off <<= 1) {
		put_query_input(IN_GPA, off);
		EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 1, 0), IN_GPA,
		       OUT_GPA);
	}
	put_query_input(IN_GPA, 0xFFFFFFFFFFFFFFF8ull);
	EXPECT(VNR_STATUS_INVALID_ALIGNMENT, VP, REP(q, 1, 0), IN_GPA, OUT_GPA);
	put_query_input(IN_GPA, 1ull << 52);
	EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 1, 0), IN_GPA, OUT_GPA);
	put_query_input(IN_GPA, 0xFFFFFFFFFFFFF000ull);
	EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 512, 0), IN_GPA, OUT_GPA);
	put_query_input(IN_GPA, (1ull << 52) - PAGE_SIZE);
	EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 2, 0), IN_GPA, OUT_GPA);
	put_query_input(IN_GPA, (1ull << 52) - 511 * PAGE_SIZE);
	EXPECT(VNR_STATUS_INVALID_GPA, VP, REP(q, 512, 0), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 0);
	memset(gpa(IN_GPA), FILL, 8);
	expect_ram_untouched();

	/* The last pages below 2^52 are valid, and not mapped. */
	put_query_input(IN_GPA, (1ull << 52) - PAGE_SIZE);
	EXPECT(VNR_STATUS_SUCCESS, VP, REP(q, 1, 0), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(out[0], 0);
	put_query_input(IN_GPA, (1ull << 52) - 512 * PAGE_SIZE);
	ck_assert_int_eq(call_to_end(VP, REP(q, 512, 0), IN_GPA, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(out[511], 0);
}
END_TEST

/* A rep call is continued every HV_REP_BATCH reps and then completes. */
START_TEST(rep_continuation)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;
	const u64 control = REP(q, 512, 0);
	const u64 *out = gpa(OUT_GPA);
	u64 other[HV_REG_COUNT];
	u32 entries = 0;
	bool done;

	put_query_input(IN_GPA, 0);
	fx_call(VP, control, IN_GPA, OUT_GPA); /* sets RAX to the sentinel */
	/* (the call above was the first entry) */
	entries = 1;
	for (;;) {
		u64 rcx = fx_reg(VP, HV_REG_RCX);

		ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX), FX_RAX_SENTINEL);
		ck_assert_uint_eq(fx_reg(VP, HV_REG_RDX), IN_GPA);
		ck_assert_uint_eq(fx_reg(VP, HV_REG_R8), OUT_GPA);
		ck_assert_uint_eq(vnr_hc_rep_start(rcx),
				  entries * HV_REP_BATCH);
		ck_assert_uint_eq(rcx & ~VNR_HC_REP_START_MASK, control);
		/* reps written so far, and no more */
		ck_assert_uint_ne(out[entries * HV_REP_BATCH - 1],
				  0xAAAAAAAAAAAAAAAAull);
		ck_assert_uint_eq(out[entries * HV_REP_BATCH],
				  0xAAAAAAAAAAAAAAAAull);
		for (int r = 0; r < HV_REG_COUNT; r++)
			other[r] = fx_reg(VP, r);
		done = hv_hypercall(VP); /* the guest re-executes the call */
		entries++;
		for (int r = 0; r < HV_REG_COUNT; r++)
			if (r != HV_REG_RAX && r != HV_REG_RCX)
				ck_assert_uint_eq(fx_reg(VP, r), other[r]);
		if (done)
			break;
		ck_assert_uint_lt(entries, 8);
	}
	ck_assert_uint_eq(entries, 512 / HV_REP_BATCH);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX),
			  vnr_hc_result(VNR_STATUS_SUCCESS, 512));
	ck_assert_uint_eq(P->stats.hypercalls_by_code[q], 8);
	for (u32 i = 0; i < 512; i++)
		ck_assert_uint_eq(out[i] & VNR_GPA_ATTR_PRESENT,
				  i < FX_RAM_PAGES ? 1 : 0);
}
END_TEST

/* A rep call that starts at a non-zero rep does only the remaining reps. */
START_TEST(rep_start_nonzero)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;
	const u64 *out = gpa(OUT_GPA);

	put_query_input(IN_GPA, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, REP(q, 4, 2), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 4);
	ck_assert_uint_eq(out[0], 0xAAAAAAAAAAAAAAAAull);
	ck_assert_uint_eq(out[1], 0xAAAAAAAAAAAAAAAAull);
	ck_assert_uint_ne(out[2], 0xAAAAAAAAAAAAAAAAull);
	ck_assert_uint_ne(out[3], 0xAAAAAAAAAAAAAAAAull);
	ck_assert_uint_eq(out[4], 0xAAAAAAAAAAAAAAAAull);
	/* 500 reps from 450: one entry of 50 */
	put_query_input(IN_GPA, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, REP(q, 500, 450), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(vnr_hc_reps_done(fx_reg(VP, HV_REG_RAX)), 500);
}
END_TEST

/*
 * Found by fuzz_hypercall (tests/fuzz/regressions/fuzz_hypercall/
 * rep-output-overwrites-input): a rep call whose output overlaps its input
 * (unspecified results, but only for the caller).  The first entry writes
 * element 0 over base_gpa, the next entry re-reads the input and refuses
 * it.  Nothing outside the output may change.
 */
START_TEST(rep_output_overwrites_input)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;
	enum vnr_status st;

	memset(ram, 0, PAGE_SIZE);
	st = call_to_end(VP, REP(q, 512, 0), 0, 0);
	ck_assert_int_eq(st, VNR_STATUS_INVALID_ALIGNMENT);
	ck_assert_uint_eq(*(const u64 *)gpa(0),
			  VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ |
				  VNR_GPA_ATTR_WRITE | VNR_GPA_ATTR_EXECUTE |
				  (u64)VNR_MEM_RAM << VNR_GPA_ATTR_TYPE_SHIFT);
	memset(ram, FILL, PAGE_SIZE);
	expect_ram_untouched();
}
END_TEST

/* Fast outputs in RDX/R8; calls without outputs preserve every register. */
START_TEST(fast_outputs)
{
	u64 before[HV_REG_COUNT];

	fake_tsc = 123456789ull * (fake_tsc_hz / 10000000); /* 12.3456789 s */
	EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_REFERENCE_TIME), 1, 2);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RDX), 123456789ull);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_R8), fake_tsc_hz);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX), 0);

	for (int r = 0; r < HV_REG_COUNT; r++)
		arch_vp_set_reg(VP, r, 0x1111111111111111ull * (u64)(r + 1));
	arch_vp_set_reg(VP, HV_REG_RCX, FAST(VNR_CALL_NULL_CALL));
	for (int r = 0; r < HV_REG_COUNT; r++)
		before[r] = fx_reg(VP, r);
	ck_assert(hv_hypercall(VP));
	for (int r = 0; r < HV_REG_COUNT; r++)
		if (r != HV_REG_RAX)
			ck_assert_uint_eq(fx_reg(VP, r), before[r]);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX), 0);

	/* a failing fast call leaves RDX/R8 alone */
	arch_vp_set_reg(VP, HV_REG_RCX,
			FAST(VNR_CALL_REFERENCE_TIME) | 1ull << 20);
	ck_assert(hv_hypercall(VP));
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RDX), before[HV_REG_RDX]);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_R8), before[HV_REG_R8]);
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX),
			  vnr_hc_result(VNR_STATUS_INVALID_CONTROL, 0));
}
END_TEST

/* The handler reads the hypervisor's copy, never guest RAM. */
START_TEST(handler_input_is_a_copy)
{
	const u16 q = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	put_debug_input(IN_GPA, 3, 0, "ok\n");
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_DEBUG_WRITE), IN_GPA, 0);
	ck_assert_uint_eq(handler_calls, 1);
	ck_assert_ptr_nonnull(handler_input);
	ck_assert(!handler_input_in_guest);

	put_vp_info_input(IN_GPA, 0, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(handler_calls, 2);
	ck_assert(!handler_input_in_guest);

	put_query_input(IN_GPA, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, REP(q, 3, 0), IN_GPA, OUT_GPA);
	ck_assert_uint_eq(handler_calls, 3);
	ck_assert(!handler_input_in_guest);

	/* Overlapping input and output: the input was copied first. */
	put_vp_info_input(OUT_GPA, 0, 0);
	EXPECT(VNR_STATUS_SUCCESS, VP, MEM(VNR_CALL_VP_INFO), OUT_GPA, OUT_GPA);
	ck_assert(!handler_input_in_guest);
}
END_TEST

/* The calls that end the VP's run. */
START_TEST(yield_halt_exit)
{
	hv_tick_pending = false;
	EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_VP_YIELD), 0, 0);
	ck_assert(hv_tick_pending);
	ck_assert_int_eq(VP->state, HV_VP_RUNNABLE);

	fake_tsc = 5000;
	EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_VP_HALT), 10, 0);
	ck_assert_int_eq(VP->state, HV_VP_HALTED);
	ck_assert_uint_eq(VP->wake_tsc,
			  5000 + fake_tsc_hz / 1000000); /* 1 us */
	VP->state = HV_VP_RUNNABLE;
	EXPECT(VNR_STATUS_SUCCESS, VP, FAST(VNR_CALL_VP_HALT), 0, 0);
	ck_assert_uint_eq(VP->wake_tsc, 0);
	VP->state = HV_VP_RUNNABLE;

	/* PARTITION_EXIT does not return to the guest. */
	ck_assert(!fx_call(VP, FAST(VNR_CALL_PARTITION_EXIT), 0xE0E0, 0));
	ck_assert_uint_eq(fx_reg(VP, HV_REG_RAX), FX_RAX_SENTINEL);
	ck_assert_int_eq(P->state, HV_PARTITION_STOPPED);
	ck_assert_int_eq(VP->state, HV_VP_STOPPED);
	ck_assert(P->clean_exit);
	ck_assert_uint_eq(P->exit_status, 0xE0E0);
	ck_assert_str_eq(P->stop_reason, "exited with status 57568");
	ck_assert_int_eq(Q->state, HV_PARTITION_RUNNING);
}
END_TEST

/* Counters: every entry counts for the VP, validated ones per code. */
START_TEST(counters)
{
	u64 before = VP->hypercalls;

	call(VP, FAST(VNR_CALL_NULL_CALL), 0, 0);
	call(VP, FAST(VNR_CALL_NULL_CALL) | 1ull << 63, 0, 0);
	call(VP, MEM(VNR_CALL_NULL_CALL), 0, 0);
	call(VP, FAST(0x77), 0, 0);
	ck_assert_uint_eq(VP->hypercalls, before + 4);
	ck_assert_uint_eq(P->stats.hypercalls_by_code[VNR_CALL_NULL_CALL], 1);
}
END_TEST

static Suite *hypercall_suite(void)
{
	Suite *s = suite_create("hypercall");
	TCase *tc = tcase_create("dispatch");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cpl_nonzero_denied_first);
	tcase_add_test(tc, reserved_control_bits);
	tcase_add_test(tc, unknown_call_codes);
	tcase_add_test(tc, every_call_has_a_handler);
	tcase_add_test(tc, form_mismatch);
	tcase_add_test(tc, missing_privilege);
	tcase_add_test(tc, rep_count_limit);
	tcase_add_test(tc, misaligned_gpas);
	tcase_add_test(tc, structures_crossing_a_page);
	tcase_add_test(tc, gpas_outside_ram);
	tcase_add_test(tc, unused_registers_ignored);
	tcase_add_test(tc, debug_write);
	tcase_add_test(tc, debug_write_every_byte);
	tcase_add_test(tc, partition_info_output);
	tcase_add_test(tc, vp_info);
	tcase_add_test(tc, buffers_follow_ram_changes);
	tcase_add_test(tc, query_gpa_attributes);
	tcase_add_test(tc, rep_continuation);
	tcase_add_test(tc, rep_start_nonzero);
	tcase_add_test(tc, rep_output_overwrites_input);
	tcase_add_test(tc, fast_outputs);
	tcase_add_test(tc, handler_input_is_a_copy);
	tcase_add_test(tc, yield_halt_exit);
	tcase_add_test(tc, counters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(hypercall_suite());
}
