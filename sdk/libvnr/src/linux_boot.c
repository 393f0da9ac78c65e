/* SPDX-License-Identifier: MIT */
/*
 * Linux bzImages: the setup header's checks and loading by the 64-bit
 * boot protocol (Linux's Documentation/x86/boot.rst and zero-page.rst).
 *
 * Kernel files are not trusted: no field is read before the length was
 * checked to hold it, sums are compared by subtraction, and fields are
 * copied out with memcpy because nothing aligns them.  x86 is
 * little-endian like the protocol, so a field is its bytes.
 */
#include <libvnr/linux_boot.h>
#include <libvnr/string.h>

typedef unsigned long long ull; /* what every reason's conversions take */

/* The setup header, at the same offsets in the file and the zero page. */
#define HDR_SETUP_SECTS		  0x1F1u
#define HDR_SYSSIZE		  0x1F4u
#define HDR_VID_MODE		  0x1FAu
#define HDR_BOOT_FLAG		  0x1FEu
#define HDR_JUMP		  0x200u
#define HDR_MAGIC		  0x202u
#define HDR_VERSION		  0x206u
#define HDR_TYPE_OF_LOADER	  0x210u
#define HDR_LOADFLAGS		  0x211u
#define HDR_CODE32_START	  0x214u
#define HDR_RAMDISK_IMAGE	  0x218u
#define HDR_RAMDISK_SIZE	  0x21Cu
#define HDR_HEAP_END_PTR	  0x224u
#define HDR_EXT_LOADER_VER	  0x226u
#define HDR_EXT_LOADER_TYPE	  0x227u
#define HDR_CMD_LINE_PTR	  0x228u
#define HDR_INITRD_ADDR_MAX	  0x22Cu
#define HDR_KERNEL_ALIGNMENT	  0x230u
#define HDR_RELOCATABLE		  0x234u
#define HDR_XLOADFLAGS		  0x236u
#define HDR_CMDLINE_SIZE	  0x238u
#define HDR_HARDWARE_SUBARCH	  0x23Cu
#define HDR_HARDWARE_SUBARCH_DATA 0x240u
#define HDR_SETUP_DATA		  0x250u
#define HDR_PREF_ADDRESS	  0x258u
#define HDR_INIT_SIZE		  0x260u
#define HDR_MIN_END		  0x264u /* through init_size: all we read */
#define HDR_MAX_END		  (VNR_LINUX_HEADER_START + VNR_LINUX_HEADER_MAX)

/* The rest of struct boot_params that a loader fills. */
#define BP_E820_ENTRIES	  0x1E8u
#define BP_E820_TABLE	  0x2D0u
#define BP_E820_ENTRY_LEN 20u /* u64 addr, u64 size, u32 type: packed */
#define E820_RAM	  1u
#define E820_RESERVED	  2u

#define BOOT_FLAG	  0xAA55u
#define HDRS		  0x53726448u /* "HdrS" */
#define MIN_VERSION	  0x020Cu     /* 2.12: xloadflags */
#define LOADED_HIGH	  0x01u	      /* loadflags: a bzImage */
#define XLF_KERNEL_64	  0x01u	      /* xloadflags: entry at +0x200 */
#define ENTRY_64	  0x200u
#define VID_MODE_NORMAL	  0xFFFFu
#define LOADER_UNDEFINED  0xFFu /* type_of_loader: no assigned id */
#define SECTOR		  512u
#define MIN_LOAD	  0x100000ull /* where bzImages load, at least */

#define PAGE		  ((vnr_u64)VNR_PAGE_SIZE)
#define ALIGN_UP(x, a)	  (((x) + (a)-1) & ~((vnr_u64)(a)-1))

struct checker {
	const vnr_u8 *data;
	size_t len;
	struct vnr_bzimage *img;
	struct vnr_bzimage_error *err;
};

static bool fail(struct vnr_bzimage_error *err, const char *format, ull a0,
		 ull a1, ull a2, ull a3, ull a4)
{
	if (err)
		*err = (struct vnr_bzimage_error){format, {a0, a1, a2, a3, a4}};
	return false;
}

/* The size-byte field at off, which the caller checked the file holds. */
static vnr_u64 field(const struct checker *c, vnr_u32 off, vnr_u32 size)
{
	vnr_u64 v = 0;

	memcpy(&v, c->data + off, size);
	return v;
}

/* Is [off, off + size) inside [0, limit)?  Safe for any inputs. */
static bool range_in(vnr_u64 off, vnr_u64 size, vnr_u64 limit)
{
	return off <= limit && size <= limit - off;
}

/* The magic numbers and the version: is this a 64-bit bzImage at all? */
static bool check_header(struct checker *c)
{
	vnr_u64 version, end;

	if (c->len < HDR_MIN_END)
		return fail(c->err,
			    "file of %llu bytes too small for a Linux setup "
			    "header (0x%llx bytes)",
			    c->len, HDR_MIN_END, 0, 0, 0);
	if (field(c, HDR_BOOT_FLAG, 2) != BOOT_FLAG)
		return fail(
			c->err,
			"boot_flag 0x%llx is not 0xAA55: not a Linux kernel",
			field(c, HDR_BOOT_FLAG, 2), 0, 0, 0, 0);
	if (field(c, HDR_MAGIC, 4) != HDRS)
		return fail(c->err,
			    "no \"HdrS\" setup header magic: not a bzImage", 0,
			    0, 0, 0, 0);
	version = field(c, HDR_VERSION, 2);
	if (version < MIN_VERSION)
		return fail(c->err,
			    "boot protocol %llu.%02llu older than 2.12 (no "
			    "xloadflags)",
			    version >> 8, version & 0xff, 0, 0, 0);
	/* The jump at 0x200 is 0xEB and an offset: the header's length. */
	end = HDR_MAGIC + field(c, HDR_JUMP + 1, 1);
	if (field(c, HDR_JUMP, 1) != 0xEB || end < HDR_MIN_END ||
	    end > HDR_MAX_END)
		return fail(c->err,
			    "setup header ends at 0x%llx (jump 0x%llx at "
			    "0x200), not within 0x%llx..0x%llx",
			    end, field(c, HDR_JUMP, 2), HDR_MIN_END,
			    HDR_MAX_END, 0);
	c->img->version = (vnr_u16)version;
	c->img->header_size = (vnr_u32)(end - VNR_LINUX_HEADER_START);
	return true;
}

static bool check_flags(struct checker *c)
{
	if (!(field(c, HDR_LOADFLAGS, 1) & LOADED_HIGH))
		return fail(
			c->err,
			"loadflags 0x%llx: LOADED_HIGH clear, not a bzImage",
			field(c, HDR_LOADFLAGS, 1), 0, 0, 0, 0);
	c->img->xloadflags = (vnr_u16)field(c, HDR_XLOADFLAGS, 2);
	if (!(c->img->xloadflags & XLF_KERNEL_64))
		return fail(c->err,
			    "xloadflags 0x%llx: XLF_KERNEL_64 clear, no 64-bit "
			    "entry point",
			    c->img->xloadflags, 0, 0, 0, 0);
	return true;
}

/* The setup area and the protected-mode kernel after it, in the file. */
static bool check_sizes(struct checker *c)
{
	vnr_u64 sects = field(c, HDR_SETUP_SECTS, 1);
	vnr_u64 setup, kernel;

	setup = ((sects ? sects : 4) + 1) * SECTOR; /* 0 means 4 */
	if (c->len < setup)
		return fail(c->err,
			    "file of %llu bytes shorter than its setup code "
			    "(%llu bytes, setup_sects %llu)",
			    c->len, setup, sects, 0, 0);
	/* The bytes past it (an appended signature) are not loaded. */
	kernel = field(c, HDR_SYSSIZE, 4) * 16;
	if (kernel > c->len - setup)
		return fail(c->err,
			    "file truncated: syssize says %llu bytes of "
			    "protected-mode kernel, the file has %llu after "
			    "the setup",
			    kernel, c->len - setup, 0, 0, 0);
	if (kernel <= ENTRY_64)
		return fail(c->err,
			    "protected-mode kernel of %llu bytes (syssize) "
			    "ends before its 64-bit entry at 0x200",
			    kernel, 0, 0, 0, 0);
	c->img->setup_size = (vnr_u32)setup;
	c->img->kernel_offset = setup;
	c->img->kernel_size = kernel;
	return true;
}

/*
 * The load address is pref_address (LOAD_PHYSICAL_ADDR, 16 MiB in
 * Debian's kernels), aligned up to kernel_alignment and at least 1 MiB.
 * A relocatable 64-bit kernel loaded lower would move itself up to
 * LOAD_PHYSICAL_ADDR anyway (its decompressor does), so lower saves no
 * memory; higher wastes it.
 */
static bool check_placement(struct checker *c, vnr_u64 boot_region)
{
	vnr_u64 align = field(c, HDR_KERNEL_ALIGNMENT, 4);
	vnr_u64 pref = field(c, HDR_PREF_ADDRESS, 8);
	vnr_u64 init = field(c, HDR_INIT_SIZE, 4), load;

	if (align < PAGE || (align & (align - 1)))
		return fail(c->err,
			    "kernel_alignment 0x%llx is not a power of two of "
			    "at least 4 KiB",
			    align, 0, 0, 0, 0);
	load = pref < MIN_LOAD ? MIN_LOAD : pref;
	if (load >= boot_region)
		return fail(c->err,
			    "pref_address 0x%llx not below the boot region at "
			    "0x%llx",
			    pref, boot_region, 0, 0, 0);
	load = ALIGN_UP(load, align); /* both below 2^33: no wrap */
	if (!field(c, HDR_RELOCATABLE, 1) && load != pref)
		return fail(
			c->err,
			"kernel not relocatable and its pref_address 0x%llx "
			"is not a load address (1 MiB or more, aligned to "
			"0x%llx)",
			pref, align, 0, 0, 0);
	if (init < c->img->kernel_size)
		init = c->img->kernel_size;
	if (!range_in(load, init, boot_region))
		return fail(c->err,
			    "kernel at 0x%llx needs 0x%llx bytes (init_size) "
			    "but RAM below the boot region ends at 0x%llx",
			    load, init, boot_region, 0, 0);
	c->img->load_gpa = load;
	c->img->init_size = init;
	c->img->entry = load + ENTRY_64;
	return true;
}

static bool memory_size_valid(vnr_u64 size)
{
	return size && size % 0x200000u == 0 &&
	       size <= VNR_BOOT_PD_COUNT * 0x40000000ull;
}

bool vnr_bzimage_check(const void *data, size_t len, vnr_u64 memory_size,
		       struct vnr_bzimage *img, struct vnr_bzimage_error *err)
{
	struct checker c = {data, len, img, err};

	if (err)
		*err = (struct vnr_bzimage_error){0};
	memset(img, 0, sizeof(*img));
	if (!memory_size_valid(memory_size))
		return fail(
			err,
			"memory size 0x%llx is not 2 MiB..%llu GiB in 2 MiB "
			"steps",
			memory_size, VNR_BOOT_PD_COUNT, 0, 0, 0);
	if (!check_header(&c) || !check_flags(&c) || !check_sizes(&c) ||
	    !check_placement(&c, memory_size - VNR_BOOT_REGION_SIZE))
		return false;
	img->memory_size = memory_size;
	img->initrd_limit = field(&c, HDR_INITRD_ADDR_MAX, 4) + 1;
	img->cmdline_size = (vnr_u32)field(&c, HDR_CMDLINE_SIZE, 4);
	memcpy(img->header, c.data + VNR_LINUX_HEADER_START, img->header_size);
	return true;
}

static vnr_u64 cmdline_max(const struct vnr_bzimage *img)
{
	return img->cmdline_size < VNR_LINUX_CMDLINE_MAX
		       ? img->cmdline_size
		       : VNR_LINUX_CMDLINE_MAX;
}

/* As high as it fits below the boot region and initrd_addr_max. */
static bool place_initrd(const struct vnr_bzimage *img, vnr_u64 size,
			 struct vnr_linux_layout *layout,
			 struct vnr_bzimage_error *err)
{
	vnr_u64 bottom = ALIGN_UP(img->load_gpa + img->init_size, PAGE);
	vnr_u64 top = layout->boot.boot_region;

	if (!size)
		return true;
	if (img->initrd_limit < top)
		top = img->initrd_limit & ~(PAGE - 1);
	if (top < bottom || size > top - bottom)
		return fail(err,
			    "initrd of %llu bytes does not fit in [0x%llx, "
			    "0x%llx): after the kernel's init_size, below the "
			    "boot region and initrd_addr_max",
			    size, bottom, top, 0, 0);
	layout->initrd = (top - size) & ~(PAGE - 1);
	layout->initrd_size = size;
	return true;
}

bool vnr_bzimage_place(const struct vnr_bzimage *img, const char *cmdline,
		       vnr_u64 initrd_size, struct vnr_linux_layout *layout,
		       struct vnr_bzimage_error *err)
{
	vnr_u64 max = cmdline_max(img);
	vnr_u64 n = strnlen(cmdline, max + 1);

	if (err)
		*err = (struct vnr_bzimage_error){0};
	memset(layout, 0, sizeof(*layout));
	if (n > max)
		return fail(err,
			    "command line longer than %llu characters (the "
			    "kernel's cmdline_size %llu, one page at most)",
			    max, img->cmdline_size, 0, 0, 0);
	vnr_boot_layout_plan(img->memory_size, VNR_BOOT_GDT_LINUX,
			     &layout->boot);
	layout->entry = img->entry;
	layout->zero_page =
		layout->boot.boot_region + VNR_LINUX_ZERO_PAGE_PAGE * PAGE;
	layout->cmdline =
		layout->boot.boot_region + VNR_LINUX_CMDLINE_PAGE * PAGE;
	return place_initrd(img, initrd_size, layout, err);
}

/* One page, built and then written: hv.efi's stacks are small. */
static vnr_u8 page[VNR_PAGE_SIZE];

static void put(vnr_u32 off, vnr_u64 value, vnr_u32 size)
{
	memcpy(page + off, &value, size);
}

static void put_e820(vnr_u32 i, vnr_u64 base, vnr_u64 size, vnr_u32 type)
{
	vnr_u32 off = BP_E820_TABLE + i * BP_E820_ENTRY_LEN;

	put(off, base, 8);
	put(off + 8, size, 8);
	put(off + 16, type, 4);
}

/*
 * The setup header as the file has it, then what boot.rst has a loader
 * write: no setup code runs (so no heap: CAN_USE_HEAP clear, and
 * KEEP_SEGMENTS, QUIET_FLAG and the kernel's own KASLR_FLAG clear too),
 * no setup_data, the default subarchitecture, and an e820 map of the
 * partition's RAM with the boot region reserved, so that neither KASLR
 * nor the kernel's allocator picks it while the boot page tables are in
 * use.  The rest of boot_params (video, EDD, EFI, ACPI RSDP) is 0: none.
 */
static void build_zero_page(const struct vnr_bzimage *img,
			    const struct vnr_linux_layout *l)
{
	vnr_u64 boot = l->boot.boot_region;

	memset(page, 0, sizeof(page));
	memcpy(page + VNR_LINUX_HEADER_START, img->header, img->header_size);
	put(HDR_VID_MODE, VID_MODE_NORMAL, 2);
	put(HDR_TYPE_OF_LOADER, LOADER_UNDEFINED, 1);
	put(HDR_LOADFLAGS, LOADED_HIGH, 1);
	put(HDR_CODE32_START, img->load_gpa, 4);
	put(HDR_RAMDISK_IMAGE, l->initrd, 4);
	put(HDR_RAMDISK_SIZE, l->initrd_size, 4);
	put(HDR_HEAP_END_PTR, 0, 2);
	put(HDR_EXT_LOADER_VER, 0, 1);
	put(HDR_EXT_LOADER_TYPE, 0, 1);
	put(HDR_CMD_LINE_PTR, l->cmdline, 4);
	put(HDR_HARDWARE_SUBARCH, 0, 4);
	put(HDR_HARDWARE_SUBARCH_DATA, 0, 8);
	put(HDR_SETUP_DATA, 0, 8);
	put(BP_E820_ENTRIES, 2, 1);
	put_e820(0, 0, boot, E820_RAM);
	put_e820(1, boot, VNR_BOOT_REGION_SIZE, E820_RESERVED);
}

static int write_cmdline(const struct vnr_bzimage *img, const char *cmdline,
			 vnr_u64 gpa, const struct vnr_gpa_writer *w)
{
	vnr_u64 n = strnlen(cmdline, cmdline_max(img));

	memcpy(page, cmdline, n);
	page[n] = '\0';
	return w->write(w->ctx, gpa, page, n + 1);
}

int vnr_bzimage_load(const void *data, const struct vnr_bzimage *img,
		     const char *cmdline, const struct vnr_linux_layout *layout,
		     const struct vnr_gpa_writer *w)
{
	struct vnr_boot_layout boot;
	int rc;

	rc = vnr_gpa_write_pages(w, img->load_gpa,
				 (const vnr_u8 *)data + img->kernel_offset,
				 img->kernel_size);
	if (!rc)
		rc = vnr_boot_layout_build_for(img->memory_size,
					       VNR_BOOT_GDT_LINUX, w, &boot);
	if (!rc)
		rc = write_cmdline(img, cmdline, layout->cmdline, w);
	if (rc)
		return rc;
	build_zero_page(img, layout);
	return w->write(w->ctx, layout->zero_page, page, sizeof(page));
}
