/* SPDX-License-Identifier: MIT */
/*
 * Building a child partition from an ELF image the caller holds in memory,
 * exactly as the hypervisor builds a boot partition
 * (docs/spec/boot-protocol.md), with the management calls of
 * vnr_guest/mgmt.h.  Any image that runs as a boot partition runs
 * unchanged as a child.
 */
#ifndef VNR_GUEST_CHILD_BOOT_H
#define VNR_GUEST_CHILD_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <veneer/abi.h>

#define VNR_ELF_MAX_SEGMENTS 16

struct vnr_elf_segment {
	vnr_u64 gpa; /* p_paddr */
	vnr_u64 file_offset;
	vnr_u64 file_size;
	vnr_u64 mem_size;
	vnr_u32 flags; /* p_flags */
};

struct vnr_elf_image {
	vnr_u64 entry;
	vnr_u64 lowest_gpa;	 /* of all PT_LOAD segments */
	vnr_u64 highest_gpa_end; /* exclusive */
	vnr_u32 segment_count;	 /* PT_LOAD segments with p_memsz != 0 */
	struct vnr_elf_segment segments[VNR_ELF_MAX_SEGMENTS];
};

/*
 * Validates the ELF64 image [data, data + len) against the boot protocol's
 * rules for a partition whose loadable range is [VNR_IMAGE_MIN_GPA,
 * load_limit) and fills *img.  Every offset and size is checked so that no
 * sum wraps; the image need not be aligned.  On failure returns false and
 * writes the reason to err (if err_size > 0).
 */
bool vnr_elf_check(const void *data, size_t len, vnr_u64 load_limit,
		   struct vnr_elf_image *img, char *err, size_t err_size);

/*
 * Writes the image range of a checked image into child partition_id with
 * WRITE_PARTITION_MEMORY: [lowest_gpa & ~0xFFF, align_up(highest_gpa_end))
 * gets the segments' file bytes and zeros everywhere else (BSS and gaps).
 */
enum vnr_status vnr_elf_load(vnr_u32 partition_id, const void *data,
			     const struct vnr_elf_image *img);

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
