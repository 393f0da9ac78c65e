/* SPDX-License-Identifier: MIT */
/*
 * The PCI bus of a PC-platform partition (docs/spec/pc-platform.md,
 * "PCI"): configuration mechanism 1 with the partition's own address
 * register, and on bus 0 only the host bridge (00:00.0) and the Veneer
 * function (00:01.0) whose MSI carries the partition's synthetic
 * interrupts.  Every other bus, device and function is absent.
 */
#ifndef X86_PC_PCI_H
#define X86_PC_PCI_H

#include "pci_space.h"

struct pc_pci {
	u32 address; /* CONFIG_ADDRESS as the partition wrote it */
	struct pci_space bridge, function;
};

void pc_pci_init(struct pc_pci *bus);

/*
 * A port access of size bytes (1, 2 or 4) at port: false if the port is
 * not one of 0xCF8-0xCFF.  Otherwise a write takes value and a read puts
 * what the bus answers in *result (all ones where nothing answers).
 */
bool pc_pci_io(struct pc_pci *bus, u16 port, u8 size, bool write, u32 value,
	       u32 *result);

/* The Veneer function's MSI vector, 0 if it sends none (pci_space.h). */
u8 pc_pci_msi_vector(const struct pc_pci *bus);

#endif /* X86_PC_PCI_H */
