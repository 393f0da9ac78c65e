// SPDX-License-Identifier: MIT
/*
 * Message ping-pong between two partitions: what one message costs from
 * the sender's POST_MESSAGE to the receiver holding it (SynIC delivery and
 * the switch to the receiver included), one way and round trip, with
 *
 *   halt  the receiver halted (STI; HLT) and woken by the SINT interrupt;
 *   poll  the receiver polling its message slot with the SINT masked,
 *         yielding the (only) CPU while the slot is empty.
 *
 * Each message carries the sender's TSC; the TSC is the machine's (no
 * offset), so the receiver measures the one-way cost itself.  ping also
 * measures the round trip.  Payload: 16 bytes.
 *
 * Command line: role=1 (ping: gate on SINT 5, roundtrips=N, warmup=N,
 * wait_ms, settle_ms) or role=2 (pong).  Both: port 1 message SINT 2 and
 * connection 1 to the other's port 1.
 */
#include "bench.h"

#define SINT_DATA   2
#define SINT_GATE   5
#define VECTOR	    0x52
#define MAX_SAMPLES 8001

enum msg_type {
	MSG_PING = 1,
	MSG_PONG = 2,
	MSG_MODE = 3, /* ping -> pong: switch to mode, then ACK */
	MSG_ACK = 4,
	MSG_DONE = 5,
};

enum mode { MODE_HALT = 0, MODE_POLL = 1, MODE_COUNT };

enum figure { ROUNDTRIP, ONEWAY_BACK, ONEWAY_FORTH, FIGURES };

static const char *const names[MODE_COUNT][FIGURES] = {
	{"msg_halt_roundtrip", "msg_halt_oneway_pong_to_ping",
	 "msg_halt_oneway_ping_to_pong"},
	{"msg_poll_roundtrip", "msg_poll_oneway_pong_to_ping",
	 "msg_poll_oneway_ping_to_pong"},
};

struct body {
	vnr_u32 seq;
	vnr_u16 mode;
	vnr_u16 measured; /* not a warm-up round */
	vnr_u64 tsc;	  /* sender's, just before POST_MESSAGE */
};

/* ping: round trips and one-way costs back; pong: one way, per mode. */
static vnr_u64 samples[2][MAX_SAMPLES];
static volatile vnr_u64 interrupts;

static void on_sint(unsigned int sint, void *ctx)
{
	(void)sint;
	(void)ctx;
	interrupts++;
}

static bool set_mode(enum mode mode)
{
	if (mode == MODE_POLL) {
		vnr_sint_mask(SINT_DATA);
		return true;
	}
	return vnr_sint_enable(SINT_DATA, VECTOR, on_sint, NULL,
			       VNR_SINT_AUTO_EOI);
}

/* Waits for the next message the way the mode says; returns its body. */
static vnr_u32 receive(enum mode mode, struct body *b)
{
	struct vnr_message m;

	if (mode == MODE_HALT) {
		vnr_irq_disable();
		while (!vnr_message_take(SINT_DATA, &m))
			vnr_wait_for_interrupt();
		vnr_irq_enable();
	} else {
		while (!vnr_message_take(SINT_DATA, &m))
			vnr_vp_yield();
	}
	memset(b, 0, sizeof(*b));
	memcpy(b, m.payload,
	       m.header.payload_size < sizeof(*b) ? m.header.payload_size
						  : sizeof(*b));
	return m.header.message_type;
}

static bool post(vnr_u32 type, struct body *b)
{
	enum vnr_status st;

	b->tsc = vnr_rdtsc();
	while ((st = vnr_post_message(1, type, b, sizeof(*b))) ==
	       VNR_STATUS_INSUFFICIENT_BUFFERS)
		vnr_vp_yield();
	return st == VNR_STATUS_SUCCESS;
}

/* One mode: n measured round trips after `warmup` unmeasured ones. */
static vnr_u32 ping_mode(enum mode mode, vnr_u32 n, vnr_u32 warmup,
			 vnr_u64 overhead)
{
	struct body out = {.mode = mode}, in;
	vnr_u32 bad = 0, i;

	if (!set_mode(mode) || !post(MSG_MODE, &out) ||
	    receive(mode, &in) != MSG_ACK)
		return 1;
	for (i = 0; i < warmup + n; i++) {
		vnr_u32 type;
		vnr_u64 t0, t1;

		out.seq = i;
		out.measured = i >= warmup;
		t0 = vnr_rdtsc();
		if (!post(MSG_PING, &out))
			return bad + 1;
		type = receive(mode, &in);
		t1 = vnr_rdtsc();
		if (type != MSG_PONG || in.seq != i)
			bad++;
		if (i >= warmup) {
			samples[0][i - warmup] = t1 - t0;
			samples[1][i - warmup] = t1 - in.tsc;
		}
	}
	bench_report(names[mode][ROUNDTRIP], samples[0], n, overhead);
	bench_report(names[mode][ONEWAY_BACK], samples[1], n, overhead);
	return bad;
}

static int ping(void)
{
	vnr_u32 n = (vnr_u32)vnr_cmdline_u64("roundtrips", 2001);
	vnr_u32 warmup = (vnr_u32)vnr_cmdline_u64("warmup", 50), bad = 0;
	vnr_u64 overhead, irqs;
	struct body done = {0};

	if (n > MAX_SAMPLES)
		n = MAX_SAMPLES;
	bench_gate_wait(SINT_GATE, vnr_cmdline_u64("wait_ms", 60000),
			vnr_cmdline_u64("settle_ms", 5));
	overhead = bench_rdtsc_overhead();
	bench_value("msg_roundtrips_per_mode", n);
	bench_value("msg_payload_bytes", sizeof(struct body));
	irqs = interrupts;
	bad += ping_mode(MODE_HALT, n, warmup, overhead);
	bench_value("msg_halt_ping_interrupts", interrupts - irqs);
	bad += ping_mode(MODE_POLL, n, warmup, overhead);
	post(MSG_DONE, &done);
	bench_value("msg_errors_ping", bad);
	return bad ? 1 : 0;
}

static int pong(void)
{
	vnr_u32 count[MODE_COUNT] = {0}, bad = 0;
	enum mode mode = MODE_HALT;
	vnr_u64 overhead = bench_rdtsc_overhead();

	for (;;) {
		struct body in, out = {0};
		vnr_u32 type = receive(mode, &in);
		vnr_u64 t1 = vnr_rdtsc();

		if (type == MSG_DONE)
			break;
		if (type == MSG_MODE && in.mode < MODE_COUNT) {
			mode = in.mode;
			if (!set_mode(mode))
				bad++;
			post(MSG_ACK, &out);
			continue;
		}
		if (type != MSG_PING || in.mode != mode) {
			bad++;
			continue;
		}
		if (in.measured && count[mode] < MAX_SAMPLES)
			samples[mode][count[mode]++] = t1 - in.tsc;
		out.seq = in.seq;
		out.mode = (vnr_u16)mode;
		post(MSG_PONG, &out);
	}
	for (int m = 0; m < MODE_COUNT; m++)
		bench_report(names[m][ONEWAY_FORTH], samples[m], count[m],
			     overhead);
	bench_value("msg_errors_pong", bad);
	return bad ? 1 : 0;
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 role = vnr_cmdline_u64("role", 0);

	(void)si;
	if (!vnr_synic_init() || !set_mode(MODE_HALT)) {
		bench_unmeasured(
			names[MODE_HALT][role == 1 ? ROUNDTRIP : ONEWAY_FORTH],
			"no SynIC");
		return 1;
	}
	return role == 1 ? ping() : pong();
}
