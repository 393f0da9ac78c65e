/* SPDX-License-Identifier: MIT */
/*
 * The channel ring library: one implementation of the ring format of
 * <veneer/ring.h> (docs/spec/ring.md) for the hypervisor, freestanding
 * guests, synthetic-device backends and the Linux module.
 *
 * It includes no system header and calls no function: vnr_ring.c compiles
 * freestanding (-nostdinc), hosted and in the Linux kernel.  Sizes are
 * __SIZE_TYPE__, the type size_t names.
 *
 * Each side keeps a struct vnr_ring, its local view of the ring, in its own
 * private memory (never in the shared region).  The view holds the data
 * area size derived from the grant size and cached indices; everything read
 * from shared memory is validated against it.  A side that finds the peer
 * broke the format marks its view corrupted: every later call then returns
 * VNR_RING_CORRUPTED without touching shared memory.
 *
 * A view is used by one thread at a time; the writer and the reader may run
 * concurrently on different CPUs or partitions.
 */
#ifndef VNR_RING_LIB_H
#define VNR_RING_LIB_H

#include <veneer/ring.h>

enum vnr_ring_role {
	VNR_RING_WRITER = 1,
	VNR_RING_READER = 2,
};

enum vnr_ring_status {
	VNR_RING_OK = 0,
	VNR_RING_EMPTY = 1,   /* reader: no packet in the ring */
	VNR_RING_NO_ROOM = 2, /* writer: full for now; wait for a signal */
	VNR_RING_TOO_BIG = 3, /* writer: the packet can never fit */
	VNR_RING_BUF_TOO_SMALL = 4, /* reader: *hdr filled, packet kept */
	VNR_RING_INVALID = 5,	    /* bad argument, size or role */
	VNR_RING_CORRUPTED = 6,	    /* the peer broke the format (sticky) */
};

struct vnr_ring {
	struct vnr_ring_control *ctl; /* shared */
	vnr_u8 *data;		      /* shared, size bytes */
	vnr_u32 size;		      /* data area size, from the grant size */
	vnr_u32 role;		      /* enum vnr_ring_role */
	vnr_u32 read;		      /* read index: own (reader) or cached */
	vnr_u32 write;		      /* write index: own (writer) or cached */
	vnr_u32 pending;	      /* writer: pending_send_size it stored */
	vnr_u32 features;	      /* snapshot taken by vnr_ring_init */
	vnr_u32 unchecked; /* bytes moved since the signal rule ran, <= size */
	vnr_u8 corrupted;
	vnr_u8 reserved[3];
};

/*
 * Creator of a ring, before granting it: zero the control area and set the
 * features.  bytes is the grant size; the same rules as vnr_ring_init.
 */
enum vnr_ring_status vnr_ring_format(void *mem, __SIZE_TYPE__ bytes);

/*
 * Set up a local view of the ring at mem (8-byte aligned) whose grant is
 * bytes long: the data area is bytes - VNR_RING_CONTROL_SIZE, which must be
 * a multiple of 8 in [VNR_RING_DATA_MIN, VNR_RING_DATA_MAX].  Reads and
 * validates the current indices (a ring may be attached again after use).
 * Returns VNR_RING_OK, VNR_RING_INVALID or VNR_RING_CORRUPTED.
 */
enum vnr_ring_status vnr_ring_init(struct vnr_ring *r, void *mem,
				   __SIZE_TYPE__ bytes,
				   enum vnr_ring_role role);

/* Writer. */

/*
 * Append one packet with len payload bytes from data.  VNR_RING_NO_ROOM
 * stores the packet's size in pending_send_size: the reader signals once
 * that much space is free.  VNR_RING_TOO_BIG: larger than
 * vnr_ring_max_payload().  VNR_RING_INVALID: type 0, or data NULL with a
 * non-zero len.
 */
enum vnr_ring_status vnr_ring_write(struct vnr_ring *r, vnr_u16 type,
				    vnr_u16 flags, vnr_u64 txid,
				    const void *data, vnr_u32 len);

/*
 * The signal rule of docs/spec/ring.md for every packet written since the
 * last call: non-zero if the reader had not masked interrupts and may be
 * waiting at one of them; the caller signals the reader's event once.  This
 * is where the writer's full barrier is: vnr_ring_write() only publishes
 * the write index (release), so a writer that sends a burst pays one
 * barrier for it, and one whose reader polls never calls this.
 */
int vnr_ring_write_needs_signal(struct vnr_ring *r);

/* Largest payload a packet of this ring can carry. */
vnr_u32 vnr_ring_max_payload(const struct vnr_ring *r);

/* Free bytes for packets (each rounded up to 8), reloading read_index. */
vnr_u32 vnr_ring_write_space(struct vnr_ring *r);

/* Reader. */

/*
 * Copy the next packet's header into *hdr and its payload into buf (at
 * most buflen bytes) without consuming it.  The header and payload are
 * copied out of shared memory once and only the copies are validated and
 * used.  Returns VNR_RING_OK, VNR_RING_EMPTY, VNR_RING_BUF_TOO_SMALL (only
 * *hdr is valid; see vnr_ring_payload_len()) or VNR_RING_CORRUPTED.
 */
enum vnr_ring_status vnr_ring_peek(struct vnr_ring *r,
				   struct vnr_ring_pkt_hdr *hdr, void *buf,
				   vnr_u32 buflen);

/* Like vnr_ring_peek(), and consume the packet when it returns VNR_RING_OK. */
enum vnr_ring_status vnr_ring_read(struct vnr_ring *r,
				   struct vnr_ring_pkt_hdr *hdr, void *buf,
				   vnr_u32 buflen);

/* Consume the next packet without copying its payload (e.g. too large). */
enum vnr_ring_status vnr_ring_skip(struct vnr_ring *r);

/*
 * The flow-control rule for every packet consumed since the last call:
 * non-zero if they made the free space cross the writer's
 * pending_send_size; the caller signals the writer's event once.  As for
 * the writer, the reader's full barrier is here, not in vnr_ring_read().
 */
int vnr_ring_read_needs_signal(struct vnr_ring *r);

/* Ask the writer not to signal (polling, or draining after a signal). */
void vnr_ring_mask_interrupts(struct vnr_ring *r);

/*
 * Ask the writer to signal again, then look for data that arrived before
 * the writer could see the unmask.  Non-zero means "read again before
 * waiting": a packet is there (or the ring is corrupted, which the next
 * read reports).  Zero means the writer will signal the next packet.
 */
int vnr_ring_unmask_interrupts(struct vnr_ring *r);

/* Bytes of packets waiting, reloading write_index (0: empty). */
vnr_u32 vnr_ring_read_avail(struct vnr_ring *r);

/* Both. */

static inline int vnr_ring_is_corrupted(const struct vnr_ring *r)
{
	return r->corrupted;
}

/* Payload bytes of a packet whose header was returned by peek or read. */
static inline vnr_u32 vnr_ring_payload_len(const struct vnr_ring_pkt_hdr *hdr)
{
	return hdr->total_len - hdr->header_len;
}

#endif /* VNR_RING_LIB_H */
