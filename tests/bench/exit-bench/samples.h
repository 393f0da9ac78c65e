/* SPDX-License-Identifier: MIT */
/* Sample statistics of the exit benchmarks. */
#ifndef EXIT_BENCH_SAMPLES_H
#define EXIT_BENCH_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) (n > 0) and returns its median, the upper one for even n. */
uint64_t samples_median(uint64_t *v, size_t n);

#endif /* EXIT_BENCH_SAMPLES_H */
