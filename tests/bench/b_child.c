// SPDX-License-Identifier: MIT
/*
 * The child b_life builds, starts and destroys: it exits at once, so that
 * the cycle measures the partition's life cycle and not its work.
 */
#include <vnr_guest/guest.h>

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	return 0;
}
