/* SPDX-License-Identifier: MIT */
/*
 * The string and memory functions core code may use.  hv.efi links
 * libvnr's (memcpy and memset are gnu-efi's); the hosted build uses the C
 * library's versions.
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <hv/types.h>
#include <libvnr/string.h>

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
