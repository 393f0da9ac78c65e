/* SPDX-License-Identifier: MIT */
/*
 * What the benchmark partitions share: sample statistics printed for
 * run-bench.sh, and the gate that makes the benchmark groups of one boot
 * run one after the other.
 *
 * Under QEMU -icount shift=0 the TSC advances by one per emulated
 * instruction (guest and hypervisor alike, whichever partition runs), so
 * every figure is a count of emulated instructions.
 *
 * Lines for run-bench.sh:
 *
 *   BENCH <name> median=<n> min=<n> max=<n> samples=<n>
 *   BENCH <name> value=<n>
 *   BENCH <name> unmeasured: <why>
 */
#ifndef BENCH_H
#define BENCH_H

#include <vnr_guest/guest.h>

/* The message type of a gate's go-ahead. */
#define BENCH_MSG_GO 0x474f

/* Median cost of an empty measurement (two RDTSCs back to back). */
vnr_u64 bench_rdtsc_overhead(void);

/*
 * Sorts v[0..n) and prints its median, minimum and maximum, each less
 * overhead (clamped at 0).  Returns the median.
 */
vnr_u64 bench_report(const char *name, vnr_u64 *v, vnr_u32 n, vnr_u64 overhead);
void bench_value(const char *name, vnr_u64 value);
void bench_unmeasured(const char *name, const char *why);

/*
 * Gates: a partition waits for the go-ahead of the group before it (a
 * message on `sint`, which may stay masked) and gives it to the group
 * after it when done.  The SynIC must be set up (vnr_synic_init()).
 *
 * bench_gate_wait() halts until the message arrives or timeout_ms of
 * reference time have passed since it was called, then halts settle_ms
 * more so that the partitions of the group before can finish.  Returns
 * false on a timeout (the caller goes on anyway).
 */
bool bench_gate_wait(unsigned int sint, vnr_u64 timeout_ms, vnr_u64 settle_ms);
/* Posts the go-ahead on connection (0: none). */
void bench_gate_open(vnr_u32 connection);

/* Halts for ms of reference time (other partitions run meanwhile). */
void bench_sleep_ms(vnr_u64 ms);

#endif /* BENCH_H */
