/* SPDX-License-Identifier: MIT */
/*
 * Channel ring format (docs/spec/ring.md).
 *
 * A ring is one direction of a channel: a region of memory that one
 * partition grants to another, written by exactly one writer and read by
 * exactly one reader.  It starts with a 4 KiB control area followed by the
 * data area, which takes the rest of the grant.  Every field of the control
 * area has one writer; the peer only reads it and treats what it reads as
 * hostile.
 *
 *   0x000  write_index        written by the writer
 *   0x040  read_index         written by the reader
 *   0x080  interrupt_mask     written by the reader
 *   0x0C0  pending_send_size  written by the writer
 *   0x100  features           written by the creator before the grant
 *   0x1000 data area          packets, written by the writer
 *
 * Indices are byte offsets into the data area, multiples of 8, below the
 * data area size.  Packets are 8-byte aligned and may wrap around the end
 * of the data area.
 */
#ifndef VENEER_RING_H
#define VENEER_RING_H

#include "types.h"

/* Size of the control area; the data area starts at this offset. */
#define VNR_RING_CONTROL_SIZE 4096u
/* Each index and control word has its own cache line. */
#define VNR_RING_CACHE_LINE 64u
/* Packets and indices are multiples of this. */
#define VNR_RING_ALIGN 8u
/* Bytes always left free so that a full ring differs from an empty one. */
#define VNR_RING_GAP 8u
/* Data area size limits (bytes, multiples of VNR_RING_ALIGN). */
#define VNR_RING_DATA_MIN 32u
#define VNR_RING_DATA_MAX 0x40000000u

/* features: bits set by the creator of the ring before it is granted. */
#define VNR_RING_FEAT_PENDING_SEND_SIZE (1u << 0) /* flow control */
#define VNR_RING_FEAT_KNOWN		(VNR_RING_FEAT_PENDING_SEND_SIZE)

/* interrupt_mask values. */
#define VNR_RING_UNMASKED 0u
#define VNR_RING_MASKED	  1u

/*
 * The control area.  Reserved bytes are written as 0 by the creator and
 * ignored by both sides.
 */
struct vnr_ring_control {
	vnr_u32 write_index; /* writer: offset of the next packet to write */
	vnr_u8 reserved0[VNR_RING_CACHE_LINE - 4];
	vnr_u32 read_index; /* reader: offset of the next packet to read */
	vnr_u8 reserved1[VNR_RING_CACHE_LINE - 4];
	vnr_u32 interrupt_mask; /* reader: VNR_RING_MASKED: do not signal */
	vnr_u8 reserved2[VNR_RING_CACHE_LINE - 4];
	vnr_u32 pending_send_size; /* writer: free bytes it waits for, or 0 */
	vnr_u8 reserved3[VNR_RING_CACHE_LINE - 4];
	vnr_u32 features; /* creator: VNR_RING_FEAT_* */
	vnr_u8 reserved4[VNR_RING_CONTROL_SIZE - 4 * VNR_RING_CACHE_LINE - 4];
};
VNR_ABI_OFFSET(struct vnr_ring_control, write_index, 0x000);
VNR_ABI_OFFSET(struct vnr_ring_control, read_index, 0x040);
VNR_ABI_OFFSET(struct vnr_ring_control, interrupt_mask, 0x080);
VNR_ABI_OFFSET(struct vnr_ring_control, pending_send_size, 0x0C0);
VNR_ABI_OFFSET(struct vnr_ring_control, features, 0x100);
VNR_ABI_SIZE(struct vnr_ring_control, VNR_RING_CONTROL_SIZE);

/* Packet types. 0 is never a valid type. */
enum vnr_ring_pkt_type {
	VNR_RING_PKT_DATA_INBAND = 1, /* payload follows the header */
	VNR_RING_PKT_COMPLETION = 2,  /* answer to txid; payload optional */
};

/* Packet flags. */
#define VNR_RING_PKT_F_COMPLETION_REQUESTED (1u << 0)

/*
 * Packet header, at an 8-byte aligned offset of the data area.  Lengths are
 * in bytes.  header_len is a multiple of 8 and at least VNR_RING_PKT_HDR_SIZE;
 * bytes between the 24-byte header and header_len are an extension that a
 * reader of this version skips.  total_len is header_len plus the exact
 * payload length; the packet occupies total_len rounded up to a multiple of
 * 8 bytes in the data area, the padding written as 0.
 */
struct vnr_ring_pkt_hdr {
	vnr_u16 type;	    /* enum vnr_ring_pkt_type */
	vnr_u16 header_len; /* bytes, multiple of 8, >= 24 */
	vnr_u32 total_len;  /* bytes: header_len + payload */
	vnr_u16 flags;	    /* VNR_RING_PKT_F_* */
	vnr_u16 reserved;   /* written as 0, ignored */
	vnr_u32 reserved2;  /* written as 0, ignored */
	vnr_u64 txid;	    /* transaction id, echoed in a completion */
};
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, type, 0);
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, header_len, 2);
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, total_len, 4);
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, flags, 8);
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, reserved, 10);
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, reserved2, 12);
VNR_ABI_OFFSET(struct vnr_ring_pkt_hdr, txid, 16);
VNR_ABI_SIZE(struct vnr_ring_pkt_hdr, 24);
#define VNR_RING_PKT_HDR_SIZE 24u

#endif /* VENEER_RING_H */
