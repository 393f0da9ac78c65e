/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's log ring (hv/core/log_ring.c): every console byte is
 * kept, the oldest overwritten first, and a reader that fell behind skips
 * to the oldest byte kept instead of reading overwritten ones.
 */
#include <check.h>
#include <string.h>

#include <hv/log.h>

#include "fixture.h"

static u64 written; /* bytes this test has written so far, in all */

static void write_text(const char *s)
{
	hv_console_write(s, strlen(s));
	written += strlen(s);
}

START_TEST(reads_what_was_written)
{
	u64 pos = written;
	char out[64] = {0};

	write_text("[hv] hello\n");
	ck_assert_uint_eq(hv_log_ring_read(&pos, out, sizeof(out)), 11);
	ck_assert_str_eq(out, "[hv] hello\n");
	ck_assert_uint_eq(pos, written);
	ck_assert_uint_eq(hv_log_ring_read(&pos, out, sizeof(out)), 0);
}
END_TEST

START_TEST(reads_in_pieces)
{
	u64 pos = written;
	char out[4];

	write_text("abcdefg");
	ck_assert_uint_eq(hv_log_ring_read(&pos, out, 4), 4);
	ck_assert(!memcmp(out, "abcd", 4));
	ck_assert_uint_eq(hv_log_ring_read(&pos, out, 4), 3);
	ck_assert(!memcmp(out, "efg", 3));
}
END_TEST

START_TEST(overwritten_bytes_are_skipped)
{
	static char chunk[1024];
	u64 pos = written;
	char out[8];

	memset(chunk, 'x', sizeof(chunk) - 1);
	for (u32 i = 0; i < 2 * HV_LOG_RING_SIZE / (sizeof(chunk) - 1) + 1; i++)
		write_text(chunk);
	write_text("END");
	ck_assert_uint_gt(hv_log_ring_read(&pos, out, 1), 0);
	/* The reader was moved to the oldest byte still in the ring. */
	ck_assert_uint_eq(pos, written - HV_LOG_RING_SIZE + 1);
	pos = written - 3;
	ck_assert_uint_eq(hv_log_ring_read(&pos, out, sizeof(out)), 3);
	ck_assert(!memcmp(out, "END", 3));
}
END_TEST

static Suite *log_ring_suite(void)
{
	Suite *s = suite_create("log_ring");
	TCase *t = tcase_create("ring");

	tcase_add_test(t, reads_what_was_written);
	tcase_add_test(t, reads_in_pieces);
	tcase_add_test(t, overwritten_bytes_are_skipped);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return fx_run_suite(log_ring_suite());
}
