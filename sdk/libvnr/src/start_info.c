// SPDX-License-Identifier: MIT
/* The start information a parent writes for a child it built. */
#include <libvnr/start_info.h>
#include <libvnr/string.h>
#include <veneer/version.h>

#define PAGE_MASK (~(vnr_u64)(VNR_PAGE_SIZE - 1))

static void add_memmap(struct vnr_start_info *si, vnr_u64 base, vnr_u64 len,
		       vnr_u32 type)
{
	if (!len)
		return;
	si->memmap[si->memmap_count++] =
		(struct vnr_memmap_entry){base, len, type, 0};
}

static void copy_string(char *dst, const char *src, size_t size)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

void vnr_start_info_build(const struct vnr_start_info_source *src,
			  struct vnr_start_info *si)
{
	vnr_u64 boot = src->memory_size - VNR_BOOT_REGION_SIZE;
	vnr_u64 lo = src->image->lowest_gpa & PAGE_MASK;
	vnr_u64 hi =
		(src->image->highest_gpa_end + VNR_PAGE_SIZE - 1) & PAGE_MASK;

	memset(si, 0, sizeof(*si));
	si->magic = VNR_START_INFO_MAGIC;
	si->abi_version = VNR_ABI_VERSION;
	si->partition_id = src->partition_id;
	si->vp_index = 0;
	si->memory_size = src->memory_size;
	copy_string(si->name, src->name, sizeof(si->name));
	copy_string(si->cmdline, src->cmdline, sizeof(si->cmdline));
	add_memmap(si, 0, lo, VNR_MEM_RAM);
	add_memmap(si, lo, hi - lo, VNR_MEM_IMAGE);
	add_memmap(si, hi, boot - hi, VNR_MEM_RAM);
	add_memmap(si, boot, VNR_BOOT_REGION_SIZE, VNR_MEM_BOOT_TABLES);
}
