/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: a 16550 UART at the port the configuration names
 * (COM1 by default without a root, which server firmware and BMCs use for
 * serial-over-LAN as well; none by default in root mode, where the root
 * owns the machine's UARTs).
 */
#include <hv/log.h>
#include "cpu.h"
#include "serial.h"

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

static u16 base;
static bool present;
static bool shared; /* a partition reaches LCR, MCR, the divisor... */

/* What a partition given the UART may have set; restored after our text. */
struct line_setup {
	u8 lcr, mcr, dll, dlm;
};

void serial_init(u16 port)
{
	base = port;
	if (!port)
		return;
	outb(base + REG_IER, 0x00);
	outb(base + REG_LCR, LCR_DLAB);
	outb(base + REG_DATA, DIVISOR);
	outb(base + REG_IER, 0x00);
	outb(base + REG_LCR, LCR_8N1);
	outb(base + REG_FCR, 0xC7); /* FIFOs on and cleared */
	outb(base + REG_MCR, MCR_DTR_RTS);
	/* Without a UART the line status reads as all ones. */
	present = inb(base + REG_LSR) != 0xFF;
}

static void put(char c)
{
	for (u32 spins = 0; spins < 100000; spins++)
		if (inb(base + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb(base + REG_DATA, (u8)c);
}

bool serial_is_data_port(u16 port)
{
	return present && port == base + REG_DATA;
}

/* With DLAB set the data register is the divisor latch: no text there. */
static bool divisor_latched(void)
{
	return inb(base + REG_LCR) & LCR_DLAB;
}

bool serial_owner_access(struct hv_partition *p, bool write, u8 *value)
{
	if (!write || divisor_latched()) {
		if (write)
			outb(base + REG_DATA, *value);
		else
			*value = inb(base + REG_DATA);
		return true;
	}
	/* The owner prints clients' text too: it is filtered like DEBUG_WRITE.
	 */
	console_put(p, &p->console.uart, *value);
	return true;
}

void serial_share(u16 first, u16 last)
{
	if (present && first < base + UART_PORTS && last >= base)
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
		if (inb(base + REG_LSR) & LSR_TX_EMPTY)
			break;
}

static struct line_setup take_line(void)
{
	struct line_setup s;

	drain();
	s.lcr = inb(base + REG_LCR);
	s.mcr = inb(base + REG_MCR);
	outb(base + REG_LCR, LCR_DLAB);
	s.dll = inb(base + REG_DATA);
	s.dlm = inb(base + REG_IER);
	outb(base + REG_DATA, DIVISOR);
	outb(base + REG_IER, 0);
	outb(base + REG_LCR, LCR_8N1);
	outb(base + REG_MCR, (u8)((s.mcr & ~MCR_LOOP) | MCR_DTR_RTS));
	return s;
}

static void give_line_back(const struct line_setup *s)
{
	drain();
	outb(base + REG_LCR, LCR_DLAB);
	outb(base + REG_DATA, s->dll);
	outb(base + REG_IER, s->dlm);
	outb(base + REG_LCR, s->lcr);
	outb(base + REG_MCR, s->mcr);
}

u16 serial_port(void)
{
	return present ? base : 0;
}

void serial_write(const char *s, size_t n)
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
