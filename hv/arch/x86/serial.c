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
#define LSR_TX_EMPTY  0x40 /* the last byte has left the shift register */
#define LCR_DLAB      0x80
#define LCR_8N1	      0x03
#define MCR_DTR_RTS   0x03
#define MCR_LOOP      0x10
#define DIVISOR	      1 /* 115200 baud */
#define UART_PORTS    8

static bool present;
static bool shared; /* a partition reaches LCR, MCR, the divisor... */

/* What a partition given the UART may have set; restored after our text. */
struct line_setup {
	u8 lcr, mcr, dll, dlm;
};

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, DIVISOR);
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xC7); /* FIFOs on and cleared */
	outb(COM1 + REG_MCR, MCR_DTR_RTS);
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
	if (!write || divisor_latched()) {
		if (write)
			outb(COM1 + REG_DATA, *value);
		else
			*value = inb(COM1 + REG_DATA);
		return true;
	}
	/* The owner prints clients' text too: it is filtered like DEBUG_WRITE.
	 */
	console_put(p, &p->console.uart, *value);
	return true;
}

void serial_share(u16 first, u16 last)
{
	if (first < COM1 + UART_PORTS && last >= COM1)
		shared = true;
}

/*
 * The line as the hypervisor prints on it (8N1 at its speed, no loopback),
 * whatever the partition given the UART set; what it set is kept.
 */
/* A setup changed while a byte is still being sent garbles that byte. */
static void drain(void)
{
	for (u32 spins = 0; spins < 100000; spins++)
		if (inb(COM1 + REG_LSR) & LSR_TX_EMPTY)
			break;
}

static struct line_setup take_line(void)
{
	struct line_setup s;

	drain();
	s.lcr = inb(COM1 + REG_LCR);
	s.mcr = inb(COM1 + REG_MCR);
	outb(COM1 + REG_LCR, LCR_DLAB);
	s.dll = inb(COM1 + REG_DATA);
	s.dlm = inb(COM1 + REG_IER);
	outb(COM1 + REG_DATA, DIVISOR);
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_MCR, (u8)((s.mcr & ~MCR_LOOP) | MCR_DTR_RTS));
	return s;
}

static void give_line_back(const struct line_setup *s)
{
	drain();
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, s->dll);
	outb(COM1 + REG_IER, s->dlm);
	outb(COM1 + REG_LCR, s->lcr);
	outb(COM1 + REG_MCR, s->mcr);
}

void hv_console_write(const char *s, size_t n)
{
	struct line_setup owner;

	if (!present)
		return;
	if (shared)
		owner = take_line();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
	if (shared)
		give_line_back(&owner);
}
