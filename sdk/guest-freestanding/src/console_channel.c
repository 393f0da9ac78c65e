// SPDX-License-Identifier: MIT
/* Line-buffered text to the console service over a channel. */
#include <vnr_guest/guest.h>
#include <vnr_guest/console_channel.h>
#include <vnr_console/protocol.h>

#define SEND_PAGES  4
#define RECV_PAGES  2 /* the service sends nothing; the minimum ring */
#define BUFFER_SIZE 128

static vnr_u8 rings[SEND_PAGES + RECV_PAGES][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static struct vnr_channel channel;
static char buffer[BUFFER_SIZE];
static vnr_u32 buffered;

struct vnr_channel *vnr_console_channel(void)
{
	return &channel;
}

bool vnr_console_channel_open(vnr_u32 msg_conn, vnr_u32 event_conn)
{
	static const struct vnr_guid console_class = VNR_CONSOLE_CLASS;

	return vnr_channel_connect(
		       &channel, msg_conn, event_conn, &console_class, rings,
		       SEND_PAGES + RECV_PAGES, SEND_PAGES) == VNR_CHANNEL_OK;
}

/* Text written while the channel is closed is dropped. */
static void send_buffer(void)
{
	if (buffered)
		vnr_channel_send_wait(&channel, VNR_CONSOLE_PKT_WRITE, buffer,
				      buffered);
	buffered = 0;
}

static void put(char c, void *ctx)
{
	(void)ctx;
	buffer[buffered++] = c;
	if (c == '\n' || buffered == BUFFER_SIZE)
		send_buffer();
}

void vnr_console_channel_write(const char *s, size_t len)
{
	while (len--)
		put(*s++, NULL);
}

int vnr_console_channel_vprintf(const char *fmt, va_list ap)
{
	return vnr_vformat(put, NULL, fmt, ap);
}

int vnr_console_channel_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vnr_console_channel_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void vnr_console_channel_flush(void)
{
	send_buffer();
	vnr_channel_send_wait(&channel, VNR_CONSOLE_PKT_FLUSH, NULL, 0);
}

void vnr_console_channel_close(void)
{
	send_buffer();
	vnr_channel_close(&channel);
}
