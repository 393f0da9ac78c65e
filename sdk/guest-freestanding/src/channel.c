// SPDX-License-Identifier: MIT
/* The channel protocol's control plane: offer, open, result, close. */
#include <vnr_guest/guest.h>
#include <vnr_guest/channel.h>
#include "channel_internal.h"

/* A peer that never frees its message slot must not hold us forever. */
#define POST_RETRIES 100000

struct channel_host vnr_channel_host;

bool vnr_channels_init(unsigned int msg_sint, unsigned int event_sint)
{
	struct channel_host *h = &vnr_channel_host;

	if (msg_sint >= VNR_SINT_COUNT || event_sint >= VNR_SINT_COUNT ||
	    msg_sint == event_sint || !vnr_synic_init())
		return false;
	h->msg_sint = msg_sint;
	h->event_sint = event_sint;
	/* No handler: the interrupts only end a halt (see vnr_channels_wait).
	 */
	return vnr_sint_enable(msg_sint, VNR_CHANNEL_VECTOR_BASE + msg_sint,
			       NULL, NULL, VNR_SINT_AUTO_EOI) &&
	       vnr_sint_enable(event_sint, VNR_CHANNEL_VECTOR_BASE + event_sint,
			       NULL, NULL, VNR_SINT_AUTO_EOI);
}

static bool channel_register(struct vnr_channel *ch)
{
	struct channel_host *h = &vnr_channel_host;
	unsigned int i;

	for (i = 0; i < h->count; i++)
		if (h->list[i] == ch)
			return true;
	if (h->count == VNR_CHANNEL_MAX)
		return false;
	h->list[h->count++] = ch;
	return true;
}

/* POST_MESSAGE, retried while the peer's queue is full. */
static enum vnr_status post(vnr_u32 conn, vnr_u32 type, const void *payload,
			    vnr_u32 size)
{
	enum vnr_status st;
	unsigned int tries = 0;

	while ((st = vnr_post_message(conn, type, payload, size)) ==
		       VNR_STATUS_INSUFFICIENT_BUFFERS &&
	       ++tries < POST_RETRIES)
		vnr_vp_yield();
	return st;
}

enum vnr_status vnr_channel_offer(struct vnr_channel *ch, vnr_u32 id,
				  vnr_u32 msg_conn, vnr_u32 event_conn,
				  const struct vnr_guid *device_class,
				  const struct vnr_guid *instance)
{
	struct vnr_channel_offer offer = {.channel_id = id};

	if (!id || id > VNR_CHANNEL_MAX_ID)
		return VNR_STATUS_INVALID_PARAMETER;
	*ch = (struct vnr_channel){
		.id = id,
		.role = VNR_CHANNEL_PROVIDER,
		.state = VNR_CHSTATE_OFFERED,
		.msg_conn = msg_conn,
		.event_conn = event_conn,
		.device_class = *device_class,
		.instance = *instance,
	};
	if (!channel_register(ch))
		return VNR_STATUS_QUOTA_EXCEEDED;
	offer.device_class = *device_class;
	offer.instance = *instance;
	return post(msg_conn, VNR_CHMSG_OFFER, &offer, sizeof(offer));
}

static void release_rings(struct vnr_channel *ch)
{
	vnr_u64 bytes = (vnr_u64)ch->ring_pages * VNR_PAGE_SIZE;

	if (!ch->rings)
		return;
	if (ch->on_release)
		ch->on_release(ch);
	if (ch->role == VNR_CHANNEL_PROVIDER) {
		vnr_unmap_identity(vnr_gpa(ch->rings), bytes);
		vnr_grant_unmap(ch->peer, ch->grant_handle);
	} else {
		vnr_grant_revoke(ch->grant_handle);
	}
	ch->rings = NULL;
}

static void finish(struct vnr_channel *ch)
{
	release_rings(ch);
	ch->state = VNR_CHSTATE_CLOSED;
}

/*
 * The provider unmaps before it sends or answers a CLOSE; a client that
 * closes first keeps its grant until the provider's CLOSE arrives, since
 * revoking a grant the provider still maps would stop the provider.
 */
static void channel_closed(struct vnr_channel *ch, vnr_u32 reason, bool peer)
{
	ch->close_reason = reason;
	ch->closed_by_peer = peer;
	if (ch->role == VNR_CHANNEL_CLIENT && !peer &&
	    ch->state == VNR_CHSTATE_OPEN) {
		ch->state = VNR_CHSTATE_CLOSING;
		return;
	}
	finish(ch);
}

void vnr_channel_fail(struct vnr_channel *ch, vnr_u32 reason)
{
	struct vnr_channel_close msg = {.channel_id = ch->id, .reason = reason};

	if (ch->state == VNR_CHSTATE_CLOSED || ch->state == VNR_CHSTATE_CLOSING)
		return;
	/* Nothing left to tell a peer that closed first. */
	if (ch->state == VNR_CHSTATE_DRAINING) {
		vnr_channel_drained(ch);
		return;
	}
	channel_closed(ch, reason, false);
	if (post(ch->msg_conn, VNR_CHMSG_CLOSE, &msg, sizeof(msg)) !=
	    VNR_STATUS_SUCCESS)
		finish(ch); /* no answer will come */
}

void vnr_channel_close(struct vnr_channel *ch)
{
	vnr_u64 deadline = vnr_reference_time() + VNR_CHANNEL_CLOSE_WAIT;

	vnr_channel_fail(ch, VNR_CHANNEL_CLOSE_NORMAL);
	while (ch->state == VNR_CHSTATE_CLOSING &&
	       vnr_reference_time() < deadline)
		if (!vnr_channels_poll())
			vnr_vp_halt(VNR_CHANNEL_CLOSE_WAIT / 100);
	if (ch->state == VNR_CHSTATE_CLOSING)
		finish(ch);
}

/* After a peer's CLOSE: the provider unmaps and answers, a client revokes. */
void vnr_channel_drained(struct vnr_channel *ch)
{
	struct vnr_channel_close ack = {.channel_id = ch->id,
					.reason = ch->close_reason};

	channel_closed(ch, ch->close_reason, true);
	if (ch->role == VNR_CHANNEL_PROVIDER)
		post(ch->msg_conn, VNR_CHMSG_CLOSE, &ack, sizeof(ack));
}

/*
 * A CLOSE from the peer.  Packets it wrote before are still delivered:
 * the channel drains first (vnr_channel_recv() completes the close when
 * the ring is empty).
 */
static void peer_closed(struct vnr_channel *ch,
			const struct vnr_channel_close *c)
{
	if (ch->state == VNR_CHSTATE_CLOSING) {
		finish(ch);
		return;
	}
	ch->close_reason = c->reason;
	if (ch->state == VNR_CHSTATE_OPEN &&
	    c->reason == VNR_CHANNEL_CLOSE_NORMAL) {
		ch->state = VNR_CHSTATE_DRAINING;
		return;
	}
	vnr_channel_drained(ch);
}

/* Attaches both ring views to the grant at ch->rings. */
static bool attach_rings(struct vnr_channel *ch)
{
	vnr_u64 send = (vnr_u64)ch->send_ring_pages * VNR_PAGE_SIZE;
	vnr_u64 recv = (vnr_u64)ch->ring_pages * VNR_PAGE_SIZE - send;
	bool client = ch->role == VNR_CHANNEL_CLIENT;
	vnr_u8 *c2p = ch->rings, *p2c = ch->rings + send;

	if (vnr_ring_init(&ch->tx, client ? c2p : p2c, client ? send : recv,
			  VNR_RING_WRITER) != VNR_RING_OK ||
	    vnr_ring_init(&ch->rx, client ? p2c : c2p, client ? recv : send,
			  VNR_RING_READER) != VNR_RING_OK)
		return false;
	/* Polling until vnr_channels_wait(): the writer need not signal. */
	vnr_ring_mask_interrupts(&ch->rx);
	return true;
}

static bool layout_valid(const struct vnr_channel_open *o)
{
	return o->ring_pages <= VNR_CHANNEL_MAX_RING_PAGES &&
	       o->send_ring_pages >= 2 && o->ring_pages >= 4 &&
	       o->send_ring_pages <= o->ring_pages - 2;
}

/* Provider: maps the client's grant; returns a VNR_CHANNEL_OPEN_* status. */
static vnr_u32 provider_map(struct vnr_channel *ch,
			    const struct vnr_channel_open *o)
{
	vnr_u64 bytes = (vnr_u64)o->ring_pages * VNR_PAGE_SIZE;
	vnr_u64 gpa;

	if (!layout_valid(o))
		return VNR_CHANNEL_OPEN_BAD_RINGS;
	gpa = vnr_gpa_window_alloc(o->ring_pages);
	if (vnr_grant_map(ch->peer, o->grant_handle, gpa) != VNR_STATUS_SUCCESS)
		return VNR_CHANNEL_OPEN_BAD_RINGS;
	ch->rings = (vnr_u8 *)(uintptr_t)gpa;
	ch->grant_handle = o->grant_handle;
	ch->ring_pages = o->ring_pages;
	ch->send_ring_pages = o->send_ring_pages;
	/* A client could claim more pages than it granted. */
	if (!vnr_grant_range_writable(gpa, o->ring_pages) ||
	    !vnr_map_identity(gpa, bytes) || !attach_rings(ch)) {
		release_rings(ch);
		return VNR_CHANNEL_OPEN_BAD_RINGS;
	}
	return VNR_CHANNEL_OPEN_OK;
}

static void provider_open(struct vnr_channel *ch, vnr_u32 sender,
			  const struct vnr_channel_open *o)
{
	struct vnr_channel_open_result res = {.channel_id = ch->id};

	/* The first partition to open an offered channel owns it. */
	if (ch->state != VNR_CHSTATE_OFFERED ||
	    (ch->peer && ch->peer != sender))
		return;
	ch->peer = sender;
	res.status = provider_map(ch, o);
	post(ch->msg_conn, VNR_CHMSG_OPEN_RESULT, &res, sizeof(res));
	if (res.status == VNR_CHANNEL_OPEN_OK)
		ch->state = VNR_CHSTATE_OPEN;
}

/* Client: formats the rings, grants them and asks to open. */
static void client_offer(struct vnr_channel *ch, vnr_u32 sender,
			 const struct vnr_channel_offer *offer)
{
	vnr_u64 send = (vnr_u64)ch->send_ring_pages * VNR_PAGE_SIZE;
	vnr_u64 total = (vnr_u64)ch->ring_pages * VNR_PAGE_SIZE;
	struct vnr_channel_open o = {
		.channel_id = offer->channel_id,
		.ring_pages = ch->ring_pages,
		.send_ring_pages = ch->send_ring_pages,
	};

	ch->id = offer->channel_id;
	ch->peer = sender;
	ch->instance = offer->instance;
	if (vnr_ring_format(ch->rings, send) != VNR_RING_OK ||
	    vnr_ring_format(ch->rings + send, total - send) != VNR_RING_OK ||
	    vnr_grant_create_range(sender, ch->rings, ch->ring_pages, 0,
				   &o.grant_handle) != VNR_STATUS_SUCCESS) {
		ch->rings = NULL;
		channel_closed(ch, VNR_CHANNEL_CLOSE_NORMAL, false);
		return;
	}
	ch->grant_handle = o.grant_handle;
	ch->state = VNR_CHSTATE_OPENING;
	if (post(ch->msg_conn, VNR_CHMSG_OPEN, &o, sizeof(o)) !=
	    VNR_STATUS_SUCCESS)
		channel_closed(ch, VNR_CHANNEL_CLOSE_NORMAL, false);
}

static void client_result(struct vnr_channel *ch,
			  const struct vnr_channel_open_result *r)
{
	ch->open_status = r->status;
	if (r->status != VNR_CHANNEL_OPEN_OK) {
		channel_closed(ch, VNR_CHANNEL_CLOSE_NORMAL, true);
		return;
	}
	/* Open for the provider, which maps the grant, even if not for us. */
	ch->state = VNR_CHSTATE_OPEN;
	if (!attach_rings(ch))
		vnr_channel_fail(ch, VNR_CHANNEL_CLOSE_CORRUPTED);
}

static bool guid_equal(const struct vnr_guid *a, const struct vnr_guid *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * The channel a message from `sender` about channel `id` is for; only an
 * OPEN may come from a partition not yet bound to the channel.
 */
static struct vnr_channel *find(vnr_u32 id, vnr_u32 sender, bool unbound)
{
	struct channel_host *h = &vnr_channel_host;
	unsigned int i;

	for (i = 0; i < h->count; i++) {
		struct vnr_channel *ch = h->list[i];

		if (ch->id == id &&
		    (ch->peer == sender || (unbound && !ch->peer)) &&
		    ch->state != VNR_CHSTATE_WAIT_OFFER)
			return ch;
	}
	return NULL;
}

static struct vnr_channel *find_offer_taker(const struct vnr_channel_offer *o)
{
	struct channel_host *h = &vnr_channel_host;
	unsigned int i;

	for (i = 0; i < h->count; i++) {
		struct vnr_channel *ch = h->list[i];

		if (ch->state == VNR_CHSTATE_WAIT_OFFER &&
		    guid_equal(&ch->device_class, &o->device_class))
			return ch;
	}
	return NULL;
}

/* An offer nobody waits for: the latest of its channel id is kept. */
static void keep_offer(vnr_u32 sender, const struct vnr_channel_offer *o)
{
	struct unclaimed_offer *u = vnr_channel_host.unclaimed, *slot = NULL;
	unsigned int i;

	for (i = 0; i < VNR_UNCLAIMED_OFFERS; i++)
		if (u[i].sender && u[i].offer.channel_id == o->channel_id)
			slot = &u[i];
	for (i = 0; !slot && i < VNR_UNCLAIMED_OFFERS; i++)
		if (!u[i].sender)
			slot = &u[i];
	if (!slot)
		slot = &u[0]; /* the table is full: one goes */
	memcpy(&slot->offer, o, sizeof(*o));
	slot->sender = sender;
}

/* A connecting client takes a kept offer of its device class. */
static void take_kept_offer(struct vnr_channel *ch)
{
	struct unclaimed_offer *u = vnr_channel_host.unclaimed;
	unsigned int i;

	for (i = 0; i < VNR_UNCLAIMED_OFFERS; i++) {
		if (u[i].sender &&
		    guid_equal(&u[i].offer.device_class, &ch->device_class)) {
			struct vnr_channel_offer o = u[i].offer;
			vnr_u32 sender = u[i].sender;

			u[i].sender = 0;
			client_offer(ch, sender, &o);
			return;
		}
	}
}

/* Payloads shorter than their structure are ignored like unknown ones. */
static void handle_message(const struct vnr_message *m)
{
	const void *p = m->payload;
	vnr_u32 size = m->header.payload_size;
	vnr_u32 sender = m->header.sender_partition;
	vnr_u32 type = m->header.message_type;
	struct vnr_channel *ch;
	vnr_u32 id;

	if (size < sizeof(vnr_u32))
		return;
	id = *(const vnr_u32 *)p;
	if (type == VNR_CHMSG_OFFER) {
		if (!id || id > VNR_CHANNEL_MAX_ID ||
		    size < sizeof(struct vnr_channel_offer))
			return;
		ch = find_offer_taker(p);
		keep_offer(sender, p); /* replaces an older one of the id */
		if (ch)
			take_kept_offer(ch);
		return;
	}
	ch = find(id, sender, type == VNR_CHMSG_OPEN);
	if (!ch)
		return;
	switch (type) {
	case VNR_CHMSG_OPEN:
		if (ch->role == VNR_CHANNEL_PROVIDER &&
		    size >= sizeof(struct vnr_channel_open))
			provider_open(ch, sender, p);
		break;
	case VNR_CHMSG_OPEN_RESULT:
		if (ch->state == VNR_CHSTATE_OPENING &&
		    size >= sizeof(struct vnr_channel_open_result))
			client_result(ch, p);
		break;
	case VNR_CHMSG_CLOSE:
		if (ch->state != VNR_CHSTATE_CLOSED &&
		    size >= sizeof(struct vnr_channel_close))
			peer_closed(ch, p);
		break;
	}
}

bool vnr_channels_poll(void)
{
	struct channel_host *h = &vnr_channel_host;
	struct vnr_message m;
	bool any = false;
	unsigned int i;

	while (vnr_message_take(h->msg_sint, &m)) {
		handle_message(&m);
		any = true;
	}
	for (i = 0; i < h->count; i++)
		if (h->list[i]->state == VNR_CHSTATE_DRAINING &&
		    !vnr_ring_read_avail(&h->list[i]->rx))
			vnr_channel_drained(h->list[i]);
	/*
	 * Clearing the flags re-arms them: the next signal interrupts again.
	 * Channel ids are below 64, so all of them are in the first word;
	 * flags nobody uses are cleared too, or they would keep
	 * vnr_channels_wait() from sleeping.
	 */
	if (__atomic_exchange_n(&vnr_synic_event_page()->sint[h->event_sint][0],
				0, __ATOMIC_SEQ_CST))
		any = true;
	return any;
}

enum vnr_channel_result
vnr_channel_connect(struct vnr_channel *ch, vnr_u32 msg_conn,
		    vnr_u32 event_conn, const struct vnr_guid *device_class,
		    void *rings, vnr_u32 ring_pages, vnr_u32 send_ring_pages)
{
	*ch = (struct vnr_channel){
		.role = VNR_CHANNEL_CLIENT,
		.state = VNR_CHSTATE_WAIT_OFFER,
		.msg_conn = msg_conn,
		.event_conn = event_conn,
		.device_class = *device_class,
		.rings = rings,
		.ring_pages = ring_pages,
		.send_ring_pages = send_ring_pages,
	};
	if (!channel_register(ch)) {
		ch->state = VNR_CHSTATE_CLOSED;
		return VNR_CHANNEL_CLOSED;
	}
	vnr_channels_poll(); /* what came before: an offer may be kept */
	if (ch->state == VNR_CHSTATE_WAIT_OFFER)
		take_kept_offer(ch);
	while (ch->state != VNR_CHSTATE_OPEN && ch->state != VNR_CHSTATE_CLOSED)
		if (!vnr_channels_poll())
			vnr_channels_wait();
	return ch->state == VNR_CHSTATE_OPEN ? VNR_CHANNEL_OK
					     : VNR_CHANNEL_CLOSED;
}
