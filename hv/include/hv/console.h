/* SPDX-License-Identifier: MIT */
/*
 * A partition's text on the hypervisor console: what it writes with
 * DEBUG_WRITE and, if it owns the console UART, what it sends there, each
 * gathered into whole lines so that lines of different partitions never
 * mix (hv/core/console.c).
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

#define HV_CONSOLE_LINE_MAX 160

struct hv_partition;

/* Text gathered until its line ends or the buffer is full. */
struct hv_console_line {
	u32 len;
	char text[HV_CONSOLE_LINE_MAX];
};

struct hv_console {
	struct hv_console_line debug; /* what DEBUG_WRITE sends */
	struct hv_console_line uart;  /* what the console UART's owner sends */
};

/*
 * Adds one byte of p's text to line: a newline, or a full buffer, prints
 * the line as "[name] text"; other bytes pass hv_console_safe_char()
 * first, and a byte it drops adds nothing.
 */
void console_put(struct hv_partition *p, struct hv_console_line *line, u8 c);

#endif /* HV_CONSOLE_H */
