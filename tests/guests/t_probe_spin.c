// SPDX-License-Identifier: MIT
/*
 * A partition that never yields, never halts and never exits on its own
 * account: it disables interrupts and spins for iters iterations (long
 * enough to span many time slices), with no hypercall in between.  The
 * hypervisor must keep preempting it (host interrupts exit the guest
 * whatever RFLAGS.IF) so that the victim beside it finishes.  The loop is
 * bounded only so that the case ends.
 *
 * Command line: iters=N (default 1 << 31).
 */
#include <vnr_test.h>

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 iters = vnr_cmdline_u64("iters", 1ull << 31);
	vnr_u64 i, t0, t1;

	(void)si;
	vnr_test_begin("spinner");
	t0 = vnr_reference_time();
	vnr_irq_disable();
	for (i = 0; i < iters; i++)
		asm volatile("" : : : "memory");
	t1 = vnr_reference_time();
	vnr_test_note("spun %lu iterations with interrupts off for %lu ms",
		      iters, (t1 - t0) / 10000);
	return vnr_test_done();
}
