/* SPDX-License-Identifier: MIT */
/* "key=value" options in the start info command line, space separated. */
#ifndef VNR_GUEST_CMDLINE_H
#define VNR_GUEST_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <veneer/types.h>

/*
 * The value of key as a decimal or 0x-prefixed hexadecimal number, or def
 * when key is absent or its value is not a number.
 */
vnr_u64 vnr_cmdline_u64(const char *key, vnr_u64 def);

/*
 * Copies the value of key (up to the next space, truncated to size - 1
 * characters) into buf, NUL-terminated; false when key is absent.
 */
bool vnr_cmdline_str(const char *key, char *buf, size_t size);

/*
 * The next item of a comma-separated list such as a value "a,b,c":
 * copies it (truncated to size - 1 characters, size > 0) into item,
 * NUL-terminated, and returns where the rest of the list starts; NULL,
 * with item untouched, when list is at its end.
 */
const char *vnr_list_next(const char *list, char *item, size_t size);

#endif /* VNR_GUEST_CMDLINE_H */
