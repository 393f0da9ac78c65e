// SPDX-License-Identifier: MIT
/*
 * The console UART's owner reaches the UART's other registers directly:
 * only the data register is intercepted.  It sets the line control
 * register's divisor latch bit and leaves it set, so every byte the
 * hypervisor then writes to the data register (its own lines and every
 * partition's) goes into the divisor latch instead of onto the line.
 */
#include <vnr_test.h>

#define UART_LCR 0x3FB
#define LCR_DLAB 0x80
#define LCR_8N1	 0x03

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	vnr_test_begin("t_attack3_uart_lcr");
	asm volatile("outb %0, %1"
		     :
		     : "a"((unsigned char)(LCR_DLAB | LCR_8N1)),
		       "Nd"(UART_LCR));
	VNR_EXPECT_EQ(vnr_debug_write("after the latch\n", 16),
		      VNR_STATUS_SUCCESS);
	return vnr_test_done();
}
