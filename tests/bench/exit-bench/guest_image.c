// SPDX-License-Identifier: MIT
/*
 * Builds the exit benchmarks' guest image (guest.h): the page tables that
 * identity-map the guest's 2 MiB with one large page, the GDT and the
 * code, as the bytes of guest memory from GUEST_IMAGE_BASE on.
 */
#include "guest.h"

#include <string.h>

#define PTE_PRESENT  0x1ull
#define PTE_WRITABLE 0x2ull
#define PTE_LARGE    0x80ull /* a 2 MiB page in a page directory */

/* Flat 64-bit code (L, P, S, type execute/read) and flat data. */
#define GDT_CODE64 0x00AF9A000000FFFFull
#define GDT_DATA   0x00CF92000000FFFFull

static void put_u64(unsigned char *image, uint64_t gpa, uint64_t value)
{
	memcpy(image + (gpa - GUEST_IMAGE_BASE), &value, sizeof(value));
}

int guest_image_build(unsigned char *image)
{
	size_t code_size = (size_t)(guest_code_end - guest_code);

	if (GUEST_CODE + code_size > GUEST_IMAGE_END)
		return -1;
	memset(image, 0, GUEST_IMAGE_END - GUEST_IMAGE_BASE);
	put_u64(image, GUEST_PML4, GUEST_PDPT | PTE_PRESENT | PTE_WRITABLE);
	put_u64(image, GUEST_PDPT, GUEST_PD | PTE_PRESENT | PTE_WRITABLE);
	put_u64(image, GUEST_PD, 0 | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE);
	put_u64(image, GUEST_GDT + GUEST_CODE_SELECTOR, GDT_CODE64);
	put_u64(image, GUEST_GDT + GUEST_DATA_SELECTOR, GDT_DATA);
	memcpy(image + (GUEST_CODE - GUEST_IMAGE_BASE), guest_code, code_size);
	return 0;
}
