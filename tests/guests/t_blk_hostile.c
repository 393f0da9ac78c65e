// SPDX-License-Identifier: MIT
/*
 * A hostile block provider for the Linux partition's veneer_blk.ko
 * (tests/linux/cases/blk_hostile_*.cfg).  It offers one block channel per
 * attack on the command line, each a small RAM disk whose sector 0 says
 * "vnrhostile:<attack>" (so that the client's /init knows which disk is
 * which), serves it honestly where the attack does not say otherwise
 * (block_service's checks, requests one at a time) and attacks as its
 * name says.  Whatever it does, the kernel must neither crash nor hang.
 *
 * Command line: attacks=a,b,... (channel k gets the k-th, at most
 * MAX_DISKS), life=S (seconds before it exits, default 120; it also ends
 * once every channel is closed, or the client partition has stopped).
 *
 * INFO attacks (the answer to SETUP):
 *   none         honest
 *   sectors0     a disk of 0 sectors
 *   sectors_huge 2^64-1 sectors
 *   maxsec0, maxsec1, maxsec_huge  max_sectors 0, 1, 2^32-1 (+ DISCARD)
 *   maxreq0, maxreq_huge           max_requests 0, 2^32-1
 *   features     every feature bit set
 *   status       a status no version knows
 *   version0, version2             a version the client did not ask for
 *   info_twice   two INFOs
 *   info_early   INFO as soon as the channel opens, before SETUP is read
 *   info_short, info_long          an INFO of 16, of 48 bytes
 *   no_info      never answers SETUP
 *   early_resp   a RESPONSE right after INFO, before any request
 * Request attacks, on the request that touches TRIGGER (sector 1024; the
 * others are served honestly):
 *   stray        answers id 1000 instead
 *   dup          answers it twice
 *   unused_tag   answers id 30 (a tag the client has not used) instead
 *   bad_status   answers with status 4
 *   resp_short, resp_long          a RESPONSE of 8, of 24 bytes
 *   err_status   answers IO_ERROR (the channel stays up)
 *   stall        never answers it nor anything after it
 *   close_queued holds it and what follows for 1 s, then closes
 *   exit         the provider exits, leaving it unanswered
 *   scribble     (every request) overwrites a write's data in the area
 *                after carrying it out, and a read's once the next
 *                request, a read, comes
 * Port 1 message SINT 2, port 2 event SINT 3 flags=64; connections 1/2
 * to the client's ports 1/2.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>
#include <vnr_block/protocol.h>

#define MSG_SINT     2
#define EVENT_SINT   3
#define MSG_CONN     1
#define EVENT_CONN   2
#define MAX_DISKS    16
#define DISK_SECTORS 2048 /* 1 MiB each */
#define SECTOR	     VNR_BLOCK_SECTOR_SIZE
#define MAX_SECTORS  128
#define MAX_REQUESTS 32
#define TRIGGER	     1024
#define MS	     10000ull

struct disk {
	struct vnr_channel ch; /* first: release_area() finds us */
	char attack[16];
	vnr_u8 *data;
	vnr_u8 *area;
	vnr_u64 area_bytes, area_grant;
	bool set_up, info_sent, triggered, stalled, reported;
	vnr_u64 held_since; /* close_queued: when it began holding */
	vnr_u64 last_read;  /* scribble: the last read's data_offset + 1 */
	vnr_u32 last_read_bytes;
	vnr_u64 requests;
};

static struct disk disks[MAX_DISKS];
static unsigned int disk_count;
static vnr_u8 storage[MAX_DISKS][DISK_SECTORS * SECTOR]
	__attribute__((aligned(VNR_PAGE_SIZE)));

static bool is(const struct disk *d, const char *name)
{
	return !strcmp(d->attack, name);
}

static void release_area(struct vnr_channel *ch)
{
	struct disk *d = (struct disk *)ch;

	if (!d->area)
		return;
	vnr_unmap_identity(vnr_gpa(d->area), d->area_bytes);
	vnr_grant_unmap(ch->peer, d->area_grant);
	d->area = NULL;
}

static bool map_area(struct disk *d, const struct vnr_block_setup *s)
{
	vnr_u64 gpa;

	if (!s->data_pages || s->data_pages > VNR_GRANT_MAX_PAGES)
		return false;
	gpa = vnr_gpa_window_alloc(s->data_pages);
	if (vnr_grant_map(d->ch.peer, s->data_grant, gpa) != VNR_STATUS_SUCCESS)
		return false;
	d->area = (vnr_u8 *)(uintptr_t)gpa;
	d->area_bytes = (vnr_u64)s->data_pages * VNR_PAGE_SIZE;
	d->area_grant = s->data_grant;
	if (!vnr_map_identity(gpa, d->area_bytes)) {
		release_area(&d->ch);
		return false;
	}
	return true;
}

static void send(struct disk *d, vnr_u16 type, const void *p, vnr_u32 len)
{
	if (vnr_channel_send_wait(&d->ch, type, p, len) != VNR_CHANNEL_OK)
		vnr_test_note("%s: send failed (closed)", d->attack);
}

static struct vnr_block_info honest_info(void)
{
	return (struct vnr_block_info){.version = VNR_BLOCK_VERSION,
				       .sectors = DISK_SECTORS,
				       .max_sectors = MAX_SECTORS,
				       .max_requests = MAX_REQUESTS};
}

/* The INFO the attack sends, and its length; 0: none. */
static vnr_u32 lying_info(const struct disk *d, struct vnr_block_info *i)
{
	*i = honest_info();
	if (is(d, "sectors0"))
		i->sectors = 0;
	else if (is(d, "sectors_huge"))
		i->sectors = ~0ull;
	else if (is(d, "maxsec0"))
		i->max_sectors = 0;
	else if (is(d, "maxsec1"))
		i->max_sectors = 1;
	else if (is(d, "maxsec_huge")) {
		i->max_sectors = 0xffffffffu;
		i->features = VNR_BLOCK_F_DISCARD;
	} else if (is(d, "maxreq0"))
		i->max_requests = 0;
	else if (is(d, "maxreq_huge"))
		i->max_requests = 0xffffffffu;
	else if (is(d, "features"))
		i->features = 0xffffffffu;
	else if (is(d, "status"))
		i->status = 0x7777;
	else if (is(d, "version0"))
		i->version = 0;
	else if (is(d, "version2"))
		i->version = 2;
	else if (is(d, "info_short"))
		return 16;
	else if (is(d, "no_info"))
		return 0;
	return sizeof(*i);
}

static void send_info(struct disk *d)
{
	static vnr_u8 buf[48];
	struct vnr_block_info info;
	vnr_u32 len = lying_info(d, &info);

	if (!len || d->info_sent)
		return;
	d->info_sent = true;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &info, sizeof(info));
	if (is(d, "info_long"))
		len = sizeof(buf);
	send(d, VNR_BLOCK_PKT_INFO, buf, len);
	vnr_test_note("%s: INFO sent (%u bytes)", d->attack, len);
	if (is(d, "info_twice"))
		send(d, VNR_BLOCK_PKT_INFO, &info, sizeof(info));
	if (is(d, "early_resp")) {
		struct vnr_block_response r = {.id = 0};

		send(d, VNR_BLOCK_PKT_RESPONSE, &r, sizeof(r));
	}
}

static void setup(struct disk *d, const struct vnr_block_setup *s)
{
	if (d->set_up) {
		vnr_test_note("%s: a second SETUP", d->attack);
		return;
	}
	d->set_up = true;
	if (!map_area(d, s)) {
		struct vnr_block_info info = {.status =
						      VNR_BLOCK_SETUP_BAD_AREA};

		vnr_test_note("%s: FAIL cannot map the area", d->attack);
		send(d, VNR_BLOCK_PKT_INFO, &info, sizeof(info));
		vnr_channel_close(&d->ch);
		return;
	}
	send_info(d);
}

static vnr_u32 check(const struct disk *d, const struct vnr_block_request *r)
{
	vnr_u64 bytes = (vnr_u64)r->sectors * SECTOR;

	if (r->reserved || (r->flags & ~VNR_BLOCK_REQ_FUA))
		return VNR_BLOCK_S_BAD_REQUEST;
	if (r->op == VNR_BLOCK_OP_FLUSH)
		return r->sectors ? VNR_BLOCK_S_BAD_REQUEST : VNR_BLOCK_S_OK;
	if (r->op < VNR_BLOCK_OP_READ || r->op > VNR_BLOCK_OP_DISCARD)
		return VNR_BLOCK_S_UNSUPPORTED;
	if (!r->sectors || r->sectors > MAX_SECTORS ||
	    r->sector >= DISK_SECTORS || r->sectors > DISK_SECTORS - r->sector)
		return VNR_BLOCK_S_BAD_REQUEST;
	if (r->op == VNR_BLOCK_OP_DISCARD)
		return VNR_BLOCK_S_OK;
	if (r->data_offset % SECTOR || r->data_offset > d->area_bytes ||
	    bytes > d->area_bytes - r->data_offset)
		return VNR_BLOCK_S_BAD_REQUEST;
	return VNR_BLOCK_S_OK;
}

static void carry_out(struct disk *d, const struct vnr_block_request *r)
{
	vnr_u8 *s = d->data + r->sector * SECTOR;
	vnr_u64 bytes = (vnr_u64)r->sectors * SECTOR;

	if (r->op == VNR_BLOCK_OP_READ)
		memcpy(d->area + r->data_offset, s, bytes);
	else if (r->op == VNR_BLOCK_OP_WRITE)
		memcpy(s, d->area + r->data_offset, bytes);
	else if (r->op == VNR_BLOCK_OP_DISCARD)
		memset(s, 0, bytes);
}

static void respond(struct disk *d, vnr_u64 id, vnr_u32 status)
{
	struct vnr_block_response resp = {.id = id, .status = status};

	send(d, VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp));
}

static bool touches_trigger(const struct vnr_block_request *r)
{
	return r->op != VNR_BLOCK_OP_FLUSH && r->sector <= TRIGGER &&
	       r->sector + r->sectors > TRIGGER;
}

/* The attack on the trigger request; false: answer it honestly. */
static bool attack_request(struct disk *d, const struct vnr_block_request *r)
{
	static vnr_u8 longer[24];

	vnr_test_note("%s: attack on request %lu (sector %lu)", d->attack,
		      r->id, r->sector);
	if (is(d, "stray")) {
		respond(d, 1000, VNR_BLOCK_S_OK);
	} else if (is(d, "dup")) {
		carry_out(d, r);
		respond(d, r->id, VNR_BLOCK_S_OK);
		respond(d, r->id, VNR_BLOCK_S_OK);
	} else if (is(d, "unused_tag")) {
		respond(d, 30, VNR_BLOCK_S_OK);
	} else if (is(d, "bad_status")) {
		respond(d, r->id, 4);
	} else if (is(d, "resp_short")) {
		send(d, VNR_BLOCK_PKT_RESPONSE, &r->id, 8);
	} else if (is(d, "resp_long")) {
		memcpy(longer, &r->id, sizeof(r->id));
		send(d, VNR_BLOCK_PKT_RESPONSE, longer, sizeof(longer));
	} else if (is(d, "err_status")) {
		respond(d, r->id, VNR_BLOCK_S_IO_ERROR);
	} else if (is(d, "stall")) {
		d->stalled = true;
	} else if (is(d, "close_queued")) {
		d->stalled = true;
		d->held_since = vnr_reference_time();
	} else if (is(d, "exit")) {
		vnr_test_note("exiting with request %lu unanswered", r->id);
		vnr_test_done();
		vnr_console_flush();
		vnr_partition_exit(0);
	} else {
		return false;
	}
	return true;
}

static void scribble_before(struct disk *d, const struct vnr_block_request *r)
{
	if (!is(d, "scribble") || !d->last_read || r->op != VNR_BLOCK_OP_READ)
		return;
	/* The last read was answered, and the client has sent another. */
	memset(d->area + d->last_read - 1, 0xee, d->last_read_bytes);
	d->last_read = 0;
}

static void scribble_after(struct disk *d, const struct vnr_block_request *r,
			   vnr_u32 status)
{
	if (!is(d, "scribble") || status != VNR_BLOCK_S_OK)
		return;
	if (r->op == VNR_BLOCK_OP_WRITE)
		memset(d->area + r->data_offset, 0xdd,
		       (vnr_u64)r->sectors * SECTOR);
	if (r->op == VNR_BLOCK_OP_READ) {
		d->last_read = r->data_offset + 1;
		d->last_read_bytes = r->sectors * SECTOR;
	}
}

static void request(struct disk *d, const struct vnr_block_request *r)
{
	vnr_u32 status;

	d->requests++;
	if (d->stalled)
		return;
	status = check(d, r);
	if (status == VNR_BLOCK_S_OK && touches_trigger(r) && !d->triggered) {
		d->triggered = true;
		if (attack_request(d, r))
			return;
	}
	scribble_before(d, r);
	if (status == VNR_BLOCK_S_OK)
		carry_out(d, r);
	scribble_after(d, r, status);
	respond(d, r->id, status);
}

static void dispatch(struct disk *d, vnr_u16 type, const void *p, vnr_u32 len)
{
	if (type == VNR_BLOCK_PKT_SETUP &&
	    len >= sizeof(struct vnr_block_setup))
		setup(d, p);
	else if (type == VNR_BLOCK_PKT_REQUEST && d->area &&
		 len >= sizeof(struct vnr_block_request))
		request(d, p);
	else
		vnr_test_note("%s: FAIL unexpected packet %#x of %u bytes",
			      d->attack, type, len);
}

static bool drain(struct disk *d)
{
	static union {
		struct vnr_block_request req;
		vnr_u8 bytes[256];
	} p;
	bool any = false;
	vnr_u32 len;
	vnr_u16 type;

	if (d->ch.state != VNR_CHSTATE_OPEN)
		return false;
	if (is(d, "info_early") && !d->info_sent) {
		d->set_up = true; /* SETUP, when it comes, maps the area */
		send_info(d);
	}
	if (is(d, "close_queued") && d->held_since &&
	    vnr_reference_time() > d->held_since + 1000 * MS) {
		vnr_test_note("%s: closing with %lu requests", d->attack,
			      d->requests);
		vnr_channel_close(&d->ch);
		return true;
	}
	while (vnr_channel_recv(&d->ch, &type, &p, sizeof(p), &len) ==
	       VNR_CHANNEL_OK) {
		any = true;
		if (is(d, "info_early") && type == VNR_BLOCK_PKT_SETUP &&
		    !d->area)
			map_area(d, (const struct vnr_block_setup *)&p);
		else
			dispatch(d, type, &p, len);
	}
	return any;
}

static void parse_attacks(const char *list)
{
	while (*list && disk_count < MAX_DISKS) {
		struct disk *d = &disks[disk_count++];
		size_t n = 0;

		while (*list && *list != ',') {
			if (n + 1 < sizeof(d->attack))
				d->attack[n++] = *list;
			list++;
		}
		if (*list == ',')
			list++;
	}
}

static bool offer_all(void)
{
	static const struct vnr_guid block_class = VNR_BLOCK_CLASS;
	unsigned int k;

	for (k = 0; k < disk_count; k++) {
		struct disk *d = &disks[k];
		struct vnr_guid instance = {{(vnr_u8)(k + 1)}};
		char label[32] = "vnrhostile:";

		d->data = storage[k];
		memcpy(label + 11, d->attack, strlen(d->attack));
		label[11 + strlen(d->attack)] = '\n';
		memcpy(d->data, label, sizeof(label));
		if (vnr_channel_offer(&d->ch, k + 1, MSG_CONN, EVENT_CONN,
				      &block_class,
				      &instance) != VNR_STATUS_SUCCESS)
			return false;
		d->ch.on_release = release_area;
	}
	return true;
}

/* As t_bus_hostile's: a signal on flag 0 fails once the client stopped. */
static bool client_gone(void)
{
	static vnr_u64 next;
	vnr_u64 now = vnr_reference_time();
	enum vnr_status st;

	if (now < next)
		return false;
	next = now + 500 * MS;
	st = vnr_signal_event(EVENT_CONN, 0);
	return st == VNR_STATUS_INVALID_PARTITION_STATE ||
	       st == VNR_STATUS_INVALID_CONNECTION_ID;
}

/* Every channel is closed (reported once each). */
static bool all_closed(void)
{
	bool all = true;
	unsigned int k;

	for (k = 0; k < disk_count; k++) {
		struct disk *d = &disks[k];

		if (d->ch.state == VNR_CHSTATE_CLOSED && !d->reported) {
			d->reported = true;
			vnr_test_note(
				"%s: closed (%s), %lu requests", d->attack,
				d->ch.close_reason ==
						VNR_CHANNEL_CLOSE_CORRUPTED
					? "corrupted"
					: "normal",
				d->requests);
		}
		all &= d->ch.state == VNR_CHSTATE_CLOSED;
	}
	return all;
}

int vnr_main(const struct vnr_start_info *si)
{
	static char list[VNR_CMDLINE_MAX];
	vnr_u64 end;
	unsigned int k;

	vnr_test_begin(si->name);
	if (!vnr_cmdline_str("attacks", list, sizeof(list)))
		memcpy(list, "none", 5);
	parse_attacks(list);
	end = vnr_reference_time() + vnr_cmdline_u64("life", 120) * 1000 * MS;
	if (!VNR_EXPECT(vnr_channels_init(MSG_SINT, EVENT_SINT)) ||
	    !VNR_EXPECT(offer_all()))
		return vnr_test_done();
	vnr_test_note("%u disks offered", disk_count);
	while (vnr_reference_time() < end) {
		bool busy = vnr_channels_poll();

		for (k = 0; k < disk_count; k++)
			busy |= drain(&disks[k]);
		if (all_closed() || client_gone())
			break;
		if (!busy)
			vnr_vp_halt(10 * MS);
	}
	all_closed();
	for (k = 0; k < disk_count; k++)
		release_area(&disks[k].ch);
	return vnr_test_done();
}
