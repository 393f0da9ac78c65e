/* SPDX-License-Identifier: MIT */
/*
 * The Veneer PCI function the root sees (docs/spec/root-stack.md): a
 * conventional PCI function at a device number of bus 0 that no device
 * uses, reached through the configuration ports, with one MSI capability
 * and nothing else (no BAR, no INTx).  It is how a stock kernel gets an
 * interrupt vector for the root's synthetic interrupts, and how it finds
 * and loads veneer.ko, by the function's ids.  Every other configuration
 * access goes to the hardware as the root made it.
 */
#include <hv/log.h>
#include "cpu.h"
#include "io_ports.h"
#include "pci_space.h"
#include "root_exit.h"

#define ADDRESS_FN(a)	 (((a) >> 8) & 7) /* the function number */
#define NO_DEVICE	 0xFFFF
#define DEVICES		 32

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ADDR	 0x000FFFFFFFFFF000ull
#define APIC_ICR_LOW	 0x300
#define ICR_TO_SELF	 (1u << 18)

static int device = -1; /* on bus 0; -1: no free number was found */
static struct pci_space space;

static u16 vendor_at(u32 dev)
{
	outl(PCI_CONFIG_ADDRESS, PCI_ADDRESS_ENABLE | dev << 11);
	return inw(PCI_CONFIG_DATA);
}

/* The highest device number of bus 0 whose function 0 is absent. */
void root_pci_init(void)
{
	u32 saved = inl(PCI_CONFIG_ADDRESS);

	for (int dev = DEVICES - 1; dev > 0 && device < 0; dev--)
		if (vendor_at((u32)dev) == NO_DEVICE)
			device = dev;
	outl(PCI_CONFIG_ADDRESS, saved);
	if (device < 0) {
		hv_log("root: bus 0 has no free device number: no Veneer PCI "
		       "function\n");
		return;
	}
	pci_space_veneer_function(&space, VNR_PCI_DEVICE_ID);
	hv_log("root: Veneer PCI function at 0000:00:%02x.0\n", device);
}

/* Whether address selects the Veneer device (any of its functions). */
static bool ours(u32 address)
{
	return device >= 0 && (address & PCI_ADDRESS_ENABLE) &&
	       ((address >> 16) & 0xFF) == 0 &&
	       ((address >> 11) & 0x1F) == (u32)device;
}

/* Functions 1-7 of the device are absent: all ones (io_in_result() cuts). */
static u32 read_function(u32 address, u32 k, u32 size)
{
	return ADDRESS_FN(address) ? ~0u
				   : pci_space_read(&space, address, k, size);
}

bool root_pci_access(struct hv_vp *vp, const struct x86_exit *e)
{
	u16 port = (u16)e->qualification;
	u64 *rax = &vp->regs[HV_REG_RAX];
	u32 address;

	if (port < PCI_CONFIG_DATA || port > PCI_CONFIG_DATA + 3)
		return false;
	if (e->io_string) {
		vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
		return true;
	}
	vendor_skip_instruction(vp, e);
	address = inl(PCI_CONFIG_ADDRESS);
	if (!ours(address))
		root_pass_io(vp, e);
	else if (e->write && !ADDRESS_FN(address))
		pci_space_write(&space, address, port - PCI_CONFIG_DATA,
				e->io_size, (u32)*rax);
	else if (!e->write)
		*rax = io_in_result(*rax, e->io_size,
				    read_function(address,
						  port - PCI_CONFIG_DATA,
						  e->io_size));
	return true;
}

static void send_self_ipi(u8 vector)
{
	u64 base = vnr_rdmsr(MSR_APIC_BASE);
	u32 icr = ICR_TO_SELF | vector; /* fixed, edge */

	if (base & APIC_BASE_X2APIC)
		vnr_wrmsr(MSR_X2APIC_ICR, icr);
	else
		*(volatile u32 *)(uintptr_t)((base & APIC_BASE_ADDR) +
					     APIC_ICR_LOW) = icr;
}

/*
 * The root's one VP runs on this CPU, so the MSI can only be meant for it:
 * a self-IPI through the real local APIC, which the root acknowledges
 * with its own EOI.
 */
void arch_raise_root_interrupt(void)
{
	u8 vector = pci_space_msi_vector(&space);

	if (device >= 0 && vector)
		send_self_ipi(vector);
}
