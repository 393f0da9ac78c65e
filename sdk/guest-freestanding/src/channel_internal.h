/* SPDX-License-Identifier: MIT */
/* Shared between the channel control (channel.c) and data (channel_data.c). */
#ifndef VNR_GUEST_CHANNEL_INTERNAL_H
#define VNR_GUEST_CHANNEL_INTERNAL_H

#include <vnr_guest/channel.h>

struct channel_host {
	struct vnr_channel *list[VNR_CHANNEL_MAX];
	unsigned int count;
	unsigned int msg_sint;
	unsigned int event_sint;
};

extern struct channel_host vnr_channel_host;

/* Completes a close the peer started, once its packets are read. */
void vnr_channel_drained(struct vnr_channel *ch);

#endif /* VNR_GUEST_CHANNEL_INTERNAL_H */
