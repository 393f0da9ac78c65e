// SPDX-License-Identifier: MIT
/*
 * The block service: a provider partition that offers one synthetic block
 * device (docs/spec/block.md) per client, each a RAM disk in the
 * service's own memory.  Requests are carried out one at a time, in the
 * order they arrive, each answered before the next is read.
 *
 * Command line:
 *   names=a,b,...        client names, in channel order (at most 8)
 *   size_mb=N            each client's disk in MiB (default 16); the
 *                        partition's free RAM must hold all of them
 *   read_only=1          the disks are read-only (VNR_BLOCK_F_READ_ONLY)
 *   flush=1              offer VNR_BLOCK_F_FLUSH, so that clients can
 *                        drive FLUSH and FUA (trivial: RAM has no cache)
 *   discard=1            offer VNR_BLOCK_F_DISCARD (the sectors read 0)
 *   exit_when_closed=1   exit once every channel was opened and closed
 *
 * Client k (1-based) is reached through connections 2k-1 (its message
 * port) and 2k (its event port) and gets channel id k, as with the console
 * service.  The service's own ports: messages on SINT 2, events on SINT 3.
 * It reports through DEBUG_WRITE (privilege debug_console).
 */
#include <vnr_guest/guest.h>
#include <vnr_guest/channel.h>
#include "block_check.h"
#include <vnr_block/protocol.h>

#define MAX_CLIENTS  8
#define MSG_SINT     2
#define EVENT_SINT   3
#define DRAIN_BATCH  32 /* packets per client before looking at others */
#define MAX_SECTORS  128
#define MAX_REQUESTS 32
#define SECTOR	     VNR_BLOCK_SECTOR_SIZE
#define MIB	     ((vnr_u64)1 << 20)

/* A received packet; version 1 has none longer than this. */
union packet {
	struct vnr_block_setup setup;
	struct vnr_block_request req;
	vnr_u8 bytes[256];
};

struct client {
	struct vnr_channel ch; /* first: release_area() finds us through it */
	char name[VNR_NAME_MAX];
	vnr_u8 *disk;
	vnr_u8 *area; /* the mapped data area, NULL if none */
	vnr_u64 area_bytes;
	vnr_u64 area_grant;
	bool set_up;			/* SETUP came */
	bool holding;			/* `held` waits for room in the ring */
	struct vnr_block_response held; /* the last response */
	vnr_u64 requests, bad, unsupported;
	bool reported; /* the close was reported */
};

static struct client clients[MAX_CLIENTS];
static unsigned int client_count;
static vnr_u64 disk_sectors;
static vnr_u32 features;

/*
 * Channel close hook: the data area goes before the rings, so that the
 * client may revoke it once our CLOSE arrives.
 */
static void release_area(struct vnr_channel *ch)
{
	struct client *c = (struct client *)ch;

	if (!c->area)
		return;
	vnr_unmap_identity(vnr_gpa(c->area), c->area_bytes);
	vnr_grant_unmap(ch->peer, c->area_grant);
	c->area = NULL;
}

static bool is_grant_page(vnr_u64 gpa)
{
	vnr_u64 attr;
	vnr_u32 done;

	return vnr_query_gpa_attributes(gpa, 1, &attr, &done) ==
		       VNR_STATUS_SUCCESS &&
	       done == 1 &&
	       (attr & VNR_GPA_ATTR_TYPE_MASK) >> VNR_GPA_ATTR_TYPE_SHIFT ==
		       VNR_MEM_GRANT;
}

/*
 * Maps the data area SETUP names; returns a VNR_BLOCK_SETUP_* status.  The
 * window is the newest, so a grant page right after it can only be part
 * of this grant: then the grant is larger than data_pages says.
 */
static vnr_u32 map_area(struct client *c, const struct vnr_block_setup *s)
{
	vnr_u64 bytes = (vnr_u64)s->data_pages * VNR_PAGE_SIZE;
	vnr_u64 gpa;

	if (!s->data_pages || s->data_pages > VNR_GRANT_MAX_PAGES)
		return VNR_BLOCK_SETUP_BAD_AREA;
	gpa = vnr_gpa_window_alloc(s->data_pages);
	if (vnr_grant_map(c->ch.peer, s->data_grant, gpa) != VNR_STATUS_SUCCESS)
		return VNR_BLOCK_SETUP_BAD_AREA;
	c->area = (vnr_u8 *)(uintptr_t)gpa;
	c->area_bytes = bytes;
	c->area_grant = s->data_grant;
	if (!vnr_grant_range_writable(gpa, s->data_pages) ||
	    is_grant_page(gpa + bytes) || !vnr_map_identity(gpa, bytes)) {
		release_area(&c->ch);
		return VNR_BLOCK_SETUP_BAD_AREA;
	}
	return VNR_BLOCK_SETUP_OK;
}

static void corrupted(struct client *c)
{
	vnr_channel_fail(&c->ch, VNR_CHANNEL_CLOSE_CORRUPTED);
}

/* SETUP: the first packet, and only once (else a protocol error). */
static void setup(struct client *c, const union packet *p, vnr_u32 len)
{
	static const char *const refusals[] = {"", "bad version", "bad area"};
	struct vnr_block_info info = {0};

	if (c->set_up || len < sizeof(p->setup)) {
		corrupted(c);
		return;
	}
	c->set_up = true;
	/* The client speaks at least version 1, the only one we do. */
	info.status = p->setup.version ? map_area(c, &p->setup)
				       : VNR_BLOCK_SETUP_BAD_VERSION;
	if (info.status == VNR_BLOCK_SETUP_OK)
		info = (struct vnr_block_info){.version = VNR_BLOCK_VERSION,
					       .sectors = disk_sectors,
					       .features = features,
					       .max_sectors = MAX_SECTORS,
					       .max_requests = MAX_REQUESTS};
	/* The first packet always fits the empty ring of a valid channel. */
	if (vnr_channel_send(&c->ch, VNR_BLOCK_PKT_INFO, &info, sizeof(info)) !=
	    VNR_CHANNEL_OK) {
		corrupted(c);
		return;
	}
	if (info.status == VNR_BLOCK_SETUP_OK) {
		vnr_printf("block: %s ready, %lu sectors\n", c->name,
			   disk_sectors);
		return;
	}
	vnr_printf("block: %s refused (%s)\n", c->name, refusals[info.status]);
	vnr_channel_close(&c->ch);
}

/*
 * FLUSH and FUA need nothing: a write to RAM is as stable as this disk
 * gets once it is done.
 */
static void carry_out(struct client *c, const struct vnr_block_request *r)
{
	vnr_u8 *sectors = c->disk + r->sector * SECTOR;
	vnr_u64 bytes = (vnr_u64)r->sectors * SECTOR;

	if (r->op == VNR_BLOCK_OP_READ)
		memcpy(c->area + r->data_offset, sectors, bytes);
	else if (r->op == VNR_BLOCK_OP_WRITE)
		memcpy(sectors, c->area + r->data_offset, bytes);
	else if (r->op == VNR_BLOCK_OP_DISCARD)
		memset(sectors, 0, bytes);
}

/* Sends the held response; false while the ring has no room for it. */
static bool send_held(struct client *c)
{
	if (c->holding &&
	    vnr_channel_send(&c->ch, VNR_BLOCK_PKT_RESPONSE, &c->held,
			     sizeof(c->held)) == VNR_CHANNEL_FULL)
		return false;
	/* Sent, or the channel closed and the answer has nobody to go to. */
	c->holding = false;
	return true;
}

/* The packet is our own copy: its fields cannot change under us. */
static void request(struct client *c, const union packet *p, vnr_u32 len)
{
	const struct vnr_block_request *r = &p->req;
	vnr_u32 status;

	if (!c->set_up || len < sizeof(*r)) {
		corrupted(c);
		return;
	}
	c->requests++;
	status = vnr_block_check(
		r, &(struct vnr_block_limits){.sectors = disk_sectors,
					      .area_bytes = c->area_bytes,
					      .features = features,
					      .max_sectors = MAX_SECTORS});
	if (status == VNR_BLOCK_S_OK)
		carry_out(c, r);
	else if (status == VNR_BLOCK_S_BAD_REQUEST)
		c->bad++;
	else
		c->unsupported++;
	c->held = (struct vnr_block_response){.id = r->id, .status = status};
	c->holding = true;
	send_held(c);
}

/* A packet the client may not send is a protocol error. */
static void dispatch(struct client *c, vnr_u16 type, const union packet *p,
		     vnr_u32 len)
{
	if (type == VNR_BLOCK_PKT_SETUP)
		setup(c, p, len);
	else if (type == VNR_BLOCK_PKT_REQUEST)
		request(c, p, len);
	else
		corrupted(c);
}

/* Returns true if it took at least one packet. */
static bool drain(struct client *c)
{
	static union packet p;
	unsigned int n;
	vnr_u32 len;
	vnr_u16 type;

	/* No new request while the last response waits: that is our queue. */
	for (n = 0; n < DRAIN_BATCH && send_held(c); n++) {
		enum vnr_channel_result r =
			vnr_channel_recv(&c->ch, &type, &p, sizeof(p), &len);

		if (r == VNR_CHANNEL_TOO_BIG)
			corrupted(c);
		if (r != VNR_CHANNEL_OK)
			break;
		dispatch(c, type, &p, len);
	}
	return n > 0;
}

static void report_close(struct client *c)
{
	static const char *const reasons[] = {"normal", "corrupted"};
	vnr_u32 reason = c->ch.close_reason;

	vnr_printf("block: %s closed (%s): %lu requests, %lu bad, %lu "
		   "unsupported\n",
		   c->name, reason < 2 ? reasons[reason] : "unknown",
		   c->requests, c->bad, c->unsupported);
	c->reported = true;
}

/* Splits "a,b,c" into the client names. */
static void parse_names(const char *list)
{
	while (client_count < MAX_CLIENTS &&
	       (list = vnr_list_next(list, clients[client_count].name,
				     sizeof(clients[0].name))))
		client_count++;
}

/*
 * Carves the disks out of the largest free RAM region (above page 0, so
 * that no disk starts at a null pointer); the boot zeroed it.
 */
static bool place_disks(const struct vnr_start_info *si, vnr_u64 size_mb)
{
	vnr_u64 room = 0, base = 0;
	unsigned int i;

	for (i = 0; i < si->memmap_count && i < VNR_START_INFO_MEMMAP_MAX;
	     i++) {
		const struct vnr_memmap_entry *e = &si->memmap[i];

		if (e->type == VNR_MEM_RAM && e->base && e->length > room) {
			room = e->length;
			base = e->base;
		}
	}
	if (!size_mb || size_mb > room / MIB ||
	    client_count * size_mb * MIB > room) {
		vnr_printf("block: cannot hold %u disks of %lu MiB in %lu MiB "
			   "of free RAM\n",
			   client_count, size_mb, room / MIB);
		return false;
	}
	for (i = 0; i < client_count; i++)
		clients[i].disk =
			(vnr_u8 *)(uintptr_t)(base + i * size_mb * MIB);
	disk_sectors = size_mb * MIB / SECTOR;
	return true;
}

static bool offer_all(void)
{
	static const struct vnr_guid block_class = VNR_BLOCK_CLASS;
	unsigned int k;

	for (k = 0; k < client_count; k++) {
		struct vnr_guid instance = {{(vnr_u8)(k + 1)}};

		if (vnr_channel_offer(&clients[k].ch, k + 1, 2 * k + 1,
				      2 * k + 2, &block_class,
				      &instance) != VNR_STATUS_SUCCESS)
			return false;
		clients[k].ch.on_release = release_area;
	}
	return true;
}

/* One pass over the clients; returns whether all are closed and reported. */
static bool serve(bool *busy)
{
	bool all_closed = true;
	unsigned int k;

	for (k = 0; k < client_count; k++) {
		struct client *c = &clients[k];

		if (drain(c))
			*busy = true;
		if (c->ch.state == VNR_CHSTATE_CLOSED && !c->reported)
			report_close(c);
		if (!c->reported)
			all_closed = false;
	}
	return all_closed;
}

static vnr_u32 features_wanted(void)
{
	return (vnr_cmdline_u64("read_only", 0) ? VNR_BLOCK_F_READ_ONLY : 0) |
	       (vnr_cmdline_u64("flush", 0) ? VNR_BLOCK_F_FLUSH : 0) |
	       (vnr_cmdline_u64("discard", 0) ? VNR_BLOCK_F_DISCARD : 0);
}

int vnr_main(const struct vnr_start_info *si)
{
	static char names[VNR_CMDLINE_MAX];
	bool exit_when_closed = vnr_cmdline_u64("exit_when_closed", 0);

	if (!vnr_cmdline_str("names", names, sizeof(names)))
		names[0] = '\0';
	parse_names(names);
	if (!client_count) {
		vnr_printf("block: cannot start: no clients (names=)\n");
		return 1;
	}
	if (!place_disks(si, vnr_cmdline_u64("size_mb", 16)))
		return 1;
	features = features_wanted();
	if (!vnr_channels_init(MSG_SINT, EVENT_SINT) || !offer_all()) {
		vnr_printf("block: cannot start (SynIC, ports)\n");
		return 1;
	}
	for (;;) {
		bool busy = vnr_channels_poll();

		if (serve(&busy) && exit_when_closed)
			return 0;
		if (!busy)
			vnr_channels_wait();
	}
}
