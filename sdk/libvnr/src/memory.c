// SPDX-License-Identifier: MIT
/*
 * memset and memcpy.  Backends copy whole sectors and pages (the block
 * service's data area), so the bulk of an aligned range moves 8 bytes at
 * a time; the rest, and any range whose addresses are not 8-byte aligned
 * alike, byte at a time.  The hypervisor does not build this file: gnu-efi's
 * libefi, which hv.efi links anyway, has them, and two definitions would
 * not link.
 */
#include <libvnr/string.h>

#define WORD sizeof(unsigned long)

static int aligned(const void *p)
{
	return ((unsigned long)p & (WORD - 1)) == 0;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (aligned(d)) {
		unsigned long w = (unsigned char)c * 0x0101010101010101ul;

		for (; n >= WORD; n -= WORD, d += WORD)
			*(unsigned long *)(void *)d = w;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (aligned(d) && aligned(s))
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(unsigned long *)(void *)d =
				*(const unsigned long *)(const void *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}
