// SPDX-License-Identifier: MIT
/*
 * Writes every byte value 0..255 with DEBUG_WRITE, in one call, between
 * two markers; with uart=1 on the command line through the console UART's
 * data register instead (the partition is given the UART).  The cases
 * check what the console shows: printable ASCII and TAB as they are, CR
 * dropped, every other byte as '?' (newline ends the line), so no byte
 * can drive the terminal.
 */
#include <vnr_test.h>

#define UART_DATA 0x3F8

static void uart_write(const char *s, vnr_u32 n)
{
	for (vnr_u32 i = 0; i < n; i++)
		asm volatile("outb %0, %1" : : "a"(s[i]), "Nd"(UART_DATA));
}

int vnr_main(const struct vnr_start_info *si)
{
	static char bytes[7 + 256 + 5];
	vnr_u32 n = 0;

	(void)si;
	vnr_test_begin("t_console_bytes");
	for (const char *m = "bytes: "; *m; m++)
		bytes[n++] = *m;
	for (unsigned int b = 0; b < 256; b++)
		bytes[n++] = (char)b;
	for (const char *m = " end\n"; *m; m++)
		bytes[n++] = *m;
	if (vnr_cmdline_u64("uart", 0))
		uart_write(bytes, n);
	else
		VNR_EXPECT_EQ(vnr_debug_write(bytes, n), VNR_STATUS_SUCCESS);
	return vnr_test_done();
}
