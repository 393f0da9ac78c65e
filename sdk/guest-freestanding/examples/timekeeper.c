// SPDX-License-Identifier: MIT
/*
 * Sleeps with VP_HALT and reports how long each sleep took by the
 * reference clock.
 *
 * Command line: sleeps=N (default 5), sleep_ms=N (default 50).
 */
#include <vnr_guest/guest.h>

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 sleeps = vnr_cmdline_u64("sleeps", 5);
	vnr_u64 timeout = vnr_cmdline_u64("sleep_ms", 50) * VNR_TICKS_PER_MS;
	vnr_u64 i, before, after;
	enum vnr_status st;

	vnr_printf("%s: TSC runs at %lu Hz\n", si->name, vnr_tsc_frequency());
	for (i = 1; i <= sleeps; i++) {
		before = vnr_reference_time();
		st = vnr_vp_halt(timeout);
		after = vnr_reference_time();
		vnr_printf("%s: sleep %lu: status %u, from %lu to %lu us, "
			   "slept %lu us (asked %lu us)\n",
			   si->name, i, st, before / VNR_TICKS_PER_US,
			   after / VNR_TICKS_PER_US,
			   (after - before) / VNR_TICKS_PER_US,
			   timeout / VNR_TICKS_PER_US);
	}
	return 0;
}
