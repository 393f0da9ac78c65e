// SPDX-License-Identifier: MIT
/*
 * Measures, from inside a partition, what the basic operations cost: the
 * null hypercall round trip, a CPUID exit and a 32-byte DEBUG_WRITE, in
 * emulated instructions (bench.h), with the cost of the two RDTSCs around
 * each sample already subtracted.
 *
 * Command line: settle_ms=N (halt that long first, so that the other
 * partitions of the boot are done starting), next=C (then post the
 * go-ahead on connection C).
 */
#include "bench.h"

#define SAMPLES 501

static vnr_u64 samples[SAMPLES];

#define MEASURE(stmt)                          \
	for (int i = 0; i < SAMPLES; i++) {    \
		vnr_u64 t0 = vnr_rdtsc();      \
		stmt;                          \
		samples[i] = vnr_rdtsc() - t0; \
	}

int vnr_main(const struct vnr_start_info *si)
{
	static const char line[] = "bench: a 32-byte console line...\n";
	vnr_u64 settle = vnr_cmdline_u64("settle_ms", 0), overhead;

	(void)si;
	bench_sleep_ms(settle);
	overhead = bench_rdtsc_overhead();
	bench_value("rdtsc_pair", overhead);

	MEASURE(vnr_null_call());
	bench_report("null_hypercall", samples, SAMPLES, overhead);
	MEASURE(vnr_cpuid(VNR_CPUID_LEAF_VENDOR, 0));
	bench_report("cpuid_exit", samples, SAMPLES, overhead);
	MEASURE(vnr_debug_write(line, sizeof(line) - 1));
	bench_report("debug_write_32B", samples, SAMPLES, overhead);

	bench_gate_open((vnr_u32)vnr_cmdline_u64("next", 0));
	return 0;
}
