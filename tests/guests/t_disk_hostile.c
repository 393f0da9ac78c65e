// SPDX-License-Identifier: MIT
/*
 * A hostile block client (docs/spec/block.md) for veneerctl's disk
 * backend: it breaks the protocol's rules one way per mode and checks
 * that the backend keeps serving it, and the partition's other channels,
 * as the rules say.  Every wait has a deadline (wait_ms, default 5000):
 * a backend that wedges is a failed check, not a hung guest.
 *
 *   mode=burst     burst=N (default 96) requests that are answered at
 *                  once (a reserved field set: BAD_REQUEST), all sent
 *                  before any response is read: more than max_requests,
 *                  none with I/O; every one must be answered.
 *   mode=ids       max_requests reads in flight with one id, then twice
 *                  max_requests distinct ones at once: each answered.
 *   mode=edge      a data area of VNR_GRANT_MAX_PAGES pages: the last
 *                  sector of the area and of the disk work, one past
 *                  either is BAD_REQUEST.
 *   mode=ringarea  SETUP names the rings' own grant as the data area:
 *                  refused, or reads land in the rings (which the
 *                  backend must then find corrupted); either way the
 *                  backend survives and the disk opens again.
 *   mode=cycles    cycles=N (default 40) openings, each closed another
 *                  hostile way: by the client with writes in flight, a
 *                  refused SETUP, a second SETUP, a write index past
 *                  the ring, a misaligned one, the area revoked with
 *                  I/O in flight; then max_requests in flight must still
 *                  work, and the channel is held open for hold_ms.
 *   mode=storm     for storm_ms (default 4000), requests as fast as the
 *                  backend answers them, while a line goes to the
 *                  console channel every ~50 ms: console=1 lines must
 *                  all arrive (the root counts them).
 *   mode=shrink    reads the last sectors until one fails (the root
 *                  truncates the image meanwhile), for up to wait_ms;
 *                  then writes the disk's last sector.
 *   mode=hold      set up, then keeps writes in flight for hold_ms.
 *
 * Also what INFO must say: size_mb=N (default 16), read_only=1, flush=1,
 * discard=1.  Port 1 message SINT 2, port 2 event SINT 3 flags=64;
 * connections 1/2 to the backend's ports.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>
#include <vnr_guest/console_channel.h>
#include <vnr_block/protocol.h>

#define RING_PAGES 8
#define SEND_PAGES 4
#define AREA_PAGES VNR_GRANT_MAX_PAGES
#define SMALL	   48 /* pages of the area but in mode=edge */
#define SECTOR	   VNR_BLOCK_SECTOR_SIZE
#define SLOT_BYTES 4096

static vnr_u8 rings[RING_PAGES][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static vnr_u8 area[AREA_PAGES * VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static struct vnr_channel ch;
static struct vnr_block_info info;
static vnr_u64 area_grant;
static bool area_granted, use_console;
static vnr_u64 next_id = 1;

static vnr_u64 deadline(void)
{
	return vnr_reference_time() +
	       vnr_cmdline_u64("wait_ms", 5000) * 10000ull;
}

static void revoke_area(struct vnr_channel *c)
{
	(void)c;
	if (area_granted)
		VNR_EXPECT_EQ(vnr_grant_revoke(area_grant), VNR_STATUS_SUCCESS);
	area_granted = false;
}

static bool connect(void)
{
	static const struct vnr_guid block_class = VNR_BLOCK_CLASS;

	if (!VNR_EXPECT_EQ(vnr_channel_connect(&ch, 1, 2, &block_class, rings,
					       RING_PAGES, SEND_PAGES),
			   VNR_CHANNEL_OK)) {
		vnr_test_note("connect: open status %u, close reason %u%s",
			      ch.open_status, ch.close_reason,
			      ch.closed_by_peer ? " (the backend's)" : "");
		return false;
	}
	ch.on_release = revoke_area;
	return true;
}

/* Sleeps until something arrives or `end` passes; false once it has. */
static bool wait_until(vnr_u64 end)
{
	vnr_u64 now = vnr_reference_time();

	if (now >= end)
		return false;
	if (!vnr_channels_poll() && !vnr_ring_read_avail(&ch.rx))
		vnr_vp_halt(end - now < 100000 ? end - now : 100000);
	return true;
}

/* The next packet, of type `want` and `size` bytes, before `end`. */
static bool receive(vnr_u16 want, void *buf, vnr_u32 size, vnr_u64 end)
{
	vnr_u8 pkt[64];
	enum vnr_channel_result r;
	vnr_u32 len;
	vnr_u16 type;

	while ((r = vnr_channel_recv(&ch, &type, pkt, sizeof(pkt), &len)) ==
	       VNR_CHANNEL_EMPTY)
		if (!wait_until(end))
			return VNR_EXPECT(!"a packet before the deadline");
	if (r != VNR_CHANNEL_OK)
		return false;
	if (!VNR_EXPECT_EQ(type, want) || !VNR_EXPECT_EQ(len, size))
		return false;
	memcpy(buf, pkt, size);
	return true;
}

/* Waits until the channel is closed; what arrives before is dropped. */
static bool wait_closed(void)
{
	vnr_u64 end = deadline();
	vnr_u8 pkt[64];
	vnr_u32 len;
	vnr_u16 type;

	while (ch.state != VNR_CHSTATE_CLOSED) {
		while (vnr_channel_recv(&ch, &type, pkt, sizeof(pkt), &len) ==
		       VNR_CHANNEL_OK)
			;
		if (ch.state != VNR_CHSTATE_CLOSED && !wait_until(end))
			return VNR_EXPECT(!"the channel closed in time");
	}
	return true;
}

/*
 * The client's close, waiting for the backend's answer as long as any
 * other wait here (vnr_channel_close() gives up after 1 s, and a late
 * answer would then close the next opening).
 */
static void client_close(void)
{
	vnr_channel_fail(&ch, VNR_CHANNEL_CLOSE_NORMAL);
	if (!wait_closed())
		vnr_channel_close(&ch);
}

/* The backend closes the channel for `reason`. */
static bool closed_by_backend(vnr_u32 reason)
{
	return wait_closed() && VNR_EXPECT(ch.closed_by_peer) &&
	       VNR_EXPECT_EQ(ch.close_reason, reason);
}

static bool send_raw(vnr_u16 type, const void *p, vnr_u32 size)
{
	return VNR_EXPECT_EQ(vnr_channel_send_wait(&ch, type, p, size),
			     VNR_CHANNEL_OK);
}

static bool setup_with(vnr_u32 version, vnr_u32 pages, vnr_u64 grant)
{
	struct vnr_block_setup s = {
		.version = version, .data_pages = pages, .data_grant = grant};

	return send_raw(VNR_BLOCK_PKT_SETUP, &s, sizeof(s)) &&
	       receive(VNR_BLOCK_PKT_INFO, &info, sizeof(info), deadline());
}

static bool set_up(vnr_u32 pages)
{
	vnr_u64 sectors = vnr_cmdline_u64("size_mb", 16) * 2048;

	area_granted = VNR_EXPECT_EQ(
		vnr_grant_create_range(ch.peer, area, pages, 0, &area_grant),
		VNR_STATUS_SUCCESS);
	return area_granted && setup_with(1, pages, area_grant) &&
	       VNR_EXPECT_EQ(info.status, VNR_BLOCK_SETUP_OK) &&
	       VNR_EXPECT_EQ(info.sectors, sectors) &&
	       VNR_EXPECT(info.max_requests >= 1 && info.max_sectors >= 8);
}

static bool send_req(vnr_u64 id, vnr_u32 op, vnr_u64 sector, vnr_u32 sectors,
		     vnr_u64 offset, vnr_u32 reserved)
{
	struct vnr_block_request r = {.id = id,
				      .op = op,
				      .sector = sector,
				      .sectors = sectors,
				      .reserved = reserved,
				      .data_offset = offset};

	return send_raw(VNR_BLOCK_PKT_REQUEST, &r, sizeof(r));
}

/* One request alone: its status, ~0 if none came. */
static vnr_u32 request(vnr_u32 op, vnr_u64 sector, vnr_u32 sectors,
		       vnr_u64 offset)
{
	struct vnr_block_response resp;
	vnr_u64 id = next_id++;

	if (!send_req(id, op, sector, sectors, offset, 0) ||
	    !receive(VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp), deadline()) ||
	    !VNR_EXPECT_EQ(resp.id, id))
		return ~0u;
	return resp.status;
}

/* n responses, each of an id in [first, first + n) (or `first`), once. */
static unsigned int responses(vnr_u64 first, unsigned int n, bool same_id,
			      vnr_u32 status)
{
	static bool seen[1024];
	struct vnr_block_response resp;
	vnr_u64 end = deadline();
	unsigned int got = 0, bad = 0;

	memset(seen, 0, sizeof(seen));
	while (got < n &&
	       receive(VNR_BLOCK_PKT_RESPONSE, &resp, sizeof(resp), end)) {
		vnr_u64 k = same_id ? 0 : resp.id - first;

		if (resp.status != status || k >= n || k >= 1024 ||
		    (same_id ? resp.id != first : seen[k]))
			bad++;
		else if (!same_id)
			seen[k] = true;
		got++;
	}
	VNR_EXPECT_EQ(got, n);
	VNR_EXPECT_EQ(bad, 0);
	return got;
}

static void mode_burst(void)
{
	unsigned int n = (unsigned int)vnr_cmdline_u64("burst", 96), i;
	vnr_u64 first = next_id;

	if (!set_up(SMALL))
		return;
	/*
	 * Straight into the ring, one signal at the end: the backend finds
	 * them all there at once, as from a client faster than it.
	 */
	for (i = 0; i < n; i++) {
		struct vnr_block_request r = {.id = next_id++,
					      .op = VNR_BLOCK_OP_READ,
					      .sectors = 1,
					      .reserved = 1};

		if (!VNR_EXPECT_EQ(vnr_ring_write(&ch.tx, VNR_BLOCK_PKT_REQUEST,
						  0, 0, &r, sizeof(r)),
				   VNR_RING_OK))
			return;
	}
	vnr_signal_event(ch.event_conn, ch.id);
	vnr_test_note("burst: %u answered of %u",
		      responses(first, n, false, VNR_BLOCK_S_BAD_REQUEST), n);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 8, 0), VNR_BLOCK_S_OK);
}

static void mode_ids(void)
{
	unsigned int i, n;
	vnr_u64 first;

	if (!set_up(SMALL))
		return;
	n = info.max_requests;
	for (i = 0; i < n; i++)
		if (!send_req(7, VNR_BLOCK_OP_READ, i * 8, 8,
			      (i % 16) * SLOT_BYTES, 0))
			return;
	responses(7, n, true, VNR_BLOCK_S_OK);
	first = next_id;
	for (i = 0; i < 2 * n; i++)
		if (!send_req(next_id++, VNR_BLOCK_OP_WRITE, i * 8, 8,
			      (i % 16) * SLOT_BYTES, 0))
			return;
	vnr_test_note("ids: %u answered, max_requests %u",
		      responses(first, 2 * n, false, VNR_BLOCK_S_OK) + n, n);
}

static void mode_edge(void)
{
	vnr_u64 end = (vnr_u64)AREA_PAGES * VNR_PAGE_SIZE, last;

	if (!set_up(AREA_PAGES))
		return;
	last = info.sectors - 1;
	memset(area + end - SECTOR, 0x5A, SECTOR);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_WRITE, last, 1, end - SECTOR),
		      VNR_BLOCK_S_OK);
	memset(area + end - SECTOR, 0, SECTOR);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, last, 1, end - SECTOR),
		      VNR_BLOCK_S_OK);
	VNR_EXPECT_EQ(area[end - 1], 0x5A);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, last, 1, end),
		      VNR_BLOCK_S_BAD_REQUEST);
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, last + 1, 1, 0),
		      VNR_BLOCK_S_BAD_REQUEST);
	VNR_EXPECT_EQ(
		request(VNR_BLOCK_OP_READ, last - 127, 128, end - 128 * SECTOR),
		VNR_BLOCK_S_OK);
	VNR_EXPECT_EQ(
		request(VNR_BLOCK_OP_READ, last - 127, 128, end - 127 * SECTOR),
		VNR_BLOCK_S_BAD_REQUEST);
	/* Written at the disk's last sector only. */
	VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, last - 1, 1, 0),
		      VNR_BLOCK_S_OK);
	VNR_EXPECT_EQ(area[0], 0);
}

/* A last opening that must work: max_requests reads in flight. */
static void works_again(const char *after)
{
	vnr_u64 first;
	unsigned int i;

	if (!connect() || !set_up(SMALL))
		return;
	first = next_id;
	for (i = 0; i < info.max_requests; i++)
		if (!send_req(next_id++, VNR_BLOCK_OP_READ, i * 8, 8,
			      (i % 8) * SLOT_BYTES, 0))
			return;
	vnr_test_note(
		"after %s: %u in flight answered", after,
		responses(first, info.max_requests, false, VNR_BLOCK_S_OK));
}

static void mode_ringarea(void)
{
	if (!set_up(SMALL) ||
	    !VNR_EXPECT_EQ(request(VNR_BLOCK_OP_READ, 0, 8, 0), VNR_BLOCK_S_OK))
		return;
	client_close();
	if (!connect() || !setup_with(1, RING_PAGES, ch.grant_handle))
		return;
	if (info.status != VNR_BLOCK_SETUP_OK) {
		vnr_test_note("ringarea: SETUP refused, status %u",
			      info.status);
		closed_by_backend(VNR_CHANNEL_CLOSE_NORMAL);
	} else {
		/*
		 * Zeros over both rings' control areas and packets: neither
		 * side may be able to tell, so the client closes after a
		 * while and only the next opening is checked.
		 */
		vnr_u64 end = vnr_reference_time() + 10000000;

		vnr_test_note("ringarea: the rings' grant mapped as the area");
		(void)send_req(next_id++, VNR_BLOCK_OP_READ, 0, 64, 0, 0);
		while (ch.state == VNR_CHSTATE_OPEN && wait_until(end))
			;
		if (ch.state == VNR_CHSTATE_OPEN)
			client_close();
		wait_closed();
	}
	works_again("ringarea");
}

/*
 * The write index of the client's send ring, which the backend loads and
 * checks whenever it is signalled.  (A scribbled read index of the
 * receive ring is only loaded when the backend's writer runs out of
 * room, and this side's own reader would store its index over it first.)
 */
static void scribble(vnr_u32 value)
{
	__atomic_store_n((vnr_u32 *)rings[0], value, __ATOMIC_SEQ_CST);
	vnr_signal_event(ch.event_conn, ch.id);
}

static void mode_cycles(void)
{
	unsigned int n = (unsigned int)vnr_cmdline_u64("cycles", 40), i, k;
	unsigned int kinds[6] = {0};
	struct vnr_block_setup again;

	for (i = 0; i < n; i++) {
		unsigned int kind = i % 6;

		if (i && !connect()) /* vnr_main() opened the first */
			return;
		if (kind == 1) {
			/* version 0: BAD_VERSION, closed, offered again */
			if (!setup_with(0, SMALL, 0) ||
			    !VNR_EXPECT_EQ(info.status,
					   VNR_BLOCK_SETUP_BAD_VERSION) ||
			    !closed_by_backend(VNR_CHANNEL_CLOSE_NORMAL))
				return;
			kinds[kind]++;
			continue;
		}
		if (!set_up(SMALL))
			return;
		for (k = 0; k < 16; k++)
			if (!send_req(next_id++, VNR_BLOCK_OP_WRITE, k * 8, 8,
				      k * SLOT_BYTES, 0))
				return;
		switch (kind) {
		case 0: /* the client's close with all of it in flight */
			client_close();
			break;
		case 2: /* a second SETUP */
			again = (struct vnr_block_setup){.version = 1,
							 .data_pages = SMALL,
							 .data_grant =
								 area_grant};
			if (!send_raw(VNR_BLOCK_PKT_SETUP, &again,
				      sizeof(again)) ||
			    !closed_by_backend(VNR_CHANNEL_CLOSE_CORRUPTED))
				return;
			break;
		case 3: /* the backend reads a write index past its ring */
			scribble(0xFFFFFFF1u);
			if (!closed_by_backend(VNR_CHANNEL_CLOSE_CORRUPTED))
				return;
			break;
		case 4: /* a write index inside the ring, misaligned */
			scribble(0x14);
			if (!closed_by_backend(VNR_CHANNEL_CLOSE_CORRUPTED))
				return;
			break;
		case 5: /* the area revoked, then the client closes */
			VNR_EXPECT_EQ(vnr_grant_revoke(area_grant),
				      VNR_STATUS_SUCCESS);
			area_granted = false;
			client_close();
			break;
		}
		if (!VNR_EXPECT_EQ(ch.state, VNR_CHSTATE_CLOSED))
			return;
		kinds[kind]++;
	}
	vnr_test_note("cycles: %u %u %u %u %u %u", kinds[0], kinds[1], kinds[2],
		      kinds[3], kinds[4], kinds[5]);
	works_again("cycles");
	for (vnr_u64 end = vnr_reference_time() +
			   vnr_cmdline_u64("hold_ms", 0) * 10000ull;
	     vnr_reference_time() < end;)
		vnr_vp_halt(100000);
}

static void mode_storm(void)
{
	vnr_u64 end = vnr_reference_time() +
		      vnr_cmdline_u64("storm_ms", 4000) * 10000ull;
	vnr_u64 line_at = 0, sent = 0, answered = 0;
	struct vnr_block_request r = {
		.op = VNR_BLOCK_OP_READ, .sectors = 1, .reserved = 1};
	vnr_u8 pkt[64];
	vnr_u32 len, lines = 0;
	vnr_u16 type;

	if (!set_up(SMALL))
		return;
	while (vnr_reference_time() < end && ch.state == VNR_CHSTATE_OPEN) {
		r.id = sent;
		while (vnr_channel_send(&ch, VNR_BLOCK_PKT_REQUEST, &r,
					sizeof(r)) == VNR_CHANNEL_OK)
			r.id = ++sent;
		while (vnr_channel_recv(&ch, &type, pkt, sizeof(pkt), &len) ==
		       VNR_CHANNEL_OK)
			answered++;
		vnr_channels_poll();
		if (use_console && vnr_reference_time() >= line_at) {
			vnr_console_channel_printf("storm line %u\n", lines++);
			line_at = vnr_reference_time() + 500000;
		}
	}
	vnr_test_note("storm: %lu sent, %lu answered, %u console lines", sent,
		      answered, lines);
	VNR_EXPECT(answered > 0);
	VNR_EXPECT_EQ(ch.state, VNR_CHSTATE_OPEN);
}

static void mode_shrink(void)
{
	vnr_u64 end = deadline(), reads = 0;
	vnr_u32 st = VNR_BLOCK_S_OK;

	if (!set_up(SMALL))
		return;
	while (st == VNR_BLOCK_S_OK && vnr_reference_time() < end) {
		st = request(VNR_BLOCK_OP_READ, info.sectors - 8, 8, 0);
		reads++;
		vnr_vp_halt(10000);
	}
	VNR_EXPECT_EQ(st, VNR_BLOCK_S_IO_ERROR);
	vnr_test_note("shrink: read failed after %lu reads, status %u", reads,
		      st);
	memset(area, 0x33, SECTOR);
	vnr_test_note("shrink: last sector written, status %u",
		      request(VNR_BLOCK_OP_WRITE, info.sectors - 1, 1, 0));
}

static void mode_hold(void)
{
	vnr_u64 end = vnr_reference_time() +
		      vnr_cmdline_u64("hold_ms", 3000) * 10000ull;
	unsigned int k;

	if (!set_up(SMALL))
		return;
	while (vnr_reference_time() < end) {
		vnr_u64 first = next_id;

		for (k = 0; k < 16; k++)
			if (!send_req(next_id++, VNR_BLOCK_OP_WRITE, k * 8, 8,
				      k * SLOT_BYTES, 0))
				return;
		if (responses(first, 16, false, VNR_BLOCK_S_OK) != 16)
			return;
	}
}

static const struct vnr_test_mode modes[] = {
	{"burst", mode_burst},	 {"ids", mode_ids},
	{"edge", mode_edge},	 {"ringarea", mode_ringarea},
	{"cycles", mode_cycles}, {"storm", mode_storm},
	{"shrink", mode_shrink}, {"hold", mode_hold},
};

int vnr_main(const struct vnr_start_info *si)
{
	static char mode[16];

	vnr_test_begin(si->name);
	if (!vnr_cmdline_str("mode", mode, sizeof(mode)))
		memcpy(mode, "burst", 6);
	use_console = vnr_cmdline_u64("console", 0);
	if (!VNR_EXPECT(vnr_channels_init(2, 3)) ||
	    (use_console && !VNR_EXPECT(vnr_console_channel_open(1, 2))) ||
	    !connect())
		return vnr_test_done();
	vnr_test_run_mode(modes, sizeof(modes) / sizeof(modes[0]), mode);
	if (ch.state != VNR_CHSTATE_CLOSED)
		client_close();
	VNR_EXPECT(!area_granted);
	if (use_console)
		vnr_console_channel_close();
	return vnr_test_done();
}
