/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types for the Veneer ABI.
 *
 * The ABI headers include no system header at all, so that the same files
 * compile in a freestanding build (-nostdinc), in user space and in the Linux
 * kernel.  The compiler's predefined type macros (GCC and Clang) give the
 * exact widths without <stdint.h>.
 */
#ifndef VENEER_TYPES_H
#define VENEER_TYPES_H

typedef __UINT8_TYPE__ vnr_u8;
typedef __UINT16_TYPE__ vnr_u16;
typedef __UINT32_TYPE__ vnr_u32;
typedef __UINT64_TYPE__ vnr_u64;
typedef __INT64_TYPE__ vnr_s64;

/* Layout pins: an ABI structure that changes size or shape fails to compile. */
#define VNR_ABI_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), #type " has the wrong size")
#define VNR_ABI_OFFSET(type, field, offset)                         \
	_Static_assert(__builtin_offsetof(type, field) == (offset), \
		       #type "." #field " is at the wrong offset")

#define VNR_PAGE_SIZE 4096u

#endif /* VENEER_TYPES_H */
