/* SPDX-License-Identifier: MIT */
/*
 * The pvclock time records (see pv_clock.h).  The TSC runs at a constant
 * rate and every VP sees the same one, so a VP's record is written once,
 * when the guest names its page, and says so (the TSC-stable flag): the
 * guest's time is the hypervisor's reference time in nanoseconds.
 */
#include <hv/arch.h>
#include <hv/reftime.h>
#include "pv_clock.h"
#include "vp_state.h"

/* struct pvclock_vcpu_time_info and pvclock_wall_clock, as the ABI has. */
struct pv_time_record {
	u32 version; /* odd while the record is written */
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time; /* ns at tsc_timestamp */
	u32 tsc_to_system_mul;
	int8_t tsc_shift;
	u8 flags;
	u8 pad[2];
};

struct pv_wall_clock {
	u32 version;
	u32 sec; /* the time of day when system time was 0 */
	u32 nsec;
};

#define PV_ENABLE     1ull
#define PV_TSC_STABLE 1u
#define NS_PER_SEC    1000000000ull
#define TIME_RECORD_RESERVED \
	0x1Eull /* bits 1-4: the record is 32-byte aligned */

bool pv_clock_owns_msr(u32 msr)
{
	return msr == MSR_PV_WALL_CLOCK || msr == MSR_PV_SYSTEM_TIME;
}

/*
 * ns = ((tsc delta << shift) * mul) >> 32 with mul in [2^31, 2^32), so
 * that the scale keeps 31 bits of precision.
 */
static void tsc_scale(u64 tsc_hz, u32 *mul, int8_t *shift)
{
	u64 hz = tsc_hz;
	int8_t s = 0;

	while (hz > 2 * NS_PER_SEC) {
		hz >>= 1;
		s--;
	}
	while (hz <= NS_PER_SEC) {
		hz <<= 1;
		s++;
	}
	*mul = (u32)((NS_PER_SEC << 32) / hz);
	*shift = s;
}

static void write_record(struct pv_time_record *r)
{
	u32 mul;
	int8_t shift;

	tsc_scale(arch_tsc_hz(), &mul, &shift);
	__atomic_store_n(&r->version, r->version | 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->tsc_timestamp = reftime_to_tsc(0);
	r->system_time = 0;
	r->tsc_to_system_mul = mul;
	r->tsc_shift = shift;
	r->flags = PV_TSC_STABLE;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&r->version, (r->version | 1) + 1, __ATOMIC_RELAXED);
}

/*
 * The time of day at system time 0, as the firmware's clock gave it at
 * boot; the epoch itself when it gave none.
 */
static bool write_wall_clock(struct hv_partition *p, u64 gpa)
{
	struct pv_wall_clock *w =
		partition_gpa_to_host(p, gpa, sizeof(struct pv_wall_clock));
	u64 ns = reftime_wall_clock_at_zero_ns();

	if (!w || gpa % 4)
		return false;
	w->version = (w->version | 1) + 1;
	w->sec = (u32)(ns / NS_PER_SEC);
	w->nsec = (u32)(ns % NS_PER_SEC);
	return true;
}

static bool write_system_time(struct hv_vp *vp, u64 value)
{
	struct pv_time_record *r = NULL;

	if (value & TIME_RECORD_RESERVED)
		return false;
	if (value & PV_ENABLE) {
		r = partition_gpa_to_host(vp->partition, value & ~0x1Full,
					  sizeof(*r));
		if (!r)
			return false;
		write_record(r);
	}
	x86_vp_state(vp)->pv_system_time_msr = value;
	return true;
}

bool pv_clock_rdmsr(struct hv_vp *vp, u32 msr, u64 *value)
{
	*value = msr == MSR_PV_SYSTEM_TIME
			 ? x86_vp_state(vp)->pv_system_time_msr
			 : x86_vp_state(vp)->pv_wall_clock_msr;
	return true;
}

bool pv_clock_wrmsr(struct hv_vp *vp, u32 msr, u64 value)
{
	if (msr == MSR_PV_SYSTEM_TIME)
		return write_system_time(vp, value);
	if (!write_wall_clock(vp->partition, value))
		return false;
	x86_vp_state(vp)->pv_wall_clock_msr = value;
	return true;
}
