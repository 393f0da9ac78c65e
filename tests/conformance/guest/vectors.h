/* SPDX-License-Identifier: MIT */
/* The interrupt vectors of the conformance guest, for isr.S and the C code. */
#ifndef CONFORMANCE_VECTORS_H
#define CONFORMANCE_VECTORS_H

#define VEC_UD	    6
#define VEC_GP	    13
#define SINT_VECTOR 0x40 /* every SINT the suite unmasks uses it */

#endif /* CONFORMANCE_VECTORS_H */
