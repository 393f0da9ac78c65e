// SPDX-License-Identifier: MIT
/*
 * Spins without ever yielding and prints "spin <name> <n>" every few
 * million iterations, so that the harness can see several partitions make
 * progress at once only if the hypervisor preempts them.
 *
 * Command line: count=N progress lines (default 10), iters=N iterations
 * between them (default 1 << 24).
 */
#include <vnr_test.h>

static void spin(vnr_u64 iterations)
{
	vnr_u64 i;

	/* The empty asm keeps the compiler from deleting the loop. */
	for (i = 0; i < iterations; i++)
		asm volatile("" : : : "memory");
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 count = vnr_cmdline_u64("count", 10);
	vnr_u64 iters = vnr_cmdline_u64("iters", 1 << 24);
	vnr_u64 n;

	vnr_test_begin("t_spin");
	for (n = 1; n <= count; n++) {
		spin(iters);
		vnr_printf("spin %s %lu\n", si->name, n);
	}
	return vnr_test_done();
}
