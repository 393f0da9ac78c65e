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
#include "root_exit.h"

#define CONFIG_ADDRESS	 0xCF8
#define CONFIG_DATA	 0xCFC
#define ADDRESS_ENABLE	 (1u << 31)
#define ADDRESS_DWORD(a) (0xFC & (a))	  /* the register's offset */
#define ADDRESS_FN(a)	 (((a) >> 8) & 7) /* the function number */
#define NO_DEVICE	 0xFFFF
#define DEVICES		 32

#define CAP_MSI		 0x05
#define MSI_OFFSET	 0x40
#define MSI_CONTROL	 (MSI_OFFSET + 2)
#define MSI_ADDRESS_LO	 (MSI_OFFSET + 4)
#define MSI_DATA	 (MSI_OFFSET + 12)
#define MSI_ENABLE	 0x01
#define MSI_64BIT	 0x80

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ADDR	 0x000FFFFFFFFFF000ull
#define APIC_ICR_LOW	 0x300
#define ICR_TO_SELF	 (1u << 18)

static int device = -1; /* on bus 0; -1: no free number was found */
static u8 space[256];
static u8 writable[256]; /* the bits of each byte the root may change */

static void set16(u32 offset, u16 v)
{
	space[offset] = (u8)v;
	space[offset + 1] = (u8)(v >> 8);
}

static void build_space(void)
{
	set16(0x00, VNR_PCI_VENDOR_ID);
	set16(0x02, VNR_PCI_DEVICE_ID);
	set16(0x06, 0x0010); /* status: capabilities list */
	space[0x08] = 1;     /* revision */
	space[0x09] = (u8)VNR_PCI_CLASS;
	space[0x0A] = (u8)(VNR_PCI_CLASS >> 8);
	space[0x0B] = (u8)(VNR_PCI_CLASS >> 16);
	set16(0x2C, VNR_PCI_VENDOR_ID); /* subsystem */
	set16(0x2E, VNR_PCI_DEVICE_ID);
	space[0x34] = MSI_OFFSET;
	space[MSI_OFFSET] = CAP_MSI;
	space[MSI_CONTROL] = MSI_64BIT; /* one vector */
	writable[0x04] = 0x07;		/* I/O, memory, bus master */
	writable[0x05] = 0x04;		/* INTx disable */
	writable[MSI_CONTROL] = MSI_ENABLE;
	writable[MSI_ADDRESS_LO] = 0xFC;
	for (u32 i = MSI_ADDRESS_LO + 1; i < MSI_DATA + 2; i++)
		writable[i] = 0xFF;
}

static u16 vendor_at(u32 dev)
{
	outl(CONFIG_ADDRESS, ADDRESS_ENABLE | dev << 11);
	return inw(CONFIG_DATA);
}

/* The highest device number of bus 0 whose function 0 is absent. */
void root_pci_init(void)
{
	u32 saved = inl(CONFIG_ADDRESS);

	for (int dev = DEVICES - 1; dev > 0 && device < 0; dev--)
		if (vendor_at((u32)dev) == NO_DEVICE)
			device = dev;
	outl(CONFIG_ADDRESS, saved);
	if (device < 0) {
		hv_log("root: bus 0 has no free device number: no Veneer PCI "
		       "function\n");
		return;
	}
	build_space();
	hv_log("root: Veneer PCI function at 0000:00:%02x.0\n", device);
}

/* Whether address selects the Veneer device (any of its functions). */
static bool ours(u32 address)
{
	return device >= 0 && (address & ADDRESS_ENABLE) &&
	       ((address >> 16) & 0xFF) == 0 &&
	       ((address >> 11) & 0x1F) == (u32)device;
}

/*
 * The data ports are a window of 4 bytes on the dword CONFIG_ADDRESS
 * selects: an access of size bytes at port CONFIG_DATA + k is bytes k to
 * k + size - 1 of it, and those past the window's last port are ports
 * 0xD00 and on, not configuration data.  So only bytes below 4 reach the
 * dword (whose offset is at most 0xFC: never past space[255], never into
 * the next dword); the others read 0xFF and their writes go nowhere, like
 * those of a port nothing answers.  Functions 1-7 are absent: all 0xFF.
 */
static u32 read_space(u32 address, u32 k, u32 size)
{
	u32 dword = ADDRESS_DWORD(address);
	bool absent = ADDRESS_FN(address) != 0;
	u32 v = 0;

	for (u32 i = 0; i < size; i++)
		v |= (u32)(k + i < 4 && !absent ? space[dword + k + i] : 0xFF)
		     << (8 * i);
	return v;
}

static void write_space(u32 address, u32 k, u32 size, u32 value)
{
	u32 dword = ADDRESS_DWORD(address);

	if (ADDRESS_FN(address))
		return;
	for (u32 i = 0; i < size && k + i < 4; i++) {
		u32 o = dword + k + i;
		u8 b = (u8)(value >> (8 * i));

		space[o] = (u8)((space[o] & ~writable[o]) | (b & writable[o]));
	}
}

bool root_pci_access(struct hv_vp *vp, const struct x86_exit *e)
{
	u16 port = (u16)e->qualification;
	u64 *rax = &vp->regs[HV_REG_RAX];
	/* A 4-byte IN zero-extends into RAX, as the CPU does. */
	u64 mask = e->io_size == 4 ? ~0ull : (1ull << (8 * e->io_size)) - 1;
	u32 address;

	if (port < CONFIG_DATA || port > CONFIG_DATA + 3)
		return false;
	if (e->io_string) {
		vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
		return true;
	}
	vendor_skip_instruction(vp, e);
	address = inl(CONFIG_ADDRESS);
	if (!ours(address))
		root_pass_io(vp, e);
	else if (e->write)
		write_space(address, port - CONFIG_DATA, e->io_size, (u32)*rax);
	else
		*rax = (*rax & ~mask) |
		       read_space(address, port - CONFIG_DATA, e->io_size);
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
	u8 vector = space[MSI_DATA];

	if (device < 0 || !(space[MSI_CONTROL] & MSI_ENABLE) || vector < 16)
		return;
	send_self_ipi(vector);
}
