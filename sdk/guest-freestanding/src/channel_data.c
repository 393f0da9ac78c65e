// SPDX-License-Identifier: MIT
/* The channel data plane: packets through the rings, signals, waiting. */
#include <vnr_guest/guest.h>
#include <vnr_guest/channel.h>
#include "channel_internal.h"

static void signal_peer(struct vnr_channel *ch)
{
	ch->signals++;
	/* A peer that is gone shows up as a CLOSE or a corrupted ring. */
	vnr_signal_event(ch->event_conn, ch->id);
}

enum vnr_channel_result vnr_channel_send(struct vnr_channel *ch, vnr_u16 type,
					 const void *data, vnr_u32 len)
{
	if (ch->state != VNR_CHSTATE_OPEN)
		return VNR_CHANNEL_CLOSED;
	switch (vnr_ring_write(&ch->tx, type, 0, 0, data, len)) {
	case VNR_RING_OK:
		if (vnr_ring_write_needs_signal(&ch->tx))
			signal_peer(ch);
		return VNR_CHANNEL_OK;
	case VNR_RING_NO_ROOM:
		return VNR_CHANNEL_FULL;
	case VNR_RING_TOO_BIG:
	case VNR_RING_INVALID:
		return VNR_CHANNEL_TOO_BIG;
	default:
		vnr_channel_fail(ch, VNR_CHANNEL_CLOSE_CORRUPTED);
		return VNR_CHANNEL_CLOSED;
	}
}

/* After a packet left the ring: the writer may be waiting for the room. */
static void consumed(struct vnr_channel *ch)
{
	if (vnr_ring_read_needs_signal(&ch->rx))
		signal_peer(ch);
}

enum vnr_channel_result vnr_channel_recv(struct vnr_channel *ch, vnr_u16 *type,
					 void *buf, vnr_u32 buflen,
					 vnr_u32 *len)
{
	struct vnr_ring_pkt_hdr hdr;

	if (ch->state != VNR_CHSTATE_OPEN && ch->state != VNR_CHSTATE_DRAINING)
		return VNR_CHANNEL_CLOSED;
	switch (vnr_ring_read(&ch->rx, &hdr, buf, buflen)) {
	case VNR_RING_OK:
		*type = hdr.type;
		*len = vnr_ring_payload_len(&hdr);
		consumed(ch);
		return VNR_CHANNEL_OK;
	case VNR_RING_EMPTY:
		if (ch->state != VNR_CHSTATE_DRAINING)
			return VNR_CHANNEL_EMPTY;
		vnr_channel_drained(ch);
		return VNR_CHANNEL_CLOSED;
	case VNR_RING_BUF_TOO_SMALL:
		if (vnr_ring_skip(&ch->rx) != VNR_RING_OK)
			break;
		consumed(ch);
		return VNR_CHANNEL_TOO_BIG;
	default:
		break;
	}
	vnr_channel_fail(ch, VNR_CHANNEL_CLOSE_CORRUPTED);
	return VNR_CHANNEL_CLOSED;
}

enum vnr_channel_result vnr_channel_send_wait(struct vnr_channel *ch,
					      vnr_u16 type, const void *data,
					      vnr_u32 len)
{
	enum vnr_channel_result r;

	while ((r = vnr_channel_send(ch, type, data, len)) == VNR_CHANNEL_FULL)
		if (!vnr_channels_poll())
			vnr_channels_wait();
	return r;
}

static bool is_open(const struct vnr_channel *ch)
{
	return ch->state == VNR_CHSTATE_OPEN;
}

/*
 * Unmasks every open receive ring (docs/spec/ring.md, Masking); true if one
 * already holds data, so that sleeping would miss it.
 */
static bool unmask_all(void)
{
	struct channel_host *h = &vnr_channel_host;
	bool data = false;
	unsigned int i;

	for (i = 0; i < h->count; i++)
		if (is_open(h->list[i]) &&
		    vnr_ring_unmask_interrupts(&h->list[i]->rx))
			data = true;
	return data;
}

static void mask_all(void)
{
	struct channel_host *h = &vnr_channel_host;
	unsigned int i;

	for (i = 0; i < h->count; i++)
		if (is_open(h->list[i]))
			vnr_ring_mask_interrupts(&h->list[i]->rx);
}

/* Anything the SynIC recorded that vnr_channels_poll() has not taken. */
static bool synic_pending(void)
{
	struct channel_host *h = &vnr_channel_host;
	volatile struct vnr_message *slot =
		&vnr_synic_message_page()->sint[h->msg_sint];
	const volatile vnr_u64 *flags =
		vnr_synic_event_page()->sint[h->event_sint];

	/* Channel ids are below 64: their flags share the first word. */
	return slot->header.message_type != VNR_MSG_NONE || flags[0];
}

void vnr_channels_wait(void)
{
	vnr_irq_disable();
	if (!unmask_all() && !synic_pending())
		vnr_wait_for_interrupt();
	vnr_irq_enable();
	mask_all();
	vnr_channels_poll();
}
