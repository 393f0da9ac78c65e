// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The client's control plane (docs/spec/channels.md): opening a channel
 * with a grant of two rings, the provider's answers, and closing by the
 * closing rules, so that no grant the provider may still map outlives
 * the pages it names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "bus.h"

/* How long the provider may take to answer OPEN. */
#define VENEER_OPEN_WAIT (5 * HZ)
/* VNR_CHANNEL_CLOSE_WAIT of channels.md: the wait for a CLOSE answer. */
#define VENEER_CLOSE_WAIT HZ

void veneer_channel_release(struct veneer_channel *ch)
{
	unsigned long flags;
	void *rings;
	int err = 0;

	spin_lock_irqsave(&ch->lock, flags);
	rings = ch->rings;
	ch->rings = NULL;
	ch->state = VENEER_CH_CLOSED;
	spin_unlock_irqrestore(&ch->lock, flags);
	if (!rings)
		return;
	if (ch->grant)
		err = veneer_call_grant_revoke(ch->grant);
	if (err) {
		/* The provider may still reach them: they are never reused. */
		pr_err("channel %u: grant %#llx not revoked (%d), %u pages leaked\n",
		       ch->vdev.channel_id, ch->grant, err, ch->ring_pages);
		return;
	}
	vfree(rings);
}

/* The pages of the vmalloc()ed area mem, in order, granted to peer. */
static int veneer_grant_area(u32 peer, void *mem, u32 count, u64 *handle)
{
	struct page **pages = kmalloc_array(count, sizeof(*pages), GFP_KERNEL);
	u32 i;
	int err;

	if (!pages)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		pages[i] = vmalloc_to_page(mem + (size_t)i * PAGE_SIZE);
	err = veneer_call_grant_create(peer, pages, count, handle);
	kfree(pages);
	return err;
}

int veneer_grant_create(struct veneer_device *vdev, struct page *const *pages,
			u32 count, u64 *handle)
{
	return veneer_call_grant_create(to_channel(vdev)->peer, pages, count,
					handle);
}
EXPORT_SYMBOL_GPL(veneer_grant_create);

int veneer_grant_revoke(struct veneer_device *vdev, u64 handle)
{
	return veneer_call_grant_revoke(handle);
}
EXPORT_SYMBOL_GPL(veneer_grant_revoke);

/* Formats both rings in new pages, attaches the views, grants the pages. */
static int veneer_channel_setup(struct veneer_channel *ch, u32 send_pages,
				u32 ring_pages)
{
	size_t send = (size_t)send_pages * PAGE_SIZE;
	size_t recv = (size_t)(ring_pages - send_pages) * PAGE_SIZE;
	u8 *rings = vzalloc(send + recv);
	int err = -EINVAL;

	if (!rings)
		return -ENOMEM;
	if (vnr_ring_format(rings, send) != VNR_RING_OK ||
	    vnr_ring_format(rings + send, recv) != VNR_RING_OK ||
	    vnr_ring_init(&ch->tx, rings, send, VNR_RING_WRITER) !=
		    VNR_RING_OK ||
	    vnr_ring_init(&ch->rx, rings + send, recv, VNR_RING_READER) !=
		    VNR_RING_OK)
		goto free;
	err = veneer_grant_area(ch->peer, rings, ring_pages, &ch->grant);
	if (err)
		goto free;
	ch->rings = rings;
	ch->ring_pages = ring_pages;
	ch->send_pages = send_pages;
	return 0;

free:
	vfree(rings);
	return err;
}

static int veneer_send_open(struct veneer_channel *ch)
{
	struct vnr_channel_open open = {
		.channel_id = ch->vdev.channel_id,
		.ring_pages = ch->ring_pages,
		.grant_handle = ch->grant,
		.send_ring_pages = ch->send_pages,
	};

	return veneer_post(VNR_CHMSG_OPEN, &open, sizeof(open));
}

/* OPENING: the answer, or none within VENEER_OPEN_WAIT. */
static int veneer_open_wait(struct veneer_channel *ch)
{
	bool answered = wait_for_completion_timeout(&ch->answered,
						    VENEER_OPEN_WAIT);
	unsigned long flags;
	enum veneer_chstate state;

	spin_lock_irqsave(&ch->lock, flags);
	state = ch->state;
	spin_unlock_irqrestore(&ch->lock, flags);
	if (state == VENEER_CH_OPEN)
		return 0;
	if (answered || state != VENEER_CH_OPENING)
		return -ECONNREFUSED;
	/* The provider may map the grant late: close by the rules. */
	veneer_channel_close_locked(ch);
	return -ETIMEDOUT;
}

/* The notification starts with one round, for anything already sent. */
static void veneer_set_notify(struct veneer_channel *ch,
			      veneer_channel_notify_t notify)
{
	mutex_lock(&ch->notify_lock);
	ch->notify = notify;
	mutex_unlock(&ch->notify_lock);
	if (notify)
		veneer_bus_kick(ch->vdev.channel_id);
}

static void veneer_set_state(struct veneer_channel *ch,
			     enum veneer_chstate state)
{
	unsigned long flags;

	spin_lock_irqsave(&ch->lock, flags);
	ch->state = state;
	spin_unlock_irqrestore(&ch->lock, flags);
}

static int veneer_open_locked(struct veneer_channel *ch, u32 send_pages,
			      u32 recv_pages)
{
	int err;

	if (ch->state != VENEER_CH_OFFERED)
		return -EBUSY;
	err = veneer_channel_setup(ch, send_pages, send_pages + recv_pages);
	if (err)
		return err;
	reinit_completion(&ch->answered);
	veneer_set_state(ch, VENEER_CH_OPENING);
	err = veneer_send_open(ch);
	if (err) {
		veneer_channel_release(ch);
		return err;
	}
	return veneer_open_wait(ch);
}

int veneer_channel_open(struct veneer_device *vdev, u32 send_pages,
			u32 recv_pages, veneer_channel_notify_t notify)
{
	struct veneer_channel *ch = to_channel(vdev);
	int err;

	if (send_pages < 2 || recv_pages < 2 ||
	    send_pages + recv_pages > VENEER_CHANNEL_MAX_RING_PAGES)
		return -EINVAL;
	mutex_lock(&ch->op_lock);
	err = veneer_open_locked(ch, send_pages, recv_pages);
	mutex_unlock(&ch->op_lock);
	if (!err)
		veneer_set_notify(ch, notify);
	return err;
}
EXPORT_SYMBOL_GPL(veneer_channel_open);

/*
 * OPENING or OPEN becomes CLOSING (a CLOSE to send and its answer to
 * await); DRAINING needs no message, the provider has unmapped.
 */
static bool veneer_begin_close(struct veneer_channel *ch, u32 *reason)
{
	unsigned long flags;
	bool post = false;

	spin_lock_irqsave(&ch->lock, flags);
	if (ch->state == VENEER_CH_OPENING || ch->state == VENEER_CH_OPEN) {
		reinit_completion(&ch->answered);
		ch->state = VENEER_CH_CLOSING;
		post = true;
	}
	*reason = ch->failed ? VNR_CHANNEL_CLOSE_CORRUPTED
			     : VNR_CHANNEL_CLOSE_NORMAL;
	spin_unlock_irqrestore(&ch->lock, flags);
	return post;
}

void veneer_channel_close_locked(struct veneer_channel *ch)
{
	struct vnr_channel_close msg = { .channel_id = ch->vdev.channel_id };

	enum veneer_chstate state = READ_ONCE(ch->state);

	/* Only open and close, under op_lock, leave OFFERED. */
	if (state == VENEER_CH_OFFERED || state == VENEER_CH_CLOSED)
		return;
	/* A CLOSE that cannot be posted gets no answer: release at once. */
	if (veneer_begin_close(ch, &msg.reason) &&
	    !veneer_post(VNR_CHMSG_CLOSE, &msg, sizeof(msg)))
		wait_for_completion_timeout(&ch->answered, VENEER_CLOSE_WAIT);
	veneer_channel_release(ch);
}

void veneer_channel_close(struct veneer_device *vdev)
{
	struct veneer_channel *ch = to_channel(vdev);

	mutex_lock(&ch->notify_lock);
	ch->notify = NULL;
	mutex_unlock(&ch->notify_lock);
	mutex_lock(&ch->op_lock);
	veneer_channel_close_locked(ch);
	mutex_unlock(&ch->op_lock);
}
EXPORT_SYMBOL_GPL(veneer_channel_close);

static void veneer_open_result(struct veneer_channel *ch,
			       const struct vnr_channel_open_result *r)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&ch->lock, flags);
	if (ch->state != VENEER_CH_OPENING) {
		spin_unlock_irqrestore(&ch->lock, flags);
		return;
	}
	ch->open_status = r->status;
	ok = r->status == VNR_CHANNEL_OPEN_OK;
	if (ok)
		ch->state = VENEER_CH_OPEN;
	spin_unlock_irqrestore(&ch->lock, flags);
	/* Refused: the provider did not map the grant. */
	if (!ok)
		veneer_channel_release(ch);
	complete(&ch->answered);
}

/*
 * The provider's CLOSE, which it sends after unmapping: it answers ours,
 * or starts a close; a NORMAL one lets its last packets be read first.
 */
static void veneer_peer_close(struct veneer_channel *ch,
			      const struct vnr_channel_close *c)
{
	unsigned long flags;
	bool release = false, answer = false;

	spin_lock_irqsave(&ch->lock, flags);
	switch (ch->state) {
	case VENEER_CH_CLOSING:
		answer = true;
		break;
	case VENEER_CH_OPENING:
		answer = true;
		release = true;
		break;
	case VENEER_CH_OPEN:
		if (c->reason == VNR_CHANNEL_CLOSE_NORMAL && !ch->failed)
			ch->state = VENEER_CH_DRAINING;
		else
			release = true;
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&ch->lock, flags);
	if (release)
		veneer_channel_release(ch);
	if (answer)
		complete(&ch->answered);
	veneer_channel_settle(ch);
}

/* Payloads are copied out: the slot's copy is only 4-byte aligned. */
void veneer_bus_message(const struct vnr_message *msg)
{
	u32 size = msg->header.payload_size;
	u32 sender = msg->header.sender_partition;
	struct vnr_channel_open_result result;
	struct vnr_channel_offer offer;
	struct vnr_channel_close close;
	struct veneer_channel *ch;
	u32 id;

	if (size < sizeof(id))
		return;
	memcpy(&id, msg->payload, sizeof(id));
	if (msg->header.message_type == VNR_CHMSG_OFFER) {
		if (size < sizeof(offer))
			return;
		memcpy(&offer, msg->payload, sizeof(offer));
		veneer_device_offer(&offer, sender);
		return;
	}
	ch = veneer_channel_find(id);
	if (!ch || ch->peer != sender)
		return;
	switch (msg->header.message_type) {
	case VNR_CHMSG_OPEN_RESULT:
		if (size < sizeof(result))
			return;
		memcpy(&result, msg->payload, sizeof(result));
		veneer_open_result(ch, &result);
		break;
	case VNR_CHMSG_CLOSE:
		if (size < sizeof(close))
			return;
		memcpy(&close, msg->payload, sizeof(close));
		veneer_peer_close(ch, &close);
		break;
	}
}
