/* SPDX-License-Identifier: MIT */
/*
 * The synthetic interrupt controller (docs/spec/synic.md): per VP, a
 * message page and an event-flags page placed by MSR, 16 synthetic
 * interrupt sources (SINTs), synthetic timers and the reference TSC page.
 */
#ifndef VENEER_SYNIC_H
#define VENEER_SYNIC_H

#include "types.h"

#define VNR_SINT_COUNT	 16
#define VNR_STIMER_COUNT 4

/* SCONTROL */
#define VNR_SCONTROL_ENABLE 0x1ull

/* SIMP, SIEFP and REFERENCE_TSC_PAGE: bit 0 enables, bits 63:12 = GPA. */
#define VNR_PAGE_MSR_ENABLE	   0x1ull
#define VNR_PAGE_MSR_GPA_MASK	   0xFFFFFFFFFFFFF000ull
#define VNR_PAGE_MSR_RESERVED_MASK 0x0000000000000FFEull

/* SINTn: vector, mask, auto-EOI.  Vectors below 16 are refused (#GP). */
#define VNR_SINT_VECTOR_MASK 0xFFull
#define VNR_SINT_MASKED	     (1ull << 16)
#define VNR_SINT_AUTO_EOI    (1ull << 17)
#define VNR_SINT_RESERVED_MASK \
	(~(VNR_SINT_VECTOR_MASK | VNR_SINT_MASKED | VNR_SINT_AUTO_EOI))
#define VNR_SINT_MIN_VECTOR 16

/* STIMERn_CONFIG; STIMERn_COUNT is in 100 ns units. */
#define VNR_STIMER_ENABLE     (1ull << 0)
#define VNR_STIMER_PERIODIC   (1ull << 1)
#define VNR_STIMER_SINT_SHIFT 16
#define VNR_STIMER_SINT_MASK  (0xFull << VNR_STIMER_SINT_SHIFT)
/*
 * The shortest period of a periodic timer (1 ms): a shorter COUNT runs
 * with this period (docs/spec/synic.md, synthetic timers).
 */
#define VNR_STIMER_MIN_PERIOD 10000ull
#define VNR_STIMER_RESERVED_MASK \
	(~(VNR_STIMER_ENABLE | VNR_STIMER_PERIODIC | VNR_STIMER_SINT_MASK))

/* Messages. */
#define VNR_MESSAGE_PAYLOAD_MAX	 240
#define VNR_MSG_NONE		 0x00000000u
#define VNR_MSG_TIMER_EXPIRED	 0x80000010u
#define VNR_MSG_HYPERVISOR_FIRST 0x80000000u /* guests post below this */
#define VNR_MSG_FLAG_PENDING	 0x01 /* more queued: write EOM when done */

struct vnr_message_header {
	vnr_u32 message_type; /* VNR_MSG_NONE: the slot is free */
	vnr_u8 payload_size;
	vnr_u8 flags;
	vnr_u16 reserved;
	vnr_u32 sender_partition; /* 0 for the hypervisor */
	vnr_u32 port_id;	  /* the receiving port, 0 for the hypervisor */
};
VNR_ABI_SIZE(struct vnr_message_header, 16);

struct vnr_message {
	struct vnr_message_header header;
	vnr_u8 payload[VNR_MESSAGE_PAYLOAD_MAX];
};
VNR_ABI_SIZE(struct vnr_message, 256);

struct vnr_message_page {
	struct vnr_message sint[VNR_SINT_COUNT];
};
VNR_ABI_SIZE(struct vnr_message_page, 4096);

/* VNR_MSG_TIMER_EXPIRED payload. */
struct vnr_timer_message {
	vnr_u32 timer_index;
	vnr_u32 reserved;
	vnr_u64 expiration_time; /* reference time the timer was due */
	vnr_u64 delivery_time;	 /* reference time the message was queued */
};
VNR_ABI_SIZE(struct vnr_timer_message, 24);

/* Event flags: 2048 flags per SINT. */
#define VNR_EVENT_FLAGS_PER_SINT 2048
struct vnr_event_flags_page {
	vnr_u64 sint[VNR_SINT_COUNT][VNR_EVENT_FLAGS_PER_SINT / 64];
};
VNR_ABI_SIZE(struct vnr_event_flags_page, 4096);

/*
 * Reference TSC page: reference time (100 ns) =
 *   ((TSC * tsc_scale) >> 64) + tsc_offset
 * read while sequence is unchanged and non-zero (0: use the MSR instead).
 */
struct vnr_reference_tsc_page {
	vnr_u32 sequence;
	vnr_u32 reserved;
	vnr_u64 tsc_scale;
	vnr_s64 tsc_offset;
};
VNR_ABI_SIZE(struct vnr_reference_tsc_page, 24);

#endif /* VENEER_SYNIC_H */
