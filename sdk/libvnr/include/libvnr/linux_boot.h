/* SPDX-License-Identifier: MIT */
/*
 * Stock Linux kernels as partition images (docs/spec/boot-protocol.md,
 * "Linux kernels"): a bzImage loaded by the x86 64-bit boot protocol of
 * Linux's Documentation/x86/boot.rst.  The protected-mode kernel goes at
 * its preferred address, the zero page (struct boot_params) and the
 * command line into the boot region, whose page tables and GDT are those
 * of <libvnr/boot_layout.h> with VNR_BOOT_GDT_LINUX; the caller places an
 * initrd's bytes where vnr_bzimage_place() says.  The boot protocol is
 * Linux's, not Veneer's ABI: its offsets stay inside libvnr.
 */
#ifndef LIBVNR_LINUX_BOOT_H
#define LIBVNR_LINUX_BOOT_H

#include <libvnr/boot_layout.h>
#include <libvnr/gpa_writer.h>
#include <stdbool.h>
#include <stddef.h>
#include <veneer/boot.h>

/* The boot region pages a kernel gets in place of the start info. */
#define VNR_LINUX_ZERO_PAGE_PAGE VNR_BOOT_START_INFO_PAGE /* RSI */
#define VNR_LINUX_CMDLINE_PAGE	 8u
/* Characters of a command line, without its NUL: one page holds it. */
#define VNR_LINUX_CMDLINE_MAX (VNR_PAGE_SIZE - 1u)

/* The setup header, [0x1F1, 0x202 + the byte at 0x201): at most this. */
#define VNR_LINUX_HEADER_START 0x1F1u
#define VNR_LINUX_HEADER_MAX   0x90u /* boot.rst: 144 bytes, for ever */

/* A bzImage that passed vnr_bzimage_check(), and what loading it needs. */
struct vnr_bzimage {
	vnr_u64 memory_size;   /* of the partition it was checked for */
	vnr_u16 version;       /* boot protocol, (major << 8) | minor */
	vnr_u16 xloadflags;    /* XLF_* of boot.rst */
	vnr_u32 setup_size;    /* (setup_sects + 1) * 512 bytes, not loaded */
	vnr_u64 kernel_offset; /* of the protected-mode kernel in the file */
	vnr_u64 kernel_size;   /* syssize * 16 bytes, all loaded */
	vnr_u64 load_gpa;      /* where: pref_address, see the .c file */
	vnr_u64 init_size;     /* bytes from load_gpa the kernel needs */
	vnr_u64 entry;	       /* load_gpa + 0x200: the 64-bit entry (RIP) */
	vnr_u64 initrd_limit;  /* initrd_addr_max + 1: an initrd ends below */
	vnr_u32 cmdline_size;  /* most characters of a command line */
	vnr_u32 header_size;   /* bytes of header[] */
	vnr_u8 header[VNR_LINUX_HEADER_MAX]; /* from offset 0x1F1 on */
};

/* Where vnr_bzimage_place() put everything, as GPAs. */
struct vnr_linux_layout {
	struct vnr_boot_layout boot; /* CR3, GDTR, CS/DS/ES/SS and RSP */
	vnr_u64 entry;		     /* RIP */
	vnr_u64 zero_page;	     /* RSI: struct boot_params */
	vnr_u64 cmdline;	     /* cmd_line_ptr */
	vnr_u64 initrd;		     /* ramdisk_image; 0 without an initrd */
	vnr_u64 initrd_size;	     /* ramdisk_size */
};

/*
 * Why a check refused a kernel or its placement, as struct vnr_elf_error
 * does it: a printf format whose conversions all take unsigned long long,
 * and their arguments, for the caller's own printf.
 */
struct vnr_bzimage_error {
	const char *format; /* NULL while the kernel is accepted */
	unsigned long long arg[5];
};

/*
 * Validates the bzImage [data, data + len) for a partition of memory_size
 * bytes of RAM (a multiple of 2 MiB, at most VNR_BOOT_PD_COUNT GiB) and
 * describes it in *img: the setup header's magic numbers, a boot protocol
 * of at least 2.12 with a 64-bit entry, a relocatable kernel (or one whose
 * load address is its pref_address), kernel_alignment, a file that holds
 * all syssize says, and init_size bytes at the load address below the
 * boot region.  Nothing out of [data, data + len) is read, whatever the
 * file says; data need not be aligned.  On failure returns false and says
 * why in *err (which may be NULL).
 */
bool vnr_bzimage_check(const void *data, size_t len, vnr_u64 memory_size,
		       struct vnr_bzimage *img, struct vnr_bzimage_error *err);

/*
 * Places the boot region, a command line of strlen(cmdline) characters
 * and an initrd of initrd_size bytes (0: none) for img, which
 * vnr_bzimage_check() accepted, and fills *layout.  The initrd goes as
 * high as it can below the boot region and initrd_addr_max, page-aligned,
 * above the init_size bytes of the kernel.  On failure (a command line
 * longer than the kernel or the page takes, an initrd with no room)
 * returns false and says why in *err (which may be NULL).
 */
bool vnr_bzimage_place(const struct vnr_bzimage *img, const char *cmdline,
		       vnr_u64 initrd_size, struct vnr_linux_layout *layout,
		       struct vnr_bzimage_error *err);

/*
 * Writes the protected-mode kernel of data (the file img was checked
 * from), the boot region's page tables and Linux GDT, cmdline and the
 * zero page through w, as layout (from vnr_bzimage_place() for img and
 * cmdline) says: everything but the initrd's bytes, which the caller
 * writes at layout->initrd.  The partition's RAM must be zero already.
 * No call of w->write crosses a page.  Returns 0, or the first nonzero
 * result of w->write (after which it writes nothing more).
 */
int vnr_bzimage_load(const void *data, const struct vnr_bzimage *img,
		     const char *cmdline, const struct vnr_linux_layout *layout,
		     const struct vnr_gpa_writer *w);

#endif /* LIBVNR_LINUX_BOOT_H */
