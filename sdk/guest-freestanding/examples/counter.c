// SPDX-License-Identifier: MIT
/*
 * Spins on the TSC and prints "tick N" once per period, never yielding or
 * halting: if other partitions make progress at the same time, the
 * hypervisor is preempting this one.
 *
 * Command line: ticks=N (default 5), period_ms=N (default 1000).
 */
#include <vnr_guest/guest.h>

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 ticks = vnr_cmdline_u64("ticks", 5);
	vnr_u64 period_ms = vnr_cmdline_u64("period_ms", 1000);
	vnr_u64 hz = vnr_tsc_frequency();
	vnr_u64 period, next, n;

	if (!hz) {
		vnr_printf("counter: TSC frequency unknown\n");
		return 1;
	}
	/* Spinning on the TSC keeps the loop free of VM exits. */
	period = hz / 1000 * period_ms;
	next = vnr_rdtsc() + period;
	for (n = 1; n <= ticks; n++) {
		while (vnr_rdtsc() < next)
			asm volatile("pause");
		next += period;
		vnr_printf("%s: tick %lu at %lu us\n", si->name, n,
			   vnr_reference_time() / VNR_TICKS_PER_US);
	}
	return 0;
}
