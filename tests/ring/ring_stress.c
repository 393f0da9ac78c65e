// SPDX-License-Identifier: MIT
/*
 * Two-thread stress test of the channel ring: a producer writes packets of
 * varying sizes, each carrying its sequence number and a checksum of its
 * payload; the consumer checks the order, the headers and the content.
 *
 * Both threads block the way channel users do, by the signal rules: the
 * consumer drains with interrupts masked, unmasks, and waits for a signal
 * only when vnr_ring_unmask_interrupts() reports nothing arrived; the
 * producer waits for a signal after VNR_RING_NO_ROOM.  Signals are doorbell
 * counters.  A wait longer than WAIT_LIMIT_S means a lost wake-up and fails
 * the test.
 *
 *   ring_stress [packets]     (default 10000000)
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnr_ring.h"

#define DATA_SIZE    12280u /* not a power of two */
#define MAX_PAYLOAD  3000u
#define MIN_PAYLOAD  16u /* seq, checksum, length */
#define WAIT_LIMIT_S 20.0

struct stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t signals;
	uint64_t waits;
};

static struct {
	void *mem;
	size_t bytes;
	uint64_t packets;
	/* Doorbells: the reader's event and the writer's event. */
	_Alignas(64) uint64_t bell_reader;
	_Alignas(64) uint64_t bell_writer;
	_Alignas(64) struct stats producer;
	_Alignas(64) struct stats consumer;
} g;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ring_stress: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* Mostly small packets, one in eight up to MAX_PAYLOAD bytes. */
static uint32_t next_len(uint64_t *s)
{
	uint64_t x = rng_next(s);

	if ((x & 7) == 0)
		return MIN_PAYLOAD +
		       (uint32_t)((x >> 8) % (MAX_PAYLOAD - MIN_PAYLOAD + 1));
	return MIN_PAYLOAD + (uint32_t)((x >> 8) % 113);
}

static uint32_t checksum(const uint8_t *p, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint64_t w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; n; n--, p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return (uint32_t)(h ^ (h >> 32));
}

static void make_payload(uint8_t *buf, uint64_t seq, uint32_t len)
{
	uint64_t x = seq * 0x9E3779B97F4A7C15ull + 1;
	uint32_t sum, i;

	for (i = MIN_PAYLOAD; i + 8 <= len; i += 8) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		memcpy(buf + i, &x, 8);
	}
	for (; i < len; i++)
		buf[i] = (uint8_t)(x >> (i & 7) * 8) ^ (uint8_t)i;
	sum = checksum(buf + MIN_PAYLOAD, len - MIN_PAYLOAD);
	memcpy(buf, &seq, 8);
	memcpy(buf + 8, &sum, 4);
	memcpy(buf + 12, &len, 4);
}

static void ring_bell(uint64_t *bell)
{
	__atomic_fetch_add(bell, 1, __ATOMIC_RELEASE);
}

/* Wait until *bell differs from seen (read before the condition check). */
static void wait_bell(uint64_t *bell, uint64_t seen, const char *who)
{
	double start = 0;
	unsigned int spins = 0;

	while (__atomic_load_n(bell, __ATOMIC_ACQUIRE) == seen) {
		if ((++spins & 63) == 0) {
			double t = now();

			if (!start)
				start = t;
			else if (t - start > WAIT_LIMIT_S) {
				fprintf(stderr,
					"ring_stress: %s waited %.0f s for a "
					"signal: lost wake-up\n",
					who, t - start);
				exit(1);
			}
		}
		sched_yield();
	}
}

static void *producer(void *arg)
{
	struct vnr_ring w;
	uint64_t rs = 0x243F6A8885A308D3ull;
	uint8_t *buf = malloc(MAX_PAYLOAD);

	(void)arg;
	if (vnr_ring_init(&w, g.mem, g.bytes, VNR_RING_WRITER) != VNR_RING_OK)
		die("writer init failed");
	for (uint64_t seq = 0; seq < g.packets; seq++) {
		uint32_t len = next_len(&rs);
		uint16_t type = (seq & 1) ? VNR_RING_PKT_COMPLETION
					  : VNR_RING_PKT_DATA_INBAND;

		make_payload(buf, seq, len);
		for (;;) {
			uint64_t seen = __atomic_load_n(&g.bell_writer,
							__ATOMIC_ACQUIRE);
			enum vnr_ring_status st;

			st = vnr_ring_write(&w, type, (uint16_t)seq, seq, buf,
					    len);
			if (st == VNR_RING_OK)
				break;
			if (st != VNR_RING_NO_ROOM)
				die("write of packet %" PRIu64 ": status %d",
				    seq, (int)st);
			g.producer.waits++;
			wait_bell(&g.bell_writer, seen, "producer");
		}
		if (vnr_ring_write_needs_signal(&w)) {
			g.producer.signals++;
			ring_bell(&g.bell_reader);
		}
		g.producer.packets++;
		g.producer.bytes += len;
	}
	free(buf);
	return NULL;
}

static void check_packet(const struct vnr_ring_pkt_hdr *h, const uint8_t *buf,
			 uint64_t seq, uint32_t len)
{
	uint64_t got_seq;
	uint32_t sum, got_len;

	if (vnr_ring_payload_len(h) != len)
		die("packet %" PRIu64 ": length %u, expected %u", seq,
		    vnr_ring_payload_len(h), len);
	if (h->txid != seq || h->flags != (uint16_t)seq ||
	    h->type != ((seq & 1) ? VNR_RING_PKT_COMPLETION
				  : VNR_RING_PKT_DATA_INBAND))
		die("packet %" PRIu64 ": header txid %" PRIu64 " type %u", seq,
		    h->txid, h->type);
	memcpy(&got_seq, buf, 8);
	memcpy(&sum, buf + 8, 4);
	memcpy(&got_len, buf + 12, 4);
	if (got_seq != seq || got_len != len)
		die("packet %" PRIu64 ": carries sequence %" PRIu64
		    " length %u",
		    seq, got_seq, got_len);
	if (checksum(buf + MIN_PAYLOAD, len - MIN_PAYLOAD) != sum)
		die("packet %" PRIu64 ": checksum mismatch", seq);
}

static void *consumer(void *arg)
{
	struct vnr_ring r;
	struct vnr_ring_pkt_hdr h;
	uint64_t rs = 0x243F6A8885A308D3ull; /* the producer's lengths */
	uint8_t *buf = malloc(MAX_PAYLOAD);
	uint64_t seq = 0, round = 0;

	(void)arg;
	if (vnr_ring_init(&r, g.mem, g.bytes, VNR_RING_READER) != VNR_RING_OK)
		die("reader init failed");
	for (;;) {
		/* Woken up: drain, masked in most rounds. */
		if (round++ % 4)
			vnr_ring_mask_interrupts(&r);
		for (;;) {
			uint32_t len;
			enum vnr_ring_status st;

			if (seq % 1021 == 0) {
				/* Too small a buffer first: nothing lost. */
				st = vnr_ring_read(&r, &h, buf, 15);
				if (st != VNR_RING_BUF_TOO_SMALL &&
				    st != VNR_RING_EMPTY)
					die("short read of packet %" PRIu64
					    ": status %d",
					    seq, (int)st);
			}
			st = vnr_ring_read(&r, &h, buf, MAX_PAYLOAD);
			if (st == VNR_RING_EMPTY)
				break;
			if (st != VNR_RING_OK)
				die("read of packet %" PRIu64 ": status %d",
				    seq, (int)st);
			len = next_len(&rs);
			check_packet(&h, buf, seq, len);
			if (vnr_ring_read_needs_signal(&r)) {
				g.consumer.signals++;
				ring_bell(&g.bell_writer);
			}
			seq++;
			g.consumer.packets++;
			g.consumer.bytes += len;
		}
		if (seq == g.packets)
			break;
		uint64_t seen =
			__atomic_load_n(&g.bell_reader, __ATOMIC_ACQUIRE);
		if (vnr_ring_unmask_interrupts(&r))
			continue;
		g.consumer.waits++;
		wait_bell(&g.bell_reader, seen, "consumer");
	}
	if (vnr_ring_read(&r, &h, buf, MAX_PAYLOAD) != VNR_RING_EMPTY)
		die("data after the last packet");
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tp, tc;
	double t0, t;

	g.packets = argc > 1 ? strtoull(argv[1], NULL, 0) : 10000000ull;
	g.bytes = VNR_RING_CONTROL_SIZE + DATA_SIZE;
	if (posix_memalign(&g.mem, 4096, g.bytes) ||
	    vnr_ring_format(g.mem, g.bytes) != VNR_RING_OK)
		die("cannot set up the ring");

	t0 = now();
	if (pthread_create(&tc, NULL, consumer, NULL) ||
	    pthread_create(&tp, NULL, producer, NULL))
		die("pthread_create failed");
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	t = now() - t0;

	if (g.consumer.packets != g.packets ||
	    g.consumer.bytes != g.producer.bytes)
		die("consumer got %" PRIu64 " packets of %" PRIu64 ", %" PRIu64
		    " bytes",
		    g.consumer.packets, g.packets, g.consumer.bytes);
	printf("ring_stress: %" PRIu64 " packets, %" PRIu64
	       " payload bytes in %.2f s (%.2f Mpkt/s)\n",
	       g.packets, g.consumer.bytes, t, (double)g.packets / t / 1e6);
	printf("ring_stress: producer %" PRIu64 " signals, %" PRIu64
	       " waits for room; consumer %" PRIu64 " signals, %" PRIu64
	       " waits for data\n",
	       g.producer.signals, g.producer.waits, g.consumer.signals,
	       g.consumer.waits);
	free(g.mem);
	return 0;
}
