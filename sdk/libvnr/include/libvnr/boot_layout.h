/* SPDX-License-Identifier: MIT */
/*
 * The x86 part of a partition's boot region (docs/spec/boot-protocol.md):
 * the identity-mapping page tables and the GDT the first VP starts with,
 * placed as the VNR_BOOT_* constants of <veneer/boot.h> say.  A Linux
 * kernel gets the same region with the GDT its boot protocol names.
 */
#ifndef LIBVNR_BOOT_LAYOUT_H
#define LIBVNR_BOOT_LAYOUT_H

#include <libvnr/gpa_writer.h>
#include <veneer/boot.h>

/*
 * Linux's __BOOT_CS and __BOOT_DS (Documentation/x86/boot.rst, 64-bit boot
 * protocol).  Its selector 0x10 is code where a Veneer guest's is data,
 * so a kernel gets a GDT of its own, in the same page: a null descriptor
 * at 0 and 0x08 (as the kernel's own boot GDT), then VNR_BOOT_GDT_CODE64
 * and VNR_BOOT_GDT_DATA.
 */
#define VNR_BOOT_LINUX_SELECTOR_CODE64 0x10u
#define VNR_BOOT_LINUX_SELECTOR_DATA   0x18u
#define VNR_BOOT_LINUX_GDT_LIMIT       (4u * 8u - 1u)

/* Which GDT the boot region holds, so which selectors the VP starts with. */
enum vnr_boot_gdt {
	VNR_BOOT_GDT_VENEER, /* <veneer/boot.h>: 0x08 code, 0x10 data */
	VNR_BOOT_GDT_LINUX,  /* 0x10 code, 0x18 data, as above */
};

/* Where the pieces of a partition's boot region are, as GPAs. */
struct vnr_boot_layout {
	vnr_u64 boot_region;   /* memory_size - VNR_BOOT_REGION_SIZE */
	vnr_u64 pml4;	       /* CR3 */
	vnr_u64 gdt;	       /* GDTR base */
	vnr_u64 start_info;    /* RDI */
	vnr_u64 stack_top;     /* RSP: memory_size */
	vnr_u16 gdt_limit;     /* GDTR limit */
	vnr_u16 code_selector; /* CS */
	vnr_u16 data_selector; /* DS, ES, SS (FS and GS too for a guest) */
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

/*
 * As vnr_boot_layout_build(), with the GDT gdt names in the GDT page and
 * its limit and selectors in *layout; vnr_boot_layout_build() is this
 * with VNR_BOOT_GDT_VENEER.
 */
int vnr_boot_layout_build_for(vnr_u64 memory_size, enum vnr_boot_gdt gdt,
			      const struct vnr_gpa_writer *w,
			      struct vnr_boot_layout *layout);

/*
 * Fills *layout as vnr_boot_layout_build_for() does for the same
 * arguments, writing nothing: for a loader that places its own pieces
 * before it writes any.
 */
void vnr_boot_layout_plan(vnr_u64 memory_size, enum vnr_boot_gdt gdt,
			  struct vnr_boot_layout *layout);

#endif /* LIBVNR_BOOT_LAYOUT_H */
