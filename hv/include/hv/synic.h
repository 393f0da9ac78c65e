/* SPDX-License-Identifier: MIT */
/*
 * The synthetic interrupt controller of a VP (docs/spec/synic.md): its
 * MSRs, the per-SINT message queues behind the message page, event flags,
 * and the synthetic timers that post messages.
 */
#ifndef HV_SYNIC_H
#define HV_SYNIC_H

#include <hv/types.h>

struct hv_vp;

#define HV_SYNIC_QUEUE_PAGES \
	(VNR_SINT_COUNT * VNR_MESSAGE_QUEUE_DEPTH * 256 / 4096)

struct hv_stimer {
	u64 config;
	u64 count;
	u64 due; /* reference time; 0: not armed */
};

struct hv_synic {
	u64 scontrol, simp, siefp;
	u64 sint[VNR_SINT_COUNT];
	struct vnr_message_page *message_page; /* host view, NULL: off */
	struct vnr_event_flags_page *flags_page;
	/* VNR_MESSAGE_QUEUE_DEPTH messages per SINT, two SINTs per page. */
	struct vnr_message *queue_pages[HV_SYNIC_QUEUE_PAGES];
	u8 queue_head[VNR_SINT_COUNT];
	u8 queue_count[VNR_SINT_COUNT];
	struct hv_stimer timers[VNR_STIMER_COUNT];
	u32 timers_armed; /* bit i: timers[i].due is set */
	u64 timer_messages_lost;
};

/*
 * The VP's SynIC, disabled, its message queues charged to the partition's
 * pool: 0, or -1 having kept nothing.  destroy frees the queues (also
 * after a failed init).
 */
int synic_init(struct hv_vp *vp);
void synic_destroy(struct hv_vp *vp);
/*
 * The SynIC's and synthetic timers' MSRs (synic_owns_msr says which):
 * false for an access the guest must get #GP for, with nothing changed.
 */
bool synic_rdmsr(struct hv_vp *vp, u32 msr, u64 *value);
bool synic_wrmsr(struct hv_vp *vp, u32 msr, u64 value);
bool synic_owns_msr(u32 msr);

/*
 * Queues a message for a SINT; VNR_STATUS_INSUFFICIENT_BUFFERS if the
 * queue is full, or if the message is a partition's (sender_partition not
 * 0), the queue has fewer than VNR_MESSAGE_QUEUE_RESERVE places left and
 * that sender already has a message in it.
 */
enum vnr_status synic_post(struct hv_vp *vp, u32 sint,
			   const struct vnr_message *msg);
/*
 * Whether a message of the hypervisor's (sender 0) posted now to the SINT
 * would be queued, not lost.
 * Only the VP itself can make room (by freeing its slot), so a full queue
 * stays full until the VP next runs.
 */
bool synic_can_queue(const struct hv_vp *vp, u32 sint);
/* Sets an event flag; the SINT fires when the flag was clear. */
enum vnr_status synic_signal(struct hv_vp *vp, u32 sint, u32 flag);

/* Synthetic timers (stimer.c). */
bool stimer_wrmsr(struct hv_vp *vp, u32 msr, u64 value);
/*
 * Fires due timers; returns the earliest reference time at which an armed
 * timer whose message could be queued is due (~0 if none).  A timer whose
 * SINT queue is full is left out: it fires, and loses its message, when
 * the scheduler next polls after its due time.
 */
u64 stimer_poll(struct hv_vp *vp, u64 now);

#endif /* HV_SYNIC_H */
