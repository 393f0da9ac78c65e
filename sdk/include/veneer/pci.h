/* SPDX-License-Identifier: MIT */
/*
 * Veneer's synthetic PCI functions: the function that carries a
 * partition's synthetic interrupts as MSI (the root's: root-stack.md; a
 * PC-platform partition's: pc-platform.md) and the host bridge of a
 * PC-platform partition's bus.  Configuration space is reached through
 * ports 0xCF8/0xCFC.  The vendor id is not assigned by the PCI-SIG; a
 * driver matches vendor and device id together.
 */
#ifndef VENEER_PCI_H
#define VENEER_PCI_H

#define VNR_PCI_VENDOR_ID	      0x5645u
#define VNR_PCI_DEVICE_ID	      0x0001u /* the root's function */
#define VNR_PCI_DEVICE_ID_GUEST	      0x0002u /* a PC-platform partition's */
#define VNR_PCI_DEVICE_ID_HOST_BRIDGE 0x0003u /* its bus's host bridge */
#define VNR_PCI_CLASS		      0x088000u /* base system peripheral, other */
#define VNR_PCI_CLASS_HOST_BRIDGE     0x060000u

#endif /* VENEER_PCI_H */
