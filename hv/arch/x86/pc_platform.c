/* SPDX-License-Identifier: MIT */
/*
 * PC-platform ports (see pc_platform.h).  The UART's registers are those
 * of a 16550A (PC16550D data sheet): what a driver writes it reads back,
 * the line is always ready to send, nothing is ever received, and the
 * modem-control loopback answers as the chip's does, so that Linux's
 * 8250 driver finds a 16550A.  Its interrupts are never raised: the
 * platform has no interrupt controller for them, and a console driver
 * polls the line status.
 */
#include <hv/arch.h>
#include <hv/console.h>
#include <hv/page_alloc.h>
#include "cpu.h"
#include "io_ports.h"
#include "pc_pci.h"
#include "pc_platform.h"
#include "vendor.h"

#define UART_BASE  0x3F8u
#define UART_PORTS 8u

enum {
	REG_DATA,
	REG_IER,
	REG_IIR_FCR,
	REG_LCR,
	REG_MCR,
	REG_LSR,
	REG_MSR,
	REG_SCRATCH,
};

#define LCR_DLAB    0x80u
#define MCR_LOOP    0x10u
#define FCR_ENABLE  0x01u
#define IIR_NONE    0x01u
#define IIR_FIFOS   0xC0u
#define LSR_IDLE    0x60u /* transmitter holding register and line empty */
#define MSR_CARRIER 0xB0u /* DCD, DSR, CTS: a terminal is there */

struct pc_uart {
	u8 ier, lcr, mcr, scratch, fcr, dll, dlm;
};

struct pc_devices {
	struct pc_uart uart;
	struct pc_pci pci;
};
_Static_assert(sizeof(struct pc_devices) <= PAGE_SIZE, "one page");

int arch_partition_enable_pc_platform(struct hv_partition *p)
{
	struct pc_devices *d = page_alloc_charged(&p->pool, 1);

	if (!d)
		return -1;
	pc_pci_init(&d->pci);
	p->pc_devices = d;
	p->pc_platform = true;
	return 0;
}

void arch_partition_disable_pc_platform(struct hv_partition *p)
{
	if (p->pc_devices)
		page_free_charged(&p->pool, p->pc_devices);
	p->pc_devices = NULL;
	p->pc_platform = false;
}

/* In loopback mode the modem outputs come back as its inputs. */
static u8 modem_status(const struct pc_uart *u)
{
	u8 m = u->mcr;

	if (!(m & MCR_LOOP))
		return MSR_CARRIER;
	return (u8)(((m & 0x02) << 3) | ((m & 0x01) << 5) | ((m & 0x04) << 4) |
		    ((m & 0x08) << 4));
}

static u8 uart_read(const struct pc_uart *u, u32 reg)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		return dlab ? u->dll : 0;
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR_FCR:
		return IIR_NONE | (u->fcr & FCR_ENABLE ? IIR_FIFOS : 0);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_IDLE;
	case REG_MSR:
		return modem_status(u);
	default:
		return u->scratch;
	}
}

static void uart_write(struct hv_vp *vp, struct pc_uart *u, u32 reg, u8 v)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		if (dlab)
			u->dll = v;
		else if (!(u->mcr & MCR_LOOP))
			console_uart_put(vp, v);
		break;
	case REG_IER:
		if (dlab)
			u->dlm = v;
		else
			u->ier = v & 0x0F;
		break;
	case REG_IIR_FCR:
		u->fcr = v & 0xC9; /* trigger level, DMA mode, enable */
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & 0x1F;
		break;
	case REG_SCRATCH:
		u->scratch = v;
		break;
	}
}

/*
 * Through its PCI function's MSI: the SINT is the VP's own, so the
 * message's destination is not looked at (one VP per partition).
 */
void arch_raise_pc_interrupt(struct hv_vp *vp)
{
	struct pc_devices *d = vp->partition->pc_devices;
	u8 vector = pc_pci_msi_vector(&d->pci);

	if (vector)
		vintc_raise(&vp->intc, vector, false);
}

/*
 * A port access completes as the bus has it: the UART's registers byte by
 * byte, the PCI configuration ports as pc_pci.h says, every other port
 * (and a wider access to the UART) reads all ones and drops what is
 * written.  String I/O is not decoded: it stops the partition.
 */
bool pc_platform_io(struct hv_vp *vp, const struct x86_exit *e)
{
	struct hv_partition *p = vp->partition;
	struct pc_devices *d = p->pc_devices;
	u16 port = (u16)e->qualification;
	u64 *rax = &vp->regs[HV_REG_RAX];
	u32 value = ~0u;

	if (e->io_string)
		return false;
	if (port >= UART_BASE && port < UART_BASE + UART_PORTS &&
	    e->io_size == 1) {
		if (e->write)
			uart_write(vp, &d->uart, port - UART_BASE, (u8)*rax);
		else
			value = uart_read(&d->uart, port - UART_BASE);
	} else {
		pc_pci_io(&d->pci, port, e->io_size, e->write, (u32)*rax,
			  &value);
	}
	if (!e->write)
		*rax = io_in_result(*rax, e->io_size, value);
	vendor_skip_instruction(vp, e);
	return true;
}
