/* SPDX-License-Identifier: MIT */
/*
 * The synthetic block device (docs/spec/block.md), version 1: a client
 * (the driver) sends requests over a channel; the provider (the backend)
 * reads and writes its storage and answers each request.  Data travels
 * through a data area: pages of the client's RAM it grants the provider
 * once, at set-up, and that requests name by offset.
 */
#ifndef VNR_BLOCK_PROTOCOL_H
#define VNR_BLOCK_PROTOCOL_H

#include <veneer/channel.h>

/* Device class of block channels: 3c1f8a52-7d64-4b09-b2e6-18a9f04c5d11. */
#define VNR_BLOCK_CLASS                                                       \
	{                                                                     \
		{                                                             \
			0x3c, 0x1f, 0x8a, 0x52, 0x7d, 0x64, 0x4b, 0x09, 0xb2, \
				0xe6, 0x18, 0xa9, 0xf0, 0x4c, 0x5d, 0x11      \
		}                                                             \
	}

#define VNR_BLOCK_VERSION     1u
#define VNR_BLOCK_SECTOR_SIZE 512u

/* Ring packet types. */
#define VNR_BLOCK_PKT_SETUP    0x0300u /* client -> provider, first packet */
#define VNR_BLOCK_PKT_INFO     0x0301u /* provider -> client, its answer */
#define VNR_BLOCK_PKT_REQUEST  0x0302u /* client -> provider */
#define VNR_BLOCK_PKT_RESPONSE 0x0303u /* provider -> client */

/*
 * SETUP: the protocol version the client speaks and its data area, a
 * grant of data_pages pages (1 to VNR_GRANT_MAX_PAGES) the provider maps
 * read-write for the channel's life.
 */
struct vnr_block_setup {
	vnr_u32 version; /* VNR_BLOCK_VERSION */
	vnr_u32 data_pages;
	vnr_u64 data_grant;
};
VNR_ABI_SIZE(struct vnr_block_setup, 16);

/* INFO features. */
#define VNR_BLOCK_F_READ_ONLY (1u << 0) /* writes and discards fail */
#define VNR_BLOCK_F_FLUSH     (1u << 1) /* FLUSH and FUA are honoured */
#define VNR_BLOCK_F_DISCARD   (1u << 2)

/* INFO status. */
#define VNR_BLOCK_SETUP_OK	    0u
#define VNR_BLOCK_SETUP_BAD_VERSION 1u /* version is not one it speaks */
#define VNR_BLOCK_SETUP_BAD_AREA    2u /* the data area cannot be mapped */

/*
 * INFO: the provider's answer to SETUP.  With any status but OK the
 * provider closes the channel.
 */
struct vnr_block_info {
	vnr_u32 status;	 /* VNR_BLOCK_SETUP_* */
	vnr_u32 version; /* the one both speak from now on */
	vnr_u64 sectors; /* capacity, in VNR_BLOCK_SECTOR_SIZE sectors */
	vnr_u32 features;
	vnr_u32 max_sectors;  /* per request */
	vnr_u32 max_requests; /* in flight at once */
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_block_info, 32);

/* REQUEST operations. */
#define VNR_BLOCK_OP_READ    1u
#define VNR_BLOCK_OP_WRITE   2u
#define VNR_BLOCK_OP_FLUSH   3u /* everything completed before is stable */
#define VNR_BLOCK_OP_DISCARD 4u

/* REQUEST flags. */
#define VNR_BLOCK_REQ_FUA (1u << 0) /* WRITE: stable before its response */

/*
 * REQUEST: sectors [sector, sector + sectors) to or from the data area at
 * data_offset (a multiple of VNR_BLOCK_SECTOR_SIZE; the bytes lie within
 * the area).  FLUSH has no sectors and no data; DISCARD no data.
 */
struct vnr_block_request {
	vnr_u64 id; /* the client's, returned in the response */
	vnr_u32 op; /* VNR_BLOCK_OP_* */
	vnr_u32 flags;
	vnr_u64 sector;
	vnr_u32 sectors;
	vnr_u32 reserved; /* MUST be 0 */
	vnr_u64 data_offset;
};
VNR_ABI_SIZE(struct vnr_block_request, 40);

/* RESPONSE status. */
#define VNR_BLOCK_S_OK		0u
#define VNR_BLOCK_S_IO_ERROR	1u /* the storage failed */
#define VNR_BLOCK_S_UNSUPPORTED 2u /* an op or flag it does not offer */
#define VNR_BLOCK_S_BAD_REQUEST 3u /* out of range, misaligned, bad field */

struct vnr_block_response {
	vnr_u64 id;
	vnr_u32 status; /* VNR_BLOCK_S_* */
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_block_response, 16);

#endif /* VNR_BLOCK_PROTOCOL_H */
