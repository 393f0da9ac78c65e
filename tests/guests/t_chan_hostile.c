// SPDX-License-Identifier: MIT
/*
 * A hostile channel client: it opens an echo channel (t_chan_echo), checks
 * a few echoes, then breaks the ring protocol and signals.  The provider
 * must close the channel with VNR_CHANNEL_CLOSE_CORRUPTED and tell it so,
 * while serving its other clients.
 *
 * Command line: scribble=1 (write_index of its send ring not a multiple
 * of 8, the default), 2 (write_index moved back past read data), 3 (a
 * packet header whose total_len exceeds the data in the ring).
 * Port 1 message SINT 2, port 2 event SINT 3 flags=64; connections 1/2 to
 * the provider's ports 1/2.
 */
#include <vnr_test.h>
#include <vnr_guest/channel.h>

#define RING_PAGES 8
#define SEND_PAGES 4
#define PKT_TYPE   0x0200

static const struct vnr_guid echo_class = {
	{'v', 'n', 'r', '-', 'e', 'c', 'h', 'o'}};

static bool echo_round(struct vnr_channel *ch, vnr_u32 seq)
{
	vnr_u32 got = ~seq, len = 0;
	vnr_u16 type;

	if (vnr_channel_send_wait(ch, PKT_TYPE, &seq, sizeof(seq)) !=
	    VNR_CHANNEL_OK)
		return false;
	while (vnr_channel_recv(ch, &type, &got, sizeof(got), &len) ==
	       VNR_CHANNEL_EMPTY)
		vnr_channels_wait();
	return len == sizeof(seq) && got == seq;
}

/* Breaks the client-to-provider ring behind the library's back. */
static void scribble(struct vnr_channel *ch, vnr_u64 how)
{
	volatile struct vnr_ring_control *ctl = ch->tx.ctl;
	volatile struct vnr_ring_pkt_hdr *hdr =
		(volatile struct vnr_ring_pkt_hdr *)(ch->tx.data +
						     ch->tx.write);

	switch (how) {
	case 2:
		ctl->write_index =
			(ch->tx.write + ch->tx.size - 64) % ch->tx.size;
		break;
	case 3:
		hdr->type = PKT_TYPE;
		hdr->header_len = VNR_RING_PKT_HDR_SIZE;
		hdr->total_len = 0xFFFFFFF0u;
		ctl->write_index = ch->tx.write + 32;
		break;
	default:
		ctl->write_index = ch->tx.write + 13;
		break;
	}
	vnr_signal_event(ch->event_conn, ch->id);
}

int vnr_main(const struct vnr_start_info *si)
{
	static vnr_u8 rings[RING_PAGES][VNR_PAGE_SIZE]
		__attribute__((aligned(VNR_PAGE_SIZE)));
	static struct vnr_channel ch;
	vnr_u32 seq, good = 0;

	vnr_test_begin(si->name);
	if (!VNR_EXPECT(vnr_channels_init(2, 3)) ||
	    !VNR_EXPECT_EQ(vnr_channel_connect(&ch, 1, 2, &echo_class, rings,
					       RING_PAGES, SEND_PAGES),
			   VNR_CHANNEL_OK))
		return vnr_test_done();
	for (seq = 1; seq <= 10; seq++)
		good += echo_round(&ch, seq);
	VNR_EXPECT_EQ(good, 10);
	scribble(&ch, vnr_cmdline_u64("scribble", 1));
	while (ch.state == VNR_CHSTATE_OPEN)
		vnr_channels_wait();
	VNR_EXPECT(ch.closed_by_peer);
	VNR_EXPECT_EQ(ch.close_reason, VNR_CHANNEL_CLOSE_CORRUPTED);
	vnr_test_note("the provider closed the channel: %s",
		      ch.close_reason == VNR_CHANNEL_CLOSE_CORRUPTED
			      ? "corrupted"
			      : "other");
	return vnr_test_done();
}
