/* SPDX-License-Identifier: MIT */
/*
 * Synthetic timers: four per VP, one-shot (COUNT is an absolute reference
 * time) or periodic (COUNT is the period), each posting a timer message
 * on its SINT when due.  The scheduler polls them and arms the hardware
 * timer for the earliest one whose message could be queued: a deadline
 * that can neither wake nor tell the VP anything must not preempt the
 * VPs of other partitions.
 */
#include <hv/partition.h>
#include <hv/reftime.h>
#include <hv/string.h>
#include <hv/synic.h>

/* Bounds how often one timer can interrupt the VPs beside its own. */
static u64 period(const struct hv_stimer *t)
{
	return MAX(t->count, VNR_STIMER_MIN_PERIOD);
}

static u32 sint_of(const struct hv_stimer *t)
{
	return (t->config & VNR_STIMER_SINT_MASK) >> VNR_STIMER_SINT_SHIFT;
}

static void arm(struct hv_synic *s, u32 index, u64 now)
{
	struct hv_stimer *t = &s->timers[index];

	t->due = 0;
	s->timers_armed &= ~(1u << index);
	if (!(t->config & VNR_STIMER_ENABLE) || t->count == 0)
		return;
	t->due = t->config & VNR_STIMER_PERIODIC ? now + period(t) : t->count;
	s->timers_armed |= 1u << index;
}

bool stimer_wrmsr(struct hv_vp *vp, u32 msr, u64 value)
{
	u32 index = (msr - VNR_MSR_STIMER0_CONFIG) / 2;
	struct hv_stimer *t = &vp->synic.timers[index];

	if ((msr - VNR_MSR_STIMER0_CONFIG) % 2 == 0) {
		if (value & VNR_STIMER_RESERVED_MASK)
			return false;
		t->config = value;
	} else {
		t->count = value;
	}
	arm(&vp->synic, index, reftime_now());
	return true;
}

static void fire(struct hv_vp *vp, u32 index, u64 now)
{
	struct hv_stimer *t = &vp->synic.timers[index];
	struct vnr_message msg = {
		.header = {.message_type = VNR_MSG_TIMER_EXPIRED,
			   .payload_size = sizeof(struct vnr_timer_message)},
	};
	struct vnr_timer_message tm = {
		.timer_index = index,
		.expiration_time = t->due,
		.delivery_time = now,
	};

	memcpy(msg.payload, &tm, sizeof(tm));
	if (synic_post(vp, sint_of(t), &msg) != VNR_STATUS_SUCCESS)
		vp->synic.timer_messages_lost++;
	if (!(t->config & VNR_STIMER_PERIODIC)) {
		t->due = 0;
		vp->synic.timers_armed &= ~(1u << index);
		t->config &= ~VNR_STIMER_ENABLE; /* spent: re-enable to reuse */
		return;
	}
	/* A periodic timer that fell behind skips the periods it missed. */
	t->due += period(t);
	if (t->due <= now)
		t->due = now + period(t);
}

u64 stimer_poll(struct hv_vp *vp, u64 now)
{
	u64 next = ~0ull;

	if (!vp->synic.timers_armed) /* the common case: nothing to look at */
		return next;
	for (u32 i = 0; i < VNR_STIMER_COUNT; i++) {
		struct hv_stimer *t = &vp->synic.timers[i];

		if (t->due && t->due <= now)
			fire(vp, i, now);
		if (t->due && t->due < next && synic_can_queue(vp, sint_of(t)))
			next = t->due;
	}
	return next;
}
