/* SPDX-License-Identifier: MIT */
/*
 * Synthetic MSRs.
 *
 * An access to an MSR in 0x40000000-0x400000FF that is not listed in
 * msrs.def, a write to a read-only MSR, or a write with reserved bits set
 * raises #GP in the guest.
 */
#ifndef VENEER_MSR_H
#define VENEER_MSR_H

enum vnr_msr {
#define VNR_MSR(name, index) VNR_MSR_##name = (index),
#include "msrs.def"
#undef VNR_MSR
};

#define VNR_MSR_RANGE_FIRST 0x40000000u
#define VNR_MSR_RANGE_LAST  0x400000FFu

/* VNR_MSR_HYPERCALL: bit 0 enables the page; bits 63:12 are its GPA. */
#define VNR_HYPERCALL_ENABLE	    0x1ull
#define VNR_HYPERCALL_GPA_MASK	    0xFFFFFFFFFFFFF000ull
#define VNR_HYPERCALL_RESERVED_MASK 0x0000000000000FFEull

#endif /* VENEER_MSR_H */
