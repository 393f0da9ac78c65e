/* SPDX-License-Identifier: MIT */
/* Reference time: a 100 ns counter derived from the TSC. */
#ifndef HV_REFTIME_H
#define HV_REFTIME_H

#include <hv/types.h>

/* Reference time 0 is TSC value tsc_now; once, before any other call. */
void reftime_init(u64 tsc_now, u64 tsc_hz);
/* Now, in 100 ns units since reftime_init; never goes backwards. */
u64 reftime_now(void);
/* Converts between TSC cycles and 100 ns units, rounding down. */
u64 reftime_from_tsc_delta(u64 tsc_delta);
u64 reftime_to_tsc_delta(u64 ticks_100ns);
/* The TSC value at which the reference time is ticks_100ns. */
u64 reftime_to_tsc(u64 ticks_100ns);
/* Writes the scale and offset a guest's reference TSC page carries. */
void reftime_fill_tsc_page(struct vnr_reference_tsc_page *page);

#endif /* HV_REFTIME_H */
