// SPDX-License-Identifier: MIT
/* Reference time and TSC frequency, both from REFERENCE_TIME. */
#include <vnr_guest/guest.h>

vnr_u64 vnr_reference_time(void)
{
	vnr_u64 ticks;

	if (vnr_get_reference_time(&ticks, NULL) != VNR_STATUS_SUCCESS)
		return 0;
	return ticks;
}

vnr_u64 vnr_tsc_frequency(void)
{
	vnr_u64 hz;

	if (vnr_get_reference_time(NULL, &hz) != VNR_STATUS_SUCCESS)
		return 0;
	return hz;
}
