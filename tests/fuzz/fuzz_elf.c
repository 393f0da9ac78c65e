/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: boot_check_image() (libvnr's vnr_elf_check()) on
 * arbitrary bytes and, when it accepts, vnr_elf_load() into guest RAM of
 * exactly load_limit bytes between guard regions.  Properties: no memory
 * error, accepted segments lie in [VNR_IMAGE_MIN_GPA, load_limit) and in
 * the file, and the loader writes exactly the file bytes and nothing else
 * (the RAM outside the segments' pages is read-only during the load).
 */
#include <string.h>

#include <hv/boot.h>

#include "fuzz_util.h"

/* A 2 MiB partition (the smallest) and a small one. */
static const u64 limits[] = {MiB(2) - HV_BOOT_REGION_SIZE, KiB(64)};
static u8 *rams[ARRAY_SIZE(limits)];

#define FILL 0xCC
static u8 fill[MiB(2)];

/*
 * Guest RAM is filled with FILL once and kept read-only: only the pages of
 * the accepted segments are opened for each load, so a write anywhere
 * else faults at once, and cleaning up touches only those pages.
 */
static u8 *ram_of(unsigned which)
{
	if (!rams[which]) {
		rams[which] = fuzz_guarded_alloc(limits[which]);
		memset(rams[which], FILL, limits[which]);
		FUZZ_ASSERT(!mprotect(rams[which], limits[which], PROT_READ));
		memset(fill, FILL, sizeof(fill));
	}
	return rams[which];
}

static void page_span(const struct vnr_elf_segment *s, u64 *start, u64 *len)
{
	*start = s->gpa & ~(PAGE_SIZE - 1);
	*len = ALIGN_UP(s->gpa + s->mem_size, PAGE_SIZE) - *start;
}

static void protect_segments(u8 *ram, const struct vnr_elf_image *img, int prot)
{
	for (u32 i = 0; i < img->segment_count; i++) {
		u64 start, len;

		page_span(&img->segments[i], &start, &len);
		FUZZ_ASSERT(!mprotect(ram + start, len, prot));
	}
}

/*
 * Each segment holds its file bytes and its BSS is untouched (segments do
 * not overlap, checked); with the segments filled again, their pages must
 * be all FILL: nothing else in them was written.
 */
static void check_loaded(u8 *ram, const u8 *data,
			 const struct vnr_elf_image *img)
{
	for (u32 i = 0; i < img->segment_count; i++) {
		const struct vnr_elf_segment *s = &img->segments[i];

		FUZZ_ASSERT(!memcmp(ram + s->gpa, data + s->file_offset,
				    s->file_size));
		FUZZ_ASSERT(!memcmp(ram + s->gpa + s->file_size, fill,
				    s->mem_size - s->file_size));
	}
	for (u32 i = 0; i < img->segment_count; i++)
		memset(ram + img->segments[i].gpa, FILL,
		       img->segments[i].mem_size);
	for (u32 i = 0; i < img->segment_count; i++) {
		u64 start, len;

		page_span(&img->segments[i], &start, &len);
		FUZZ_ASSERT(!memcmp(ram + start, fill, len));
	}
}

static void check_and_load(const u8 *data, size_t size, unsigned which)
{
	const u64 limit = limits[which];
	struct vnr_elf_image img;
	char err[128];
	u8 *ram;

	memset(err, 0x5A, sizeof(err));
	if (!boot_check_image(data, size, limit, &img, err, sizeof(err))) {
		FUZZ_ASSERT(memchr(err, 0, sizeof(err)) != NULL);
		return;
	}
	FUZZ_ASSERT(img.segment_count >= 1 &&
		    img.segment_count <= VNR_ELF_MAX_SEGMENTS);
	for (u32 i = 0; i < img.segment_count; i++) {
		const struct vnr_elf_segment *s = &img.segments[i];

		FUZZ_ASSERT(s->gpa >= VNR_IMAGE_MIN_GPA && s->gpa < limit);
		FUZZ_ASSERT(s->mem_size >= s->file_size);
		FUZZ_ASSERT(s->mem_size <= limit - s->gpa);
		FUZZ_ASSERT(s->file_offset <= size &&
			    s->file_size <= size - s->file_offset);
		FUZZ_ASSERT(s->gpa >= img.lowest_gpa &&
			    s->gpa + s->mem_size <= img.highest_gpa_end);
	}
	FUZZ_ASSERT(img.highest_gpa_end <= limit);
	ram = ram_of(which);
	protect_segments(ram, &img, PROT_READ | PROT_WRITE);
	FUZZ_ASSERT(!vnr_elf_load(
		data, &img,
		&(struct vnr_gpa_writer){vnr_gpa_copy_to_ram, ram}));
	check_loaded(ram, data, &img);
	protect_segments(ram, &img, PROT_READ);
	/* The entry point is in an executable segment. */
	{
		bool in_x = false;

		for (u32 i = 0; i < img.segment_count; i++) {
			const struct vnr_elf_segment *s = &img.segments[i];

			in_x |= (s->flags & VNR_PF_X) && img.entry >= s->gpa &&
				img.entry - s->gpa < s->mem_size;
		}
		FUZZ_ASSERT(in_x);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	for (unsigned i = 0; i < ARRAY_SIZE(limits); i++)
		check_and_load(data, size, i);
	return 0;
}
