/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: a 16550 UART at the PC's COM1 address, which
 * server firmware and BMCs use for serial-over-LAN as well.
 */
#include <hv/log.h>
#include "cpu.h"
#include "serial.h"

#define COM1	      0x3F8
#define REG_DATA      0
#define REG_IER	      1
#define REG_FCR	      2
#define REG_LCR	      3
#define REG_MCR	      4
#define REG_LSR	      5
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB      0x80
#define LCR_8N1	      0x03

static bool present;

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, 1); /* divisor 1: 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xC7); /* FIFOs on and cleared */
	outb(COM1 + REG_MCR, 0x03);
	/* Without a UART the line status reads as all ones. */
	present = inb(COM1 + REG_LSR) != 0xFF;
}

static void put(char c)
{
	for (u32 spins = 0; spins < 100000; spins++)
		if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + REG_DATA, (u8)c);
}

bool serial_is_data_port(u16 port)
{
	return port == COM1 + REG_DATA;
}

/* With DLAB set the data register is the divisor latch: no text there. */
static bool divisor_latched(void)
{
	return inb(COM1 + REG_LCR) & LCR_DLAB;
}

bool serial_owner_access(struct hv_partition *p, bool write, u8 *value)
{
	char c;

	if (!write || divisor_latched()) {
		if (write)
			outb(COM1 + REG_DATA, *value);
		else
			*value = inb(COM1 + REG_DATA);
		return true;
	}
	/* The owner prints clients' text too: it is filtered like DEBUG_WRITE.
	 */
	c = *value == '\n' ? '\n' : hv_console_safe_char(*value);
	if (!c)
		return true;
	if (c != '\n')
		p->uart_line[p->uart_len++] = c;
	if (c == '\n' || p->uart_len == sizeof(p->uart_line)) {
		partition_console_line(p, p->uart_line, p->uart_len);
		p->uart_len = 0;
	}
	return true;
}

void hv_console_write(const char *s, size_t n)
{
	if (!present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
