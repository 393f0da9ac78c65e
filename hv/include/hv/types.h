/* SPDX-License-Identifier: MIT */
/*
 * Basic types for hypervisor code.  Only compiler-provided headers are used,
 * so the same core files build freestanding (hv.efi) and hosted (tests).
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <veneer/abi.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE	 4096ull
#define PAGE_MASK	 (~(PAGE_SIZE - 1))
#define ALIGN_UP(x, a)	 (((x) + (a)-1) & ~((u64)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a)-1)) == 0)
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))
#define KiB(x)		 ((u64)(x) << 10)
#define MiB(x)		 ((u64)(x) << 20)
#define GiB(x)		 ((u64)(x) << 30)

#endif /* HV_TYPES_H */
