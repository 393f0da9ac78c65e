/* SPDX-License-Identifier: MIT */
/*
 * The string functions a freestanding build needs; GCC emits calls to the
 * mem* ones for structure copies even with -fno-builtin.  src/string.c
 * defines them all but memcpy and memset, which src/memory.c defines for
 * consumers that have no other copy of them.
 */
#ifndef LIBVNR_STRING_H
#define LIBVNR_STRING_H

#include <stddef.h>

/* As ISO C specifies them; the mem* ones accept n == 0 with any pointer. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *haystack, const char *needle);

#endif /* LIBVNR_STRING_H */
