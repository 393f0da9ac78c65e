// SPDX-License-Identifier: MIT
/*
 * The victim of the hostile cases: a checksummed workload that must finish
 * with correct results whatever the partition beside it does.
 *
 * Each round fills a 1 MiB buffer from a xorshift stream, hashes the
 * buffer (FNV-1a 64) twice, a pass apart, and hashes the stream again
 * without memory: all three must agree, so a lost or corrupted store, a
 * register clobbered across an exit or a page changed behind the victim's
 * back is seen.
 *
 * With storm=1 it is also the target of t_probe_storm: SINT 2 (messages,
 * port 1) and SINT 3 (event flag 0, port 2) are enabled with interrupts on
 * during the whole workload; the messages are drained between chunks
 * and their sequence numbers must arrive in order, each once, until the
 * storm's final message says how many were accepted.
 *
 * Command line: rounds=N (default 64), storm=1.
 */
#include <vnr_test.h>

#define BUF_BYTES   (1u << 20)
#define CHUNK	    (64u << 10)
#define SINT_MSG    2
#define SINT_EVENT  3
#define VECTOR_BASE 0x50

enum storm_msg {
	STORM_DATA = 1,
	STORM_DONE = 2,
};

struct storm_done {
	vnr_u64 accepted;
	vnr_u64 signals;
	vnr_u64 full;
};

static vnr_u64 buf[BUF_BYTES / 8];
static volatile vnr_u64 msg_irqs, event_irqs;
static bool storm;
static vnr_u64 next_seq, received, bad, events;
static bool done_seen;
static struct storm_done done;

static void on_sint(unsigned int sint, void *ctx)
{
	(void)ctx;
	if (sint == SINT_MSG)
		msg_irqs++;
	else
		event_irqs++;
}

static vnr_u64 fnv(vnr_u64 h, vnr_u64 word)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		h ^= (word >> (8 * i)) & 0xFF;
		h *= 0x100000001B3ull;
	}
	return h;
}

static void drain(void)
{
	struct vnr_message m;

	while (vnr_message_take(SINT_MSG, &m)) {
		if (m.header.message_type == STORM_DATA &&
		    m.header.payload_size == 8 && !done_seen) {
			vnr_u64 seq = *(const vnr_u64 *)m.payload;

			bad += seq != next_seq;
			next_seq = seq + 1;
			received++;
		} else if (m.header.message_type == STORM_DONE &&
			   m.header.payload_size == sizeof(done) &&
			   !done_seen) {
			memcpy(&done, m.payload, sizeof(done));
			done_seen = true;
		} else {
			bad++;
		}
	}
	if (vnr_event_flag_take(SINT_EVENT, 0))
		events++;
}

/* One round; returns true if the three checksums agree. */
static bool round_ok(vnr_u64 seed, vnr_u64 *sum)
{
	vnr_u64 s = seed, h1 = 0xCBF29CE484222325ull, h2 = h1, h3 = h1;
	vnr_u32 i;

	for (i = 0; i < BUF_BYTES / 8; i++) {
		buf[i] = vnr_test_rand(&s);
		if (storm && (i % (CHUNK / 8)) == 0)
			drain();
	}
	for (i = 0; i < BUF_BYTES / 8; i++)
		h1 = fnv(h1, buf[i]);
	for (i = 0; i < BUF_BYTES / 8; i++) {
		h2 = fnv(h2, ((volatile vnr_u64 *)buf)[i]);
		if (storm && (i % (CHUNK / 8)) == 0)
			drain();
	}
	s = seed;
	for (i = 0; i < BUF_BYTES / 8; i++)
		h3 = fnv(h3, vnr_test_rand(&s));
	*sum = h1;
	return h1 == h2 && h2 == h3;
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 rounds = vnr_cmdline_u64("rounds", 64);
	vnr_u64 r, sum, total = 0, good = 0, t0;

	(void)si;
	storm = vnr_cmdline_u64("storm", 0);
	vnr_test_begin("victim");
	if (storm &&
	    (!VNR_EXPECT(vnr_synic_init()) ||
	     !VNR_EXPECT(vnr_sint_enable(SINT_MSG, VECTOR_BASE + SINT_MSG,
					 on_sint, NULL, VNR_SINT_AUTO_EOI)) ||
	     !VNR_EXPECT(vnr_sint_enable(SINT_EVENT, VECTOR_BASE + SINT_EVENT,
					 on_sint, NULL, 0))))
		return vnr_test_done();
	if (storm)
		vnr_irq_enable();
	t0 = vnr_reference_time();
	for (r = 0; r < rounds; r++) {
		bool ok = round_ok(0x1234567ull + r, &sum);

		vnr_test_check_quiet(ok, __FILE_NAME__, __LINE__,
				     "round checksums agree", r, rounds);
		good += ok;
		total = fnv(total, sum);
	}
	VNR_EXPECT_EQ(good, rounds);
	vnr_test_note("workload rounds=%lu checksum=0x%016lx %s in %lu ms",
		      rounds, total, good == rounds ? "verified" : "WRONG",
		      (vnr_reference_time() - t0) / 10000);
	if (storm) {
		VNR_EXPECT(vnr_irq_enabled());
		while (!done_seen) {
			drain();
			if (!done_seen)
				vnr_vp_halt(10000);
		}
		drain();
		VNR_EXPECT_EQ(bad, 0);
		VNR_EXPECT_EQ(received, done.accepted);
		VNR_EXPECT_EQ(next_seq, done.accepted);
		VNR_EXPECT(done.full > 0);
		VNR_EXPECT(msg_irqs > 0);
		VNR_EXPECT(events > 0);
		vnr_test_note("storm: received %lu of %lu accepted messages in "
			      "order, %lu refused as full",
			      received, done.accepted, done.full);
		vnr_test_note("storm: %lu signals, %lu event wake-ups, "
			      "interrupts msg=%lu event=%lu",
			      done.signals, events, msg_irqs, event_irqs);
	}
	return vnr_test_done();
}
