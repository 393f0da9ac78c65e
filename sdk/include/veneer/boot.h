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
