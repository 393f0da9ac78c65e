/* SPDX-License-Identifier: MIT */
/*
 * Client of the synthetic console (synthetic-devices/console): text goes
 * to the console service through a channel instead of DEBUG_WRITE.  Like
 * the debug console it is line buffered: a WRITE packet leaves at each
 * '\n' and whenever the buffer fills; the service prints whole lines.
 *
 * One console channel per partition.  vnr_channels_init() must have run.
 */
#ifndef VNR_GUEST_CONSOLE_CHANNEL_H
#define VNR_GUEST_CONSOLE_CHANNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <vnr_guest/channel.h>

/* Waits for the service's offer on msg_conn and opens it. */
bool vnr_console_channel_open(vnr_u32 msg_conn, vnr_u32 event_conn);
void vnr_console_channel_write(const char *s, size_t len);
int vnr_console_channel_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int vnr_console_channel_vprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));
/* Sends the buffered text and asks the service to print a partial line. */
void vnr_console_channel_flush(void);
/* Sends what is buffered and closes the channel. */
void vnr_console_channel_close(void);
/* The channel itself (state, statistics). */
struct vnr_channel *vnr_console_channel(void);

#endif /* VNR_GUEST_CONSOLE_CHANNEL_H */
