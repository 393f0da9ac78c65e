/* SPDX-License-Identifier: MIT */
/*
 * The Veneer PCI functions on a partition's bus 0 (config space through
 * ports 0xCF8/0xCFC): the root's function in root mode, a partition's own
 * function, whose MSI carries its synthetic interrupts, and the host
 * bridge before them.  The vendor id is not assigned by the PCI-SIG.
 */
#ifndef VENEER_PCI_H
#define VENEER_PCI_H

#define VNR_PCI_VENDOR_ID	      0x5645u
#define VNR_PCI_DEVICE_ID	      0x0001u /* the root's function */
#define VNR_PCI_DEVICE_ID_GUEST	      0x0002u /* a partition's function */
#define VNR_PCI_DEVICE_ID_HOST_BRIDGE 0x0003u
#define VNR_PCI_CLASS		      0x088000u /* base system peripheral */

#endif /* VENEER_PCI_H */
