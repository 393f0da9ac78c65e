// SPDX-License-Identifier: MIT
/* Statistics and gates shared by the benchmark partitions (bench.h). */
#include "bench.h"

#define OVERHEAD_SAMPLES 101

/* Shell sort: a few thousand samples at most. */
static void sort(vnr_u64 *v, vnr_u32 n)
{
	static const vnr_u32 gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};

	for (vnr_u32 g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		vnr_u32 gap = gaps[g];

		for (vnr_u32 i = gap; i < n; i++) {
			vnr_u64 x = v[i];
			vnr_u32 j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

vnr_u64 bench_rdtsc_overhead(void)
{
	static vnr_u64 v[OVERHEAD_SAMPLES];

	for (int i = 0; i < OVERHEAD_SAMPLES; i++) {
		vnr_u64 t0 = vnr_rdtsc();

		v[i] = vnr_rdtsc() - t0;
	}
	sort(v, OVERHEAD_SAMPLES);
	return v[OVERHEAD_SAMPLES / 2];
}

static vnr_u64 less(vnr_u64 x, vnr_u64 overhead)
{
	return x > overhead ? x - overhead : 0;
}

vnr_u64 bench_report(const char *name, vnr_u64 *v, vnr_u32 n, vnr_u64 overhead)
{
	vnr_u64 median;

	if (!n) {
		bench_unmeasured(name, "no samples");
		return 0;
	}
	sort(v, n);
	median = less(v[n / 2], overhead);
	vnr_printf("BENCH %s median=%lu min=%lu max=%lu samples=%u\n", name,
		   median, less(v[0], overhead), less(v[n - 1], overhead), n);
	return median;
}

void bench_value(const char *name, vnr_u64 value)
{
	vnr_printf("BENCH %s value=%lu\n", name, value);
}

void bench_unmeasured(const char *name, const char *why)
{
	vnr_printf("BENCH %s unmeasured: %s\n", name, why);
}

bool bench_gate_wait(unsigned int sint, vnr_u64 timeout_ms, vnr_u64 settle_ms)
{
	vnr_u64 timeout = timeout_ms * VNR_TICKS_PER_MS;
	vnr_u64 start = vnr_reference_time(), now;
	struct vnr_message m;
	bool go = false;

	while (!go) {
		while (!go && vnr_message_take(sint, &m))
			go = m.header.message_type == BENCH_MSG_GO;
		if (go)
			break;
		now = vnr_reference_time();
		if (now - start >= timeout) {
			vnr_printf("bench: no go-ahead after %lu ms, going on "
				   "anyway\n",
				   timeout_ms);
			break;
		}
		/* A message in the slot ends the halt at once. */
		vnr_vp_halt(start + timeout - now);
	}
	bench_sleep_ms(settle_ms);
	return go;
}

void bench_sleep_ms(vnr_u64 ms)
{
	vnr_u64 end = vnr_reference_time() + ms * VNR_TICKS_PER_MS, now;

	while ((now = vnr_reference_time()) < end)
		vnr_vp_halt(end - now);
}

void bench_gate_open(vnr_u32 connection)
{
	enum vnr_status st;

	if (!connection)
		return;
	st = vnr_post_message(connection, BENCH_MSG_GO, NULL, 0);
	if (st != VNR_STATUS_SUCCESS)
		vnr_printf("bench: go-ahead on connection %u: status %u\n",
			   connection, st);
}
