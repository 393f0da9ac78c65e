/* SPDX-License-Identifier: MIT */
/*
 * A small printf for the hypervisor: %d %i %u %x %X %p %s %c %% with the
 * flags '0' and '-', a field width, and the length modifiers l, ll, z.
 */
#ifndef HV_FORMAT_H
#define HV_FORMAT_H

#include <hv/types.h>

/* Formats into buf (always terminated); returns the untruncated length. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* HV_FORMAT_H */
