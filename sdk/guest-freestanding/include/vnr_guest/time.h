/* SPDX-License-Identifier: MIT */
/* Time from the REFERENCE_TIME hypercall. */
#ifndef VNR_GUEST_TIME_H
#define VNR_GUEST_TIME_H

#include <veneer/types.h>

#define VNR_TICKS_PER_US  ((vnr_u64)10) /* reference time: 100 ns ticks */
#define VNR_TICKS_PER_MS  (1000 * VNR_TICKS_PER_US)
#define VNR_TICKS_PER_SEC (1000 * VNR_TICKS_PER_MS)

/* 100 ns ticks since the hypervisor started. */
vnr_u64 vnr_reference_time(void);
/* TSC ticks per second as the guest sees them, 0 if unknown. */
vnr_u64 vnr_tsc_frequency(void);

#endif /* VNR_GUEST_TIME_H */
