// SPDX-License-Identifier: MIT
/*
 * The provider side of channels (docs/spec/channels.md) in a monitor: the
 * root offers each of its channels to the partition, maps the grant of
 * the client's rings when it opens one (VENEER_MAP_GRANT) and closes by
 * the closing rules.  One thread serves all of a partition's channels:
 * it waits on the partition's descriptor for messages and signals and
 * hands each signalled open channel to its device's serve().
 */
#include "veneerctl.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* While an offer waits for the child to run, it is tried this often. */
#define OFFER_RETRY_MS 100
/* The most ring pages a provider maps (channels.md, ring placement). */
#define RING_PAGES_MAX 256u
/*
 * Rounds of a device's serve() for one wake-up: a client that writes as
 * fast as it is read then waits for the other channels (its console, a
 * destroy) instead of holding the thread.
 */
#define SERVE_ROUNDS 8

int ctl_channel_add(struct ctl_channels *set, struct ctl_channel *ch, char *err,
		    size_t size)
{
	int id;

	if (set->count == CTL_CHANNELS_MAX)
		return ctl_fail(err, size, "too many channels");
	id = ioctl(set->partition, VENEER_CHANNEL_ID);
	if (id < 0)
		return ctl_fail(err, size, "no channel id: %s",
				strerror(errno));
	ch->set = set;
	ch->id = (vnr_u32)id;
	ch->state = CTL_CH_NEW;
	ch->grant_fd = -1;
	ch->rings = NULL;
	ch->more = false;
	set->list[set->count++] = ch;
	return 0;
}

static int post(struct ctl_channel *ch, vnr_u32 type, const void *payload,
		vnr_u32 size)
{
	struct veneer_message m = {.type = type, .size = size};

	memcpy(m.payload, payload, size);
	return ioctl(ch->set->partition, VENEER_POST_MESSAGE, &m) ? errno : 0;
}

void ctl_channel_signal(struct ctl_channel *ch)
{
	vnr_u32 id = ch->id;

	/* A failure means the child has gone: the next message tells. */
	(void)ioctl(ch->set->partition, VENEER_SIGNAL, &id);
}

/* Whether the OFFER went out; an offer to a child not yet running waits. */
static bool offer(struct ctl_channel *ch)
{
	struct vnr_channel_offer o = {
		.channel_id = ch->id,
		.device_class = ch->device_class,
		.instance = ch->instance,
	};

	if (post(ch, VNR_CHMSG_OFFER, &o, sizeof(o)))
		return false;
	ch->state = CTL_CH_OFFERED;
	return true;
}

/* Rule 1 of closing: the grant is unmapped before any CLOSE is sent. */
static void release_rings(struct ctl_channel *ch)
{
	if (ch->release && ch->rings)
		ch->release(ch);
	if (ch->rings)
		munmap(ch->rings, ch->ring_bytes);
	if (ch->grant_fd >= 0)
		close(ch->grant_fd);
	ch->rings = NULL;
	ch->grant_fd = -1;
}

static bool layout_valid(const struct vnr_channel_open *o)
{
	return o->ring_pages <= RING_PAGES_MAX && o->send_ring_pages >= 2 &&
	       o->ring_pages >= 4 && o->send_ring_pages <= o->ring_pages - 2;
}

/* Maps the client's rings: a VNR_CHANNEL_OPEN_* status. */
static vnr_u32 map_rings(struct ctl_channel *ch,
			 const struct vnr_channel_open *o)
{
	struct veneer_grant_map g = {.handle = o->grant_handle,
				     .page_count = o->ring_pages,
				     .flags = VENEER_GRANT_WRITABLE};
	size_t send = (size_t)o->send_ring_pages * VNR_PAGE_SIZE;
	vnr_u8 *rings;

	if (!layout_valid(o))
		return VNR_CHANNEL_OPEN_BAD_RINGS;
	ch->ring_bytes = (size_t)o->ring_pages * VNR_PAGE_SIZE;
	ch->grant_fd = ioctl(ch->set->partition, VENEER_MAP_GRANT, &g);
	rings = ch->grant_fd < 0
			? MAP_FAILED
			: mmap(NULL, ch->ring_bytes, PROT_READ | PROT_WRITE,
			       MAP_SHARED, ch->grant_fd, 0);
	if (rings != MAP_FAILED)
		ch->rings = rings;
	if (!ch->rings ||
	    vnr_ring_init(&ch->rx, rings, send, VNR_RING_READER) !=
		    VNR_RING_OK ||
	    vnr_ring_init(&ch->tx, rings + send, ch->ring_bytes - send,
			  VNR_RING_WRITER) != VNR_RING_OK) {
		release_rings(ch);
		return VNR_CHANNEL_OPEN_BAD_RINGS;
	}
	vnr_ring_mask_interrupts(&ch->rx); /* until the thread waits */
	return VNR_CHANNEL_OPEN_OK;
}

/*
 * Serves a signalled channel: its device reads both rings with the
 * receive ring masked, then unmasks and reads once more if data came in
 * between (ring.md's masking rule); a corrupted ring closes the channel.
 * A device that stalls (no room for more requests) keeps the ring masked
 * until its completions call it again.
 */
static void serve(struct ctl_channel *ch)
{
	int rounds = 0;

	ch->more = false;
	do {
		int stalled;

		vnr_ring_mask_interrupts(&ch->rx);
		stalled = ch->serve(ch);
		if (ch->state != CTL_CH_OPEN)
			return;
		if (vnr_ring_is_corrupted(&ch->rx) ||
		    vnr_ring_is_corrupted(&ch->tx)) {
			ctl_channel_close(ch, VNR_CHANNEL_CLOSE_CORRUPTED);
			return;
		}
		if (stalled)
			return; /* completed() comes back */
		if (++rounds == SERVE_ROUNDS) {
			/* Masked: the thread comes back without a signal. */
			ch->more = true;
			return;
		}
	} while (vnr_ring_unmask_interrupts(&ch->rx));
}

static void open_channel(struct ctl_channel *ch,
			 const struct vnr_channel_open *o)
{
	struct vnr_channel_open_result r = {.channel_id = ch->id};

	if (ch->state != CTL_CH_OFFERED)
		return; /* channels.md: ignored */
	r.status = map_rings(ch, o);
	post(ch, VNR_CHMSG_OPEN_RESULT, &r, sizeof(r));
	if (r.status == VNR_CHANNEL_OPEN_OK) {
		ch->state = CTL_CH_OPEN;
		serve(ch); /* what the client wrote before the result */
	}
}

void ctl_channel_close(struct ctl_channel *ch, vnr_u32 reason)
{
	struct vnr_channel_close c = {.channel_id = ch->id, .reason = reason};

	if (ch->state != CTL_CH_OPEN)
		return;
	release_rings(ch);
	post(ch, VNR_CHMSG_CLOSE, &c, sizeof(c));
	/* Offered again, for a client that comes back (a reloaded driver). */
	ch->state = CTL_CH_NEW;
	if (ch->closed)
		ch->closed(ch, reason);
}

/* The client's CLOSE: what it wrote before is still served (rule 4). */
static void client_closed(struct ctl_channel *ch,
			  const struct vnr_channel_close *c)
{
	if (ch->state == CTL_CH_OFFERED) {
		ch->state = CTL_CH_NEW;
		return;
	}
	if (ch->state != CTL_CH_OPEN)
		return;
	if (c->reason == VNR_CHANNEL_CLOSE_NORMAL)
		(void)ch->serve(ch);
	ctl_channel_close(ch, c->reason == VNR_CHANNEL_CLOSE_NORMAL
				      ? VNR_CHANNEL_CLOSE_NORMAL
				      : VNR_CHANNEL_CLOSE_CORRUPTED);
}

static struct ctl_channel *find(struct ctl_channels *set, vnr_u32 id)
{
	for (unsigned int i = 0; i < set->count; i++)
		if (set->list[i]->id == id)
			return set->list[i];
	return NULL;
}

/* channels.md: a message shorter than its structure is ignored. */
static void message(struct ctl_channels *set, const struct veneer_message *m)
{
	struct vnr_channel_open o;
	struct vnr_channel_close c;
	struct ctl_channel *ch;
	vnr_u32 id;

	if (m->size < sizeof(id))
		return;
	memcpy(&id, m->payload, sizeof(id));
	ch = find(set, id);
	if (!ch)
		return;
	if (m->type == VNR_CHMSG_OPEN && m->size >= sizeof(o)) {
		memcpy(&o, m->payload, sizeof(o));
		open_channel(ch, &o);
	} else if (m->type == VNR_CHMSG_CLOSE && m->size >= sizeof(c)) {
		memcpy(&c, m->payload, sizeof(c));
		client_closed(ch, &c);
	}
}

/* Offers what waits to be offered; whether one still waits. */
static bool offer_waiting(struct ctl_channels *set)
{
	bool waiting = false;

	for (unsigned int i = 0; i < set->count; i++)
		if (set->list[i]->state == CTL_CH_NEW && !offer(set->list[i]))
			waiting = true;
	return waiting;
}

static void take_messages(struct ctl_channels *set)
{
	struct veneer_message m;

	while (!ioctl(set->partition, VENEER_RECV_MESSAGE, &m))
		message(set, &m);
}

static void take_events(struct ctl_channels *set)
{
	vnr_u64 events = 0;

	if (ioctl(set->partition, VENEER_TAKE_EVENTS, &events))
		return;
	for (unsigned int i = 0; i < set->count; i++) {
		struct ctl_channel *ch = set->list[i];

		if ((events >> ch->id & 1) && ch->state == CTL_CH_OPEN)
			serve(ch);
	}
}

/* Completions of the devices that wait on a descriptor of their own. */
static void take_completions(struct ctl_channels *set, const struct pollfd *fds)
{
	for (unsigned int i = 0; i < set->count; i++) {
		struct ctl_channel *ch = set->list[i];

		if (ch->wait_fd < 0 || !fds[i].revents)
			continue;
		ch->completed(ch);
		if (ch->state == CTL_CH_OPEN)
			serve(ch);
	}
}

/* The channels whose serve() stopped with packets left: their turn. */
static bool take_more(struct ctl_channels *set)
{
	bool more = false;

	for (unsigned int i = 0; i < set->count; i++) {
		struct ctl_channel *ch = set->list[i];

		if (ch->more && ch->state == CTL_CH_OPEN)
			serve(ch);
		more |= ch->more && ch->state == CTL_CH_OPEN;
	}
	return more;
}

static void *channels_loop(void *arg)
{
	struct ctl_channels *set = arg;
	struct pollfd fds[CTL_CHANNELS_MAX + 2];
	bool more = false;

	for (;;) {
		int timeout = more		   ? 0
			      : offer_waiting(set) ? OFFER_RETRY_MS
						   : -1;
		unsigned int n = set->count;

		for (unsigned int i = 0; i < n; i++)
			fds[i] = (struct pollfd){.fd = set->list[i]->wait_fd,
						 .events = POLLIN};
		fds[n] =
			(struct pollfd){.fd = set->partition, .events = POLLIN};
		fds[n + 1] =
			(struct pollfd){.fd = set->stop_fd, .events = POLLIN};
		if (poll(fds, n + 2, timeout) < 0 && errno != EINTR)
			break;
		if (fds[n + 1].revents)
			break;
		take_completions(set, fds);
		take_messages(set);
		take_events(set);
		more = take_more(set);
	}
	return NULL;
}

int ctl_channels_start(struct ctl_channels *set, char *err, size_t size)
{
	set->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (set->stop_fd < 0)
		return ctl_fail(err, size, "eventfd: %s", strerror(errno));
	errno = pthread_create(&set->thread, NULL, channels_loop, set);
	if (errno) {
		close(set->stop_fd);
		set->stop_fd = -1;
		return ctl_fail(err, size, "channel thread: %s",
				strerror(errno));
	}
	return 0;
}

/*
 * The partition is stopped: the thread ends and every grant is unmapped,
 * so that closing the partition's descriptor destroys it at once.
 */
void ctl_channels_stop(struct ctl_channels *set)
{
	vnr_u64 one = 1;

	if (set->stop_fd < 0)
		return;
	if (write(set->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(set->thread, NULL);
	for (unsigned int i = 0; i < set->count; i++)
		release_rings(set->list[i]);
	close(set->stop_fd);
	set->stop_fd = -1;
}
