// SPDX-License-Identifier: MIT
/*
 * A block device client (docs/spec/block.md) that tests the backend
 * (block_service): it opens the channel, grants a data area, sends SETUP,
 * checks INFO and then, by mode:
 *
 *   mode=good      writes patterns and reads them back with up to
 *                  max_requests requests in flight, responses matched by
 *                  id; the largest request at the end of the disk (with
 *                  FUA); FLUSH; DISCARD (the sectors then read 0).  What
 *                  the features do not offer must be UNSUPPORTED.
 *   mode=bad       every BAD_REQUEST case of block.md, all in flight at
 *                  once, and unknown operations (UNSUPPORTED); then a
 *                  write and a read that work.
 *   mode=readonly  reads work; writes, discards, FLUSH and FUA are
 *                  UNSUPPORTED.
 *   mode=corrupt   corrupt=setup2 (a second SETUP), short (a REQUEST
 *                  shorter than its structure) or early (a REQUEST before
 *                  SETUP): the backend closes the channel as corrupted.
 *   mode=refused   SETUP with version=0, or a data area the grant does not
 *                  match (area=more: SETUP claims a page more than granted,
 *                  area=fewer: a page fewer): INFO says BAD_VERSION or
 *                  BAD_AREA and the backend closes the channel; also
 *                  area=zero, max1 (VNR_GRANT_MAX_PAGES + 1), huge.
 *   mode=revoke    revokes the data area's grant with requests in flight:
 *                  the backend answers them and later ones (scratch
 *                  pages back the area), and does not fault.
 *   mode=flood     fills the ring with requests and never reads a
 *                  response, for hold_ms (default 3000).
 *
 * Also: version=N (what SETUP says, default 1), and what INFO must say:
 * size_mb=N (default 16), read_only=1, flush=1, discard=1 (mode=readonly
 * wants exactly read_only=1).  Port 1 message SINT 2, port 2 event SINT 3
 * flags=64; connections 1/2 to the backend's ports for this client.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>
#include <vnr_block/protocol.h>

#define RING_PAGES    8
#define SEND_PAGES    4
#define DATA_PAGES    48
#define AREA_BYTES    (DATA_PAGES * VNR_PAGE_SIZE)
#define SLOTS	      32 /* the most requests in flight */
#define SLOT_BYTES    4096
#define SLOT_SECTORS  (SLOT_BYTES / VNR_BLOCK_SECTOR_SIZE)
#define BIG_OFFSET    (SLOTS * SLOT_BYTES) /* 64 KiB for the largest one */
#define BIG_SECTORS   128
#define REFUSED_PAGES 8
#define SECTOR	      VNR_BLOCK_SECTOR_SIZE

static vnr_u8 rings[RING_PAGES][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static vnr_u8 area[AREA_BYTES] __attribute__((aligned(VNR_PAGE_SIZE)));
static struct vnr_channel ch;
static struct vnr_block_info info;
static vnr_u64 area_grant;
static bool area_granted;
static enum vnr_status revoke_status = VNR_STATUS_SUCCESS;

/* Requests in flight, by slot: the id sent (0: free) and the block. */
static vnr_u64 slot_id[SLOTS];
static vnr_u64 slot_block[SLOTS];
static vnr_u64 next_id_gen = 1;
static unsigned int in_flight, most_in_flight;

/* Channel close hook: the backend has unmapped the area by now. */
static void revoke_area(struct vnr_channel *c)
{
	(void)c;
	if (area_granted)
		revoke_status = vnr_grant_revoke(area_grant);
	area_granted = false;
}

static bool open_channel(void)
{
	static const struct vnr_guid block_class = VNR_BLOCK_CLASS;

	if (!VNR_EXPECT(vnr_channels_init(2, 3)) ||
	    !VNR_EXPECT_EQ(vnr_channel_connect(&ch, 1, 2, &block_class, rings,
					       RING_PAGES, SEND_PAGES),
			   VNR_CHANNEL_OK))
		return false;
	ch.on_release = revoke_area;
	return true;
}

static bool grant_area(vnr_u32 pages)
{
	area_granted = VNR_EXPECT_EQ(
		vnr_grant_create_range(ch.peer, area, pages, 0, &area_grant),
		VNR_STATUS_SUCCESS);
	return area_granted;
}

/* The next packet of the backend, which must be of `type`. */
static bool receive(vnr_u16 want, void *buf, vnr_u32 size)
{
	vnr_u8 pkt[64];
	enum vnr_channel_result r;
	vnr_u32 len;
	vnr_u16 type;

	while ((r = vnr_channel_recv(&ch, &type, pkt, sizeof(pkt), &len)) ==
	       VNR_CHANNEL_EMPTY)
		vnr_channels_wait();
	if (r != VNR_CHANNEL_OK)
		return false;
	if (!VNR_EXPECT_EQ(type, want) || !VNR_EXPECT_EQ(len, size)) {
		vnr_channel_fail(&ch, VNR_CHANNEL_CLOSE_CORRUPTED);
		return false;
	}
	memcpy(buf, pkt, size);
	return true;
}

static bool send_setup(vnr_u32 pages)
{
	struct vnr_block_setup s = {
		.version = (vnr_u32)vnr_cmdline_u64("version", 1),
		.data_pages = pages,
		.data_grant = area_grant,
	};

	return VNR_EXPECT_EQ(vnr_channel_send_wait(&ch, VNR_BLOCK_PKT_SETUP, &s,
						   sizeof(s)),
			     VNR_CHANNEL_OK) &&
	       receive(VNR_BLOCK_PKT_INFO, &info, sizeof(info));
}

/* The features the command line says INFO offers. */
static vnr_u32 features_expected(void)
{
	return (vnr_cmdline_u64("read_only", 0) ? VNR_BLOCK_F_READ_ONLY : 0) |
	       (vnr_cmdline_u64("flush", 0) ? VNR_BLOCK_F_FLUSH : 0) |
	       (vnr_cmdline_u64("discard", 0) ? VNR_BLOCK_F_DISCARD : 0);
}

/* SETUP and the INFO a working disk of the expected kind answers. */
static bool set_up(void)
{
	vnr_u32 features = features_expected();
	vnr_u64 sectors = vnr_cmdline_u64("size_mb", 16) * 2048;

	if (!grant_area(DATA_PAGES) || !send_setup(DATA_PAGES) ||
	    !VNR_EXPECT_EQ(info.status, VNR_BLOCK_SETUP_OK))
		return false;
	VNR_EXPECT_EQ(info.version, VNR_BLOCK_VERSION);
	VNR_EXPECT_EQ(info.sectors, sectors);
	VNR_EXPECT_EQ(info.features, features);
	VNR_EXPECT_EQ(info.max_sectors, BIG_SECTORS);
	VNR_EXPECT_EQ(info.max_requests, SLOTS);
	VNR_EXPECT_EQ(info.reserved, 0);
	return info.sectors == sectors && info.max_sectors >= BIG_SECTORS &&
	       info.max_requests >= 1;
}

static bool send_request(vnr_u64 id, vnr_u32 op, vnr_u32 flags, vnr_u64 sector,
			 vnr_u32 sectors, vnr_u64 offset)
{
	struct vnr_block_request r = {.id = id,
				      .op = op,
				      .flags = flags,
				      .sector = sector,
				      .sectors = sectors,
				      .data_offset = offset};

	return vnr_channel_send_wait(&ch, VNR_BLOCK_PKT_REQUEST, &r,
				     sizeof(r)) == VNR_CHANNEL_OK;
}

/* One request alone; its status, or ~0 if the channel failed. */
static vnr_u32 request(vnr_u32 op, vnr_u32 flags, vnr_u64 sector,
		       vnr_u32 sectors, vnr_u64 offset)
{
	struct vnr_block_response resp;
	vnr_u64 id = next_id_gen++ << 8;

	if (!send_request(id, op, flags, sector, sectors, offset) ||
	    !receive(VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp)) ||
	    !VNR_EXPECT_EQ(resp.id, id))
		return ~0u;
	return resp.status;
}

/* Word w of sector s as `seed` writes it. */
static vnr_u64 pattern(vnr_u64 s, vnr_u32 w, vnr_u64 seed)
{
	return (s << 16 | w) ^ (seed * 0x9E3779B97F4A7C15ull);
}

static void fill(vnr_u64 offset, vnr_u64 sector, vnr_u32 sectors, vnr_u64 seed)
{
	vnr_u64 *p = (vnr_u64 *)(area + offset);
	vnr_u32 s, w;

	for (s = 0; s < sectors; s++)
		for (w = 0; w < SECTOR / 8; w++)
			*p++ = pattern(sector + s, w, seed);
}

/* Whether the area holds what fill() wrote (seed 0: zeros). */
static bool holds(vnr_u64 offset, vnr_u64 sector, vnr_u32 sectors, vnr_u64 seed)
{
	const vnr_u64 *p = (const vnr_u64 *)(area + offset);
	vnr_u32 s, w;

	for (s = 0; s < sectors; s++)
		for (w = 0; w < SECTOR / 8; w++)
			if (*p++ != (seed ? pattern(sector + s, w, seed) : 0))
				return false;
	return true;
}

/* Starts block n (SLOT_SECTORS sectors) in `slot`. */
static bool issue(vnr_u32 op, unsigned int slot, vnr_u64 n, vnr_u64 seed)
{
	vnr_u64 id = next_id_gen++ << 8 | slot;

	if (op == VNR_BLOCK_OP_WRITE)
		fill(slot * SLOT_BYTES, n * SLOT_SECTORS, SLOT_SECTORS, seed);
	slot_id[slot] = id;
	slot_block[slot] = n;
	if (++in_flight > most_in_flight)
		most_in_flight = in_flight;
	return send_request(id, op, 0, n * SLOT_SECTORS, SLOT_SECTORS,
			    slot * SLOT_BYTES);
}

/* Takes one response; the slot it frees, or -1 if none can come. */
static int complete(vnr_u32 op, vnr_u64 seed)
{
	struct vnr_block_response resp;
	unsigned int slot;

	if (!receive(VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp)))
		return -1;
	slot = resp.id & 0xff;
	if (!VNR_EXPECT(slot < SLOTS && slot_id[slot] == resp.id)) {
		/* An id not in flight: the backend is not to be trusted. */
		vnr_channel_fail(&ch, VNR_CHANNEL_CLOSE_CORRUPTED);
		return -1;
	}
	slot_id[slot] = 0;
	in_flight--;
	vnr_test_check_quiet(resp.status == VNR_BLOCK_S_OK, __FILE_NAME__,
			     __LINE__, "block status", resp.status, 0);
	if (op == VNR_BLOCK_OP_READ)
		vnr_test_check_quiet(holds(slot * SLOT_BYTES,
					   slot_block[slot] * SLOT_SECTORS,
					   SLOT_SECTORS, seed),
				     __FILE_NAME__, __LINE__, "read back",
				     slot_block[slot], seed);
	return (int)slot;
}

/*
 * Blocks 0 to count - 1 with `op`, up to `depth` in flight; a freed slot
 * takes the next block at once, so the backend always has work queued.
 */
static bool stream(vnr_u32 op, vnr_u64 count, unsigned int depth, vnr_u64 seed)
{
	vnr_u64 next = 0, done = 0;
	int slot;

	for (; next < depth && next < count; next++)
		if (!issue(op, (unsigned int)next, next, seed))
			return false;
	while (done < count) {
		slot = complete(op, seed);
		if (slot < 0)
			return false;
		done++;
		if (next < count &&
		    !issue(op, (unsigned int)slot, next++, seed))
			return false;
	}
	return true;
}

static vnr_u32 expect_if(bool offered)
{
	return offered ? VNR_BLOCK_S_OK : VNR_BLOCK_S_UNSUPPORTED;
}

/* The largest request at the end of the disk, written with FUA. */
static void big_request(bool flush)
{
	vnr_u64 last = info.sectors - BIG_SECTORS;

	fill(BIG_OFFSET, last, BIG_SECTORS, 3);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_WRITE, VNR_BLOCK_REQ_FUA, last,
			      BIG_SECTORS, BIG_OFFSET),
		      expect_if(flush));
	if (!flush)
		VNR_EXPECT_EQ(request(VNR_BLOCK_OP_WRITE, 0, last, BIG_SECTORS,
				      BIG_OFFSET),
			      VNR_BLOCK_S_OK);
	memset(area + BIG_OFFSET, 0, BIG_SECTORS * SECTOR);
	VNR_EXPECT_EQ(
		request(VNR_BLOCK_OP_READ, 0, last, BIG_SECTORS, BIG_OFFSET),
		VNR_BLOCK_S_OK);
	VNR_EXPECT(holds(BIG_OFFSET, last, BIG_SECTORS, 3));
}

/* Discarded sectors read 0 from this backend (block.md: undefined). */
static void discard(bool offered)
{
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_DISCARD, 0, 0, SLOT_SECTORS, 0),
		      expect_if(offered));
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 0, SLOT_SECTORS, 0),
		      VNR_BLOCK_S_OK);
	VNR_EXPECT(holds(0, 0, SLOT_SECTORS, offered ? 0 : 2));
}

static void mode_good(void)
{
	bool flush = features_expected() & VNR_BLOCK_F_FLUSH;
	bool disc = features_expected() & VNR_BLOCK_F_DISCARD;
	vnr_u64 blocks;
	unsigned int depth;

	if (!set_up())
		return;
	depth = info.max_requests < SLOTS ? info.max_requests : SLOTS;
	blocks = info.sectors / SLOT_SECTORS;
	blocks = blocks < 256 ? blocks : 256;
	VNR_EXPECT(stream(VNR_BLOCK_OP_WRITE, blocks, depth, 2));
	memset(area, 0xAA, SLOTS * SLOT_BYTES);
	VNR_EXPECT(stream(VNR_BLOCK_OP_READ, blocks, depth, 2));
	VNR_EXPECT_EQ(most_in_flight, depth);
	vnr_test_note("%lu blocks written and read back, %u in flight", blocks,
		      most_in_flight);
	big_request(flush);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_FLUSH, 0, 0, 0, 0),
		      expect_if(flush));
	discard(disc);
}

struct bad_case {
	const char *what;
	vnr_u32 op, flags, sectors, reserved;
	vnr_u64 sector, offset;
};

#define BAD_CASES 17
#define BAD(w, o, ...) \
	((struct bad_case){.what = w, .op = VNR_BLOCK_OP_##o, __VA_ARGS__})

/* block.md's BAD_REQUEST list, each answered so whatever the features. */
static void bad_cases(struct bad_case *b)
{
	vnr_u64 cap = info.sectors;
	unsigned int n = 0;

	b[n++] = BAD("at the capacity", READ, .sector = cap, .sectors = 1);
	b[n++] = BAD("past the end", READ, .sector = cap - 1, .sectors = 2);
	b[n++] = BAD("huge sector", WRITE, .sector = ~0ull, .sectors = 8);
	b[n++] = BAD("count 0", WRITE, .sectors = 0);
	b[n++] =
		BAD("above max_sectors", READ, .sectors = info.max_sectors + 1);
	b[n++] = BAD("misaligned", READ, .sectors = 1, .offset = 100);
	b[n++] = BAD("beyond the area", READ, .sectors = 2,
		     .offset = AREA_BYTES - SECTOR);
	b[n++] = BAD("at the area's end", WRITE, .sectors = 1,
		     .offset = AREA_BYTES);
	b[n++] = BAD("offset wraps", READ, .sectors = 8, .offset = ~0ull << 9);
	b[n++] = BAD("offset wraps to 0", WRITE, .sectors = 8,
		     .offset = ~0ull << 12);
	b[n++] = BAD("sector wraps into the disk", WRITE, .sector = ~0ull - 3,
		     .sectors = 8);
	b[n++] = BAD("reserved", READ, .sectors = 1, .reserved = 1);
	b[n++] = BAD("unknown flag", WRITE, .sectors = 1, .flags = 2);
	b[n++] = BAD("top flag", READ, .sectors = 1, .flags = 1u << 31);
	b[n++] = BAD("flush count", FLUSH, .sectors = 1);
	b[n++] = BAD("discard count 0", DISCARD, .sectors = 0);
	b[n++] = BAD("discard past end", DISCARD, .sector = cap - 4,
		     .sectors = 8);
}

/* Sends every case before reading a response; ids are the case index. */
static void all_bad(void)
{
	static struct bad_case b[BAD_CASES];
	struct vnr_block_response resp;
	bool answered[BAD_CASES] = {false};
	unsigned int i;

	bad_cases(b);
	for (i = 0; i < BAD_CASES; i++) {
		struct vnr_block_request r = {.id = i,
					      .op = b[i].op,
					      .flags = b[i].flags,
					      .sector = b[i].sector,
					      .sectors = b[i].sectors,
					      .reserved = b[i].reserved,
					      .data_offset = b[i].offset};

		if (vnr_channel_send_wait(&ch, VNR_BLOCK_PKT_REQUEST, &r,
					  sizeof(r)) != VNR_CHANNEL_OK)
			return;
	}
	for (i = 0; i < BAD_CASES; i++) {
		if (!receive(VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp)) ||
		    !VNR_EXPECT(resp.id < BAD_CASES && !answered[resp.id]))
			return;
		answered[resp.id] = true;
		VNR_EXPECT_EQ_AS(b[resp.id].what, resp.status,
				 VNR_BLOCK_S_BAD_REQUEST);
	}
}

static void mode_bad(void)
{
	if (!set_up())
		return;
	all_bad();
	VNR_EXPECT_EQ(request(0, 0, 0, 1, 0), VNR_BLOCK_S_UNSUPPORTED);
	VNR_EXPECT_EQ(request(5, 0, 0, 1, 0), VNR_BLOCK_S_UNSUPPORTED);
	/* The backend still serves this client. */
	fill(0, 8, 1, 4);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_WRITE, 0, 8, 1, 0), VNR_BLOCK_S_OK);
	memset(area, 0, SECTOR);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 8, 1, 0), VNR_BLOCK_S_OK);
	VNR_EXPECT(holds(0, 8, 1, 4));
}

static void mode_readonly(void)
{
	if (!VNR_EXPECT(features_expected() == VNR_BLOCK_F_READ_ONLY) ||
	    !set_up())
		return;
	memset(area, 0xAA, SLOT_BYTES);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 0, SLOT_SECTORS, 0),
		      VNR_BLOCK_S_OK);
	VNR_EXPECT(holds(0, 0, SLOT_SECTORS, 0));
	fill(0, 0, SLOT_SECTORS, 5);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_WRITE, 0, 0, SLOT_SECTORS, 0),
		      VNR_BLOCK_S_UNSUPPORTED);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_DISCARD, 0, 0, SLOT_SECTORS, 0),
		      VNR_BLOCK_S_UNSUPPORTED);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_FLUSH, 0, 0, 0, 0),
		      VNR_BLOCK_S_UNSUPPORTED);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, VNR_BLOCK_REQ_FUA, 0,
			      SLOT_SECTORS, 0),
		      VNR_BLOCK_S_UNSUPPORTED);
	/* The write left nothing behind. */
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 0, SLOT_SECTORS, 0),
		      VNR_BLOCK_S_OK);
	VNR_EXPECT(holds(0, 0, SLOT_SECTORS, 0));
}

/* Waits for the backend's CLOSE; nothing may arrive before it. */
static void expect_closed(vnr_u32 reason)
{
	vnr_u8 pkt[64];
	enum vnr_channel_result r;
	vnr_u32 len;
	vnr_u16 type;

	while ((r = vnr_channel_recv(&ch, &type, pkt, sizeof(pkt), &len)) !=
	       VNR_CHANNEL_CLOSED) {
		if (!VNR_EXPECT_EQ(r, VNR_CHANNEL_EMPTY))
			return;
		vnr_channels_wait();
	}
	VNR_EXPECT(ch.closed_by_peer);
	VNR_EXPECT_EQ(ch.close_reason, reason);
	vnr_test_note("the backend closed the channel: %s",
		      ch.close_reason == VNR_CHANNEL_CLOSE_CORRUPTED
			      ? "corrupted"
			      : "normal");
}

static void mode_corrupt(void)
{
	static char how[16];
	struct vnr_block_request r = {
		.id = 1, .op = VNR_BLOCK_OP_READ, .sectors = 1};

	if (!vnr_cmdline_str("corrupt", how, sizeof(how)))
		how[0] = '\0';
	if (!strcmp(how, "early")) {
		VNR_EXPECT(grant_area(DATA_PAGES));
		VNR_EXPECT(send_request(1, VNR_BLOCK_OP_READ, 0, 0, 1, 0));
	} else if (!set_up() ||
		   !VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 0, 1, 0),
				  VNR_BLOCK_S_OK)) {
		return;
	} else if (!strcmp(how, "setup2")) {
		struct vnr_block_setup s = {.version = 1,
					    .data_pages = DATA_PAGES,
					    .data_grant = area_grant};

		VNR_EXPECT_EQ(vnr_channel_send_wait(&ch, VNR_BLOCK_PKT_SETUP,
						    &s, sizeof(s)),
			      VNR_CHANNEL_OK);
	} else {
		VNR_EXPECT_EQ(vnr_channel_send_wait(&ch, VNR_BLOCK_PKT_REQUEST,
						    &r, sizeof(r) - 1),
			      VNR_CHANNEL_OK);
	}
	expect_closed(VNR_CHANNEL_CLOSE_CORRUPTED);
}

static void mode_refused(void)
{
	static char how[16];
	vnr_u32 claim = REFUSED_PAGES;

	if (!vnr_cmdline_str("area", how, sizeof(how)))
		how[0] = '\0';
	if (!strcmp(how, "more"))
		claim = REFUSED_PAGES + 1;
	else if (!strcmp(how, "fewer"))
		claim = REFUSED_PAGES - 1;
	else if (!strcmp(how, "zero"))
		claim = 0;
	else if (!strcmp(how, "max1"))
		claim = VNR_GRANT_MAX_PAGES + 1;
	else if (!strcmp(how, "huge"))
		claim = 0xffffffffu;
	if (!grant_area(REFUSED_PAGES) || !send_setup(claim))
		return;
	VNR_EXPECT_EQ(info.status, vnr_cmdline_u64("version", 1)
					   ? VNR_BLOCK_SETUP_BAD_AREA
					   : VNR_BLOCK_SETUP_BAD_VERSION);
	expect_closed(VNR_CHANNEL_CLOSE_NORMAL);
}

/*
 * The data area's grant revoked while the channel is open: the backend's
 * mapping is backed by scratch pages from then on, so requests in flight
 * and after are answered (their data is undefined) and it does not fault.
 */
static void mode_revoke(void)
{
	vnr_u64 id;
	vnr_u32 i, answered = 0;
	struct vnr_block_response resp;

	if (!set_up())
		return;
	fill(0, 0, SLOT_SECTORS, 6);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_WRITE, 0, 0, SLOT_SECTORS, 0),
		      VNR_BLOCK_S_OK);
	for (i = 0; i < SLOTS; i++) {
		id = 1000 + i;
		if (!send_request(
			    id, i & 1 ? VNR_BLOCK_OP_READ : VNR_BLOCK_OP_WRITE,
			    0, i * SLOT_SECTORS, SLOT_SECTORS, i * SLOT_BYTES))
			return;
		if (i == SLOTS / 2) {
			VNR_EXPECT_EQ(vnr_grant_revoke(area_grant),
				      VNR_STATUS_SUCCESS);
			area_granted = false;
		}
	}
	for (i = 0; i < SLOTS; i++)
		if (receive(VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp)) &&
		    resp.status == VNR_BLOCK_S_OK)
			answered++;
	VNR_EXPECT_EQ(answered, SLOTS);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 0, BIG_SECTORS, BIG_OFFSET),
		      VNR_BLOCK_S_OK);
	vnr_test_note("%u requests answered around the revoke", answered + 1);
}

/*
 * Requests until the ring is full, no response ever read, for `hold_ms`:
 * the backend must go on serving the other clients meanwhile.
 */
static void mode_flood(void)
{
	struct vnr_block_request r = {.op = VNR_BLOCK_OP_READ,
				      .sectors = SLOT_SECTORS};
	vnr_u64 end, sent = 0;

	if (!set_up())
		return;
	for (;;) {
		r.id = sent;
		r.data_offset = (sent % SLOTS) * SLOT_BYTES;
		if (vnr_channel_send(&ch, VNR_BLOCK_PKT_REQUEST, &r,
				     sizeof(r)) != VNR_CHANNEL_OK)
			break;
		sent++;
	}
	vnr_test_note("flooded: %lu requests sent, none read", sent);
	end = vnr_reference_time() +
	      vnr_cmdline_u64("hold_ms", 3000) * 10000ull;
	while (vnr_reference_time() < end)
		vnr_vp_halt(end - vnr_reference_time());
}

static const struct vnr_test_mode modes[] = {
	{"good", mode_good},	     {"bad", mode_bad},
	{"readonly", mode_readonly}, {"corrupt", mode_corrupt},
	{"refused", mode_refused},   {"revoke", mode_revoke},
	{"flood", mode_flood},
};

int vnr_main(const struct vnr_start_info *si)
{
	static char mode[16];

	vnr_test_begin(si->name);
	if (!vnr_cmdline_str("mode", mode, sizeof(mode)))
		memcpy(mode, "good", 5);
	if (!open_channel())
		return vnr_test_done();
	vnr_test_run_mode(modes, sizeof(modes) / sizeof(modes[0]), mode);
	/* Closes a channel still open; the hook revokes the area. */
	vnr_channel_close(&ch);
	VNR_EXPECT_EQ(ch.state, VNR_CHSTATE_CLOSED);
	VNR_EXPECT(!area_granted);
	VNR_EXPECT_EQ(revoke_status, VNR_STATUS_SUCCESS);
	return vnr_test_done();
}
