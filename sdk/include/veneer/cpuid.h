/* SPDX-License-Identifier: MIT */
/*
 * Discovery through CPUID.
 *
 * CPUID.1:ECX[31] ("hypervisor present") is set in every partition.  The
 * leaves from 0x40000000 describe Veneer; leaves in 0x40000000-0x400000FF
 * above the maximum reported by VNR_CPUID_LEAF_VENDOR return all zeros.
 */
#ifndef VENEER_CPUID_H
#define VENEER_CPUID_H

enum vnr_cpuid_leaf {
#define VNR_CPUID_LEAF(name, leaf) VNR_CPUID_LEAF_##name = (leaf),
#include "cpuid.def"
#undef VNR_CPUID_LEAF
};

#define VNR_CPUID_RANGE_FIRST 0x40000000u
#define VNR_CPUID_RANGE_LAST  0x400000FFu

/* VENDOR: EAX = highest Veneer leaf; EBX, ECX, EDX = "VeneerVeneer". */
#define VNR_CPUID_VENDOR_EBX 0x656e6556u /* "Vene" */
#define VNR_CPUID_VENDOR_ECX 0x65567265u /* "erVe" */
#define VNR_CPUID_VENDOR_EDX 0x7265656eu /* "neer" */

/* INTERFACE: EAX = "Vnr0"; EBX = VNR_ABI_VERSION. */
#define VNR_CPUID_INTERFACE_EAX 0x30726e56u

/*
 * FEATURES: EAX = VNR_FEATURE_MASK() bits; EBX = the calling partition's
 * privileges (low 32 bits of VNR_PRIV_MASK()).
 * LIMITS: EAX = max VPs per partition, EBX = max partitions,
 *         ECX = max rep count per call.
 * VP_IDENTITY: EAX = partition id, EBX = VP index.
 */

#endif /* VENEER_CPUID_H */
