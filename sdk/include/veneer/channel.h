/* SPDX-License-Identifier: MIT */
/*
 * The channel protocol (docs/spec/channels.md): how a provider offers a
 * channel, a client opens it with a grant holding two rings, and either
 * side closes it.  Control messages travel as POST_MESSAGE payloads;
 * data travels in the rings (ring.h); each side wakes the other with
 * SIGNAL_EVENT on flag = channel id.
 */
#ifndef VENEER_CHANNEL_H
#define VENEER_CHANNEL_H

#include "types.h"

/* Message types of the channel protocol. */
#define VNR_CHMSG_OFFER	      0x0101u /* provider -> client */
#define VNR_CHMSG_OPEN	      0x0102u /* client -> provider */
#define VNR_CHMSG_OPEN_RESULT 0x0103u /* provider -> client */
#define VNR_CHMSG_CLOSE	      0x0104u /* either side */

struct vnr_guid {
	vnr_u8 bytes[16];
};
VNR_ABI_SIZE(struct vnr_guid, 16);

struct vnr_channel_offer {
	vnr_u32 channel_id;
	vnr_u32 reserved;
	struct vnr_guid device_class;
	struct vnr_guid instance;
};
VNR_ABI_SIZE(struct vnr_channel_offer, 40);

/*
 * The client's grant holds the client-to-provider ring (its first
 * send_ring_pages pages) followed by the provider-to-client ring.
 */
struct vnr_channel_open {
	vnr_u32 channel_id;
	vnr_u32 ring_pages; /* pages in the grant */
	vnr_u64 grant_handle;
	vnr_u32 send_ring_pages;
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_channel_open, 24);

#define VNR_CHANNEL_OPEN_OK	   0
#define VNR_CHANNEL_OPEN_REFUSED   1 /* the provider does not want it */
#define VNR_CHANNEL_OPEN_BAD_RINGS 2 /* grant or ring layout invalid */
#define VNR_CHANNEL_OPEN_UNKNOWN   3 /* no such channel offered */

struct vnr_channel_open_result {
	vnr_u32 channel_id;
	vnr_u32 status; /* VNR_CHANNEL_OPEN_* */
};
VNR_ABI_SIZE(struct vnr_channel_open_result, 8);

#define VNR_CHANNEL_CLOSE_NORMAL    0
#define VNR_CHANNEL_CLOSE_CORRUPTED 1 /* the peer broke the ring protocol */

struct vnr_channel_close {
	vnr_u32 channel_id;
	vnr_u32 reason; /* VNR_CHANNEL_CLOSE_* */
};
VNR_ABI_SIZE(struct vnr_channel_close, 8);

#endif /* VENEER_CHANNEL_H */
