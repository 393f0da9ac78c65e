/* SPDX-License-Identifier: MIT */
/*
 * The synthetic interrupt controller of the boot VP (docs/spec/synic.md):
 * message and event-flag pages, SINTs routed to interrupt handlers,
 * messages, events, synthetic timers and the reference TSC page.
 */
#ifndef VNR_GUEST_SYNIC_H
#define VNR_GUEST_SYNIC_H

#include <stdbool.h>
#include <veneer/abi.h>

/*
 * Places the message and event-flag pages (page-aligned, in .bss) and
 * enables the SynIC.  Every SINT stays masked until vnr_sint_enable().
 * Returns false when the hypervisor does not offer VNR_FEATURE_SYNIC.
 */
bool vnr_synic_init(void);

struct vnr_message_page *vnr_synic_message_page(void);
struct vnr_event_flags_page *vnr_synic_event_page(void);

/* Runs in interrupt context (see irq.h); sint is the source. */
typedef void (*vnr_sint_handler)(unsigned int sint, void *ctx);

/*
 * Routes sint to vector (32-255) and unmasks it.  flags may hold
 * VNR_SINT_AUTO_EOI; without it the library writes the EOI MSR after fn.
 * fn may be NULL when the SINT only needs to wake the VP from a halt.
 */
bool vnr_sint_enable(unsigned int sint, unsigned int vector,
		     vnr_sint_handler fn, void *ctx, vnr_u64 flags);
/* Masks sint again; its messages and flags are still recorded. */
void vnr_sint_mask(unsigned int sint);

/*
 * Takes the message in sint's slot, if any: copies it to *out, frees the
 * slot and asks for the next one the hypervisor may have queued (EOM,
 * after every message).  Returns false when the slot is empty.
 */
bool vnr_message_take(unsigned int sint, struct vnr_message *out);

/* Atomically reads and clears event flag `flag` of sint. */
bool vnr_event_flag_take(unsigned int sint, unsigned int flag);

/* Both return the call's status (docs/spec/hypercalls.md). */
enum vnr_status vnr_post_message(vnr_u32 connection_id, vnr_u32 type,
				 const void *payload, vnr_u32 size);
enum vnr_status vnr_signal_event(vnr_u32 connection_id, vnr_u32 flag);

/*
 * Synthetic timers: deliver VNR_MSG_TIMER_EXPIRED messages on sint.
 * vnr_stimer_oneshot fires once at the absolute reference time `when`;
 * vnr_stimer_periodic every `period` (100 ns units).
 */
void vnr_stimer_oneshot(unsigned int timer, unsigned int sint, vnr_u64 when);
void vnr_stimer_periodic(unsigned int timer, unsigned int sint, vnr_u64 period);
void vnr_stimer_stop(unsigned int timer);

/*
 * Places the reference TSC page (in .bss); false without
 * VNR_FEATURE_REFERENCE_TSC_PAGE.  vnr_reftime_fast() then computes the
 * reference time from the TSC without leaving the guest, falling back to
 * the REFERENCE_TIME MSR while the hypervisor marks the page invalid.
 */
bool vnr_reftime_init(void);
vnr_u64 vnr_reftime_fast(void);

#endif /* VNR_GUEST_SYNIC_H */
