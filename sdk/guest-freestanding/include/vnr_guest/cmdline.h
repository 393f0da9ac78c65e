/* SPDX-License-Identifier: MIT */
/* "key=value" options in the start info command line, space separated. */
#ifndef VNR_GUEST_CMDLINE_H
#define VNR_GUEST_CMDLINE_H

#include <veneer/types.h>

/*
 * The value of key as a decimal or 0x-prefixed hexadecimal number, or def
 * when key is absent or its value is not a number.
 */
vnr_u64 vnr_cmdline_u64(const char *key, vnr_u64 def);

#endif /* VNR_GUEST_CMDLINE_H */
