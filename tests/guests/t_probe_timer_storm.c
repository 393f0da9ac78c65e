// SPDX-License-Identifier: MIT
/*
 * A timer storm: all four synthetic timers periodic with COUNT 1 (100 ns,
 * below the minimum period) on one SINT whose slot the partition never
 * frees, while it halts until ms milliseconds have passed.  The queue
 * behind the slot fills after a few expirations and every later message
 * is lost, so the storm can neither wake nor notify this VP: the
 * hypervisor must not preempt the victim beside it for these timers.
 *
 * Command line: ms=N (default 3000).
 */
#include <vnr_test.h>

#define SINT   1
#define TIMERS 4

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 ms = vnr_cmdline_u64("ms", 3000);
	vnr_u64 until, now, halts = 0;
	const struct vnr_message *slot;
	unsigned int t;

	(void)si;
	vnr_test_begin("timer_storm");
	if (!VNR_EXPECT(vnr_synic_init()))
		return vnr_test_done();
	until = vnr_reference_time() + ms * VNR_TICKS_PER_MS;
	for (t = 0; t < TIMERS; t++)
		vnr_stimer_periodic(t, SINT, 1);
	while ((now = vnr_reference_time()) < until) {
		vnr_vp_halt(until - now);
		halts++;
	}
	slot = &vnr_synic_message_page()->sint[SINT];
	VNR_EXPECT_EQ(slot->header.message_type, VNR_MSG_TIMER_EXPIRED);
	VNR_EXPECT(slot->header.flags & VNR_MSG_FLAG_PENDING);
	vnr_test_note("%u periodic timers of COUNT 1 unread for %lu ms, "
		      "%lu halts",
		      TIMERS, ms, halts);
	for (t = 0; t < TIMERS; t++)
		vnr_stimer_stop(t);
	return vnr_test_done();
}
