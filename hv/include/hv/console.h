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

struct hv_console {
	u32 line_len; /* DEBUG_WRITE line buffer */
	char line[HV_CONSOLE_LINE_MAX];
	u32 uart_len; /* console UART owner: its text, a line at a time */
	char uart_line[HV_CONSOLE_LINE_MAX];
};

#endif /* HV_CONSOLE_H */
