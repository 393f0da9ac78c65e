/* SPDX-License-Identifier: MIT */
/*
 * Freestanding guest boot protocol (docs/spec/boot-protocol.md).
 *
 * A partition's first VP starts in 64-bit long mode at the ELF entry point
 * with RDI = GPA of a struct vnr_start_info, RSP = the end of guest RAM
 * (the top of a VNR_BOOT_STACK_SIZE stack, 16-byte aligned), interrupts
 * disabled and guest RAM identity-mapped (GVA == GPA) by page tables the
 * hypervisor placed in the boot region, the top VNR_BOOT_REGION_SIZE bytes
 * of RAM (memory map type VNR_MEM_BOOT_TABLES).
 */
#ifndef VENEER_BOOT_H
#define VENEER_BOOT_H

#include "types.h"

#define VNR_START_INFO_MAGIC	  0x53726e56u /* "VnrS" */
#define VNR_START_INFO_MEMMAP_MAX 8
#define VNR_NAME_MAX		  32
#define VNR_CMDLINE_MAX		  256

#define VNR_BOOT_REGION_SIZE	  0x20000u /* top of RAM: tables, info, stack */
#define VNR_BOOT_STACK_SIZE	  0x4000u
#define VNR_IMAGE_MIN_GPA	  0x1000u /* page 0 is never loaded */

/*
 * The boot region's layout, as page offsets from its start, that the
 * hypervisor and the SDK's child loader use.  A guest does not depend on
 * it (it finds each piece through a register); a loader that builds a
 * boot region for the same guests may follow it.
 */
#define VNR_BOOT_PML4_PAGE	 0u
#define VNR_BOOT_PDPT_PAGE	 1u
#define VNR_BOOT_PD_PAGE	 2u /* VNR_BOOT_PD_COUNT directories follow */
#define VNR_BOOT_PD_COUNT	 4u /* one a GiB: RAM is at most 4 GiB */
#define VNR_BOOT_GDT_PAGE	 6u
#define VNR_BOOT_START_INFO_PAGE 7u

/* The page-table entry bits of the boot identity map (2 MiB pages). */
#define VNR_BOOT_PTE_PRESENT  0x1ull
#define VNR_BOOT_PTE_WRITABLE 0x2ull
#define VNR_BOOT_PTE_LARGE    0x80ull

/* The boot GDT: a null descriptor, then these two. */
#define VNR_BOOT_SELECTOR_CODE64 0x08u
#define VNR_BOOT_SELECTOR_DATA	 0x10u
#define VNR_BOOT_GDT_CODE64	 0x00AF9A000000FFFFull /* DPL 0, 64-bit */
#define VNR_BOOT_GDT_DATA	 0x00CF92000000FFFFull /* DPL 0, writable */
#define VNR_BOOT_GDT_LIMIT	 (3u * 8u - 1u)

enum vnr_mem_type {
	VNR_MEM_RAM = 1,	 /* free for the guest */
	VNR_MEM_IMAGE = 2,	 /* the loaded ELF image */
	VNR_MEM_BOOT_TABLES = 3, /* start info, initial page tables, stack */
	VNR_MEM_GRANT = 4,	 /* a peer's pages mapped by GRANT_MAP */
};

struct vnr_memmap_entry {
	vnr_u64 base;
	vnr_u64 length;
	vnr_u32 type; /* enum vnr_mem_type */
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_memmap_entry, 24);

struct vnr_start_info {
	vnr_u32 magic;
	vnr_u32 abi_version; /* VNR_ABI_VERSION */
	vnr_u32 partition_id;
	vnr_u32 vp_index;
	vnr_u64 memory_size; /* bytes of guest RAM starting at GPA 0 */
	vnr_u32 memmap_count;
	vnr_u32 reserved;
	char name[VNR_NAME_MAX];       /* NUL-terminated */
	char cmdline[VNR_CMDLINE_MAX]; /* NUL-terminated */
	struct vnr_memmap_entry memmap[VNR_START_INFO_MEMMAP_MAX];
};
VNR_ABI_OFFSET(struct vnr_start_info, memory_size, 16);
VNR_ABI_OFFSET(struct vnr_start_info, name, 32);
VNR_ABI_OFFSET(struct vnr_start_info, cmdline, 64);
VNR_ABI_OFFSET(struct vnr_start_info, memmap, 320);
VNR_ABI_SIZE(struct vnr_start_info, 512);

#endif /* VENEER_BOOT_H */
