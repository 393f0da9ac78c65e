/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of libvnr's bzImage checker and loader (src/linux_boot.c),
 * on a synthetic bzImage built here and, where the machine has one, a
 * stock kernel (/boot/vmlinuz-*, or the file VENEER_TEST_BZIMAGE names).
 * The boot protocol's offsets are written out again from boot.rst and
 * zero-page.rst, not taken from the code under test.
 */
#include <check.h>

#include "fixture.h"
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvnr/linux_boot.h>

/* The synthetic kernel: 3 setup sectors after the boot sector. */
#define SETUP_SECTS  3u
#define SETUP_SIZE   ((SETUP_SECTS + 1u) * 512u)
#define KERNEL_SIZE  0x3000u
#define TRAILER	     64u /* an appended signature: not loaded */
#define FILE_LEN     (SETUP_SIZE + KERNEL_SIZE + TRAILER)
#define HEADER_END   0x26Cu /* 0x202 + 0x6A, as a 2.15 kernel has it */
#define PREF_ADDRESS 0x1000000ull
#define ALIGNMENT    0x200000u
#define INIT_SIZE    0x400000u
#define RAM	     MiB(32)

/* boot.rst's setup header and zero-page.rst's boot_params. */
enum {
	SETUP_SECTS_AT = 0x1F1,
	SYSSIZE = 0x1F4,
	VID_MODE = 0x1FA,
	ROOT_DEV = 0x1FC,
	BOOT_FLAG = 0x1FE,
	JUMP = 0x200,
	MAGIC = 0x202,
	VERSION = 0x206,
	KERNEL_VERSION = 0x20E,
	TYPE_OF_LOADER = 0x210,
	LOADFLAGS = 0x211,
	CODE32_START = 0x214,
	RAMDISK_IMAGE = 0x218,
	RAMDISK_SIZE = 0x21C,
	HEAP_END_PTR = 0x224,
	EXT_LOADER_VER = 0x226,
	EXT_LOADER_TYPE = 0x227,
	CMD_LINE_PTR = 0x228,
	INITRD_ADDR_MAX = 0x22C,
	KERNEL_ALIGNMENT = 0x230,
	RELOCATABLE = 0x234,
	MIN_ALIGNMENT = 0x235,
	XLOADFLAGS = 0x236,
	CMDLINE_SIZE = 0x238,
	SETUP_DATA = 0x250,
	PREF = 0x258,
	INIT_SIZE_AT = 0x260,
	BP_EXT_RAMDISK_IMAGE = 0x0C0,
	BP_EXT_CMD_LINE_PTR = 0x0C8,
	BP_E820_ENTRIES = 0x1E8,
	BP_SENTINEL = 0x1EF,
	BP_E820_TABLE = 0x2D0,
};

static u8 file[FILE_LEN + 0x8000];
static size_t file_len;
static struct vnr_bzimage img;
static struct vnr_linux_layout layout;
static char err[256];

static void put(u32 off, u64 v, u32 size)
{
	memcpy(file + off, &v, size);
}

static u64 get(const u8 *base, u64 off, u32 size)
{
	u64 v = 0;

	memcpy(&v, base + off, size);
	return v;
}

/* A relocatable 64-bit bzImage of boot protocol 2.15, as Debian's is. */
static void setup_kernel(void)
{
	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = (u8)(i * 13 + 5);
	memset(file + SETUP_SECTS_AT, 0, HEADER_END - SETUP_SECTS_AT);
	put(SETUP_SECTS_AT, SETUP_SECTS, 1);
	put(SYSSIZE, KERNEL_SIZE / 16, 4);
	put(VID_MODE, 0xFFFF, 2);
	put(ROOT_DEV, 0x0301, 2);
	put(BOOT_FLAG, 0xAA55, 2);
	put(JUMP, 0x6AEB, 2);
	memcpy(file + MAGIC, "HdrS", 4);
	put(VERSION, 0x020F, 2);
	put(KERNEL_VERSION, 0x0400, 2);
	put(LOADFLAGS, 0x01, 1);
	put(CODE32_START, 0x100000, 4);
	put(INITRD_ADDR_MAX, 0x7FFFFFFF, 4);
	put(KERNEL_ALIGNMENT, ALIGNMENT, 4);
	put(RELOCATABLE, 1, 1);
	put(MIN_ALIGNMENT, 21, 1);
	put(XLOADFLAGS, 0x03, 2); /* KERNEL_64, CAN_BE_LOADED_ABOVE_4G */
	put(CMDLINE_SIZE, 2047, 4);
	put(PREF, PREF_ADDRESS, 8);
	put(INIT_SIZE_AT, INIT_SIZE, 4);
	file_len = FILE_LEN;
}

/* vnr_bzimage_check() of an exact-size copy, so a sanitizer sees
 * overreads, with its reason formatted into err as callers do. */
static bool check_len(size_t len, u64 ram)
{
	struct vnr_bzimage_error e;
	u8 *copy = malloc(len ? len : 1);
	bool ok;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, file, len);
	memset(err, 0, sizeof(err));
	ok = vnr_bzimage_check(copy, len, ram, &img, &e);
	ck_assert(ok == (e.format == NULL));
	if (!ok)
		snprintf(err, sizeof(err), e.format, e.arg[0], e.arg[1],
			 e.arg[2], e.arg[3], e.arg[4]);
	free(copy);
	return ok;
}

static bool check_kernel(void)
{
	return check_len(file_len, RAM);
}

static bool place(const char *cmdline, u64 initrd_size)
{
	struct vnr_bzimage_error e;
	bool ok;

	memset(err, 0, sizeof(err));
	ok = vnr_bzimage_place(&img, cmdline, initrd_size, &layout, &e);
	if (!ok)
		snprintf(err, sizeof(err), e.format, e.arg[0], e.arg[1],
			 e.arg[2], e.arg[3], e.arg[4]);
	return ok;
}

#define EXPECT_OK() ck_assert_msg(check_kernel(), "refused: %s", err)
#define EXPECT_REFUSED(call, msg)                                            \
	do {                                                                 \
		ck_assert_msg(!(call), "accepted");                          \
		ck_assert_msg(strstr(err, msg) != NULL,                      \
			      "error '%s' does not contain '%s'", err, msg); \
	} while (0)
#define EXPECT_CHECK_FAILS(msg) EXPECT_REFUSED(check_kernel(), msg)

/* Guest RAM the loader writes, one page a call at most. */
static u8 *ram;
static u64 ram_size;
static u32 writes, fail_at;

static int write_ram(void *ctx, u64 gpa, const void *src, u64 len)
{
	(void)ctx;
	ck_assert_uint_le(gpa, ram_size);
	ck_assert_uint_le(len, ram_size - gpa);
	ck_assert_uint_le((gpa & (PAGE_SIZE - 1)) + len, PAGE_SIZE);
	if (++writes == fail_at)
		return -7;
	memcpy(ram + gpa, src, len);
	return 0;
}

static int load(u64 size, const char *cmdline, u64 initrd_size)
{
	struct vnr_gpa_writer w = {write_ram, NULL};

	ck_assert_msg(check_len(file_len, size), "refused: %s", err);
	ck_assert_msg(place(cmdline, initrd_size), "not placed: %s", err);
	free(ram);
	ram = calloc(1, size);
	ck_assert_ptr_nonnull(ram);
	ram_size = size;
	writes = 0;
	return vnr_bzimage_load(file, &img, cmdline, &layout, &w);
}

static void teardown(void)
{
	free(ram);
	ram = NULL;
}

static bool all_zero(const u8 *p, u64 n)
{
	for (u64 i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static u64 zp(u64 off, u32 size)
{
	return get(ram + layout.zero_page, off, size);
}

START_TEST(accepted_and_described)
{
	setup_kernel();
	EXPECT_OK();
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(img.memory_size, RAM);
	ck_assert_uint_eq(img.version, 0x020F);
	ck_assert_uint_eq(img.xloadflags, 0x03);
	ck_assert_uint_eq(img.setup_size, SETUP_SIZE);
	ck_assert_uint_eq(img.kernel_offset, SETUP_SIZE);
	ck_assert_uint_eq(img.kernel_size, KERNEL_SIZE);
	ck_assert_uint_eq(img.load_gpa, PREF_ADDRESS);
	ck_assert_uint_eq(img.entry, PREF_ADDRESS + 0x200);
	ck_assert_uint_eq(img.init_size, INIT_SIZE);
	ck_assert_uint_eq(img.initrd_limit, 0x80000000ull);
	ck_assert_uint_eq(img.cmdline_size, 2047);
	ck_assert_uint_eq(img.header_size, HEADER_END - 0x1F1);
	ck_assert_mem_eq(img.header, file + 0x1F1, HEADER_END - 0x1F1);
}
END_TEST

START_TEST(loads_kernel_and_boot_region)
{
	const char *cmdline = "console=ttyS0 root=/dev/vda ro";
	u64 boot = RAM - VNR_BOOT_REGION_SIZE;

	setup_kernel();
	ck_assert_int_eq(load(RAM, cmdline, 0x12345), 0);
	/* The protected-mode kernel, and not the trailer after it. */
	ck_assert_mem_eq(ram + PREF_ADDRESS, file + SETUP_SIZE, KERNEL_SIZE);
	ck_assert(all_zero(ram + PREF_ADDRESS + KERNEL_SIZE, TRAILER));
	ck_assert(all_zero(ram, PREF_ADDRESS));
	/* The entry state's pieces. */
	ck_assert_uint_eq(layout.entry, PREF_ADDRESS + 0x200);
	ck_assert_uint_eq(layout.zero_page, boot + 7 * PAGE_SIZE);
	ck_assert_uint_eq(layout.cmdline, boot + 8 * PAGE_SIZE);
	ck_assert_uint_eq(layout.boot.boot_region, boot);
	ck_assert_uint_eq(layout.boot.pml4, boot);
	ck_assert_uint_eq(layout.boot.stack_top, RAM);
	ck_assert_uint_eq(layout.boot.code_selector, 0x10);
	ck_assert_uint_eq(layout.boot.data_selector, 0x18);
	ck_assert_uint_eq(layout.boot.gdt_limit, 31);
	ck_assert_uint_eq(get(ram, layout.boot.gdt + 0x10, 8),
			  VNR_BOOT_GDT_CODE64);
	ck_assert_uint_eq(get(ram, layout.boot.gdt + 0x18, 8),
			  VNR_BOOT_GDT_DATA);
	ck_assert_uint_ne(get(ram, layout.boot.pml4, 8), 0);
	ck_assert_str_eq((char *)ram + layout.cmdline, cmdline);
}
END_TEST

START_TEST(zero_page_fields)
{
	u64 boot = RAM - VNR_BOOT_REGION_SIZE;

	setup_kernel();
	ck_assert_int_eq(load(RAM, "quiet", 0x12345), 0);
	/* The header as the file has it but what a loader writes. */
	for (u32 off = 0x1F1; off < HEADER_END; off++) {
		bool written = off == VID_MODE || off == VID_MODE + 1 ||
			       (off >= TYPE_OF_LOADER && off < 0x212) ||
			       (off >= CODE32_START && off < 0x220) ||
			       (off >= HEAP_END_PTR && off < 0x22C) ||
			       (off >= 0x23C && off < 0x248) ||
			       (off >= SETUP_DATA && off < PREF);

		if (!written)
			ck_assert_msg(ram[layout.zero_page + off] == file[off],
				      "header byte 0x%x changed", off);
	}
	ck_assert_uint_eq(zp(VID_MODE, 2), 0xFFFF);
	ck_assert_uint_eq(zp(TYPE_OF_LOADER, 1), 0xFF);
	ck_assert_uint_eq(zp(LOADFLAGS, 1), 0x01); /* no heap, no KEEP_SEG. */
	ck_assert_uint_eq(zp(CODE32_START, 4), PREF_ADDRESS);
	ck_assert_uint_eq(zp(HEAP_END_PTR, 2), 0);
	ck_assert_uint_eq(zp(EXT_LOADER_VER, 1), 0);
	ck_assert_uint_eq(zp(EXT_LOADER_TYPE, 1), 0);
	ck_assert_uint_eq(zp(CMD_LINE_PTR, 4), layout.cmdline);
	ck_assert_uint_eq(zp(SETUP_DATA, 8), 0);
	ck_assert_uint_eq(zp(BP_EXT_RAMDISK_IMAGE, 4), 0);
	ck_assert_uint_eq(zp(BP_EXT_CMD_LINE_PTR, 4), 0);
	ck_assert_uint_eq(zp(BP_SENTINEL, 1), 0);
	/* The initrd: page-aligned, as high as it goes, after the kernel. */
	ck_assert_uint_eq(zp(RAMDISK_IMAGE, 4), layout.initrd);
	ck_assert_uint_eq(zp(RAMDISK_SIZE, 4), 0x12345);
	ck_assert_uint_eq(layout.initrd_size, 0x12345);
	ck_assert_uint_eq(layout.initrd % PAGE_SIZE, 0);
	ck_assert_uint_le(layout.initrd + 0x12345, boot);
	ck_assert_uint_gt(layout.initrd + 0x12345 + PAGE_SIZE, boot);
	ck_assert_uint_ge(layout.initrd, PREF_ADDRESS + INIT_SIZE);
	/* e820: the RAM below the boot region, the boot region reserved. */
	ck_assert_uint_eq(zp(BP_E820_ENTRIES, 1), 2);
	ck_assert_uint_eq(zp(BP_E820_TABLE, 8), 0);
	ck_assert_uint_eq(zp(BP_E820_TABLE + 8, 8), boot);
	ck_assert_uint_eq(zp(BP_E820_TABLE + 16, 4), 1);
	ck_assert_uint_eq(zp(BP_E820_TABLE + 20, 8), boot);
	ck_assert_uint_eq(zp(BP_E820_TABLE + 28, 8), VNR_BOOT_REGION_SIZE);
	ck_assert_uint_eq(zp(BP_E820_TABLE + 36, 4), 2);
	ck_assert_uint_eq(zp(BP_E820_TABLE + 40, 8), 0);
}
END_TEST

START_TEST(no_initrd_and_empty_cmdline)
{
	setup_kernel();
	ck_assert_int_eq(load(RAM, "", 0), 0);
	ck_assert_uint_eq(layout.initrd, 0);
	ck_assert_uint_eq(layout.initrd_size, 0);
	ck_assert_uint_eq(zp(RAMDISK_IMAGE, 4), 0);
	ck_assert_uint_eq(zp(RAMDISK_SIZE, 4), 0);
	/* boot.rst: cmd_line_ptr is set even for no command line. */
	ck_assert_uint_eq(zp(CMD_LINE_PTR, 4), layout.cmdline);
	ck_assert_uint_ne(layout.cmdline, 0);
	ck_assert_uint_eq(ram[layout.cmdline], 0);
}
END_TEST

START_TEST(initrd_below_initrd_addr_max)
{
	setup_kernel();
	put(INITRD_ADDR_MAX, MiB(24) - 1, 4);
	ck_assert_int_eq(load(MiB(64), "", MiB(2)), 0);
	ck_assert_uint_eq(layout.initrd, MiB(22));
	ck_assert_uint_eq(zp(RAMDISK_IMAGE, 4), MiB(22));
	/* An odd limit: the initrd still ends below it, page-aligned. */
	put(INITRD_ADDR_MAX, MiB(24) + 0x1233, 4);
	ck_assert_int_eq(load(MiB(64), "", 0x1000), 0);
	ck_assert_uint_eq(layout.initrd, MiB(24));
}
END_TEST

START_TEST(initrd_too_large)
{
	setup_kernel();
	EXPECT_OK();
	/* [16 MiB + 4 MiB, 32 MiB - 128 KiB) is free. */
	ck_assert(place("", MiB(12) - VNR_BOOT_REGION_SIZE));
	EXPECT_REFUSED(place("", MiB(12) - VNR_BOOT_REGION_SIZE + 1),
		       "initrd of 12451841 bytes does not fit in "
		       "[0x1400000, 0x1fe0000)");
	put(INITRD_ADDR_MAX, MiB(18), 4);
	EXPECT_OK();
	EXPECT_REFUSED(place("", 1), "does not fit in [0x1400000, 0x1200000)");
}
END_TEST

START_TEST(cmdline_limits)
{
	static char line[VNR_LINUX_CMDLINE_MAX + 2];

	setup_kernel();
	put(CMDLINE_SIZE, 16, 4);
	EXPECT_OK();
	ck_assert(place("0123456789abcdef", 0));
	EXPECT_REFUSED(place("0123456789abcdefg", 0),
		       "command line longer than 16 characters");
	/* A kernel that takes more still gets one page. */
	put(CMDLINE_SIZE, 0xFFFFFFFF, 4);
	EXPECT_OK();
	memset(line, 'x', VNR_LINUX_CMDLINE_MAX);
	ck_assert(place(line, 0));
	line[VNR_LINUX_CMDLINE_MAX] = 'x';
	EXPECT_REFUSED(place(line, 0), "longer than 4095 characters");
}
END_TEST

START_TEST(refuses_short_header)
{
	setup_kernel();
	file_len = 0x263;
	EXPECT_CHECK_FAILS("file of 611 bytes too small for a Linux setup "
			   "header (0x264 bytes)");
}
END_TEST

START_TEST(refuses_bad_boot_flag)
{
	setup_kernel();
	put(BOOT_FLAG, 0xAA56, 2);
	EXPECT_CHECK_FAILS("boot_flag 0xaa56 is not 0xAA55");
}
END_TEST

START_TEST(refuses_no_hdrs)
{
	setup_kernel();
	memcpy(file + MAGIC, "HdrT", 4);
	EXPECT_CHECK_FAILS("no \"HdrS\" setup header magic");
}
END_TEST

START_TEST(refuses_old_protocol)
{
	setup_kernel();
	put(VERSION, 0x020B, 2);
	EXPECT_CHECK_FAILS("boot protocol 2.11 older than 2.12");
	put(VERSION, 0x020C, 2);
	EXPECT_OK();
}
END_TEST

START_TEST(refuses_bad_header_length)
{
	setup_kernel();
	put(JUMP, 0x50EB, 2);
	EXPECT_CHECK_FAILS("setup header ends at 0x252 (jump 0x50eb at 0x200)");
	put(JUMP, 0x80EB, 2); /* a jump back */
	EXPECT_CHECK_FAILS("setup header ends at 0x282");
	put(JUMP, 0x6A90, 2);
	EXPECT_CHECK_FAILS("not within 0x264..0x281");
	put(JUMP, 0x7FEB, 2);
	EXPECT_OK();
	ck_assert_uint_eq(img.header_size, VNR_LINUX_HEADER_MAX);
}
END_TEST

START_TEST(refuses_not_bzimage)
{
	setup_kernel();
	put(LOADFLAGS, 0x80, 1);
	EXPECT_CHECK_FAILS("loadflags 0x80: LOADED_HIGH clear");
}
END_TEST

START_TEST(refuses_no_64bit_entry)
{
	setup_kernel();
	put(XLOADFLAGS, 0x1E, 2);
	EXPECT_CHECK_FAILS("xloadflags 0x1e: XLF_KERNEL_64 clear");
}
END_TEST

START_TEST(refuses_bad_alignment)
{
	setup_kernel();
	put(KERNEL_ALIGNMENT, 0x800, 4);
	EXPECT_CHECK_FAILS("kernel_alignment 0x800 is not a power of two of "
			   "at least 4 KiB");
	put(KERNEL_ALIGNMENT, 0x300000, 4);
	EXPECT_CHECK_FAILS("kernel_alignment 0x300000");
	put(KERNEL_ALIGNMENT, 0, 4);
	EXPECT_CHECK_FAILS("kernel_alignment 0x0");
	put(KERNEL_ALIGNMENT, 0x1000, 4);
	EXPECT_OK();
}
END_TEST

START_TEST(relocation)
{
	setup_kernel();
	/* Relocatable: pref_address aligned up, and 1 MiB at least. */
	put(PREF, PREF_ADDRESS + 0x1000, 8);
	EXPECT_OK();
	ck_assert_uint_eq(img.load_gpa, PREF_ADDRESS + ALIGNMENT);
	put(PREF, 0, 8);
	EXPECT_OK();
	ck_assert_uint_eq(img.load_gpa, MiB(2));
	/* Not relocatable: only pref_address itself will do. */
	put(RELOCATABLE, 0, 1);
	EXPECT_CHECK_FAILS("kernel not relocatable and its pref_address 0x0 "
			   "is not a load address");
	put(PREF, PREF_ADDRESS + 0x1000, 8);
	EXPECT_CHECK_FAILS("pref_address 0x1001000 is not a load address "
			   "(1 MiB or more, aligned to 0x200000)");
	put(PREF, PREF_ADDRESS, 8);
	EXPECT_OK();
	ck_assert_uint_eq(img.load_gpa, PREF_ADDRESS);
}
END_TEST

START_TEST(setup_sects_zero_means_four)
{
	setup_kernel();
	put(SETUP_SECTS_AT, 0, 1);
	file_len = FILE_LEN + 512;
	EXPECT_OK();
	ck_assert_uint_eq(img.setup_size, 5 * 512);
	ck_assert_uint_eq(img.kernel_offset, 5 * 512);
}
END_TEST

START_TEST(refuses_short_setup)
{
	setup_kernel();
	put(SETUP_SECTS_AT, 60, 1);
	put(SYSSIZE, 0x30, 4);
	file_len = 61 * 512 - 1;
	EXPECT_CHECK_FAILS("file of 31231 bytes shorter than its setup code "
			   "(31232 bytes, setup_sects 60)");
}
END_TEST

START_TEST(refuses_truncated_kernel)
{
	setup_kernel();
	file_len = SETUP_SIZE + KERNEL_SIZE - 16;
	EXPECT_CHECK_FAILS("file truncated: syssize says 12288 bytes of "
			   "protected-mode kernel, the file has 12272 after "
			   "the setup");
	put(SYSSIZE, 0xFFFFFFFF, 4);
	file_len = FILE_LEN;
	EXPECT_CHECK_FAILS("syssize says 68719476720 bytes");
}
END_TEST

START_TEST(refuses_kernel_without_entry)
{
	setup_kernel();
	put(SYSSIZE, 0x20, 4);
	EXPECT_CHECK_FAILS("protected-mode kernel of 512 bytes (syssize) ends "
			   "before its 64-bit entry at 0x200");
	put(SYSSIZE, 0x21, 4);
	EXPECT_OK();
}
END_TEST

START_TEST(refuses_init_size_too_large)
{
	setup_kernel();
	put(INIT_SIZE_AT, MiB(16) - VNR_BOOT_REGION_SIZE, 4);
	EXPECT_OK();
	put(INIT_SIZE_AT, MiB(16) - VNR_BOOT_REGION_SIZE + 1, 4);
	EXPECT_CHECK_FAILS("kernel at 0x1000000 needs 0xfe0001 bytes "
			   "(init_size) but RAM below the boot region ends at "
			   "0x1fe0000");
	put(INIT_SIZE_AT, 0xFFFFFFFF, 4);
	EXPECT_CHECK_FAILS("needs 0xffffffff bytes (init_size)");
	/* An init_size below the file's kernel counts as the kernel. */
	put(INIT_SIZE_AT, 0x100, 4);
	EXPECT_OK();
	ck_assert_uint_eq(img.init_size, KERNEL_SIZE);
}
END_TEST

START_TEST(refuses_pref_address_beyond_ram)
{
	setup_kernel();
	put(PREF, RAM - VNR_BOOT_REGION_SIZE, 8);
	EXPECT_CHECK_FAILS("pref_address 0x1fe0000 not below the boot region "
			   "at 0x1fe0000");
	put(PREF, ~0ull, 8);
	EXPECT_CHECK_FAILS("pref_address 0xffffffffffffffff");
}
END_TEST

START_TEST(refuses_bad_memory_size)
{
	setup_kernel();
	ck_assert(!check_len(file_len, MiB(3)));
	ck_assert_ptr_nonnull(strstr(err, "memory size 0x300000 is not"));
	ck_assert(!check_len(file_len, 0));
	ck_assert(!check_len(file_len, GiB(4) + MiB(2)));
	ck_assert(check_len(file_len, GiB(4)));
}
END_TEST

/* Every prefix of the file too short for what it declares is refused. */
START_TEST(truncated_at_every_length)
{
	setup_kernel();
	for (size_t len = 0; len < SETUP_SIZE + KERNEL_SIZE; len++)
		ck_assert_msg(!check_len(len, RAM), "%zu bytes accepted", len);
	for (size_t len = SETUP_SIZE + KERNEL_SIZE; len <= FILE_LEN; len++)
		ck_assert_msg(check_len(len, RAM), "%zu bytes: %s", len, err);
}
END_TEST

START_TEST(stops_at_a_failed_write)
{
	setup_kernel();
	for (fail_at = 1; fail_at <= 9; fail_at++) {
		ck_assert_int_eq(load(RAM, "x", 0), -7);
		ck_assert_uint_eq(writes, fail_at);
	}
	fail_at = 0;
	ck_assert_int_eq(load(RAM, "x", 0), 0);
	/* 3 kernel pages, PML4, PDPT, 1 directory, GDT, cmdline, zero page. */
	ck_assert_uint_eq(writes, 9);
}
END_TEST

/* The stock kernels on this machine, or VENEER_TEST_BZIMAGE's. */
static void real_kernel(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct vnr_bzimage_error e = {0};
	u8 *data;
	long n;

	ck_assert_msg(f != NULL, "%s exists but cannot be read", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	data = malloc((size_t)n);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	ck_assert_msg(vnr_bzimage_check(data, (size_t)n, MiB(512), &img, &e),
		      "%s refused: %s", path, e.format);
	ck_assert_uint_ge(img.version, 0x020F);
	ck_assert(img.xloadflags & 1);
	ck_assert_uint_eq(img.load_gpa, get(data, PREF, 8));
	ck_assert_uint_ge(img.load_gpa, MiB(16));
	ck_assert_uint_eq(img.kernel_offset + img.kernel_size <= (u64)n, 1);
	ck_assert(place("console=ttyS0", MiB(32)));
	ck_assert_uint_ge(layout.initrd, img.load_gpa + img.init_size);
	/* Loaded whole into RAM the kernel's own size needs, and no more. */
	free(ram);
	ram_size = MiB(512);
	ram = calloc(1, ram_size);
	ck_assert_ptr_nonnull(ram);
	ck_assert_int_eq(
		vnr_bzimage_load(data, &img, "console=ttyS0", &layout,
				 &(struct vnr_gpa_writer){write_ram, NULL}),
		0);
	ck_assert_mem_eq(ram + img.load_gpa, data + img.kernel_offset,
			 img.kernel_size);
	ck_assert_mem_eq(ram + layout.zero_page + 0x1F1, data + 0x1F1, 0x1F);
	ck_assert_uint_eq(zp(CMD_LINE_PTR, 4), layout.cmdline);
	free(data);
	printf("%s: boot protocol %u.%02u, load 0x%llx, init_size 0x%llx\n",
	       path, img.version >> 8, img.version & 0xff,
	       (unsigned long long)img.load_gpa,
	       (unsigned long long)img.init_size);
}

START_TEST(stock_kernel)
{
	const char *env = getenv("VENEER_TEST_BZIMAGE");
	glob_t g = {0};
	size_t found;

	if (env && *env)
		real_kernel(env);
	glob("/boot/vmlinuz-*", 0, NULL, &g);
	glob("/usr/lib/linux-image-*/vmlinuz*", GLOB_APPEND, NULL, &g);
	found = g.gl_pathc;
	for (size_t i = 0; i < found; i++)
		real_kernel(g.gl_pathv[i]);
	globfree(&g);
	if (!found && !(env && *env))
		printf("stock_kernel: skipped, no /boot/vmlinuz-* here\n");
}
END_TEST

static Suite *linux_boot_suite(void)
{
	Suite *s = suite_create("linux_boot");
	TCase *accept = tcase_create("accept");
	TCase *refuse = tcase_create("refuse");

	tcase_add_checked_fixture(accept, NULL, teardown);
	tcase_add_test(accept, accepted_and_described);
	tcase_add_test(accept, loads_kernel_and_boot_region);
	tcase_add_test(accept, zero_page_fields);
	tcase_add_test(accept, no_initrd_and_empty_cmdline);
	tcase_add_test(accept, initrd_below_initrd_addr_max);
	tcase_add_test(accept, relocation);
	tcase_add_test(accept, setup_sects_zero_means_four);
	tcase_add_test(accept, stops_at_a_failed_write);
	tcase_add_test(accept, stock_kernel);
	tcase_set_timeout(accept, 60);
	suite_add_tcase(s, accept);
	tcase_add_test(refuse, initrd_too_large);
	tcase_add_test(refuse, cmdline_limits);
	tcase_add_test(refuse, refuses_short_header);
	tcase_add_test(refuse, refuses_bad_boot_flag);
	tcase_add_test(refuse, refuses_no_hdrs);
	tcase_add_test(refuse, refuses_old_protocol);
	tcase_add_test(refuse, refuses_bad_header_length);
	tcase_add_test(refuse, refuses_not_bzimage);
	tcase_add_test(refuse, refuses_no_64bit_entry);
	tcase_add_test(refuse, refuses_bad_alignment);
	tcase_add_test(refuse, refuses_short_setup);
	tcase_add_test(refuse, refuses_truncated_kernel);
	tcase_add_test(refuse, refuses_kernel_without_entry);
	tcase_add_test(refuse, refuses_init_size_too_large);
	tcase_add_test(refuse, refuses_pref_address_beyond_ram);
	tcase_add_test(refuse, refuses_bad_memory_size);
	tcase_add_test(refuse, truncated_at_every_length);
	tcase_set_timeout(refuse, 60);
	suite_add_tcase(s, refuse);
	return s;
}

int main(void)
{
	return fx_run_suite(linux_boot_suite());
}
