// SPDX-License-Identifier: MIT
/* Line-buffered console on DEBUG_WRITE. */
#include <vnr_guest/guest.h>

static struct vnr_debug_write_input line
	__attribute__((aligned(VNR_PAGE_SIZE)));

void vnr_console_flush(void)
{
	if (!line.length)
		return;
	/* Nothing useful can be done if the write is refused. */
	vnr_hypercall_memory(VNR_CALL_DEBUG_WRITE, &line, NULL);
	line.length = 0;
}

void vnr_putc(char c)
{
	line.data[line.length++] = c;
	if (c == '\n' || line.length == VNR_DEBUG_WRITE_MAX)
		vnr_console_flush();
}

void vnr_console_write(const char *s, size_t len)
{
	while (len--)
		vnr_putc(*s++);
}
