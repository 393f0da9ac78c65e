/* SPDX-License-Identifier: MIT */
/*
 * The per-VP buffer-page cache (hypercall.c buffer_host), the
 * armed-timer mask (stimer.c) and their invalidation.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/synic.h>

#include "fixture.h"

#define IN_GPA	    0x4000ull
#define OUT_GPA	    0x6000ull
#define EXTRA_GPA   0x100000ull
#define EXTRA_PAGES 4u
#define FILL	    0xAA
#define PRIV_MGMT \
	(VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY))

static u8 extra[EXTRA_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct hv_partition *R;

static void setup(void)
{
	fx_reset();
	R = fx_partition("root", PRIV_MGMT);
	for (u32 i = 0; i < EXTRA_PAGES; i++)
		ck_assert_int_eq(partition_map_ram(R, EXTRA_GPA + i * PAGE_SIZE,
						   extra[i], PAGE_SIZE),
				 0);
	memset(extra, FILL, sizeof(extra));
}

static enum vnr_status vp_info(struct hv_vp *vp, u64 in, u64 out)
{
	struct vnr_vp_info_input i = {0, 0};

	memcpy(partition_gpa_to_host(vp->partition, in, sizeof(i)), &i,
	       sizeof(i));
	return fx_hypercall(vp, MEM(VNR_CALL_VP_INFO), in, out);
}

static enum vnr_status range(u16 code, u64 gpa, u64 pages)
{
	struct vnr_memory_range_input in = {gpa, pages};

	memcpy(fx_gpa(R, IN_GPA), &in, sizeof(in));
	return fx_hypercall(&R->vps[0], MEM(code), IN_GPA, 0);
}

static void expect_fill(const u8 *p)
{
	for (u32 i = 0; i < PAGE_SIZE; i++)
		ck_assert_msg(p[i] == FILL, "byte %u of a page not ours", i);
}

/* The output page, remembered, is deposited: the next call must refuse it. */
START_TEST(deposited_output_page_is_refused)
{
	ck_assert_int_eq(vp_info(&R->vps[0], IN_GPA, EXTRA_GPA),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(range(VNR_CALL_MEMORY_DEPOSIT, EXTRA_GPA, 1),
			 VNR_STATUS_SUCCESS);
	memset(extra[0], FILL, PAGE_SIZE);
	ck_assert_int_eq(vp_info(&R->vps[0], IN_GPA, EXTRA_GPA),
			 VNR_STATUS_INVALID_GPA);
	expect_fill(extra[0]);
	ck_assert_int_eq(range(VNR_CALL_MEMORY_WITHDRAW, EXTRA_GPA, 1),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(vp_info(&R->vps[0], IN_GPA, EXTRA_GPA),
			 VNR_STATUS_SUCCESS);
}
END_TEST

/* The input page remembered, then deposited by the call that names it. */
START_TEST(deposit_through_its_own_input_page)
{
	struct vnr_memory_range_input in = {EXTRA_GPA, 1};

	memcpy(extra[0], &in, sizeof(in));
	ck_assert_int_eq(fx_hypercall(&R->vps[0], MEM(VNR_CALL_MEMORY_DEPOSIT),
				      EXTRA_GPA, 0),
			 VNR_STATUS_SUCCESS);
	/* the same input again: the page is the hypervisor's now */
	ck_assert_int_eq(fx_hypercall(&R->vps[0], MEM(VNR_CALL_MEMORY_INFO),
				      EXTRA_GPA, 0),
			 VNR_STATUS_SUCCESS); /* no input: not looked at */
	ck_assert_int_eq(fx_hypercall(&R->vps[0], MEM(VNR_CALL_MEMORY_DEPOSIT),
				      EXTRA_GPA, 0),
			 VNR_STATUS_INVALID_GPA);
	ck_assert_int_eq(fx_hypercall(&R->vps[0], MEM(VNR_CALL_MEMORY_INFO), 0,
				      EXTRA_GPA + 0x100),
			 VNR_STATUS_INVALID_GPA);
}
END_TEST

static struct hv_partition *child(const char *name)
{
	struct hv_partition *c = partition_create(name, 0);
	struct vnr_map_gpa_input m;

	ck_assert_ptr_nonnull(c);
	c->parent = R->id;
	c->vp_limit = 1;
	m = (struct vnr_map_gpa_input){c->id, 0, 0};
	memcpy(fx_gpa(R, IN_GPA), &m, sizeof(m));
	ck_assert_int_eq(fx_hypercall(&R->vps[0],
				      REP(VNR_CALL_MAP_GPA_PAGES, 1, 0), IN_GPA,
				      0),
			 VNR_STATUS_SUCCESS);
	ck_assert_ptr_nonnull(partition_create_vp(c, NULL));
	partition_start(c);
	return c;
}

/*
 * A child's VP remembers its page (host page D0); the child is destroyed,
 * D0 goes to another child, and a new child in the same slot reaches the
 * same RAM generation with another page at the same GPA.
 */
START_TEST(slot_reuse_does_not_reach_the_old_page)
{
	struct hv_partition *a, *x, *b;
	u8 *d0, *d1;
	u32 slot_a;

	ck_assert_int_eq(range(VNR_CALL_MEMORY_DEPOSIT, EXTRA_GPA, 2),
			 VNR_STATUS_SUCCESS);
	a = child("a");
	slot_a = (u32)(a - partition_at(0));
	d0 = partition_gpa_to_host(a, 0, PAGE_SIZE);
	x = partition_create("x", 0); /* another slot, built later */
	x->parent = R->id;
	ck_assert_int_eq(vp_info(&a->vps[0], 0x0, 0x800), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(a->mem.ram_generation, 1);
	partition_stop(a, true, 0, "test");
	ck_assert_int_eq(partition_destroy(a), VNR_STATUS_SUCCESS);
	{
		struct vnr_map_gpa_input m = {x->id, 0, 0};

		memcpy(fx_gpa(R, IN_GPA), &m, sizeof(m));
		ck_assert_int_eq(fx_hypercall(&R->vps[0],
					      REP(VNR_CALL_MAP_GPA_PAGES, 1, 0),
					      IN_GPA, 0),
				 VNR_STATUS_SUCCESS);
	}
	ck_assert_ptr_eq(partition_gpa_to_host(x, 0, PAGE_SIZE), d0);
	b = child("b");
	ck_assert_uint_eq((u32)(b - partition_at(0)), slot_a);
	ck_assert_uint_eq(b->mem.ram_generation, 1);
	d1 = partition_gpa_to_host(b, 0, PAGE_SIZE);
	ck_assert_ptr_ne(d0, d1);
	memset(d0, FILL, PAGE_SIZE);
	{
		struct vnr_vp_info_input i = {0, 0};

		memcpy(d1, &i, sizeof(i));
	}
	ck_assert_int_eq(
		fx_hypercall(&b->vps[0], MEM(VNR_CALL_VP_INFO), 0, 0x800),
		VNR_STATUS_SUCCESS);
	expect_fill(d0);
	ck_assert_uint_eq(((struct vnr_vp_info *)(d1 + 0x800))->partition_id,
			  b->id);
}
END_TEST

/* A rep call that CONTINUEs across a deposit of its output page. */
START_TEST(continued_rep_after_output_deposited)
{
	struct vnr_gpa_query_input q = {0};
	u32 reps = 200; /* more than one batch */

	memset(&q, 0, sizeof(q));
	memcpy(fx_gpa(R, IN_GPA), &q, sizeof(q));
	u64 rcx;

	ck_assert(!fx_call(&R->vps[0],
			   REP(VNR_CALL_QUERY_GPA_ATTRIBUTES, reps, 0), IN_GPA,
			   EXTRA_GPA));
	rcx = fx_reg(&R->vps[0], HV_REG_RCX);
	ck_assert_uint_ne(rcx, REP(VNR_CALL_QUERY_GPA_ATTRIBUTES, reps, 0));
	ck_assert_int_eq(range(VNR_CALL_MEMORY_DEPOSIT, EXTRA_GPA, 1),
			 VNR_STATUS_SUCCESS);
	memset(extra[0], FILL, PAGE_SIZE);
	memcpy(fx_gpa(R, IN_GPA), &q, sizeof(q));
	/* re-enter as the guest would, with the continued control word */
	ck_assert(fx_call(&R->vps[0], rcx, IN_GPA, EXTRA_GPA));
	ck_assert_int_eq(fx_status(&R->vps[0]), VNR_STATUS_INVALID_GPA);
	expect_fill(extra[0]);
}
END_TEST

/* Timers: the armed mask follows every change of a timer. */
START_TEST(timer_mask_follows_every_change)
{
	struct hv_vp *vp = &R->vps[0];
	u64 cfg = VNR_STIMER_ENABLE | (2ull << VNR_STIMER_SINT_SHIFT);

	ck_assert(synic_wrmsr(vp, VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
	ck_assert(synic_wrmsr(vp, VNR_MSR_SINT0 + 2, 0x40));
	ck_assert(synic_wrmsr(vp, VNR_MSR_SIMP, 0x8000 | VNR_PAGE_MSR_ENABLE));
	/* one-shot, fires, re-enabled with the same (past) count */
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER1_COUNT, 100));
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER1_CONFIG, cfg));
	ck_assert_uint_eq(vp->synic.timers_armed, 2);
	fake_advance(256 * 200);
	ck_assert_uint_eq(stimer_poll(vp, reftime_now()), ~0ull);
	ck_assert_uint_eq(vp->synic.timers_armed, 0);
	ck_assert_uint_eq(vp->synic.timers[1].due, 0);
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER1_CONFIG, cfg));
	ck_assert_uint_eq(vp->synic.timers_armed, 2);
	/* periodic, then its count zeroed, then set again */
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER3_COUNT, 20000));
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER3_CONFIG,
			      cfg | VNR_STIMER_PERIODIC));
	ck_assert_uint_eq(vp->synic.timers_armed, 0xA);
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER3_COUNT, 0));
	ck_assert_uint_eq(vp->synic.timers_armed, 2);
	ck_assert(synic_wrmsr(vp, VNR_MSR_STIMER3_COUNT, 20000));
	ck_assert_uint_eq(vp->synic.timers_armed, 0xA);
	/* a refused config write changes nothing */
	ck_assert(!synic_wrmsr(vp, VNR_MSR_STIMER3_CONFIG, ~0ull));
	ck_assert_uint_eq(vp->synic.timers_armed, 0xA);
	for (u32 i = 0; i < VNR_STIMER_COUNT; i++)
		ck_assert_uint_eq(!!(vp->synic.timers_armed & (1u << i)),
				  !!vp->synic.timers[i].due);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("buffer_cache");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, deposited_output_page_is_refused);
	tcase_add_test(tc, deposit_through_its_own_input_page);
	tcase_add_test(tc, slot_reuse_does_not_reach_the_old_page);
	tcase_add_test(tc, continued_rep_after_output_deposited);
	tcase_add_test(tc, timer_mask_follows_every_change);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(suite());
}
