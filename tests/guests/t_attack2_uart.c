// SPDX-License-Identifier: MIT
/*
 * The partition given the console UART fills the hypervisor's line buffer
 * for it (160 bytes without a newline): the hypervisor prints those bytes
 * without ending the terminal line, so the next line printed, its own
 * DEBUG_WRITE line here (another partition's or the hypervisor's just the
 * same), is glued to the owner's text.  The owner's text has no prefix
 * either: a line it starts with "[hv] " reads as the hypervisor's.
 */
#include <vnr_test.h>

#define UART_DATA 0x3F8
#define UART_LINE 160 /* the hypervisor's buffer for the owner's line */

static void uart_put(char c)
{
	asm volatile("outb %0, %1" : : "a"(c), "Nd"(UART_DATA));
}

static void uart_write(const char *s)
{
	while (*s)
		uart_put(*s++);
}

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	vnr_test_begin("t_attack2_uart");
	uart_write("[hv] partition 1 'victim' stopped: forged by the UART "
		   "owner\n");
	for (int i = 0; i < UART_LINE; i++)
		uart_put('A');
	VNR_EXPECT_EQ(vnr_debug_write("glued\n", 6), VNR_STATUS_SUCCESS);
	return vnr_test_done();
}
