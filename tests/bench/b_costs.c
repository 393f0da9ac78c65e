// SPDX-License-Identifier: MIT
/*
 * Measures, from inside a partition, what the basic operations cost.  Run
 * under QEMU with -icount shift=0 the TSC advances by one per emulated
 * instruction, so every figure is a count of emulated instructions
 * (guest and hypervisor together) rather than a time.
 *
 * Prints "BENCH <name> median=<n> min=<n> max=<n> samples=<n>", with the
 * cost of the two RDTSCs around each sample already subtracted.
 */
#include <vnr_guest/guest.h>

#define SAMPLES 501

static vnr_u64 samples[SAMPLES];

static void sort(vnr_u64 *v, int n)
{
	for (int i = 1; i < n; i++) {
		vnr_u64 x = v[i];
		int j = i - 1;

		for (; j >= 0 && v[j] > x; j--)
			v[j + 1] = v[j];
		v[j + 1] = x;
	}
}

static vnr_u64 report(const char *name, vnr_u64 overhead)
{
	vnr_u64 median;

	sort(samples, SAMPLES);
	median = samples[SAMPLES / 2] - overhead;
	vnr_printf("BENCH %s median=%lu min=%lu max=%lu samples=%d\n", name,
		   median, samples[0] - overhead,
		   samples[SAMPLES - 1] - overhead, SAMPLES);
	return median;
}

#define MEASURE(stmt)                          \
	for (int i = 0; i < SAMPLES; i++) {    \
		vnr_u64 t0 = vnr_rdtsc();      \
		stmt;                          \
		samples[i] = vnr_rdtsc() - t0; \
	}

int vnr_main(const struct vnr_start_info *si)
{
	static const char line[] = "bench: a 32-byte console line...\n";
	vnr_u64 overhead;

	(void)si;
	MEASURE((void)0);
	sort(samples, SAMPLES);
	overhead = samples[SAMPLES / 2];
	vnr_printf("BENCH rdtsc_pair median=%lu\n", overhead);

	MEASURE(vnr_null_call());
	report("null_hypercall", overhead);
	MEASURE(vnr_cpuid(VNR_CPUID_LEAF_VENDOR, 0));
	report("cpuid_exit", overhead);
	MEASURE(vnr_debug_write(line, sizeof(line) - 1));
	report("debug_write_32B", overhead);
	return 0;
}
