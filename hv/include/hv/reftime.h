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
/*
 * The time of day: the firmware's clock said unix_s seconds since 1970
 * (UTC) at TSC at_tsc; 0 leaves it unknown.  Once, after reftime_init.
 */
void reftime_set_wall_clock(u64 unix_s, u64 at_tsc);
/* Nanoseconds since 1970 at reference time 0, or 0 if unknown. */
u64 reftime_wall_clock_at_zero_ns(void);
/* Writes the scale and offset a guest's reference TSC page carries. */
void reftime_fill_tsc_page(struct vnr_reference_tsc_page *page);

#endif /* HV_REFTIME_H */
