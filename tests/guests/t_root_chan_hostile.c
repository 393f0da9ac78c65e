// SPDX-License-Identifier: MIT
/*
 * A hostile client of the root's channels (docs/spec/root-stack.md,
 * "Channels"): a child of the root that speaks the channel protocol by
 * hand to veneerctl's monitor, which offers it a console channel, and
 * lies to it.  Every answer the monitor gives is checked; the root-side
 * script (tests/root/stack/chan_abuse.sh) checks that the root, the
 * monitor and the hypervisor are unharmed and that every window, grant
 * and page is back after the partition is destroyed.
 *
 * Command line: mode=1 (the default) the attacks on opening and closing:
 *   - a grant of fewer pages than OPEN claims, a read-only grant, a
 *     revoked grant, a made-up handle, impossible ring layouts: each
 *     refused (BAD_RINGS) without a window left behind;
 *   - OPEN for channel ids it was not offered: ignored;
 *   - a grant that repeats one page: served or closed, nothing else;
 *   - a second OPEN while open: ignored;
 *   - a revoke of the rings while the monitor has them mapped, a signal
 *     storm on them, then CLOSE: answered, and a channel opened after it
 *     at the same window carries text again (the revoke's scratch pages
 *     were given back);
 *   - a write index scribbled while the monitor reads: closed CORRUPTED;
 *   - `cycles` (default 150) open/close cycles, more than the root has
 *     windows and the child grant slots: none leaks, and none loses the
 *     monitor's CLOSE and new OFFER, which it posts back to back.
 * mode=2 floods: messages to the root's control port (shared by all the
 * root's children) and signals of every channel id, until destroyed.
 * mode=3 grants for a root-side program: a read-only grant of 2 pages
 * holding a pattern and a writable one of 4, their handles on the
 * console, then it waits until destroyed.
 * mode=4 keeps the monitor reading its console ring for ever: a ring of
 * valid packets whose write index it moves back behind the monitor's
 * read index whenever the monitor reads, until destroyed.
 * Port 1 message SINT 2; connections 1/2 to the root's ports 1/2, as the
 * root wires every child.
 */
#include <vnr_test.h>
#include <vnr_console/protocol.h>
#include <vnr_ring.h>

#define MSG_SINT   2
#define VECTOR	   0x58
#define MSG_CONN   1
#define EVENT_CONN 2
#define RING_PAGES 8
#define SEND_PAGES 4
#define RO_PATTERN 0xa5

static vnr_u8 rings[RING_PAGES][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static vnr_u8 spare[RING_PAGES][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));

static vnr_u32 root_id, chan_id;
static bool offered; /* an OFFER came since the last OPEN */

/*
 * The next message from the root of type `type` (0: any) within ms, or
 * false.  An OFFER that comes meanwhile is remembered: the monitor offers
 * again after every close.
 */
static bool wait_message(vnr_u32 type, vnr_u64 ms, struct vnr_message *m)
{
	vnr_u64 end = vnr_reference_time() + ms * VNR_TICKS_PER_MS;

	do {
		while (vnr_message_take(MSG_SINT, m)) {
			if (m->header.message_type == VNR_CHMSG_OFFER) {
				struct vnr_channel_offer o;

				memcpy(&o, m->payload, sizeof(o));
				root_id = m->header.sender_partition;
				chan_id = o.channel_id;
				offered = true;
			}
			if (!type || m->header.message_type == type)
				return true;
		}
		vnr_vp_yield();
	} while (vnr_reference_time() < end);
	return false;
}

static bool wait_offer(void)
{
	struct vnr_message m;

	while (!offered && wait_message(VNR_CHMSG_OFFER, 5000, &m))
		;
	return offered;
}

static void post(vnr_u32 type, const void *payload, vnr_u32 size)
{
	while (vnr_post_message(MSG_CONN, type, payload, size) ==
	       VNR_STATUS_INSUFFICIENT_BUFFERS)
		vnr_vp_yield();
}

static void send_open(vnr_u32 id, vnr_u64 handle, vnr_u32 pages,
		      vnr_u32 send_pages)
{
	struct vnr_channel_open o = {.channel_id = id,
				     .ring_pages = pages,
				     .grant_handle = handle,
				     .send_ring_pages = send_pages};

	offered = false;
	post(VNR_CHMSG_OPEN, &o, sizeof(o));
}

/* The OPEN_RESULT status, or ~0 if none came within ms. */
static vnr_u32 open_result(vnr_u64 ms)
{
	struct vnr_channel_open_result r;
	struct vnr_message m;

	if (!wait_message(VNR_CHMSG_OPEN_RESULT, ms, &m))
		return ~0u;
	memcpy(&r, m.payload, sizeof(r));
	return r.channel_id == chan_id ? r.status : ~1u;
}

static void send_close(void)
{
	struct vnr_channel_close c = {.channel_id = chan_id};

	post(VNR_CHMSG_CLOSE, &c, sizeof(c));
}

/* The monitor's CLOSE (reason), or ~0 if none came within ms. */
static vnr_u32 close_reason(vnr_u64 ms)
{
	struct vnr_channel_close c;
	struct vnr_message m;

	if (!wait_message(VNR_CHMSG_CLOSE, ms, &m))
		return ~0u;
	memcpy(&c, m.payload, sizeof(c));
	return c.reason;
}

static vnr_u64 grant(vnr_u8 (*pages)[VNR_PAGE_SIZE], vnr_u32 count,
		     vnr_u64 flags)
{
	vnr_u64 handle = 0;

	VNR_EXPECT_EQ(
		vnr_grant_create_range(root_id, pages, count, flags, &handle),
		VNR_STATUS_SUCCESS);
	return handle;
}

static struct vnr_ring tx;

/* Formats the rings, grants them and opens: the OPEN_RESULT status. */
static vnr_u32 open_rings(vnr_u64 *handle)
{
	const vnr_u32 send = SEND_PAGES * VNR_PAGE_SIZE;

	vnr_ring_format(rings, send);
	vnr_ring_format(rings[SEND_PAGES], sizeof(rings) - send);
	vnr_ring_init(&tx, rings, send, VNR_RING_WRITER);
	*handle = grant(rings, RING_PAGES, 0);
	send_open(chan_id, *handle, RING_PAGES, SEND_PAGES);
	return open_result(5000);
}

static void say(const char *text)
{
	vnr_ring_write(&tx, VNR_CONSOLE_PKT_WRITE, 0, 0, text, strlen(text));
	vnr_signal_event(EVENT_CONN, chan_id);
}

/* One refused OPEN: BAD_RINGS, and the channel stays offered. */
static void expect_refused(const char *what, vnr_u64 handle, vnr_u32 pages,
			   vnr_u32 send_pages)
{
	vnr_u32 st;

	send_open(chan_id, handle, pages, send_pages);
	st = open_result(5000);
	offered = true; /* a refusal leaves the offer standing */
	if (!VNR_EXPECT_EQ(st, VNR_CHANNEL_OPEN_BAD_RINGS))
		vnr_test_note("%s: status 0x%x", what, st);
}

static void refusals(void)
{
	vnr_u64 h;

	h = grant(rings, 2, 0);
	expect_refused("a grant shorter than OPEN", h, RING_PAGES, SEND_PAGES);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	memset(spare, RO_PATTERN, sizeof(spare));
	h = grant(spare, RING_PAGES, VNR_GRANT_READ_ONLY);
	expect_refused("a read-only grant", h, RING_PAGES, SEND_PAGES);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	/* The monitor must not have written to it. */
	for (vnr_u32 i = 0; i < sizeof(spare); i++)
		if (((vnr_u8 *)spare)[i] != RO_PATTERN) {
			VNR_EXPECT(!"the read-only grant was written");
			break;
		}
	h = grant(rings, RING_PAGES, 0);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	expect_refused("a revoked grant", h, RING_PAGES, SEND_PAGES);
	expect_refused("a made-up handle", 0xdead0001ull, RING_PAGES,
		       SEND_PAGES);
	h = grant(rings, RING_PAGES, 0);
	expect_refused("no provider ring", h, RING_PAGES, RING_PAGES);
	expect_refused("a 1-page ring", h, RING_PAGES, 1);
	expect_refused("too many pages", h, 300, 4);
	expect_refused("a wrapping layout", h, 0xffffffffu, 0xfffffffeu);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	vnr_test_note("refusals done");
}

/* OPEN for ids not offered to it: never answered. */
static void foreign_ids(void)
{
	static const vnr_u32 ids[] = {0, 63, 64, 0xffffffffu};
	vnr_u64 h = grant(rings, RING_PAGES, 0);
	vnr_u32 saved = chan_id;

	for (vnr_u32 i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (ids[i] == saved)
			continue;
		send_open(ids[i], h, RING_PAGES, SEND_PAGES);
		chan_id = ids[i];
		VNR_EXPECT_EQ(open_result(300), ~0u);
		chan_id = saved;
	}
	offered = true;
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	vnr_test_note("foreign ids ignored");
}

/* One page eight times: the monitor's two rings are one page. */
static void repeated_page(void)
{
	vnr_u64 gpas[RING_PAGES], h = 0;
	vnr_u32 st, reason;

	vnr_ring_format(rings, VNR_PAGE_SIZE);
	for (vnr_u32 i = 0; i < RING_PAGES; i++)
		gpas[i] = vnr_gpa(rings);
	VNR_EXPECT_EQ(vnr_grant_create(root_id, gpas, RING_PAGES, 0, &h),
		      VNR_STATUS_SUCCESS);
	send_open(chan_id, h, RING_PAGES, SEND_PAGES);
	st = open_result(5000);
	reason = ~0u;
	if (st == VNR_CHANNEL_OPEN_OK) {
		send_close();
		reason = close_reason(5000);
		VNR_EXPECT(reason != ~0u);
	} else {
		VNR_EXPECT_EQ(st, VNR_CHANNEL_OPEN_BAD_RINGS);
		offered = true;
	}
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	VNR_EXPECT(wait_offer());
	vnr_test_note("a repeated page: status %u close 0x%x", st, reason);
}

static void open_twice(void)
{
	vnr_u64 h, h2 = grant(spare, RING_PAGES, 0);

	if (!VNR_EXPECT_EQ(open_rings(&h), VNR_CHANNEL_OPEN_OK))
		return;
	send_open(chan_id, h2, RING_PAGES, SEND_PAGES);
	VNR_EXPECT_EQ(open_result(500), ~0u);
	say("rc-hostile: open twice\n");
	send_close();
	VNR_EXPECT_EQ(close_reason(5000), VNR_CHANNEL_CLOSE_NORMAL);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_grant_revoke(h2), VNR_STATUS_SUCCESS);
	VNR_EXPECT(wait_offer());
	vnr_test_note("a second OPEN ignored");
}

/*
 * The rings revoked under the monitor: its window holds the root's
 * scratch page, which it may read and write; the next map there takes
 * the scratch pages back.
 */
static void revoke_while_mapped(void)
{
	vnr_u64 h;

	if (!VNR_EXPECT_EQ(open_rings(&h), VNR_CHANNEL_OPEN_OK))
		return;
	say("rc-hostile: before the revoke\n");
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	for (vnr_u32 i = 0; i < 2000; i++)
		vnr_signal_event(EVENT_CONN, chan_id);
	send_close();
	VNR_EXPECT(close_reason(5000) != ~0u);
	if (!VNR_EXPECT(wait_offer()))
		return;
	if (!VNR_EXPECT_EQ(open_rings(&h), VNR_CHANNEL_OPEN_OK))
		return;
	say("rc-hostile: after the revoke\n");
	send_close();
	VNR_EXPECT_EQ(close_reason(5000), VNR_CHANNEL_CLOSE_NORMAL);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	VNR_EXPECT(wait_offer());
	vnr_test_note("revoked while mapped");
}

static void scribble(void)
{
	vnr_u64 h;

	if (!VNR_EXPECT_EQ(open_rings(&h), VNR_CHANNEL_OPEN_OK))
		return;
	tx.ctl->write_index = tx.write + 13;
	vnr_signal_event(EVENT_CONN, chan_id);
	VNR_EXPECT_EQ(close_reason(5000), VNR_CHANNEL_CLOSE_CORRUPTED);
	VNR_EXPECT_EQ(vnr_grant_revoke(h), VNR_STATUS_SUCCESS);
	VNR_EXPECT(wait_offer());
	vnr_test_note("a scribbled ring closed");
}

static void cycles(vnr_u32 n)
{
	vnr_u32 ok = 0, i;
	vnr_u64 h;

	for (i = 0; i < n; i++) {
		vnr_u32 st = ~2u, reason = ~2u;

		if (!wait_offer() ||
		    (st = open_rings(&h)) != VNR_CHANNEL_OPEN_OK) {
			vnr_test_note("cycle %u: open 0x%x", i, st);
			break;
		}
		send_close();
		reason = close_reason(5000);
		if (reason != VNR_CHANNEL_CLOSE_NORMAL) {
			vnr_test_note("cycle %u: close 0x%x", i, reason);
			break;
		}
		if (vnr_grant_revoke(h) != VNR_STATUS_SUCCESS)
			break;
		ok++;
	}
	VNR_EXPECT_EQ(ok, n);
	vnr_test_note("%u open/close cycles", ok);
}

static void attacks(void)
{
	vnr_u64 h;

	refusals();
	foreign_ids();
	repeated_page();
	open_twice();
	revoke_while_mapped();
	scribble();
	cycles((vnr_u32)vnr_cmdline_u64("cycles", 150));
	/* Text that must come through after everything above. */
	if (VNR_EXPECT(wait_offer()) &&
	    VNR_EXPECT_EQ(open_rings(&h), VNR_CHANNEL_OPEN_OK))
		say("rc-hostile: still served\n");
}

static void floods(void)
{
	struct vnr_channel_close junk = {.channel_id = 0x3f};

	vnr_test_note("flooding");
	for (;;) {
		for (vnr_u32 i = 0; i < 64; i++)
			vnr_signal_event(EVENT_CONN, i);
		while (vnr_post_message(MSG_CONN, VNR_CHMSG_CLOSE, &junk,
					sizeof(junk)) == VNR_STATUS_SUCCESS)
			;
	}
}

/*
 * Keeps the monitor reading: the ring is filled with FLUSH packets (they
 * show nothing) until every slot holds one, then the write index is put
 * back just behind the monitor's read index, again and again, so that
 * the monitor always finds a full ring of valid packets.
 */
static void busy_ring(void)
{
	const vnr_u32 pkt = VNR_RING_PKT_HDR_SIZE;
	volatile struct vnr_ring_control *ctl;
	vnr_u32 written = 0;
	vnr_u64 h;

	if (!VNR_EXPECT_EQ(open_rings(&h), VNR_CHANNEL_OPEN_OK))
		return;
	ctl = tx.ctl;
	vnr_test_note("keeping the monitor busy");
	while (written < 4 * tx.size / pkt) {
		if (vnr_ring_write(&tx, VNR_CONSOLE_PKT_FLUSH, 0, 0, NULL, 0) ==
		    VNR_RING_OK)
			written++;
		else
			vnr_signal_event(EVENT_CONN, chan_id);
	}
	for (;;) {
		vnr_u32 read = ctl->read_index;

		ctl->write_index = (read + tx.size - pkt) % tx.size;
		vnr_signal_event(EVENT_CONN, chan_id);
	}
}

static void grants_for_root(void)
{
	vnr_u64 ro, rw;

	memset(spare, RO_PATTERN, sizeof(spare));
	memset(rings, 0, sizeof(rings));
	ro = grant(spare, 2, VNR_GRANT_READ_ONLY);
	rw = grant(rings, 4, 0);
	vnr_test_note("grants ro=0x%llx rw=0x%llx", (unsigned long long)ro,
		      (unsigned long long)rw);
	for (;;) {
		vnr_vp_yield();
		if (rings[0][0] == 0x5a) {
			vnr_test_note(
				"the root wrote 0x%x to the writable grant",
				rings[0][1]);
			rings[0][0] = 0;
		}
	}
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 mode = vnr_cmdline_u64("mode", 1);

	vnr_test_begin(si->name);
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(MSG_SINT, VECTOR, NULL, NULL,
					VNR_SINT_AUTO_EOI)) ||
	    !VNR_EXPECT(wait_offer()))
		return vnr_test_done();
	vnr_test_note("offered channel %u by partition %u", chan_id, root_id);
	if (mode == 2)
		floods();
	if (mode == 3)
		grants_for_root();
	if (mode == 4)
		busy_ring();
	attacks();
	return vnr_test_done();
}
