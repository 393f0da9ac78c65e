// SPDX-License-Identifier: MIT
/*
 * A hostile console provider for the Linux partition's veneer_bus.ko and
 * veneer_console.ko (tests/linux/cases/bus_hostile_*.cfg).  It offers a
 * console channel, serves it honestly where the attack does not say
 * otherwise (maps the grant, prints each line of text it reads as
 * "TEST bus: text: <line>", unmaps and answers a CLOSE) and attacks the
 * client as the command line says.  Whatever it does, the Linux kernel
 * must neither crash nor hang.
 *
 * Command line: attack=NAME (default none), id=N (the console channel's
 * id, default 1), life=S (seconds before it exits, default 40; it exits
 * 2 s after the client's first CLOSE unless it offers again).
 *   none        honest
 *   garbage     messages of every size 0..240 of every type first
 *   flood       offers of every id 0..100, several times, first
 *   silent      never answers OPEN
 *   late        answers OPEN after 7 s, twice
 *   twice       answers OPEN with OK, OK, REFUSED and a stray CLOSE
 *   refuse      answers REFUSED, then OK
 *   close_open  answers OPEN with CLOSE, then OK
 *   p2c_packet  after the first line, packets in the ring to the client
 *   p2c_index   after the first line, a bad write_index in that ring
 *   p2c_header  after the first line, a header whose total_len lies
 *   c2p_read    after the first line, a bad read_index in the client's
 *   storm       after the first line, signals on every flag for 3 s
 *   exit_open   exits when OPEN arrives
 *   exit_close  exits when the client's CLOSE arrives, still mapped
 *   reoffer     offers the channel again after each close
 *   offer_storm offers every id without pause after the first close
 * Port 1 message SINT 2, port 2 event SINT 3 flags=64; connections 1/2
 * to the client's ports 1/2.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>
#include <vnr_console/protocol.h>

#define MSG_SINT   2
#define EVENT_SINT 3
#define MSG_CONN   1
#define EVENT_CONN 2
#define MS	   10000ull /* reference time units (100 ns) per ms */

static const struct vnr_guid console_class = VNR_CONSOLE_CLASS;
static const struct vnr_guid other_class = {
	{'v', 'n', 'r', '-', 'b', 'a', 'd'}};

enum state { OFFERED, OPEN, CLOSED };

static struct {
	vnr_u32 id, peer, pages, send_pages;
	vnr_u64 handle, gpa;
	struct vnr_ring tx, rx; /* provider-to-client, client-to-provider */
	enum state state;
	bool mapped;
	char line[VNR_CONSOLE_LINE_MAX + 1];
	vnr_u32 len, lines, closes;
	vnr_u64 closed_at; /* reference time of the first CLOSE */
} p;

static char attack[32];

static bool is(const char *name)
{
	return !strcmp(attack, name);
}

static enum vnr_status post(vnr_u32 type, const void *payload, vnr_u32 size)
{
	enum vnr_status st;
	unsigned int tries = 0;

	while ((st = vnr_post_message(MSG_CONN, type, payload, size)) ==
		       VNR_STATUS_INSUFFICIENT_BUFFERS &&
	       ++tries < 100000)
		vnr_vp_yield();
	return st;
}

static void offer(vnr_u32 id, const struct vnr_guid *cls)
{
	struct vnr_channel_offer o = {.channel_id = id, .device_class = *cls};

	o.instance.bytes[0] = (vnr_u8)id;
	post(VNR_CHMSG_OFFER, &o, sizeof(o));
}

static void answer(vnr_u32 status)
{
	struct vnr_channel_open_result r = {.channel_id = p.id,
					    .status = status};

	post(VNR_CHMSG_OPEN_RESULT, &r, sizeof(r));
}

static void send_close(vnr_u32 id, vnr_u32 reason)
{
	struct vnr_channel_close c = {.channel_id = id, .reason = reason};

	post(VNR_CHMSG_CLOSE, &c, sizeof(c));
}

static void sleep_ms(vnr_u64 ms)
{
	vnr_u64 end = vnr_reference_time() + ms * MS;

	while (vnr_reference_time() < end)
		vnr_vp_halt(end - vnr_reference_time());
}

/* The honest provider's mapping (channels.md, ring placement). */
static bool map_grant(const struct vnr_channel_open *o)
{
	vnr_u64 send = (vnr_u64)o->send_ring_pages * VNR_PAGE_SIZE;
	vnr_u64 bytes = (vnr_u64)o->ring_pages * VNR_PAGE_SIZE;
	vnr_u8 *rings;

	if (o->ring_pages > VNR_CHANNEL_MAX_RING_PAGES ||
	    o->send_ring_pages < 2 || o->send_ring_pages + 2 > o->ring_pages)
		return false;
	p.gpa = vnr_gpa_window_alloc(o->ring_pages);
	if (vnr_grant_map(p.peer, o->grant_handle, p.gpa) != VNR_STATUS_SUCCESS)
		return false;
	p.handle = o->grant_handle;
	p.pages = o->ring_pages;
	p.send_pages = o->send_ring_pages;
	if (!vnr_map_identity(p.gpa, bytes)) {
		vnr_grant_unmap(p.peer, p.handle);
		return false;
	}
	p.mapped = true;
	rings = (vnr_u8 *)(uintptr_t)p.gpa;
	return vnr_ring_init(&p.rx, rings, send, VNR_RING_READER) ==
		       VNR_RING_OK &&
	       vnr_ring_init(&p.tx, rings + send, bytes - send,
			     VNR_RING_WRITER) == VNR_RING_OK;
}

static void unmap_grant(void)
{
	if (!p.mapped)
		return;
	vnr_unmap_identity(p.gpa, (vnr_u64)p.pages * VNR_PAGE_SIZE);
	vnr_grant_unmap(p.peer, p.handle);
	p.mapped = false;
}

static void on_open(vnr_u32 sender, const struct vnr_channel_open *o)
{
	bool ok;

	if (o->channel_id != p.id || p.state != OFFERED)
		return;
	p.peer = sender;
	vnr_test_note("OPEN %u pages (%u to the provider)", o->ring_pages,
		      o->send_ring_pages);
	if (is("exit_open")) {
		vnr_test_note("exiting with OPEN unanswered");
		vnr_test_done();
		vnr_console_flush();
		vnr_partition_exit(0);
	}
	if (is("silent"))
		return;
	if (is("refuse")) {
		answer(VNR_CHANNEL_OPEN_REFUSED);
		answer(VNR_CHANNEL_OPEN_OK);
		return;
	}
	ok = map_grant(o);
	VNR_EXPECT(ok);
	if (is("close_open")) {
		unmap_grant();
		send_close(p.id, VNR_CHANNEL_CLOSE_NORMAL);
		answer(VNR_CHANNEL_OPEN_OK);
		p.state = CLOSED;
		return;
	}
	if (is("late")) {
		sleep_ms(7000);
		vnr_test_note("answering late");
		answer(VNR_CHANNEL_OPEN_OK);
	}
	answer(ok ? VNR_CHANNEL_OPEN_OK : VNR_CHANNEL_OPEN_BAD_RINGS);
	if (is("twice") || is("late")) {
		answer(VNR_CHANNEL_OPEN_OK);
		answer(VNR_CHANNEL_OPEN_REFUSED);
		send_close(p.id + 4, VNR_CHANNEL_CLOSE_NORMAL);
	}
	p.state = ok ? OPEN : CLOSED;
}

static void offer_storm(void)
{
	vnr_u32 id;

	for (id = 1; id <= 63; id++)
		offer(id, id == p.id ? &console_class : &other_class);
}

static void on_close(const struct vnr_channel_close *c)
{
	if (c->channel_id != p.id)
		return;
	vnr_test_note("CLOSE from the client: %s",
		      c->reason == VNR_CHANNEL_CLOSE_CORRUPTED ? "corrupted"
							       : "normal");
	if (!p.closes++)
		p.closed_at = vnr_reference_time();
	if (is("silent"))
		return;
	if (is("exit_close")) {
		vnr_test_note("exiting with the grant mapped");
		vnr_test_done();
		vnr_console_flush();
		vnr_partition_exit(0);
	}
	unmap_grant();
	send_close(p.id, c->reason);
	p.state = CLOSED;
	if (is("reoffer")) {
		p.state = OFFERED;
		offer(p.id, &console_class);
	}
}

static bool take_messages(void)
{
	struct vnr_message m;
	bool any = false;

	while (vnr_message_take(MSG_SINT, &m)) {
		any = true;
		if (m.header.message_type == VNR_CHMSG_OPEN &&
		    m.header.payload_size >= sizeof(struct vnr_channel_open))
			on_open(m.header.sender_partition,
				(const struct vnr_channel_open *)m.payload);
		else if (m.header.message_type == VNR_CHMSG_CLOSE &&
			 m.header.payload_size >=
				 sizeof(struct vnr_channel_close))
			on_close((const struct vnr_channel_close *)m.payload);
	}
	return any;
}

/* The client's text, line by line. */
static bool drain(void)
{
	static char buf[VNR_CONSOLE_WRITE_MAX];
	struct vnr_ring_pkt_hdr h;
	bool any = false;
	vnr_u32 i, n;

	while (p.mapped &&
	       vnr_ring_read(&p.rx, &h, buf, sizeof(buf)) == VNR_RING_OK) {
		any = true;
		n = vnr_ring_payload_len(&h);
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' || p.len == VNR_CONSOLE_LINE_MAX) {
				p.line[p.len] = '\0';
				vnr_test_note("text: %s", p.line);
				p.len = 0;
				p.lines++;
				if (buf[i] == '\n')
					continue;
			}
			p.line[p.len++] =
				buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '?';
		}
	}
	if (any && vnr_ring_read_needs_signal(&p.rx))
		vnr_signal_event(EVENT_CONN, p.id);
	return any;
}

/* Messages of every size and type the client does not expect. */
static void garbage(void)
{
	static const vnr_u32 types[] = {
		VNR_CHMSG_OFFER, VNR_CHMSG_OPEN, VNR_CHMSG_OPEN_RESULT,
		VNR_CHMSG_CLOSE, 0xdead,	 1};
	static const vnr_u32 ids[] = {0, 64, 65535, 0xffffffffu};
	vnr_u8 payload[VNR_MESSAGE_PAYLOAD_MAX];
	unsigned int t, k, size;

	memset(payload, 0xa5, sizeof(payload));
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (k = 0; k < 5; k++)
			for (size = 0; size <= VNR_MESSAGE_PAYLOAD_MAX;
			     size++) {
				/* Channels never offered; ids no channel has.
				 */
				vnr_u32 id = k < 4 ? ids[k] : p.id;

				if (types[t] == VNR_CHMSG_OFFER && k == 4)
					continue;
				memcpy(payload, &id, sizeof(id));
				post(types[t], payload, size);
			}
	vnr_test_note("garbage sent");
}

static void flood(void)
{
	unsigned int round;
	vnr_u32 id;

	for (round = 0; round < 4; round++)
		for (id = 0; id <= 100; id++)
			if (id != p.id)
				offer(id, &other_class);
	vnr_test_note("flood sent");
}

/* After the first line: the attack on an open channel. */
static void attack_open(void)
{
	static const char text[] = "hostile input\n";
	volatile struct vnr_ring_control *ctl = p.tx.ctl;
	volatile struct vnr_ring_pkt_hdr *hdr =
		(volatile struct vnr_ring_pkt_hdr *)(p.tx.data + p.tx.write);
	vnr_u64 end;
	vnr_u32 f, i;

	if (is("p2c_packet")) {
		for (i = 0; i < 3; i++)
			vnr_ring_write(&p.tx, VNR_CONSOLE_PKT_WRITE, 0, 0, text,
				       sizeof(text) - 1);
	} else if (is("p2c_index")) {
		ctl->write_index = p.tx.write + 13;
	} else if (is("p2c_header")) {
		hdr->type = VNR_CONSOLE_PKT_WRITE;
		hdr->header_len = VNR_RING_PKT_HDR_SIZE;
		hdr->total_len = 0xfffffff0u;
		ctl->write_index = p.tx.write + 32;
	} else if (is("c2p_read")) {
		p.rx.ctl->read_index = 13;
	} else if (is("storm")) {
		end = vnr_reference_time() + 3000 * MS;
		for (i = 0; vnr_reference_time() < end; i++)
			for (f = 0; f < 64; f++)
				vnr_signal_event(EVENT_CONN, f);
		vnr_test_note("storm: %u rounds of 64 signals", i);
	} else {
		return;
	}
	vnr_signal_event(EVENT_CONN, p.id);
	vnr_test_note("attack %s done", attack);
}

/*
 * Whether the client partition has stopped, asked twice a second: a
 * signal on flag 0, which names no channel (ids are 1 to 63), fails
 * with a status that says so once it no longer runs.  An attack that never
 * opens a channel gets no CLOSE, and waiting out the whole life would only make
 * the case slow.
 */
static bool client_gone(void)
{
	static vnr_u64 next;
	vnr_u64 now = vnr_reference_time();
	enum vnr_status st;

	if (now < next)
		return false;
	next = now + 500 * MS;
	st = vnr_signal_event(EVENT_CONN, 0);
	/* PORT_NOT_READY: it runs, its SynIC is not set up yet. */
	return st == VNR_STATUS_INVALID_PARTITION_STATE ||
	       st == VNR_STATUS_INVALID_CONNECTION_ID;
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 end, life;
	bool attacked = false, stormed = false;

	vnr_test_begin(si->name);
	if (!vnr_cmdline_str("attack", attack, sizeof(attack)))
		memcpy(attack, "none", 5);
	p.id = (vnr_u32)vnr_cmdline_u64("id", 1);
	life = vnr_cmdline_u64("life", 40);
	end = vnr_reference_time() + life * 1000 * MS;
	if (!VNR_EXPECT(vnr_channels_init(MSG_SINT, EVENT_SINT)))
		return vnr_test_done();
	vnr_test_note("attack %s on channel %u", attack, p.id);
	if (is("garbage"))
		garbage();
	if (is("flood"))
		flood();
	offer(p.id, &console_class);
	while (vnr_reference_time() < end) {
		bool busy = take_messages();

		/* Flags are cleared before the rings are looked at. */
		__atomic_exchange_n(
			&vnr_synic_event_page()->sint[EVENT_SINT][0], 0,
			__ATOMIC_SEQ_CST);
		busy |= drain();
		if (p.state == OPEN && p.lines && !attacked) {
			attacked = true;
			attack_open();
		}
		if (is("offer_storm") && p.closes) {
			if (!stormed)
				vnr_test_note("offering every id");
			stormed = true;
			offer_storm();
			continue;
		}
		if (p.closes && !is("reoffer") &&
		    vnr_reference_time() > p.closed_at + 2000 * MS)
			break;
		if (client_gone())
			break;
		if (!busy)
			vnr_vp_halt(10 * MS);
	}
	vnr_test_note("lines=%u closes=%u", p.lines, p.closes);
	unmap_grant();
	return vnr_test_done();
}
