// SPDX-License-Identifier: MIT
/*
 * Interrupt storm: posts messages (connection 1) and signals event flag 0
 * (connection 2) at t_probe_victim storm=1 as fast as it can, never
 * yielding, until count messages were accepted.  Sequence numbers go up
 * only on SUCCESS; INSUFFICIENT_BUFFERS (the victim's queue is full) is
 * counted and retried at once; any other status is a failure.  Then it
 * posts the totals (retrying with yields) for the victim to check.
 *
 * It starts once the victim's event port is ready (SIGNAL_EVENT returns
 * PORT_NOT_READY until the victim has enabled its SynIC).
 *
 * Command line: count=N (default 20000).
 */
#include <vnr_test.h>
#include <vnr_guest/mgmt.h>

enum storm_msg {
	STORM_DATA = 1,
	STORM_DONE = 2,
};

struct storm_done {
	vnr_u64 accepted;
	vnr_u64 signals;
	vnr_u64 full;
};

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 count = vnr_cmdline_u64("count", 20000);
	struct storm_done d = {0, 0, 0};
	vnr_u64 other = 0, sig_bad = 0, t0;
	enum vnr_status st;

	(void)si;
	vnr_test_begin("storm");
	/* The victim's event port is ready once its SynIC is up. */
	while (vnr_signal_event(2, 0) == VNR_STATUS_PORT_NOT_READY)
		vnr_vp_yield();
	t0 = vnr_reference_time();
	while (d.accepted < count) {
		st = vnr_post_message(1, STORM_DATA, &d.accepted, 8);
		if (st == VNR_STATUS_SUCCESS)
			d.accepted++;
		else if (st == VNR_STATUS_INSUFFICIENT_BUFFERS)
			d.full++;
		else if (other++ < 4)
			vnr_test_note("POST_MESSAGE: %s", vnr_status_name(st));
		st = vnr_signal_event(2, 0);
		if (st == VNR_STATUS_SUCCESS)
			d.signals++;
		else if (sig_bad++ < 4)
			vnr_test_note("SIGNAL_EVENT: %s", vnr_status_name(st));
	}
	VNR_EXPECT_EQ(other, 0);
	VNR_EXPECT_EQ(sig_bad, 0);
	VNR_EXPECT(d.full > 0);
	while ((st = vnr_post_message(1, STORM_DONE, &d, sizeof(d))) ==
	       VNR_STATUS_INSUFFICIENT_BUFFERS)
		vnr_vp_yield();
	VNR_EXPECT_EQ(st, VNR_STATUS_SUCCESS);
	vnr_test_note("posted %lu accepted, %lu INSUFFICIENT_BUFFERS, %lu "
		      "signals in %lu ms",
		      d.accepted, d.full, d.signals,
		      (vnr_reference_time() - t0) / 10000);
	return vnr_test_done();
}
