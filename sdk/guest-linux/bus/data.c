// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The client's data plane (docs/spec/ring.md, channels.md): packets
 * through the rings, the signal rules, the receive ring masked while the
 * driver reads it, and a ring the provider corrupted closing its channel.
 */
#include <linux/bitops.h>
#include <linux/spinlock.h>

#include "bus.h"

/*
 * The provider broke the ring format: nothing touches the rings again
 * and close_work closes with CLOSE_CORRUPTED.  With ch->lock held.
 */
static void veneer_channel_corrupted(struct veneer_channel *ch)
{
	if (ch->failed)
		return;
	ch->failed = true;
	veneer_channel_queue_close(ch);
}

void veneer_channel_fail(struct veneer_device *vdev)
{
	struct veneer_channel *ch = to_channel(vdev);
	unsigned long flags;

	spin_lock_irqsave(&ch->lock, flags);
	if (ch->state == VENEER_CH_OPEN || ch->state == VENEER_CH_DRAINING)
		veneer_channel_corrupted(ch);
	spin_unlock_irqrestore(&ch->lock, flags);
}
EXPORT_SYMBOL_GPL(veneer_channel_fail);

static int veneer_send_locked(struct veneer_channel *ch, u16 type,
			      const void *data, u32 len, bool *signal)
{
	if (ch->state != VENEER_CH_OPEN || ch->failed)
		return -EPIPE;
	switch (vnr_ring_write(&ch->tx, type, 0, 0, data, len)) {
	case VNR_RING_OK:
		*signal = vnr_ring_write_needs_signal(&ch->tx);
		return 0;
	case VNR_RING_NO_ROOM:
		return -EAGAIN;
	case VNR_RING_TOO_BIG:
	case VNR_RING_INVALID:
		return -EMSGSIZE;
	default:
		veneer_channel_corrupted(ch);
		return -EPIPE;
	}
}

int veneer_channel_send(struct veneer_device *vdev, u16 type,
			const void *data, u32 len)
{
	struct veneer_channel *ch = to_channel(vdev);
	bool signal = false;
	unsigned long flags;
	int err;

	spin_lock_irqsave(&ch->lock, flags);
	err = veneer_send_locked(ch, type, data, len, &signal);
	spin_unlock_irqrestore(&ch->lock, flags);
	/* A provider that is gone shows up as its CLOSE, not here. */
	if (signal)
		veneer_signal(vdev->channel_id);
	return err;
}
EXPORT_SYMBOL_GPL(veneer_channel_send);

static bool veneer_readable(const struct veneer_channel *ch)
{
	return !ch->failed && (ch->state == VENEER_CH_OPEN ||
			       ch->state == VENEER_CH_DRAINING);
}

static int veneer_recv_locked(struct veneer_channel *ch, u16 *type, void *buf,
			      u32 buflen, u32 *len, bool *signal)
{
	struct vnr_ring_pkt_hdr hdr;

	if (!veneer_readable(ch))
		return -EPIPE;
	switch (vnr_ring_read(&ch->rx, &hdr, buf, buflen)) {
	case VNR_RING_OK:
		*type = hdr.type;
		*len = vnr_ring_payload_len(&hdr);
		*signal = vnr_ring_read_needs_signal(&ch->rx);
		return 0;
	case VNR_RING_EMPTY:
		return ch->state == VENEER_CH_DRAINING ? -EPIPE : -EAGAIN;
	case VNR_RING_BUF_TOO_SMALL:
		if (vnr_ring_skip(&ch->rx) != VNR_RING_OK)
			break;
		*signal = vnr_ring_read_needs_signal(&ch->rx);
		return -EMSGSIZE;
	default:
		break;
	}
	veneer_channel_corrupted(ch);
	return -EPIPE;
}

int veneer_channel_recv(struct veneer_device *vdev, u16 *type, void *buf,
			u32 buflen, u32 *len)
{
	struct veneer_channel *ch = to_channel(vdev);
	bool signal = false;
	unsigned long flags;
	int err;

	spin_lock_irqsave(&ch->lock, flags);
	err = veneer_recv_locked(ch, type, buf, buflen, len, &signal);
	spin_unlock_irqrestore(&ch->lock, flags);
	if (signal)
		veneer_signal(vdev->channel_id);
	return err;
}
EXPORT_SYMBOL_GPL(veneer_channel_recv);

bool veneer_channel_is_open(struct veneer_device *vdev)
{
	struct veneer_channel *ch = to_channel(vdev);
	unsigned long flags;
	bool open;

	spin_lock_irqsave(&ch->lock, flags);
	open = ch->state == VENEER_CH_OPEN && !ch->failed;
	spin_unlock_irqrestore(&ch->lock, flags);
	return open;
}
EXPORT_SYMBOL_GPL(veneer_channel_is_open);

/*
 * Masked while the driver reads (channels.md): no signal per packet.  The
 * indices the round starts with tell veneer_unmask() whether it moved.
 */
static bool veneer_mask(struct veneer_channel *ch)
{
	unsigned long flags;
	bool readable;

	spin_lock_irqsave(&ch->lock, flags);
	readable = veneer_readable(ch);
	if (readable) {
		vnr_ring_mask_interrupts(&ch->rx);
		vnr_ring_read_avail(&ch->rx);
		ch->round_read = ch->rx.read;
		ch->round_write = ch->rx.write;
	}
	spin_unlock_irqrestore(&ch->lock, flags);
	return readable;
}

/*
 * Unmasked before waiting; true if a packet came before the unmask that
 * calls for another round: one written during this round (masked, it
 * signalled nothing), or one left by a driver that read in this round.
 * Packets a driver leaves unread without reading any (the console reads
 * nothing) wait for the provider's next signal: calling it again for them
 * would loop for ever.  A ring found corrupted closes the channel.
 */
static bool veneer_unmask(struct veneer_channel *ch)
{
	unsigned long flags;
	bool more = false;

	spin_lock_irqsave(&ch->lock, flags);
	if (veneer_readable(ch)) {
		more = vnr_ring_unmask_interrupts(&ch->rx);
		if (vnr_ring_is_corrupted(&ch->rx)) {
			veneer_channel_corrupted(ch);
			more = false;
		} else if (more) {
			more = ch->rx.write != ch->round_write ||
			       ch->rx.read != ch->round_read;
		}
	}
	spin_unlock_irqrestore(&ch->lock, flags);
	return more;
}

/*
 * One round: the driver is notified even with nothing to read, since the
 * same flag tells a writer that room was made.  More data after the
 * unmask is a new round, queued behind the other channels' events.
 */
static void veneer_channel_event(struct veneer_channel *ch)
{
	if (veneer_mask(ch)) {
		mutex_lock(&ch->notify_lock);
		if (ch->notify)
			ch->notify(&ch->vdev);
		mutex_unlock(&ch->notify_lock);
		if (veneer_unmask(ch))
			veneer_bus_kick(ch->vdev.channel_id);
	}
	/* Also a close that came before the notification was set. */
	veneer_channel_settle(ch);
}

void veneer_bus_events(unsigned long flags)
{
	struct veneer_channel *ch;
	unsigned int id;

	for_each_set_bit(id, &flags, BITS_PER_LONG) {
		ch = veneer_channel_find(id);
		if (ch)
			veneer_channel_event(ch);
	}
}

void veneer_channel_settle(struct veneer_channel *ch)
{
	unsigned long flags;
	bool drained, closed;

	spin_lock_irqsave(&ch->lock, flags);
	drained = ch->state == VENEER_CH_DRAINING && !ch->failed &&
		  !vnr_ring_read_avail(&ch->rx);
	closed = ch->state == VENEER_CH_CLOSED;
	spin_unlock_irqrestore(&ch->lock, flags);
	if (drained)
		veneer_channel_release(ch);
	if (!drained && !closed)
		return;
	mutex_lock(&ch->notify_lock);
	if (ch->notify && !ch->closed_told) {
		ch->closed_told = true;
		ch->notify(&ch->vdev);
	}
	mutex_unlock(&ch->notify_lock);
}
