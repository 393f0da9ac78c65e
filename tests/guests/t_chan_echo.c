// SPDX-License-Identifier: MIT
/*
 * Channel echo.  The provider offers `channels` channels (client k on
 * connections 2k-1/2k, channel id k) and echoes every packet back; it
 * exits once every channel was closed, reporting how each one ended.  A
 * client streams `count` packets of varying size with a sequence number
 * and a checksum and checks each echo; it reports the SIGNAL_EVENT calls
 * per 1000 packets, which must stay below 10.
 *
 * Command line: role=1 (provider, channels=N) or role=2 (client,
 * count=N).  Both: port 1 message SINT 2, port 2 event SINT 3 flags=64.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>

#define MSG_SINT     2
#define EVENT_SINT   3
#define MAX_CHANNELS 8
#define RING_PAGES   32
#define SEND_PAGES   16
#define PKT_TYPE     0x0200
#define MAX_DATA     200
#define SIGNAL_LIMIT 10 /* per 1000 packets */

static const struct vnr_guid echo_class = {
	{'v', 'n', 'r', '-', 'e', 'c', 'h', 'o'}};

struct packet {
	vnr_u32 seq;
	vnr_u32 sum;
	vnr_u8 data[MAX_DATA];
};

struct echo {
	struct vnr_channel ch;
	struct packet held; /* read but not yet echoed */
	vnr_u32 held_len;
	vnr_u64 echoed;
	bool reported;
};

static vnr_u32 checksum(const vnr_u8 *p, vnr_u32 len)
{
	vnr_u32 h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static vnr_u32 make_packet(struct packet *p, vnr_u32 seq)
{
	vnr_u32 len = seq % (MAX_DATA + 1), i;

	p->seq = seq;
	for (i = 0; i < len; i++)
		p->data[i] = (vnr_u8)(seq + i * 3);
	p->sum = checksum(p->data, len);
	return 8 + len;
}

/* Echoes what it can; true if anything moved. */
static bool echo_some(struct echo *e)
{
	bool moved = false;
	vnr_u16 type;

	for (;;) {
		if (e->held_len) {
			if (vnr_channel_send(&e->ch, PKT_TYPE, &e->held,
					     e->held_len) != VNR_CHANNEL_OK)
				return moved;
			e->held_len = 0;
			e->echoed++;
			moved = true;
		}
		if (vnr_channel_recv(&e->ch, &type, &e->held, sizeof(e->held),
				     &e->held_len) != VNR_CHANNEL_OK) {
			e->held_len = 0;
			return moved;
		}
		moved = true;
	}
}

static void report(struct echo *e, vnr_u32 k)
{
	static const char *const reasons[] = {"normal", "corrupted"};
	vnr_u32 r = e->ch.close_reason;

	vnr_test_note("channel %u closed by %s: %s, echoed %lu packets, "
		      "%lu signals",
		      k, e->ch.closed_by_peer ? "the client" : "the provider",
		      r < 2 ? reasons[r] : "?", e->echoed, e->ch.signals);
	if (e->echoed >= 1000)
		VNR_EXPECT(e->ch.signals * 1000 < SIGNAL_LIMIT * e->echoed);
	e->reported = true;
}

static int provider(vnr_u32 channels)
{
	static struct echo echoes[MAX_CHANNELS];
	vnr_u32 k, open;

	if (channels > MAX_CHANNELS)
		channels = MAX_CHANNELS;
	for (k = 0; k < channels; k++)
		VNR_EXPECT_EQ(vnr_channel_offer(&echoes[k].ch, k + 1, 2 * k + 1,
						2 * k + 2, &echo_class,
						&echo_class),
			      VNR_STATUS_SUCCESS);
	do {
		bool busy = vnr_channels_poll();

		for (k = 0, open = 0; k < channels; k++) {
			struct echo *e = &echoes[k];

			busy |= echo_some(e);
			if (e->ch.state == VNR_CHSTATE_CLOSED && !e->reported)
				report(e, k + 1);
			open += !e->reported;
		}
		if (!busy && open)
			vnr_channels_wait();
	} while (open);
	return vnr_test_done();
}

/* Checks every echo that is there; returns how many arrived. */
static vnr_u32 take_echoes(struct vnr_channel *ch, vnr_u32 *next, vnr_u32 *bad)
{
	struct packet p, want;
	vnr_u32 n = 0, len;
	vnr_u16 type;

	while (vnr_channel_recv(ch, &type, &p, sizeof(p), &len) ==
	       VNR_CHANNEL_OK) {
		if (type != PKT_TYPE || len != make_packet(&want, *next) ||
		    memcmp(&p, &want, len) ||
		    p.sum != checksum(p.data, len - 8))
			(*bad)++;
		(*next)++;
		n++;
	}
	return n;
}

static int client(vnr_u32 count)
{
	static vnr_u8 rings[RING_PAGES][VNR_PAGE_SIZE]
		__attribute__((aligned(VNR_PAGE_SIZE)));
	static struct vnr_channel ch;
	vnr_u32 sent = 0, received = 0, bad = 0, len;
	struct packet p;
	vnr_u64 t0, t1, per_mille;

	if (!VNR_EXPECT_EQ(vnr_channel_connect(&ch, 1, 2, &echo_class, rings,
					       RING_PAGES, SEND_PAGES),
			   VNR_CHANNEL_OK))
		return vnr_test_done();
	t0 = vnr_reference_time();
	len = make_packet(&p, 0);
	while (received < count && ch.state == VNR_CHSTATE_OPEN) {
		bool moved = false;

		while (sent < count &&
		       vnr_channel_send(&ch, PKT_TYPE, &p, len) ==
			       VNR_CHANNEL_OK) {
			len = make_packet(&p, ++sent);
			moved = true;
		}
		if (take_echoes(&ch, &received, &bad))
			moved = true;
		if (!moved)
			vnr_channels_wait();
	}
	t1 = vnr_reference_time();
	VNR_EXPECT_EQ(received, count);
	VNR_EXPECT_EQ(bad, 0);
	per_mille = ch.signals * 1000 * 100 / (count ? count : 1);
	vnr_test_note("packets=%u time=%lu ms signals=%lu "
		      "signals per 1000 packets=%lu.%02lu",
		      count, (t1 - t0) / VNR_TICKS_PER_MS, ch.signals,
		      per_mille / 100, per_mille % 100);
	VNR_EXPECT(ch.signals * 1000 < (vnr_u64)SIGNAL_LIMIT * count);
	vnr_channel_close(&ch);
	return vnr_test_done();
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 role = vnr_cmdline_u64("role", 0);

	vnr_test_begin(si->name);
	if (!VNR_EXPECT(vnr_channels_init(MSG_SINT, EVENT_SINT)))
		return vnr_test_done();
	if (role == 1)
		return provider((vnr_u32)vnr_cmdline_u64("channels", 1));
	return client((vnr_u32)vnr_cmdline_u64("count", 100000));
}
