// SPDX-License-Identifier: MIT
/* Synthetic timers and the reference TSC page. */
#include <vnr_guest/guest.h>

static struct vnr_reference_tsc_page tsc_page
	__attribute__((aligned(VNR_PAGE_SIZE)));

static vnr_u32 config_msr(unsigned int timer)
{
	return VNR_MSR_STIMER0_CONFIG + 2 * timer;
}

/* COUNT is written last: writing it while ENABLE is set arms the timer. */
static void stimer_arm(unsigned int timer, vnr_u64 config, vnr_u64 count)
{
	vnr_wrmsr(config_msr(timer), config | VNR_STIMER_ENABLE);
	vnr_wrmsr(config_msr(timer) + 1, count);
}

static vnr_u64 sint_bits(unsigned int sint)
{
	return ((vnr_u64)sint << VNR_STIMER_SINT_SHIFT) & VNR_STIMER_SINT_MASK;
}

void vnr_stimer_oneshot(unsigned int timer, unsigned int sint, vnr_u64 when)
{
	stimer_arm(timer, sint_bits(sint), when);
}

void vnr_stimer_periodic(unsigned int timer, unsigned int sint, vnr_u64 period)
{
	stimer_arm(timer, sint_bits(sint) | VNR_STIMER_PERIODIC, period);
}

void vnr_stimer_stop(unsigned int timer)
{
	vnr_wrmsr(config_msr(timer), 0);
}

bool vnr_reftime_init(void)
{
	if (!vnr_has_features(VNR_FEATURE_MASK(REFERENCE_TSC_PAGE)))
		return false;
	vnr_wrmsr(VNR_MSR_REFERENCE_TSC_PAGE,
		  vnr_gpa(&tsc_page) | VNR_PAGE_MSR_ENABLE);
	return true;
}

vnr_u64 vnr_reftime_fast(void)
{
	const volatile struct vnr_reference_tsc_page *p = &tsc_page;
	vnr_u64 scale, tsc;
	vnr_s64 offset;
	vnr_u32 seq;

	do {
		seq = p->sequence;
		if (!seq)
			return vnr_rdmsr(VNR_MSR_REFERENCE_TIME);
		scale = p->tsc_scale;
		offset = p->tsc_offset;
		tsc = vnr_rdtsc();
		/* A sequence change means the fields above may be mixed. */
	} while (p->sequence != seq);
	return (vnr_u64)(((unsigned __int128)tsc * scale) >> 64) + offset;
}
