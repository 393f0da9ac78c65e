/* SPDX-License-Identifier: MIT */
/*
 * Known attack classes from other hypervisors' advisories, against the
 * hosted core: GPAs with reserved bits or above the physical address width
 * in every GPA argument, overlapping memory the caller does not own,
 * information leaks through output structures (guest memory is filled with
 * 0xAA first; reserved fields and padding must come back zero), and page
 * MSR values with reserved or out-of-range GPA bits.
 *
 * See docs/spec/conformance.md for what is not covered here.
 */
#include <check.h>
#include <string.h>

#include <hv/synic.h>

#include "fixture.h"

#define MEM(code) ((u64)(code))
#define REP(code, n, start)                                 \
	((u64)(code) | (u64)(n) << VNR_HC_REP_COUNT_SHIFT | \
	 (u64)(start) << VNR_HC_REP_START_SHIFT)

#define IN_GPA	0x4000ull
#define OUT_GPA 0x6000ull
#define FILL	0xAA

static struct hv_partition *P, *Q;
static struct hv_vp *VP;
static u8 *ram, *qram;

/* GPAs that name no page of the caller: reserved bits, beyond any width. */
static const u64 hostile_gpas[] = {
	1ull << 52,			/* first bit above MAXPHYADDR 52 */
	(1ull << 52) | IN_GPA,		/* RAM page with bit 52 set */
	(1ull << 63) | IN_GPA,		/* RAM page with bit 63 set */
	(1ull << 40) | IN_GPA,		/* alias above 1 TiB */
	(1ull << 32) | IN_GPA,		/* alias above 4 GiB */
	0xFFF0000000000000ull | IN_GPA, /* all high bits */
	FX_RAM_SIZE,			/* the next partition's RAM, maybe */
	0xFFFFFFFFFFFFF000ull,
};

static void setup(void)
{
	fx_reset();
	P = fx_partition("alpha", VNR_PRIV_MASK(DEBUG_CONSOLE));
	Q = fx_partition("beta", 0);
	VP = &P->vps[0];
	ram = fx_ram(P);
	qram = fx_ram(Q);
	memset(ram, FILL, FX_RAM_SIZE);
	memset(qram, FILL, FX_RAM_SIZE);
}

static enum vnr_status call(u64 control, u64 rdx, u64 r8)
{
	return fx_hypercall(VP, control, rdx, r8);
}

static void expect_untouched(const u8 *mem, u64 except, u64 len)
{
	for (u64 i = 0; i < FX_RAM_SIZE; i++)
		if (i < except || i >= except + len)
			ck_assert_msg(mem[i] == FILL, "RAM changed at 0x%llx",
				      (unsigned long long)i);
}

/* Every memory call's input and output GPA, with hostile bits. */
START_TEST(reserved_gpa_bits_every_argument)
{
	static const u16 memory_calls[] = {
		/* PARTITION_INFO has no input: RDX is ignored. */
		VNR_CALL_DEBUG_WRITE,  VNR_CALL_VP_INFO,
		VNR_CALL_POST_MESSAGE, VNR_CALL_GRANT_CREATE,
		VNR_CALL_GRANT_MAP,    VNR_CALL_GRANT_UNMAP,
	};

	memset(ram + IN_GPA, 0, PAGE_SIZE);
	for (unsigned i = 0; i < ARRAY_SIZE(hostile_gpas); i++) {
		u64 g = hostile_gpas[i];

		for (unsigned c = 0; c < ARRAY_SIZE(memory_calls); c++) {
			enum vnr_status st;

			st = call(MEM(memory_calls[c]), g, OUT_GPA);
			ck_assert_msg(st == VNR_STATUS_INVALID_GPA,
				      "call 0x%x input 0x%llx: status %d",
				      memory_calls[c], (unsigned long long)g,
				      st);
		}
		ck_assert_int_eq(call(MEM(VNR_CALL_PARTITION_INFO), 0, g),
				 VNR_STATUS_INVALID_GPA);
		ck_assert_int_eq(call(MEM(VNR_CALL_VP_INFO), IN_GPA, g),
				 VNR_STATUS_INVALID_GPA);
		ck_assert_int_eq(call(REP(VNR_CALL_QUERY_GPA_ATTRIBUTES, 1, 0),
				      g, OUT_GPA),
				 VNR_STATUS_INVALID_GPA);
		ck_assert_int_eq(call(REP(VNR_CALL_QUERY_GPA_ATTRIBUTES, 1, 0),
				      IN_GPA, g),
				 VNR_STATUS_INVALID_GPA);
	}
	memset(ram + IN_GPA, FILL, PAGE_SIZE);
	expect_untouched(ram, 0, 0);
	expect_untouched(qram, 0, 0);
}
END_TEST

/* Another partition's RAM is never an output of ours. */
START_TEST(other_partitions_ram_is_not_output)
{
	u64 other = (u64)(qram - ram); /* Q's RAM as an offset from P's */

	if (other % PAGE_SIZE == 0)
		ck_assert_int_eq(call(MEM(VNR_CALL_PARTITION_INFO), 0, other),
				 VNR_STATUS_INVALID_GPA);
	ck_assert_int_eq(call(MEM(VNR_CALL_PARTITION_INFO), 0, FX_RAM_SIZE),
			 VNR_STATUS_INVALID_GPA);
	expect_untouched(qram, 0, 0);
}
END_TEST

/* PARTITION_INFO: every byte not a documented value is zero. */
START_TEST(partition_info_leaks_nothing)
{
	struct vnr_partition_info *out = (void *)(ram + OUT_GPA);
	const u8 *bytes = (const u8 *)out;
	size_t name_len;

	ck_assert_int_eq(call(MEM(VNR_CALL_PARTITION_INFO), 0, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	ck_assert_str_eq(out->name, "alpha");
	name_len = strlen(out->name);
	for (size_t i = name_len; i < sizeof(out->name); i++)
		ck_assert_msg(out->name[i] == 0, "name byte %zu leaks 0x%x", i,
			      (u8)out->name[i]);
	for (unsigned i = 0; i < ARRAY_SIZE(out->reserved); i++)
		ck_assert_msg(out->reserved[i] == 0, "reserved[%u] = 0x%llx", i,
			      (unsigned long long)out->reserved[i]);
	/* Nothing written past the structure. */
	for (size_t i = sizeof(*out); i < PAGE_SIZE; i++)
		ck_assert_msg(bytes[i] == FILL, "byte %zu after the output", i);
}
END_TEST

/* VP_INFO: the same for its output. */
START_TEST(vp_info_leaks_nothing)
{
	struct vnr_vp_info_input in = {0, 0};
	const u8 *bytes = ram + OUT_GPA;

	memcpy(ram + IN_GPA, &in, sizeof(in));
	ck_assert_int_eq(call(MEM(VNR_CALL_VP_INFO), IN_GPA, OUT_GPA),
			 VNR_STATUS_SUCCESS);
	for (size_t i = sizeof(struct vnr_vp_info); i < PAGE_SIZE; i++)
		ck_assert_msg(bytes[i] == FILL, "byte %zu after the output", i);
}
END_TEST

/*
 * Page MSRs (SIMP, SIEFP) with the enable bit and a GPA that is not a page
 * of the partition's RAM: reserved bits, above the address width, beyond
 * RAM.  Each write is refused (#GP) and the MSR keeps its value.
 */
START_TEST(page_msrs_refuse_hostile_gpas)
{
	static const u32 msrs[] = {VNR_MSR_SIMP, VNR_MSR_SIEFP};

	for (unsigned m = 0; m < ARRAY_SIZE(msrs); m++) {
		u64 before = 0, after = 0;

		ck_assert(synic_rdmsr(VP, msrs[m], &before));
		for (unsigned i = 0; i < ARRAY_SIZE(hostile_gpas); i++) {
			u64 v = (hostile_gpas[i] & ~0xFFFull) | 1;

			ck_assert_msg(!synic_wrmsr(VP, msrs[m], v),
				      "MSR 0x%x took 0x%llx", msrs[m],
				      (unsigned long long)v);
			ck_assert(synic_rdmsr(VP, msrs[m], &after));
			ck_assert_uint_eq(after, before);
		}
		/* Reserved bits 11:1 with a valid page. */
		ck_assert(!synic_wrmsr(VP, msrs[m], IN_GPA | 0x2 | 1));
		ck_assert(synic_rdmsr(VP, msrs[m], &after));
		ck_assert_uint_eq(after, before);
	}
	expect_untouched(qram, 0, 0);
}
END_TEST

static Suite *hypercall_gpa_suite(void)
{
	Suite *s = suite_create("hypercall_gpa");
	TCase *tc = tcase_create("known");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reserved_gpa_bits_every_argument);
	tcase_add_test(tc, other_partitions_ram_is_not_output);
	tcase_add_test(tc, partition_info_leaks_nothing);
	tcase_add_test(tc, vp_info_leaks_nothing);
	tcase_add_test(tc, page_msrs_refuse_hostile_gpas);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(hypercall_gpa_suite());
}
