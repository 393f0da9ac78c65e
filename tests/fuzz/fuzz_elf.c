/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: hv_elf_check() on arbitrary bytes and, when it accepts,
 * hv_elf_load() into guest RAM of exactly load_limit bytes between guard
 * regions.  Properties: no memory error, accepted segments lie in
 * [HV_ELF_MIN_LOAD, load_limit) and in the file, and the loader produces
 * exactly the file bytes followed by zeroes.
 */
#include <string.h>

#include <hv/boot.h>
#include <hv/elf.h>

#include "fuzz_util.h"

/* A 2 MiB partition (the smallest) and a small one. */
static const u64 limits[] = {MiB(2) - HV_BOOT_REGION_SIZE, KiB(64)};
static u8 *rams[ARRAY_SIZE(limits)];

static void check_and_load(const u8 *data, size_t size, unsigned which)
{
	const u64 limit = limits[which];
	struct hv_elf_image img;
	char err[128];
	u8 *ram;

	memset(err, 0x5A, sizeof(err));
	if (!hv_elf_check(data, size, limit, &img, err, sizeof(err))) {
		FUZZ_ASSERT(memchr(err, 0, sizeof(err)) != NULL);
		return;
	}
	FUZZ_ASSERT(img.segment_count >= 1 &&
		    img.segment_count <= HV_ELF_MAX_SEGMENTS);
	for (u32 i = 0; i < img.segment_count; i++) {
		const struct hv_elf_segment *s = &img.segments[i];

		FUZZ_ASSERT(s->gpa >= HV_ELF_MIN_LOAD && s->gpa < limit);
		FUZZ_ASSERT(s->mem_size >= s->file_size);
		FUZZ_ASSERT(s->mem_size <= limit - s->gpa);
		FUZZ_ASSERT(s->file_offset <= size &&
			    s->file_size <= size - s->file_offset);
		FUZZ_ASSERT(s->gpa >= img.lowest_gpa &&
			    s->gpa + s->mem_size <= img.highest_gpa_end);
	}
	FUZZ_ASSERT(img.highest_gpa_end <= limit);
	if (!rams[which])
		rams[which] = fuzz_guarded_alloc(limit);
	ram = rams[which];
	memset(ram, 0xCC, limit);
	hv_elf_load(data, &img, ram);
	/* Segments do not overlap (checked), so each holds its own bytes. */
	for (u32 i = 0; i < img.segment_count; i++) {
		const struct hv_elf_segment *s = &img.segments[i];

		FUZZ_ASSERT(!memcmp(ram + s->gpa, data + s->file_offset,
				    s->file_size));
		for (u64 b = s->file_size; b < s->mem_size; b++)
			FUZZ_ASSERT(ram[s->gpa + b] == 0);
	}
	/* The entry point is in an executable segment. */
	{
		bool in_x = false;

		for (u32 i = 0; i < img.segment_count; i++) {
			const struct hv_elf_segment *s = &img.segments[i];

			in_x |= (s->flags & HV_PF_X) && img.entry >= s->gpa &&
				img.entry - s->gpa < s->mem_size;
		}
		FUZZ_ASSERT(in_x);
	}
	/* Nothing below the lowest segment or above the highest was written. */
	for (u64 b = 0; b < img.lowest_gpa; b++)
		FUZZ_ASSERT(ram[b] == 0xCC);
	for (u64 b = img.highest_gpa_end; b < limit; b++)
		FUZZ_ASSERT(ram[b] == 0xCC);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	for (unsigned i = 0; i < ARRAY_SIZE(limits); i++)
		check_and_load(data, size, i);
	return 0;
}
