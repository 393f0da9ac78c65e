/* SPDX-License-Identifier: MIT */
/* A PC-platform partition's PCI bus (pc_pci.h). */
#include <veneer/pci.h>
#include "pc_pci.h"

/*
 * Bits 30:24 of CONFIG_ADDRESS are reserved and bits 1:0 select no
 * register: they read 0, so the partition's offsets stay dword aligned
 * and within the 256 bytes of conventional configuration space.
 */
#define ADDRESS_KEPT	 0x80FFFFFCu
#define ADDRESS_BUS(a)	 (((a) >> 16) & 0xFF)
#define ADDRESS_DEVFN(a) (((a) >> 8) & 0xFF)
#define DEVFN_BRIDGE	 0x00 /* 00.0 */
#define DEVFN_FUNCTION	 0x08 /* 01.0 */

void pc_pci_init(struct pc_pci *bus)
{
	bus->address = 0;
	pci_space_host_bridge(&bus->bridge);
	pci_space_veneer_function(&bus->function, VNR_PCI_DEVICE_ID_GUEST);
}

/* The space the address register selects, or NULL: nothing answers. */
static struct pci_space *selected(struct pc_pci *bus)
{
	u32 a = bus->address;

	if (!(a & PCI_ADDRESS_ENABLE) || ADDRESS_BUS(a) != 0)
		return NULL;
	if (ADDRESS_DEVFN(a) == DEVFN_BRIDGE)
		return &bus->bridge;
	if (ADDRESS_DEVFN(a) == DEVFN_FUNCTION)
		return &bus->function;
	return NULL;
}

/*
 * CONFIG_ADDRESS is a register only for 4-byte accesses at 0xCF8; a
 * narrower one (Linux probes with a byte write to 0xCFB) reaches no
 * register, as on the PCI bus of a PC.
 */
static void address_io(struct pc_pci *bus, u16 port, u8 size, bool write,
		       u32 value, u32 *result)
{
	if (port != PCI_CONFIG_ADDRESS || size != 4)
		return;
	if (write)
		bus->address = value & ADDRESS_KEPT;
	else
		*result = bus->address;
}

static void data_io(struct pc_pci *bus, u16 port, u8 size, bool write,
		    u32 value, u32 *result)
{
	struct pci_space *s = selected(bus);
	u32 k = port - PCI_CONFIG_DATA;

	if (!s)
		return;
	if (write)
		pci_space_write(s, bus->address, k, size, value);
	else
		*result = pci_space_read(s, bus->address, k, size);
}

bool pc_pci_io(struct pc_pci *bus, u16 port, u8 size, bool write, u32 value,
	       u32 *result)
{
	*result = ~0u;
	if (port >= PCI_CONFIG_ADDRESS && port < PCI_CONFIG_DATA)
		address_io(bus, port, size, write, value, result);
	else if (port >= PCI_CONFIG_DATA && port < PCI_CONFIG_DATA + 4)
		data_io(bus, port, size, write, value, result);
	else
		return false;
	return true;
}

u8 pc_pci_msi_vector(const struct pc_pci *bus)
{
	return pci_space_msi_vector(&bus->function);
}
