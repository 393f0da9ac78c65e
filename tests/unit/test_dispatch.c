/* SPDX-License-Identifier: MIT */
/*
 * VP_RUN of a child of the PC platform, in the hosted core: the lines of
 * its console UART that the root gets, what becomes of an unfinished line
 * when the child stops, and a halt across a suspend.  The fake guest
 * stands in for the exits: it calls what hv/arch/x86/vmexit.c calls.
 */
#include <check.h>
#include <string.h>

#include <hv/console.h>
#include <hv/dispatch.h>
#include <hv/hypercall_calls.h>

#include "fixture.h"

static struct hv_partition *root;

/* What the fake guest sends to its UART, one byte per exit, then does. */
static const char *script;
static u32 script_len, script_pos;
static enum { THEN_HALT, THEN_EXIT } script_end;

static void uart_guest(struct hv_vp *vp)
{
	if (script_pos < script_len) {
		console_uart_put(vp, (u8)script[script_pos++]);
		return;
	}
	switch (script_end) {
	case THEN_HALT:
		sched_halt(vp, 0);
		break;
	case THEN_EXIT:
		partition_stop(vp->partition, true, 0, "exited with status 0");
		break;
	}
}

static void run_script(const char *text, u32 len, int end)
{
	script = text;
	script_len = len;
	script_pos = 0;
	script_end = end;
	fake_guest = uart_guest;
}

static void setup(void)
{
	fx_reset();
	root = fx_partition("root", VNR_PRIV_MASK(CREATE_PARTITIONS));
	root->owns_machine = true;
}

/* A running child of the root, as PARTITION_CREATE makes it. */
static struct hv_partition *pc_child(const char *name)
{
	struct hv_partition *c =
		partition_create(name, VNR_PRIV_MASK(DEBUG_CONSOLE));

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(arch_partition_enable_pc_platform(c), 0);
	c->parent = root->id;
	c->vp_limit = 1;
	c->dispatched = true;
	ck_assert_ptr_nonnull(partition_create_vp(c, NULL));
	partition_start(c);
	return c;
}

/*
 * VP_RUN as the root makes it: its handler is called directly, the root's
 * RAM being the machine's (not the fixture's).
 */
static const struct vnr_run_exit *vp_run(struct hv_partition *c, u32 vp)
{
	static struct vnr_run_exit rec __attribute__((aligned(PAGE_SIZE)));
	struct vnr_vp_run_input in = {c->id, vp, 0, 0};
	struct hv_call call = {
		.vp = &root->vps[0],
		.input = &in,
		.output = &rec,
	};

	ck_assert_int_eq(call_vp_run(&call), VNR_STATUS_SUCCESS);
	return &rec;
}

/* A line ends the run with its bytes as written; a halt ends the next. */
START_TEST(uart_line_goes_to_the_root)
{
	struct hv_partition *c = pc_child("linux");
	const struct vnr_run_exit *rec;

	run_script("ok\x1b\n", 4, THEN_HALT);
	rec = vp_run(c, 0);
	ck_assert_uint_eq(rec->reason, VNR_RUN_EXIT_CONSOLE);
	ck_assert_uint_eq(rec->length, 4);
	ck_assert(!memcmp(rec->data, "ok\x1b\n", 4));
	rec = vp_run(c, 0);
	ck_assert_uint_eq(rec->reason, VNR_RUN_EXIT_HALTED);
	ck_assert_uint_eq(rec->info.wake_in_100ns, ~0ull);
}
END_TEST

/* Without a newline the root gets the bytes a full buffer at a time. */
START_TEST(uart_full_buffer_without_newline)
{
	struct hv_partition *c = pc_child("linux");
	static char text[2 * HV_CONSOLE_LINE_MAX + 7];
	const struct vnr_run_exit *rec;

	memset(text, 'a', sizeof(text));
	run_script(text, sizeof(text), THEN_HALT);
	for (int i = 0; i < 2; i++) {
		rec = vp_run(c, 0);
		ck_assert_uint_eq(rec->reason, VNR_RUN_EXIT_CONSOLE);
		ck_assert_uint_eq(rec->length, HV_CONSOLE_LINE_MAX);
	}
	rec = vp_run(c, 0);
	ck_assert_uint_eq(rec->reason, VNR_RUN_EXIT_HALTED);
	ck_assert_uint_eq(c->console.uart.len, 7);
}
END_TEST

/*
 * The unfinished line of a child that stops is printed on the hypervisor
 * console, filtered as every partition's text is there; the next
 * partition in its slot starts with an empty line.
 */
START_TEST(unfinished_line_at_stop_is_filtered)
{
	struct hv_partition *c = pc_child("linux"), *next;
	u32 slot = (u32)(c - partition_at(0));
	const struct vnr_run_exit *rec;

	run_script("\x1b[2Jgone\r", 9, THEN_EXIT);
	rec = vp_run(c, 0);
	ck_assert_uint_eq(rec->reason, VNR_RUN_EXIT_STOPPED);
	ck_assert_uint_eq(rec->info.exit_reason, VNR_EXIT_CLEAN);
	ck_assert_ptr_nonnull(strstr(fake_console, "[linux] ?[2Jgone\n"));
	ck_assert_ptr_null(memchr(fake_console, 0x1b, fake_console_len));
	ck_assert_ptr_null(memchr(fake_console, '\r', fake_console_len));
	ck_assert_int_eq(partition_destroy(c), VNR_STATUS_SUCCESS);
	next = pc_child("next");
	ck_assert_ptr_eq(next, partition_at(slot));
	ck_assert_uint_eq(next->console.uart.len, 0);
}
END_TEST

/* A halted VP resumed after a suspend still waits for its event. */
START_TEST(halted_vp_waits_after_resume)
{
	struct hv_partition *c = pc_child("linux");

	run_script("", 0, THEN_HALT);
	ck_assert_uint_eq(vp_run(c, 0)->reason, VNR_RUN_EXIT_HALTED);
	ck_assert_int_eq(partition_change_state(c, HV_SUSPEND),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(partition_change_state(c, HV_RESUME),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(c->vps[0].state, HV_VP_HALTED);
	ck_assert_uint_eq(vp_run(c, 0)->reason, VNR_RUN_EXIT_HALTED);
}
END_TEST

static Suite *dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create("pc_child");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, uart_line_goes_to_the_root);
	tcase_add_test(tc, uart_full_buffer_without_newline);
	tcase_add_test(tc, unfinished_line_at_stop_is_filtered);
	tcase_add_test(tc, halted_vp_waits_after_resume);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run_suite(dispatch_suite());
}
