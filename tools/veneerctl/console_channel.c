// SPDX-License-Identifier: MIT
/*
 * The console device's backend in the monitor (synthetic-devices/console
 * protocol): the text of each WRITE packet the partition sends on its
 * console channel goes to the partition's console (console_log.c), which
 * filters it as it filters DEBUG_WRITE bytes.  FLUSH ends a partial line.
 * Packets of other types are skipped, as the protocol says.
 */
#include "veneerctl.h"

#include <stddef.h>
#include <vnr_console/protocol.h>

/* Packets one serve() reads, each up to VNR_CONSOLE_WRITE_MAX bytes. */
#define CONSOLE_PACKETS 64

static struct ctl_console_channel *of(struct ctl_channel *ch)
{
	return (struct ctl_console_channel
			*)((char *)ch -
			   offsetof(struct ctl_console_channel, ch));
}

static void show(struct ctl_console_channel *cc, const char *text, vnr_u32 len)
{
	if (!len)
		return;
	ctl_console_guest(cc->console, text, len);
	cc->mid_line = text[len - 1] != '\n';
}

static void end_line(struct ctl_console_channel *cc)
{
	if (cc->mid_line)
		show(cc, "\n", 1);
}

static int serve(struct ctl_channel *ch)
{
	struct ctl_console_channel *cc = of(ch);
	char text[VNR_CONSOLE_WRITE_MAX];
	struct vnr_ring_pkt_hdr hdr;
	enum vnr_ring_status st;

	/* Bounded, as serve() must be: the channel layer calls again. */
	for (int n = 0; n < CONSOLE_PACKETS; n++) {
		st = vnr_ring_read(&ch->rx, &hdr, text, sizeof(text));
		if (st == VNR_RING_BUF_TOO_SMALL) {
			vnr_ring_skip(&ch->rx); /* not a console packet */
			continue;
		}
		if (st != VNR_RING_OK)
			break;
		if (hdr.type == VNR_CONSOLE_PKT_WRITE)
			show(cc, text, vnr_ring_payload_len(&hdr));
		else if (hdr.type == VNR_CONSOLE_PKT_FLUSH)
			end_line(cc);
	}
	if (vnr_ring_read_needs_signal(&ch->rx))
		ctl_channel_signal(ch);
	return 0;
}

static void closed(struct ctl_channel *ch, vnr_u32 reason)
{
	struct ctl_console_channel *cc = of(ch);

	end_line(cc);
	if (reason != VNR_CHANNEL_CLOSE_NORMAL)
		ctl_console_note(cc->console,
				 "console channel closed: its ring was "
				 "corrupted");
}

int ctl_console_channel_add(struct ctl_console_channel *cc,
			    struct ctl_channels *set,
			    struct ctl_console *console, char *err, size_t size)
{
	static const struct vnr_guid console_class = VNR_CONSOLE_CLASS;

	*cc = (struct ctl_console_channel){
		.ch = {.device_class = console_class,
		       .instance = {{1}},
		       .serve = serve,
		       .wait_fd = -1,
		       .closed = closed},
		.console = console,
	};
	return ctl_channel_add(set, &cc->ch, err, size);
}
