/* SPDX-License-Identifier: MIT */
/* Shared between the channel control (channel.c) and data (channel_data.c). */
#ifndef VNR_GUEST_CHANNEL_INTERNAL_H
#define VNR_GUEST_CHANNEL_INTERNAL_H

#include <vnr_guest/channel.h>

#define VNR_UNCLAIMED_OFFERS 4

struct channel_host {
	struct vnr_channel *list[VNR_CHANNEL_MAX];
	unsigned int count;
	unsigned int msg_sint;
	unsigned int event_sint;
	/*
	 * OFFERs no channel waited for, the latest of each channel id: a
	 * provider offers all its channels at once, before the client has
	 * connected the second, and re-offers a channel as soon as it has
	 * closed it, often in the same batch of messages as its CLOSE.
	 */
	struct unclaimed_offer {
		struct vnr_channel_offer offer;
		vnr_u32 sender; /* 0: a free entry */
	} unclaimed[VNR_UNCLAIMED_OFFERS];
};

extern struct channel_host vnr_channel_host;

/* Completes a close the peer started, once its packets are read. */
void vnr_channel_drained(struct vnr_channel *ch);

#endif /* VNR_GUEST_CHANNEL_INTERNAL_H */
