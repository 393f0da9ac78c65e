/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor log.  Every line goes to the console that the arch layer
 * provides (the serial port on x86) and is prefixed with "[hv] ".
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <hv/types.h>

/*
 * Formats one line (hv/format.h's conversions, at most 255 bytes, longer
 * lines cut) and writes it after "[hv] "; fmt ends the line with its own
 * newline.  Callable from any context after boot, exit and interrupt
 * handlers included.
 */
void hv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hv_vlog(const char *fmt, va_list ap);

/* Bytes of the hypervisor's own log ring (a power of two). */
#define HV_LOG_RING_SIZE 65536

/*
 * Raw bytes to the console, as they are: into the log ring, and out
 * through arch_console_write (hv/arch.h).
 */
void hv_console_write(const char *s, size_t n);
/*
 * Copies up to size bytes of the ring from byte *pos of the log (counted
 * from the first byte ever written) into out and advances *pos.  A *pos
 * whose bytes were overwritten skips ahead to the oldest byte kept.
 * Returns the number of bytes copied, 0 when *pos is at the end.
 */
size_t hv_log_ring_read(u64 *pos, char *out, size_t size);

/*
 * A byte of partition text as the console may show it: printable ASCII
 * (0x20-0x7E) and TAB pass, CR gives 0 (drop it: the console ends each
 * line itself), every other byte becomes '?'.  Newline is the caller's
 * line end and never reaches this.
 */
char hv_console_safe_char(u8 c);

#endif /* HV_LOG_H */
