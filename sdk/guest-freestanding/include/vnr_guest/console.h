/* SPDX-License-Identifier: MIT */
/*
 * Console output through DEBUG_WRITE.
 *
 * Text collects in a page-aligned struct vnr_debug_write_input of its own
 * and goes out at each '\n', when the page is full, on vnr_console_flush()
 * and before the partition exits.  Without the DEBUG_CONSOLE privilege the
 * text is dropped.
 *
 * vnr_printf() knows %d %i %u %x %X %p %s %c %% with the flags '0' and '-',
 * a field width and the length modifiers l, ll and z.
 */
#ifndef VNR_GUEST_CONSOLE_H
#define VNR_GUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void vnr_putc(char c);
void vnr_console_write(const char *s, size_t len);
void vnr_console_flush(void);
int vnr_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vnr_vprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/* The formatter behind vnr_printf(), for other character sinks. */
typedef void (*vnr_format_sink)(char c, void *ctx);
int vnr_vformat(vnr_format_sink put, void *ctx, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif /* VNR_GUEST_CONSOLE_H */
