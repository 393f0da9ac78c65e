/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's UART as the root sees it: a 16550 whose line goes
 * nowhere.  The firmware found the UART before the take-over and keeps
 * writing to it, and the root's kernel may probe it, so it must behave
 * like one: the registers keep what is written to them, the transmitter
 * is always empty, nothing is ever received, no modem line is up (in
 * loopback mode the modem status follows the modem control register, as
 * probes check), and no byte reaches the real UART.
 */
#include "root_exit.h"

#define REG_DATA    0
#define REG_IER	    1
#define REG_IIR	    2
#define REG_LCR	    3
#define REG_MCR	    4
#define REG_LSR	    5
#define REG_MSR	    6
#define REG_SCR	    7

#define LCR_DLAB    0x80
#define MCR_LOOP    0x10
#define IIR_NONE    0x01
#define LSR_TX_IDLE 0x60 /* THR empty, transmitter empty */

static u8 regs[8], divisor[2];

/* Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
static u8 modem_status(void)
{
	u8 mcr = regs[REG_MCR];

	if (!(mcr & MCR_LOOP))
		return 0;
	return (u8)(((mcr & 0x01) << 5) | ((mcr & 0x02) << 3) |
		    ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4));
}

static u8 uart_read(u32 reg)
{
	bool dlab = regs[REG_LCR] & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		return dlab ? divisor[0] : 0;
	case REG_IER:
		return dlab ? divisor[1] : regs[REG_IER];
	case REG_IIR:
		return IIR_NONE;
	case REG_LSR:
		return LSR_TX_IDLE;
	case REG_MSR:
		return modem_status();
	default:
		return regs[reg];
	}
}

static void uart_write(u32 reg, u8 value)
{
	bool dlab = regs[REG_LCR] & LCR_DLAB;

	if (dlab && reg <= REG_IER)
		divisor[reg] = value;
	else if (reg != REG_DATA && reg != REG_IIR && reg != REG_LSR)
		regs[reg] = value;
}

void root_uart_access(struct hv_vp *vp, const struct x86_exit *e, u16 base)
{
	u32 reg = (u32)(e->qualification - base) & 7;
	u64 *rax = &vp->regs[HV_REG_RAX];

	if (e->io_string || e->io_size != 1) {
		vendor_skip_instruction(vp, e); /* not a 16550 access */
		return;
	}
	if (e->write)
		uart_write(reg, (u8)*rax);
	else
		*rax = (*rax & ~0xFFull) | uart_read(reg);
	vendor_skip_instruction(vp, e);
}
