/* SPDX-License-Identifier: MIT */
/* ABI version.  Major changes break guests; minor changes only add. */
#ifndef VENEER_VERSION_H
#define VENEER_VERSION_H

#define VNR_ABI_MAJOR	0
#define VNR_ABI_MINOR	10
#define VNR_ABI_VERSION ((VNR_ABI_MAJOR << 16) | VNR_ABI_MINOR)

#endif /* VENEER_VERSION_H */
