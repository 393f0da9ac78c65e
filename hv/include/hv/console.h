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
struct hv_vp;

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
/*
 * A byte vp's emulated UART sends (docs/spec/pc-platform.md): to its
 * partition's console, or, for a child the root dispatches, a line at a
 * time (or a full buffer) to the root's console service, unfiltered, as
 * DEBUG_WRITE's bytes go there; the record ends the VP's run.  Without
 * the debug_console privilege, which DEBUG_WRITE needs too, the byte is
 * dropped.
 */
void console_uart_put(struct hv_vp *vp, u8 c);

#endif /* HV_CONSOLE_H */
