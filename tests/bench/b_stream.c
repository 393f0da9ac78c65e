// SPDX-License-Identifier: MIT
/*
 * A one-way stream through a channel (docs/spec/channels.md): the source
 * (the client) writes `count` packets of 64 bytes into its send ring, the
 * sink (the provider) reads them.  Both sides wait with
 * vnr_channels_wait() when they cannot go on, so signals are suppressed
 * the way docs/spec/ring.md says; the figures are the SIGNAL_EVENT calls
 * per 1000 packets and the emulated instructions per packet (both
 * partitions and the hypervisor).
 *
 * The source sends `streams` streams of `count` packets back to back.
 * Every packet carries its sequence number, the source's TSC just before
 * it was written and the source's signal count so far, so that the sink
 * gives each stream's cost and signals (median, min and max over the
 * streams) besides the exact totals.  A stream is cut where the sink
 * takes its last packet; with a ring holding hundreds of packets the cut
 * moves work of one ring's worth at most from one stream to the next.
 *
 * Command line: role=1 (sink: gate on SINT 5, next=C, wait_ms, settle_ms)
 * or role=2 (source: ring_pages=N, the send ring).  Both: count=N,
 * streams=N; port 1 message SINT 2, port 2 event SINT 3 flags=64,
 * connections 1 and 2 to the other's ports 1 and 2.
 */
#include "bench.h"
#include <vnr_guest/channel.h>

#define MSG_SINT	2
#define EVENT_SINT	3
#define SINT_GATE	5
#define CHANNEL_ID	1
#define PKT_TYPE	0x0300
#define PKT_SIZE	64
#define MAX_STREAMS	64
#define MAX_SEND_PAGES	64
#define RECV_RING_PAGES 2 /* the smallest the channel accepts: unused */

static const struct vnr_guid stream_class = {
	{'b', 'n', 'c', 'h', '-', 's', 't', 'r'}};

struct packet {
	vnr_u64 seq;
	vnr_u64 tsc;	 /* source's, before the write */
	vnr_u64 signals; /* source's SIGNAL_EVENT calls before the write */
	vnr_u8 fill[PKT_SIZE - 24];
};

_Static_assert(sizeof(struct packet) == PKT_SIZE, "64-byte packets");

static vnr_u64 seg_tsc[MAX_STREAMS + 1], seg_signals[MAX_STREAMS + 1];
static vnr_u64 samples[MAX_STREAMS];

/* Per stream: instructions per packet and signals per 1000, times 100. */
static void report_streams(vnr_u32 streams, vnr_u64 count)
{
	vnr_u32 r;

	for (r = 0; r < streams; r++)
		samples[r] = (seg_tsc[r + 1] - seg_tsc[r]) * 100 / count;
	bench_report("stream_instr_per_packet_x100", samples, streams, 0);
	for (r = 0; r < streams; r++)
		samples[r] =
			(seg_signals[r + 1] - seg_signals[r]) * 100000 / count;
	bench_report("stream_signals_per_1000_x100", samples, streams, 0);
}

static int sink(vnr_u64 count, vnr_u32 streams)
{
	static struct vnr_channel ch;
	vnr_u64 n = 0, bad = 0, total = count * streams;
	vnr_u32 seg = 0, len;
	struct packet p;
	vnr_u16 type;

	if (vnr_synic_init())
		bench_gate_wait(SINT_GATE, vnr_cmdline_u64("wait_ms", 60000),
				vnr_cmdline_u64("settle_ms", 5));
	if (!vnr_channels_init(MSG_SINT, EVENT_SINT) ||
	    vnr_channel_offer(&ch, CHANNEL_ID, 1, 2, &stream_class,
			      &stream_class) != VNR_STATUS_SUCCESS) {
		bench_unmeasured("stream_instr_per_packet_x100", "no channel");
		bench_gate_open((vnr_u32)vnr_cmdline_u64("next", 0));
		return 1;
	}
	while (ch.state != VNR_CHSTATE_CLOSED) {
		bool moved = vnr_channels_poll();

		while (vnr_channel_recv(&ch, &type, &p, sizeof(p), &len) ==
		       VNR_CHANNEL_OK) {
			vnr_u64 t = vnr_rdtsc();

			moved = true;
			if (type != PKT_TYPE || len != PKT_SIZE || p.seq != n)
				bad++;
			/* Stream r ends with packet (r + 1) * count - 1. */
			if (n == 0)
				seg_tsc[0] = p.tsc;
			if (++n % count == 0 && seg < streams) {
				seg++;
				seg_tsc[seg] = t;
				seg_signals[seg] = p.signals + ch.signals;
			}
		}
		if (!moved)
			vnr_channels_wait();
	}
	bench_value("stream_streams", streams);
	bench_value("stream_packets_per_stream", count);
	bench_value("stream_packet_bytes", PKT_SIZE);
	bench_value("stream_packets", n);
	bench_value("stream_packet_errors", bad);
	bench_value("stream_receiver_signals", ch.signals);
	if (n == total && seg == streams && !bad) {
		bench_value("stream_instructions", seg_tsc[seg] - seg_tsc[0]);
		report_streams(streams, count);
	} else {
		bench_unmeasured("stream_instr_per_packet_x100",
				 "packets lost, out of order or damaged");
	}
	bench_gate_open((vnr_u32)vnr_cmdline_u64("next", 0));
	return bad || n != total;
}

static int source(vnr_u64 total)
{
	static vnr_u8 rings[MAX_SEND_PAGES + RECV_RING_PAGES][VNR_PAGE_SIZE]
		__attribute__((aligned(VNR_PAGE_SIZE)));
	static struct vnr_channel ch;
	vnr_u32 pages = (vnr_u32)vnr_cmdline_u64("ring_pages", 16);
	enum vnr_channel_result r = VNR_CHANNEL_OK;
	struct packet p;
	vnr_u64 seq;

	if (pages < 2 || pages > MAX_SEND_PAGES)
		pages = 16;
	memset(&p, 0x5A, sizeof(p));
	if (!vnr_channels_init(MSG_SINT, EVENT_SINT) ||
	    vnr_channel_connect(&ch, 1, 2, &stream_class, rings,
				pages + RECV_RING_PAGES,
				pages) != VNR_CHANNEL_OK) {
		bench_unmeasured("stream_sender_signals", "no channel");
		return 1;
	}
	bench_value("stream_ring_bytes", (vnr_u64)pages * VNR_PAGE_SIZE);
	for (seq = 0; seq < total && r == VNR_CHANNEL_OK; seq++) {
		p.seq = seq;
		p.signals = ch.signals;
		p.tsc = vnr_rdtsc();
		while ((r = vnr_channel_send(&ch, PKT_TYPE, &p, sizeof(p))) ==
		       VNR_CHANNEL_FULL)
			if (!vnr_channels_poll())
				vnr_channels_wait();
	}
	vnr_channel_close(&ch);
	bench_value("stream_sender_signals", ch.signals);
	return r != VNR_CHANNEL_OK;
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 count = vnr_cmdline_u64("count", 100000);
	vnr_u32 streams = (vnr_u32)vnr_cmdline_u64("streams", 5);

	(void)si;
	if (!count)
		count = 1;
	if (streams < 1 || streams > MAX_STREAMS)
		streams = 5;
	if (vnr_cmdline_u64("role", 0) == 1)
		return sink(count, streams);
	return source(count * streams);
}
