// SPDX-License-Identifier: MIT
/*
 * memset and memcpy, byte at a time: small beats fast for the guests.  The
 * hypervisor does not build this file: gnu-efi's libefi, which hv.efi links
 * anyway, has them, and two definitions would not link.
 */
#include <libvnr/string.h>

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
