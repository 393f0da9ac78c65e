/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor log.  Every line goes to the console that the arch layer
 * provides (the serial port on x86) and is prefixed with "[hv] ".
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <hv/types.h>

void hv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_vlog(const char *fmt, va_list ap);

/* Raw bytes to the console, as they are: the arch layer implements it. */
void hv_console_write(const char *s, size_t n);

#endif /* HV_LOG_H */
