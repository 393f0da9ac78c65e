// SPDX-License-Identifier: MIT
/*
 * Host benchmark of the channel ring against Concurrency Kit's SPSC ring.
 *
 * One producer and one consumer thread move packets of 64 B, 1 KiB and
 * 16 KiB payload.  Every variant moves the same bytes the same way: the
 * producer writes the sequence number into its message buffer and hands the
 * buffer over, the consumer checks the sequence number of what it gets.
 *
 *   vnr_ring      the producer copies the payload into the ring
 *                 (vnr_ring_write), the consumer copies it out
 *                 (vnr_ring_read) and checksums its copy.
 *   ck_spsc+copy  the producer copies the payload into a pool buffer and
 *                 enqueues its pointer (ck_ring_enqueue_spsc); the consumer
 *                 dequeues it, copies the payload out and checksums the copy.
 *   ck_spsc       as above, but the consumer checksums the pool buffer in
 *                 place (zero copy on the consumer side, which a ring shared
 *                 between partitions cannot do safely).
 *
 * Both sides poll: the vnr_ring reader keeps interrupts masked and neither
 * side signals, so neither asks vnr_ring_*_needs_signal().  The
 * variants take turns, one run of each per round, so that a change in the
 * machine's load (other builds, other tests) falls on all of them alike.
 * Printed are the median throughput of each variant and the median of the
 * per-round ratios to ck_spsc+copy.
 *
 *   ring_bench [-r runs] [-s scale]
 */
#define _GNU_SOURCE
#include <ck_ring.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vnr_ring.h"

#define RING_DATA (256u * 1024u) /* bytes in flight, about */
#define MAX_RUNS  32

enum variant { V_VNR, V_CK_COPY, V_CK_INPLACE, V_COUNT };

static const char *const variant_names[V_COUNT] = {"vnr_ring", "ck_spsc+copy",
						   "ck_spsc"};

struct run {
	enum variant v;
	uint32_t payload;
	uint64_t packets;
	/* vnr_ring */
	void *mem;
	size_t bytes;
	/* ck */
	ck_ring_t ck;
	ck_ring_buffer_t *ck_buf;
	unsigned int slots;
	uint8_t *pool;
	unsigned int pool_count;
	/* shared */
	uint8_t *src;
	_Alignas(64) int start;
	_Alignas(64) uint64_t sum;
	double seconds;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void relax(unsigned int *spins)
{
	if (++*spins & 255)
		__builtin_ia32_pause();
	else
		sched_yield();
}

/* Touch every byte: the work a consumer does with a payload. */
static uint64_t checksum(const uint8_t *p, uint32_t n)
{
	uint64_t s = 0, w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		s += w;
	}
	for (; n; n--)
		s += *p++;
	return s;
}

static void wait_start(struct run *r)
{
	unsigned int spins = 0;

	while (!__atomic_load_n(&r->start, __ATOMIC_ACQUIRE))
		relax(&spins);
}

static void *producer(void *arg)
{
	struct run *r = arg;
	struct vnr_ring w;
	unsigned int spins = 0;

	if (r->v == V_VNR &&
	    vnr_ring_init(&w, r->mem, r->bytes, VNR_RING_WRITER) != VNR_RING_OK)
		abort();
	wait_start(r);
	for (uint64_t seq = 0; seq < r->packets; seq++) {
		/* The message: the sequence number, then the pattern. */
		memcpy(r->src, &seq, 8);
		if (r->v == V_VNR) {
			while (vnr_ring_write(&w, VNR_RING_PKT_DATA_INBAND, 0,
					      seq, r->src,
					      r->payload) != VNR_RING_OK)
				relax(&spins);
		} else {
			uint8_t *b = r->pool +
				     (seq % r->pool_count) * (size_t)r->payload;

			memcpy(b, r->src, r->payload);
			while (!ck_ring_enqueue_spsc(&r->ck, r->ck_buf, b))
				relax(&spins);
		}
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct run *r = arg;
	struct vnr_ring rd;
	struct vnr_ring_pkt_hdr h;
	uint8_t *buf = aligned_alloc(64, r->payload);
	unsigned int spins = 0;
	uint64_t sum = 0, seq;
	double t0;

	if (r->v == V_VNR) {
		if (vnr_ring_init(&rd, r->mem, r->bytes, VNR_RING_READER) !=
		    VNR_RING_OK)
			abort();
		vnr_ring_mask_interrupts(&rd);
	}
	wait_start(r);
	t0 = now();
	for (uint64_t n = 0; n < r->packets; n++) {
		const uint8_t *p = buf;

		if (r->v == V_VNR) {
			enum vnr_ring_status st;

			while ((st = vnr_ring_read(&rd, &h, buf, r->payload)) ==
			       VNR_RING_EMPTY)
				relax(&spins);
			if (st != VNR_RING_OK)
				abort();
		} else {
			void *b;

			while (!ck_ring_dequeue_spsc(&r->ck, r->ck_buf, &b))
				relax(&spins);
			if (r->v == V_CK_COPY)
				memcpy(buf, b, r->payload);
			else
				p = b;
		}
		memcpy(&seq, p, 8);
		if (seq != n)
			abort();
		sum += checksum(p, r->payload);
	}
	r->seconds = now() - t0;
	r->sum = sum;
	free(buf);
	return NULL;
}

/* CK's ring size for a payload: about RING_DATA bytes, a power of two. */
static unsigned int ck_slots(uint32_t payload)
{
	unsigned int want = RING_DATA / (payload + 24), slots = 16;

	while (slots < want && slots < 4096)
		slots *= 2;
	return slots;
}

/*
 * A vnr_ring grant that holds as many packets as CK's ring (one slot
 * fewer than its size): with the same number in flight, each side of
 * both rings waits for the other equally often.
 */
static size_t vnr_ring_bytes(uint32_t payload)
{
	size_t packet = (VNR_RING_PKT_HDR_SIZE + payload + 7) & ~(size_t)7;

	return VNR_RING_CONTROL_SIZE + (ck_slots(payload) - 1) * packet +
	       VNR_RING_GAP;
}

static double run_once(enum variant v, uint32_t payload, uint64_t packets,
		       uint8_t *src)
{
	struct run *r = aligned_alloc(64, sizeof(*r));
	pthread_t tp, tc;
	double s;

	memset(r, 0, sizeof(*r));
	r->v = v;
	r->payload = payload;
	r->packets = packets;
	r->src = src;
	if (v == V_VNR) {
		r->bytes = vnr_ring_bytes(payload);
		r->mem = aligned_alloc(4096, r->bytes);
		if (vnr_ring_format(r->mem, r->bytes) != VNR_RING_OK)
			abort();
	} else {
		r->slots = ck_slots(payload);
		r->ck_buf = aligned_alloc(64, r->slots * sizeof(*r->ck_buf));
		ck_ring_init(&r->ck, r->slots);
		/* Enough buffers that none in flight is reused. */
		r->pool_count = 2 * r->slots;
		r->pool = aligned_alloc(64, (size_t)r->pool_count * payload);
		memset(r->pool, 0, (size_t)r->pool_count * payload);
	}
	if (pthread_create(&tc, NULL, consumer, r) ||
	    pthread_create(&tp, NULL, producer, r))
		abort();
	usleep(1000);
	__atomic_store_n(&r->start, 1, __ATOMIC_RELEASE);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	s = r->seconds;
	free(r->mem);
	free(r->ck_buf);
	free(r->pool);
	free(r);
	return s;
}

/* One payload size: runs rounds of every variant, then the table rows. */
static void bench_payload(uint32_t payload, uint64_t packets, unsigned int runs)
{
	double t[V_COUNT][MAX_RUNS], ratio[V_COUNT][MAX_RUNS];
	uint8_t *src = malloc(payload);

	for (uint32_t b = 0; b < payload; b++)
		src[b] = (uint8_t)(b * 131u + 7u);
	for (unsigned int k = 0; k < runs; k++) {
		for (int v = 0; v < V_COUNT; v++)
			t[v][k] = run_once((enum variant)v, payload, packets,
					   src);
		for (int v = 0; v < V_COUNT; v++)
			ratio[v][k] = t[V_CK_COPY][k] / t[v][k];
	}
	for (int v = 0; v < V_COUNT; v++) {
		double pps = (double)packets / median(t[v], runs);

		printf("%-8u %-14s %12.3f %12.1f %9.2fx\n", payload,
		       variant_names[v], pps / 1e6,
		       pps * payload / (1024.0 * 1024.0),
		       median(ratio[v], runs));
	}
	free(src);
}

int main(int argc, char **argv)
{
	static const uint32_t payloads[] = {64, 1024, 16384};
	unsigned int runs = 9;
	double scale = 1.0;
	int opt;

	while ((opt = getopt(argc, argv, "r:s:")) != -1) {
		if (opt == 'r')
			runs = (unsigned int)atoi(optarg);
		else if (opt == 's')
			scale = atof(optarg);
		else {
			fprintf(stderr, "usage: %s [-r runs] [-s scale]\n",
				argv[0]);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || scale <= 0) {
		fprintf(stderr, "ring_bench: runs 1..%d, scale > 0\n",
			MAX_RUNS);
		return 2;
	}

	printf("ring_bench: 1 producer + 1 consumer thread, median of %u "
	       "rounds (variants interleaved); the same number of packets in "
	       "flight in both rings, about %u KiB\n",
	       runs, RING_DATA / 1024);
	printf("%-8s %-14s %12s %12s %10s\n", "payload", "ring", "Mpackets/s",
	       "MiB/s", "vs ck+copy");
	for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		uint32_t payload = payloads[i];
		uint64_t packets =
			(uint64_t)(scale * (256.0 * 1024 * 1024) / payload);

		if (packets > (uint64_t)(scale * 4e6))
			packets = (uint64_t)(scale * 4e6);
		if (packets < 1000)
			packets = 1000;
		bench_payload(payload, packets, runs);
	}
	return 0;
}
