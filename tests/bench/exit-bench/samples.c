// SPDX-License-Identifier: MIT
/* The median of the exit benchmarks' samples. */
#include "samples.h"

#include <stdlib.h>

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

uint64_t samples_median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_u64);
	return v[n / 2];
}
