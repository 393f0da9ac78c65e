/* SPDX-License-Identifier: MIT */
/*
 * Reference time in 100 ns units since the hypervisor started.  The
 * conversion is a 32.32 fixed-point multiply (no division on the hot
 * path), the same shape a future shared time page will publish.
 */
#include <hv/arch.h>
#include <hv/reftime.h>

static u64 tsc_base;
static u64 ticks_per_tsc_32; /* 100 ns ticks per TSC cycle, << 32 */
static u64 tsc_per_tick_32;  /* TSC cycles per 100 ns tick, << 32 */

static u64 mul_shift32(u64 a, u64 b)
{
	return (u64)(((unsigned __int128)a * b) >> 32);
}

void reftime_init(u64 tsc_now, u64 tsc_hz)
{
	tsc_base = tsc_now;
	ticks_per_tsc_32 = (u64)((10000000ull << 32) / tsc_hz);
	/* Split so that no intermediate needs more than 64 bits. */
	tsc_per_tick_32 = ((tsc_hz / 10000000ull) << 32) +
			  ((tsc_hz % 10000000ull) << 32) / 10000000ull;
}

u64 reftime_from_tsc_delta(u64 tsc_delta)
{
	return mul_shift32(tsc_delta, ticks_per_tsc_32);
}

u64 reftime_to_tsc_delta(u64 ticks_100ns)
{
	return mul_shift32(ticks_100ns, tsc_per_tick_32);
}

u64 reftime_now(void)
{
	return reftime_from_tsc_delta(arch_read_tsc() - tsc_base);
}
