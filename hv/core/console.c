/* SPDX-License-Identifier: MIT */
/*
 * The partition console: partition output on the hypervisor console, one
 * line at a time, each prefixed with the partition's name, so that lines
 * of different partitions never mix.  DEBUG_WRITE feeds it, and so does
 * the console UART's owner.
 */
#include <hv/dispatch.h>
#include <hv/hypercall_calls.h>
#include <hv/log.h>
#include <hv/string.h>

/*
 * C0 controls (but TAB), DEL and every byte above 0x7E could drive the
 * terminal: 0x9B is CSI on an 8-bit terminal, and 0xC2 0x9B on a UTF-8
 * one, so no byte outside ASCII passes, not even as part of UTF-8.
 */
char hv_console_safe_char(u8 c)
{
	if (c == '\r')
		return 0;
	return (c >= 0x20 && c <= 0x7E) || c == '\t' ? (char)c : '?';
}

void partition_console_line(const struct hv_partition *p, const char *text,
			    u32 len)
{
	hv_console_write("[", 1);
	hv_console_write(p->name, strnlen(p->name, sizeof(p->name)));
	hv_console_write("] ", 2);
	hv_console_write(text, len);
	hv_console_write("\n", 1);
}

static void flush_line(struct hv_partition *p, struct hv_console_line *line)
{
	partition_console_line(p, line->text, line->len);
	line->len = 0;
}

void console_put(struct hv_partition *p, struct hv_console_line *line, u8 c)
{
	char ch;

	if (c == '\n') {
		flush_line(p, line);
		return;
	}
	ch = hv_console_safe_char(c);
	if (!ch)
		return;
	line->text[line->len++] = ch;
	if (line->len == sizeof(line->text))
		flush_line(p, line);
}

/*
 * A child the root dispatches writes to the root's console service: the
 * bytes, unfiltered, end its VP_RUN (the root shows them as it likes).
 */
static void to_dispatcher(struct hv_vp *vp, const char *data, u32 len)
{
	struct vnr_run_exit *rec = dispatch_record(vp);

	memcpy(rec->data, data, len);
	rec->length = len;
	dispatch_end(vp, VNR_RUN_EXIT_CONSOLE);
}

void console_uart_put(struct hv_vp *vp, u8 c)
{
	struct hv_console_line *line = &vp->partition->console.uart;

	if (!(vp->partition->privileges & VNR_PRIV_MASK(DEBUG_CONSOLE)))
		return;
	if (!dispatch_is_dispatched(vp)) {
		console_put(vp->partition, line, c);
		return;
	}
	line->text[line->len++] = (char)c;
	if (c == '\n' || line->len == sizeof(line->text)) {
		to_dispatcher(vp, line->text, line->len);
		line->len = 0;
	}
}

enum vnr_status call_debug_write(struct hv_call *call)
{
	const struct vnr_debug_write_input *in = call->input;
	struct hv_partition *p = call->vp->partition;
	const char *data;

	/* The whole structure lives in one page: it must start one. */
	if (!IS_ALIGNED(call->input_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->reserved || in->length > VNR_DEBUG_WRITE_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	/* In the same RAM page as the header, which was validated. */
	data = partition_gpa_to_host(p, call->input_gpa + IN_DEBUG_WRITE,
				     in->length);
	if (dispatch_is_dispatched(call->vp)) {
		to_dispatcher(call->vp, data, in->length);
		return VNR_STATUS_SUCCESS;
	}
	for (u32 i = 0; i < in->length; i++)
		console_put(p, &p->console.debug, (u8)data[i]);
	return VNR_STATUS_SUCCESS;
}

/*
 * A dispatched child's UART line holds its bytes as written, for the
 * root; on the hypervisor console they pass the filter first (the bytes
 * of any other line already have: filtering them again changes nothing).
 */
static void filter_line(struct hv_console_line *line)
{
	u32 n = 0;

	for (u32 i = 0; i < line->len; i++) {
		char ch = hv_console_safe_char((u8)line->text[i]);

		if (ch)
			line->text[n++] = ch;
	}
	line->len = n;
}

void partition_flush_debug(struct hv_partition *p)
{
	if (p->console.debug.len)
		flush_line(p, &p->console.debug);
	filter_line(&p->console.uart);
	if (p->console.uart.len) /* the console UART owner's unfinished line */
		flush_line(p, &p->console.uart);
}
