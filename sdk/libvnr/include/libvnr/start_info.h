/* SPDX-License-Identifier: MIT */
/*
 * The start information of a partition built at run time
 * (docs/spec/boot-protocol.md): what a parent writes into its child's boot
 * region, whether the parent is the freestanding SDK or veneerctl.
 */
#ifndef LIBVNR_START_INFO_H
#define LIBVNR_START_INFO_H

#include <libvnr/elf.h>
#include <veneer/boot.h>

/* What the child is told about itself. */
struct vnr_start_info_source {
	vnr_u32 partition_id;
	const char *name;    /* truncated to VNR_NAME_MAX - 1 bytes */
	const char *cmdline; /* NULL for none; truncated likewise */
	vnr_u64 memory_size; /* RAM at GPA 0, a multiple of 2 MiB */
	const struct vnr_elf_image *image; /* as vnr_elf_check() described it */
};

/*
 * Fills *si for VP 0 of the partition src describes: magic, ABI version,
 * name, command line and the memory map (RAM below the image, the image's
 * pages, RAM above it, the boot region at memory_size -
 * VNR_BOOT_REGION_SIZE).  The image must lie below the boot region, which
 * vnr_elf_check() with that limit guarantees.
 */
void vnr_start_info_build(const struct vnr_start_info_source *src,
			  struct vnr_start_info *si);

#endif /* LIBVNR_START_INFO_H */
