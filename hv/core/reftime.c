/* SPDX-License-Identifier: MIT */
/*
 * Reference time in 100 ns units since the hypervisor started:
 *   time = ((TSC * scale) >> 64) + offset
 * the same formula the reference TSC page publishes, so a guest reading
 * the page and one making the hypercall (REFERENCE_TIME) see the same
 * clock.
 */
#include <hv/arch.h>
#include <hv/hypercall_calls.h>
#include <hv/reftime.h>

#define TICKS_PER_SECOND 10000000ull

static u64 scale;	    /* 100 ns ticks per TSC cycle, << 64 */
static s64 offset;	    /* makes the time 0 at start-up */
static u64 tsc_per_tick_32; /* TSC cycles per 100 ns tick, << 32 */
static u64 wall_at_zero_ns; /* the time of day at time 0, 0: unknown */

static u64 mul_hi(u64 a, u64 b)
{
	return (u64)(((unsigned __int128)a * b) >> 64);
}

/* floor(2^64 * n / d) for n < d, by long division (no 128-bit divide). */
static u64 fraction64(u64 n, u64 d)
{
	u64 q = 0;

	for (int i = 0; i < 64; i++) {
		bool carry = n >> 63;

		n <<= 1;
		q <<= 1;
		if (carry || n >= d) {
			n -= d;
			q |= 1;
		}
	}
	return q;
}

void reftime_init(u64 tsc_now, u64 tsc_hz)
{
	scale = fraction64(TICKS_PER_SECOND, tsc_hz);
	offset = -(s64)mul_hi(tsc_now, scale);
	wall_at_zero_ns = 0;
	/* Split so that no intermediate needs more than 64 bits. */
	tsc_per_tick_32 =
		((tsc_hz / TICKS_PER_SECOND) << 32) +
		((tsc_hz % TICKS_PER_SECOND) << 32) / TICKS_PER_SECOND;
}

void reftime_set_wall_clock(u64 unix_s, u64 at_tsc)
{
	u64 zero_tsc = reftime_to_tsc(0), ns = unix_s * 1000000000ull;

	if (!unix_s)
		return;
	if (zero_tsc >= at_tsc)
		ns += reftime_from_tsc_delta(zero_tsc - at_tsc) * 100;
	else
		ns -= reftime_from_tsc_delta(at_tsc - zero_tsc) * 100;
	wall_at_zero_ns = ns;
}

u64 reftime_wall_clock_at_zero_ns(void)
{
	return wall_at_zero_ns;
}

u64 reftime_from_tsc_delta(u64 tsc_delta)
{
	return mul_hi(tsc_delta, scale);
}

/* Saturates: a delay too long for 64 bits of TSC is "forever". */
u64 reftime_to_tsc_delta(u64 ticks_100ns)
{
	unsigned __int128 cycles =
		((unsigned __int128)ticks_100ns * tsc_per_tick_32) >> 32;

	return cycles > ~0ull ? ~0ull : (u64)cycles;
}

u64 reftime_now(void)
{
	return mul_hi(arch_read_tsc(), scale) + (u64)offset;
}

u64 reftime_to_tsc(u64 ticks_100ns)
{
	return reftime_to_tsc_delta(ticks_100ns - (u64)offset);
}

void reftime_fill_tsc_page(struct vnr_reference_tsc_page *page)
{
	page->tsc_scale = scale;
	page->tsc_offset = offset;
	page->reserved = 0;
	/* Written last: a non-zero sequence makes the page valid. */
	__atomic_store_n(&page->sequence, 1, __ATOMIC_RELEASE);
}

enum vnr_status call_reference_time(struct hv_call *call)
{
	call->fast_outputs = true;
	call->out0 = reftime_now();
	call->out1 = arch_tsc_hz();
	return VNR_STATUS_SUCCESS;
}
