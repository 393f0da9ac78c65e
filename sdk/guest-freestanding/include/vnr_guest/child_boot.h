/* SPDX-License-Identifier: MIT */
/*
 * Building a child partition from an ELF image the caller holds in memory,
 * exactly as the hypervisor builds a boot partition
 * (docs/spec/boot-protocol.md), with the management calls of
 * vnr_guest/mgmt.h.  Any image that runs as a boot partition runs
 * unchanged as a child.  The image checks are libvnr's (libvnr/elf.h).
 */
#ifndef VNR_GUEST_CHILD_BOOT_H
#define VNR_GUEST_CHILD_BOOT_H

#include <libvnr/elf.h>
#include <stddef.h>
#include <veneer/abi.h>

struct vnr_child_config {
	const char *name;    /* unique among live partitions */
	vnr_u64 privileges;  /* a subset of the caller's */
	vnr_u32 notify_sint; /* where the exit message arrives */
	vnr_u64 memory_size; /* bytes of RAM at GPA 0, a multiple of 2 MiB */
	const char *cmdline; /* NULL for none */
	const void *image;   /* ELF file */
	size_t image_size;
};

/* Where the boot region's pieces are (what vnr_child_build() wrote). */
struct vnr_child_layout {
	vnr_u64 entry;
	vnr_u64 boot_region; /* memory_size - VNR_BOOT_REGION_SIZE */
	vnr_u64 pml4;
	vnr_u64 gdt;
	vnr_u64 start_info;
	vnr_u64 stack_top; /* == memory_size */
};

/*
 * Creates the child (one VP), maps memory_size bytes of the deposit pool at
 * GPA 0 (MAP_GPA_PAGES gives zeroed pages), loads the image, writes the boot
 * region (page tables, GDT, start info with memory map; the stack stays
 * zero), creates VP 0 and sets RIP, RSP, RDI, CR3 and GDTR.  The child is left
 * CREATED: start it with vnr_partition_start().  On failure the partly built
 * child is destroyed and err (if err_size > 0) says which step failed; an image
 * that fails vnr_elf_check() gives VNR_STATUS_INVALID_PARAMETER without any
 * call. layout may be NULL.
 */
enum vnr_status vnr_child_build(const struct vnr_child_config *cfg,
				vnr_u32 *partition_id,
				struct vnr_child_layout *layout, char *err,
				size_t err_size);

#endif /* VNR_GUEST_CHILD_BOOT_H */
