/* SPDX-License-Identifier: MIT */
/*
 * The string and memory functions core code may use.  hv.efi links
 * hv/lib/string.c; the hosted build uses the C library's versions.
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <hv/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#ifndef HV_HOSTED
/*
 * -ffreestanding turns builtins off; these two are hot (hypercall inputs,
 * messages), so let the compiler inline them.  Calls it does not inline
 * still reach the out-of-line memcpy and memset.
 */
#define memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define memset(d, c, n) __builtin_memset((d), (c), (n))
#endif

/* Copies at most size - 1 bytes and always terminates; returns strlen(src). */
size_t hv_strlcpy(char *dst, const char *src, size_t size);

#endif /* HV_STRING_H */
