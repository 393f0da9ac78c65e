/* SPDX-License-Identifier: MIT */
/* Shared helpers of the libFuzzer targets. */
#ifndef TESTS_FUZZ_UTIL_H
#define TESTS_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

/* A property every input must keep: abort (a finding) when it does not. */
#define FUZZ_ASSERT(cond)                                                 \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: property violated: %s\n", \
				__FILE__, __LINE__, #cond);               \
			abort();                                          \
		}                                                         \
	} while (0)

#define FUZZ_GUARD (64u * 1024u)

/*
 * size bytes (a multiple of 4 KiB) with inaccessible guard regions of
 * FUZZ_GUARD bytes on both sides: any access just outside faults at once.
 */
static inline unsigned char *fuzz_guarded_alloc(size_t size)
{
	unsigned char *base =
		mmap(NULL, size + 2 * FUZZ_GUARD, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED)
		abort();
	if (mprotect(base, FUZZ_GUARD, PROT_NONE) ||
	    mprotect(base + FUZZ_GUARD + size, FUZZ_GUARD, PROT_NONE))
		abort();
	return base + FUZZ_GUARD;
}

#endif /* TESTS_FUZZ_UTIL_H */
