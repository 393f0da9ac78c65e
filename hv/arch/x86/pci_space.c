/* SPDX-License-Identifier: MIT */
/* Configuration spaces of Veneer's synthetic PCI functions (pci_space.h). */
#include <hv/string.h>
#include <veneer/pci.h>
#include "pci_space.h"

#define ADDRESS_DWORD(a) (0xFC & (a)) /* the register's offset */

#define CAP_MSI		 0x05
#define MSI_OFFSET	 0x40
#define MSI_CONTROL	 (MSI_OFFSET + 2)
#define MSI_ADDRESS_LO	 (MSI_OFFSET + 4)
#define MSI_DATA	 (MSI_OFFSET + 12)
#define MSI_ENABLE	 0x01
#define MSI_64BIT	 0x80

static void set16(struct pci_space *s, u32 offset, u16 v)
{
	s->bytes[offset] = (u8)v;
	s->bytes[offset + 1] = (u8)(v >> 8);
}

/* Ids, class and the command bits a driver may set (without effect). */
static void set_header(struct pci_space *s, u16 device_id, u32 class_code)
{
	memset(s, 0, sizeof(*s));
	set16(s, 0x00, VNR_PCI_VENDOR_ID);
	set16(s, 0x02, device_id);
	s->bytes[0x08] = 1; /* revision */
	s->bytes[0x09] = (u8)class_code;
	s->bytes[0x0A] = (u8)(class_code >> 8);
	s->bytes[0x0B] = (u8)(class_code >> 16);
	set16(s, 0x2C, VNR_PCI_VENDOR_ID); /* subsystem */
	set16(s, 0x2E, device_id);
	s->writable[0x04] = 0x07; /* I/O, memory, bus master */
	s->writable[0x05] = 0x04; /* INTx disable */
}

void pci_space_veneer_function(struct pci_space *s, u16 device_id)
{
	set_header(s, device_id, VNR_PCI_CLASS);
	set16(s, 0x06, 0x0010); /* status: capabilities list */
	s->bytes[0x34] = MSI_OFFSET;
	s->bytes[MSI_OFFSET] = CAP_MSI;
	s->bytes[MSI_CONTROL] = MSI_64BIT; /* one vector */
	s->writable[MSI_CONTROL] = MSI_ENABLE;
	s->writable[MSI_ADDRESS_LO] = 0xFC;
	for (u32 i = MSI_ADDRESS_LO + 1; i < MSI_DATA + 2; i++)
		s->writable[i] = 0xFF;
}

void pci_space_host_bridge(struct pci_space *s)
{
	set_header(s, VNR_PCI_DEVICE_ID_HOST_BRIDGE, VNR_PCI_CLASS_HOST_BRIDGE);
}

u32 pci_space_read(const struct pci_space *s, u32 address, u32 k, u32 size)
{
	u32 dword = ADDRESS_DWORD(address);
	u32 v = 0;

	for (u32 i = 0; i < size; i++)
		v |= (u32)(k + i < 4 ? s->bytes[dword + k + i] : 0xFF)
		     << (8 * i);
	return v;
}

void pci_space_write(struct pci_space *s, u32 address, u32 k, u32 size,
		     u32 value)
{
	u32 dword = ADDRESS_DWORD(address);

	for (u32 i = 0; i < size && k + i < 4; i++) {
		u32 o = dword + k + i;
		u8 b = (u8)(value >> (8 * i));

		s->bytes[o] = (u8)((s->bytes[o] & ~s->writable[o]) |
				   (b & s->writable[o]));
	}
}

u8 pci_space_msi_vector(const struct pci_space *s)
{
	u8 vector = s->bytes[MSI_DATA];

	return (s->bytes[MSI_CONTROL] & MSI_ENABLE) && vector >= 16 ? vector
								    : 0;
}
