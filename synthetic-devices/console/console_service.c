// SPDX-License-Identifier: MIT
/*
 * The console service: a partition that owns the 16550 UART (privilege
 * own_devices, io_ports = 0x3f8-0x3ff) and offers one console channel per
 * client.  Each client's text is joined into lines and printed as
 * "<name>: <line>", one whole line at a time, so that the lines of
 * different clients never mix.
 *
 * Command line:
 *   names=a,b,...        client names, in channel order (at most 8)
 *   exit_when_closed=1   exit once every channel was opened and closed
 *
 * Client k (1-based) is reached through connections 2k-1 (its message
 * port) and 2k (its event port) and gets channel id k.  The service's own
 * ports: messages on SINT 2, events on SINT 3.
 */
#include <vnr_guest/guest.h>
#include <vnr_guest/channel.h>
#include <vnr_console/protocol.h>

#define MAX_CLIENTS   8
#define MSG_SINT      2
#define EVENT_SINT    3
#define DRAIN_BATCH   64 /* packets per client before looking at others */
#define UART_BASE     0x3f8
#define UART_THR      0
#define UART_IER      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_THRE 0x20

struct client {
	struct vnr_channel ch;
	char name[VNR_NAME_MAX];
	char line[VNR_CONSOLE_LINE_MAX];
	vnr_u32 len;
	bool reported; /* the close was reported */
};

static struct client clients[MAX_CLIENTS];
static unsigned int client_count;

static void outb(vnr_u16 port, vnr_u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static vnr_u8 inb(vnr_u16 port)
{
	vnr_u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* 115200 8N1 with FIFOs, the setting the firmware and hypervisor use. */
static void uart_init(void)
{
	outb(UART_BASE + UART_IER, 0);
	outb(UART_BASE + UART_LCR, 0x80);
	outb(UART_BASE + UART_THR, 1);
	outb(UART_BASE + UART_IER, 0);
	outb(UART_BASE + UART_LCR, 0x03);
	outb(UART_BASE + UART_FCR, 0x07);
	outb(UART_BASE + UART_MCR, 0x03);
}

static void uart_write(const char *s, size_t len)
{
	while (len--) {
		while (!(inb(UART_BASE + UART_LSR) & UART_LSR_THRE))
			;
		outb(UART_BASE + UART_THR, (vnr_u8)*s++);
	}
}

static void uart_puts(const char *s)
{
	uart_write(s, strlen(s));
}

static void print_line(struct client *c)
{
	uart_puts(c->name);
	uart_write(": ", 2);
	uart_write(c->line, c->len);
	uart_write("\n", 1);
	c->len = 0;
}

/* Text of a WRITE packet: lines end at '\n' or when the buffer is full. */
static void take_text(struct client *c, const char *text, vnr_u32 len)
{
	vnr_u32 i;

	for (i = 0; i < len; i++) {
		char ch = text[i];

		if (ch == '\n') {
			print_line(c);
			continue;
		}
		/* Control characters could forge another client's line. */
		c->line[c->len++] = ch >= 0x20 && ch < 0x7f ? ch : '?';
		if (c->len == VNR_CONSOLE_LINE_MAX)
			print_line(c);
	}
}

/* Returns true if it took at least one packet. */
static bool drain(struct client *c)
{
	static char buf[VNR_CONSOLE_WRITE_MAX];
	unsigned int n;
	vnr_u32 len;
	vnr_u16 type;

	for (n = 0; n < DRAIN_BATCH; n++) {
		enum vnr_channel_result r =
			vnr_channel_recv(&c->ch, &type, buf, sizeof(buf), &len);

		if (r == VNR_CHANNEL_TOO_BIG)
			continue;
		if (r != VNR_CHANNEL_OK)
			break;
		if (type == VNR_CONSOLE_PKT_WRITE)
			take_text(c, buf, len);
		else if (type == VNR_CONSOLE_PKT_FLUSH && c->len)
			print_line(c);
	}
	return n > 0;
}

static void report_close(struct client *c)
{
	static const char *const reasons[] = {"normal", "corrupted"};
	vnr_u32 reason = c->ch.close_reason;

	if (c->len)
		print_line(c);
	uart_puts("console: ");
	uart_puts(c->name);
	uart_puts(" closed (");
	uart_puts(reason < 2 ? reasons[reason] : "unknown");
	uart_puts(")\n");
	c->reported = true;
}

/* Splits "a,b,c" into the client names. */
static void parse_names(const char *list)
{
	while (client_count < MAX_CLIENTS &&
	       (list = vnr_list_next(list, clients[client_count].name,
				     sizeof(clients[0].name))))
		client_count++;
}

static bool offer_all(void)
{
	static const struct vnr_guid console_class = VNR_CONSOLE_CLASS;
	unsigned int k;

	for (k = 0; k < client_count; k++) {
		struct vnr_guid instance = {{(vnr_u8)(k + 1)}};

		if (vnr_channel_offer(&clients[k].ch, k + 1, 2 * k + 1,
				      2 * k + 2, &console_class,
				      &instance) != VNR_STATUS_SUCCESS)
			return false;
	}
	return true;
}

/* One pass over the clients; returns whether all are closed and reported. */
static bool serve(bool *busy)
{
	bool all_closed = true;
	unsigned int k;

	for (k = 0; k < client_count; k++) {
		struct client *c = &clients[k];

		if (drain(c))
			*busy = true;
		if (c->ch.state == VNR_CHSTATE_CLOSED && !c->reported)
			report_close(c);
		if (!c->reported)
			all_closed = false;
	}
	return all_closed;
}

int vnr_main(const struct vnr_start_info *si)
{
	static char names[VNR_CMDLINE_MAX];
	bool exit_when_closed = vnr_cmdline_u64("exit_when_closed", 0);

	(void)si;
	uart_init();
	if (!vnr_cmdline_str("names", names, sizeof(names)))
		names[0] = '\0';
	parse_names(names);
	if (!client_count || !vnr_channels_init(MSG_SINT, EVENT_SINT) ||
	    !offer_all()) {
		uart_puts("console: cannot start (names=, SynIC, ports)\n");
		return 1;
	}
	for (;;) {
		bool busy = vnr_channels_poll();

		if (serve(&busy) && exit_when_closed)
			return 0;
		if (!busy)
			vnr_channels_wait();
	}
}
