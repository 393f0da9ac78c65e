/* SPDX-License-Identifier: MIT */
/*
 * The guest that the exit benchmarks run, on KVM (tests/bench/kvm) and on
 * Veneer (tests/bench/root-stack), byte for byte the same: a 64-bit guest
 * in 2 MiB of memory at GPA 0, identity-mapped by one 2 MiB page.
 *
 * What it does (guest.S):
 *
 *   1. GUEST_ROUND_TRIPS + 1 times: RDTSC, OUT of 4 bytes to GUEST_PORT_IO,
 *      RDTSC.  Each OUT carries the TSC delta of the round trip before it
 *      (0 for the first), so the host reads round trip i in the value of
 *      OUT i + 1 and never has to read guest memory.
 *   2. If RBX is 0 (no hypercall page: KVM), HLT for good.
 *   3. Otherwise it enables the hypercall page at RBX (VNR_MSR_HYPERCALL)
 *      and GUEST_ROUND_TRIPS times: RDTSC, hypercall with control word
 *      R12 (VP_YIELD), RDTSC, then OUT of the delta to GUEST_PORT_YIELD.
 *      A call that fails is reported by an OUT of its result word to
 *      GUEST_PORT_FAILED, and the guest halts.
 *   4. Hypercall with control word R13 and RDX = 0 (PARTITION_EXIT), then
 *      HLT if it returns.
 *
 * Between the two RDTSCs of a sample there are, besides the exit, two
 * register moves (and for the hypercall the CALL into the page and its
 * RET): under QEMU -icount shift=0 the TSC counts emulated instructions,
 * so a figure is the exit's cost plus those few instructions.  A delta is
 * taken modulo 2^32, exact for any round trip of fewer than 2^32
 * instructions.
 *
 * This header is included by guest.S too: only macros outside the
 * __ASSEMBLER__ part.
 */
#ifndef EXIT_BENCH_GUEST_H
#define EXIT_BENCH_GUEST_H

#define GUEST_MEMORY_SIZE 0x200000 /* one 2 MiB page */

/* Guest-physical layout; [GUEST_IMAGE_BASE, GUEST_IMAGE_END) is written. */
#define GUEST_PML4	     0x1000
#define GUEST_PDPT	     0x2000
#define GUEST_PD	     0x3000
#define GUEST_GDT	     0x4000
#define GUEST_CODE	     0x5000
#define GUEST_IMAGE_BASE     GUEST_PML4
#define GUEST_IMAGE_END	     0x6000
#define GUEST_HYPERCALL_PAGE 0x6000 /* filled by the hypervisor */
#define GUEST_STACK_TOP	     GUEST_MEMORY_SIZE

/* The GDT's selectors and its limit (null, code, data). */
#define GUEST_CODE_SELECTOR 0x08
#define GUEST_DATA_SELECTOR 0x10
#define GUEST_GDT_LIMIT	    23

#define GUEST_ROUND_TRIPS   2000
#define GUEST_PORT_IO	    0xE0
#define GUEST_PORT_YIELD    0xE1
#define GUEST_PORT_FAILED   0xE2

#define GUEST_MSR_HYPERCALL 0x40000001 /* VNR_MSR_HYPERCALL */

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

/* The guest's code, in the host program's read-only data (guest.S). */
extern const unsigned char guest_code[], guest_code_end[];

/*
 * Fills image (GUEST_IMAGE_END - GUEST_IMAGE_BASE bytes, the guest's
 * memory from GUEST_IMAGE_BASE on) with the page tables, the GDT and the
 * code.  The rest of the guest's memory must be zero.  Returns 0, or -1 if
 * the code does not fit its page.
 */
int guest_image_build(unsigned char *image);

#endif /* __ASSEMBLER__ */
#endif /* EXIT_BENCH_GUEST_H */
