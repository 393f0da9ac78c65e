/* SPDX-License-Identifier: MIT */
/*
 * The x86 part of a partition's boot region (docs/spec/boot-protocol.md):
 * the identity-mapping page tables and the GDT the first VP starts with,
 * placed as the VNR_BOOT_* constants of <veneer/boot.h> say.
 */
#ifndef LIBVNR_BOOT_LAYOUT_H
#define LIBVNR_BOOT_LAYOUT_H

#include <libvnr/gpa_writer.h>
#include <veneer/boot.h>

/* Where the pieces of a partition's boot region are, as GPAs. */
struct vnr_boot_layout {
	vnr_u64 boot_region; /* memory_size - VNR_BOOT_REGION_SIZE */
	vnr_u64 pml4;	     /* CR3 */
	vnr_u64 gdt;	     /* GDTR base; the limit is VNR_BOOT_GDT_LIMIT */
	vnr_u64 start_info;  /* RDI */
	vnr_u64 stack_top;   /* RSP: memory_size */
};

/*
 * Fills *layout for a partition of memory_size bytes of RAM and writes the
 * page tables, which identity-map [0, memory_size) with 2 MiB pages, and
 * the GDT through w.  memory_size is a multiple of 2 MiB, at most
 * VNR_BOOT_PD_COUNT GiB; the RAM must be zero already (only the entries in
 * use are written).  Returns 0, or the first nonzero result of w->write
 * (after which it writes nothing more).
 */
int vnr_boot_layout_build(vnr_u64 memory_size, const struct vnr_gpa_writer *w,
			  struct vnr_boot_layout *layout);

#endif /* LIBVNR_BOOT_LAYOUT_H */
