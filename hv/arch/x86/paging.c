/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own page tables: an identity map of the physical
 * address space up to the top the platform reports (at least 4 GiB, for
 * the local APIC and other MMIO), with 2 MiB pages.  Memory types come
 * from the firmware's MTRRs, which mark MMIO uncacheable.
 */
#include <hv/page_alloc.h>
#include "cpu.h"
#include "paging.h"

#define PTE_P	0x1ull
#define PTE_RW	0x2ull
#define PTE_PS	0x80ull
#define MAX_GIB 512 /* one PDPT */

int paging_init(u64 phys_top)
{
	u64 gigs = ALIGN_UP(MAX(phys_top, GiB(4)), GiB(1)) / GiB(1);
	u64 *pml4 = page_alloc(), *pdpt = page_alloc();

	if (!pml4 || !pdpt || gigs > MAX_GIB)
		return -1;
	pml4[0] = (u64)(uintptr_t)pdpt | PTE_P | PTE_RW;
	for (u64 g = 0; g < gigs; g++) {
		u64 *pd = page_alloc();

		if (!pd)
			return -1;
		pdpt[g] = (u64)(uintptr_t)pd | PTE_P | PTE_RW;
		for (u64 i = 0; i < 512; i++)
			pd[i] = (g * GiB(1) + i * MiB(2)) | PTE_P | PTE_RW |
				PTE_PS;
	}
	write_cr3((u64)(uintptr_t)pml4);
	return 0;
}
