/* SPDX-License-Identifier: MIT */
/*
 * The configuration space of one of Veneer's synthetic PCI functions
 * (<veneer/pci.h>): 256 bytes (conventional PCI), with the bits a driver
 * may change, reached through the data ports of configuration mechanism
 * 1.  The root's function (root_pci.c) and a PC-platform partition's bus
 * (pc_pci.c) are built of these.
 */
#ifndef X86_PCI_SPACE_H
#define X86_PCI_SPACE_H

#include <hv/types.h>

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA	   0xCFC
#define PCI_ADDRESS_ENABLE (1u << 31)

struct pci_space {
	u8 bytes[256];
	u8 writable[256]; /* the bits of each byte a driver may change */
};

/*
 * Fills s as the Veneer function with the given device id: no BAR, no
 * INTx, one MSI capability of one vector with a 64-bit address.
 */
void pci_space_veneer_function(struct pci_space *s, u16 device_id);

/* Fills s as the host bridge of a PC-platform partition's bus 0. */
void pci_space_host_bridge(struct pci_space *s);

/*
 * An access of size bytes (1, 2 or 4) at data port 0xCFC + k (k < 4) to
 * the dword that configuration address selects.  Only bytes at ports up
 * to 0xCFF reach the dword (whose offset is at most 0xFC, so never past
 * the space nor into the next dword); the others read 0xFF and their
 * writes go nowhere, like those of a port nothing answers.
 */
u32 pci_space_read(const struct pci_space *s, u32 address, u32 k, u32 size);
void pci_space_write(struct pci_space *s, u32 address, u32 k, u32 size,
		     u32 value);

/*
 * The vector the function's MSI sends (message data bits 7:0), or 0 if
 * MSI is disabled or the vector is one of the exceptions' (below 16).
 */
u8 pci_space_msi_vector(const struct pci_space *s);

#endif /* X86_PCI_SPACE_H */
