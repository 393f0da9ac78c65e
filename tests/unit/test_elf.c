/* SPDX-License-Identifier: MIT */
/* Unit tests of libvnr's ELF64 image checker and loader (src/elf.c). */
#include <check.h>

#include "fixture.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvnr/elf.h>

/* A small guest: segments must lie in [0x1000, LIMIT). */
#define LIMIT	    0x10000ull
#define TEXT_OFF    0x400ull
#define TEXT_GPA    0x2000ull
#define TEXT_SIZE   0x100ull
#define DATA_OFF    0x500ull
#define DATA_GPA    0x3000ull
#define DATA_FILESZ 0x80ull
#define DATA_MEMSZ  0x2000ull
#define FILE_SIZE   0x580ull
#define ENTRY	    (TEXT_GPA + 0x10)

/* The image under test: header, program headers and the file around them. */
static struct vnr_elf64_ehdr eh;
static struct vnr_elf64_phdr ph[VNR_ELF_MAX_SEGMENTS + 4];
static u8 file[0x1000];
static size_t file_len;

static struct vnr_elf_image img;
static char err[256];

static void set_phdr(u32 i, u32 type, u32 flags, u64 off, u64 gpa, u64 filesz,
		     u64 memsz)
{
	ph[i] = (struct vnr_elf64_phdr){
		.p_type = type,
		.p_flags = flags,
		.p_offset = off,
		.p_vaddr = gpa,
		.p_paddr = gpa,
		.p_filesz = filesz,
		.p_memsz = memsz,
		.p_align = 0x1000,
	};
}

/* A valid two-segment executable: text (R X) and data + bss (R W). */
static void setup_image(void)
{
	static const u8 ident[VNR_EI_NIDENT] = {
		0x7f,	       'E', 'L', 'F', VNR_ELFCLASS64, VNR_ELFDATA2LSB,
		VNR_EV_CURRENT};
	size_t i;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ident, sizeof(ident));
	eh.e_type = VNR_ET_EXEC;
	eh.e_machine = VNR_EM_X86_64;
	eh.e_version = VNR_EV_CURRENT;
	eh.e_entry = ENTRY;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(struct vnr_elf64_phdr);
	eh.e_phnum = 2;
	memset(ph, 0, sizeof(ph));
	set_phdr(0, VNR_PT_LOAD, VNR_PF_R | VNR_PF_X, TEXT_OFF, TEXT_GPA,
		 TEXT_SIZE, TEXT_SIZE);
	set_phdr(1, VNR_PT_LOAD, VNR_PF_R | VNR_PF_W, DATA_OFF, DATA_GPA,
		 DATA_FILESZ, DATA_MEMSZ);
	for (i = 0; i < sizeof(file); i++)
		file[i] = (u8)(i * 7 + 3);
	file_len = FILE_SIZE;
}

/* Writes eh and the program headers into file, as far as they fit. */
static void write_image(void)
{
	size_t i;

	memcpy(file, &eh, sizeof(eh));
	for (i = 0; i < eh.e_phnum && i < ARRAY_SIZE(ph); i++) {
		u64 at = eh.e_phoff + i * eh.e_phentsize;

		/* A wrapped offset would land on the ELF header. */
		if (at >= eh.e_phoff && at < sizeof(file) &&
		    sizeof(file) - at >= sizeof(ph[i]))
			memcpy(file + at, &ph[i], sizeof(ph[i]));
	}
}

/* vnr_elf_check() with its reason formatted into err, as its callers do. */
static bool elf_check(const void *data, size_t len, u64 limit,
		      struct vnr_elf_image *out, char *why, size_t why_size)
{
	struct vnr_elf_error e;

	if (vnr_elf_check(data, len, limit, out, &e))
		return true;
	ck_assert_ptr_nonnull(e.format);
	if (why_size)
		snprintf(why, why_size, e.format, e.arg[0], e.arg[1], e.arg[2],
			 e.arg[3], e.arg[4]);
	return false;
}

static void load_into(u8 *ram, const void *data)
{
	struct vnr_gpa_writer w = {vnr_gpa_copy_to_ram, ram};

	ck_assert_int_eq(vnr_elf_load(data, &img, &w), 0);
}

/* Checks an exact-size copy of the file so a sanitizer sees overreads. */
static bool check_image_len(size_t len, u64 limit)
{
	u8 *copy = malloc(len ? len : 1);
	bool ok;

	ck_assert_ptr_nonnull(copy);
	write_image();
	memcpy(copy, file, len);
	memset(err, 0, sizeof(err));
	ok = elf_check(copy, len, limit, &img, err, sizeof(err));
	free(copy);
	return ok;
}

static bool check_image(void)
{
	return check_image_len(file_len, LIMIT);
}

#define EXPECT_OK() ck_assert_msg(check_image(), "rejected: %s", err)
#define EXPECT_ERROR(msg)                                                    \
	do {                                                                 \
		ck_assert_msg(!check_image(), "accepted");                   \
		ck_assert_msg(strstr(err, msg) != NULL,                      \
			      "error '%s' does not contain '%s'", err, msg); \
	} while (0)

/* --- accepted images -------------------------------------------------- */

START_TEST(valid_image)
{
	EXPECT_OK();
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(img.entry, ENTRY);
	ck_assert_uint_eq(img.segment_count, 2);
	ck_assert_uint_eq(img.segments[0].gpa, TEXT_GPA);
	ck_assert_uint_eq(img.segments[0].file_offset, TEXT_OFF);
	ck_assert_uint_eq(img.segments[0].file_size, TEXT_SIZE);
	ck_assert_uint_eq(img.segments[0].mem_size, TEXT_SIZE);
	ck_assert_uint_eq(img.segments[0].flags, VNR_PF_R | VNR_PF_X);
	ck_assert_uint_eq(img.segments[1].gpa, DATA_GPA);
	ck_assert_uint_eq(img.segments[1].file_size, DATA_FILESZ);
	ck_assert_uint_eq(img.segments[1].mem_size, DATA_MEMSZ);
	ck_assert_uint_eq(img.segments[1].flags, VNR_PF_R | VNR_PF_W);
	ck_assert_uint_eq(img.lowest_gpa, TEXT_GPA);
	ck_assert_uint_eq(img.highest_gpa_end, DATA_GPA + DATA_MEMSZ);
}
END_TEST

START_TEST(segments_in_any_order)
{
	struct vnr_elf64_phdr t = ph[0];

	ph[0] = ph[1];
	ph[1] = t;
	EXPECT_OK();
	ck_assert_uint_eq(img.lowest_gpa, TEXT_GPA);
	ck_assert_uint_eq(img.highest_gpa_end, DATA_GPA + DATA_MEMSZ);
}
END_TEST

START_TEST(other_headers_ignored)
{
	/* A PT_GNU_STACK with garbage fields and an empty PT_LOAD. */
	eh.e_phnum = 4;
	set_phdr(2, 0x6474e551, VNR_PF_R | VNR_PF_W, UINT64_MAX, UINT64_MAX,
		 UINT64_MAX, 1);
	set_phdr(3, VNR_PT_LOAD, VNR_PF_R, 0, 0, 0, 0);
	EXPECT_OK();
	ck_assert_uint_eq(img.segment_count, 2);
}
END_TEST

START_TEST(limits_accepted)
{
	/* From the lowest loadable page to the very end of the area. */
	ph[0].p_vaddr = ph[0].p_paddr = VNR_IMAGE_MIN_GPA;
	eh.e_entry = VNR_IMAGE_MIN_GPA;
	ph[1].p_memsz = LIMIT - DATA_GPA;
	EXPECT_OK();
	ck_assert_uint_eq(img.lowest_gpa, VNR_IMAGE_MIN_GPA);
	ck_assert_uint_eq(img.highest_gpa_end, LIMIT);
	/* Adjacent segments do not overlap. */
	ph[0].p_memsz = DATA_GPA - VNR_IMAGE_MIN_GPA;
	EXPECT_OK();
	/* Last byte of the executable segment. */
	eh.e_entry = DATA_GPA - 1;
	EXPECT_OK();
	/* A segment that ends exactly at the end of the file. */
	ph[1].p_filesz = file_len - DATA_OFF;
	EXPECT_OK();
}
END_TEST

START_TEST(larger_phentsize_and_unaligned_phoff)
{
	eh.e_phentsize = 64;
	eh.e_phoff = 0x41;
	EXPECT_OK();
	ck_assert_uint_eq(img.segment_count, 2);
	ck_assert_uint_eq(img.segments[1].gpa, DATA_GPA);
}
END_TEST

START_TEST(max_segment_count)
{
	u32 i;

	eh.e_phnum = VNR_ELF_MAX_SEGMENTS;
	for (i = 2; i < VNR_ELF_MAX_SEGMENTS; i++)
		set_phdr(i, VNR_PT_LOAD, VNR_PF_R, 0,
			 DATA_GPA + DATA_MEMSZ + (i - 2) * 0x800, 0x10, 0x800);
	EXPECT_OK();
	ck_assert_uint_eq(img.segment_count, VNR_ELF_MAX_SEGMENTS);
}
END_TEST

START_TEST(null_error)
{
	write_image();
	ck_assert(vnr_elf_check(file, file_len, LIMIT, &img, NULL));
	ck_assert(!vnr_elf_check(file, 10, LIMIT, &img, NULL));
}
END_TEST

START_TEST(error_cleared_on_success)
{
	struct vnr_elf_error e = {"stale", {1, 2, 3, 4, 5}};

	write_image();
	ck_assert(vnr_elf_check(file, file_len, LIMIT, &img, &e));
	ck_assert_ptr_null(e.format);
	ck_assert_uint_eq(e.arg[0], 0);
}
END_TEST

/* RAM is zero before the load: BSS and gaps are not written. */
START_TEST(load_writes_file_bytes_only)
{
	u8 *ram = malloc(LIMIT);
	u64 i;

	ck_assert_ptr_nonnull(ram);
	EXPECT_OK();
	memset(ram, 0xaa, LIMIT);
	load_into(ram, file);
	ck_assert_mem_eq(ram + TEXT_GPA, file + TEXT_OFF, TEXT_SIZE);
	ck_assert_mem_eq(ram + DATA_GPA, file + DATA_OFF, DATA_FILESZ);
	for (i = 0; i < LIMIT; i++)
		if ((i < TEXT_GPA || i >= TEXT_GPA + TEXT_SIZE) &&
		    (i < DATA_GPA || i >= DATA_GPA + DATA_FILESZ))
			ck_assert_uint_eq(ram[i], 0xaa);
	free(ram);
}
END_TEST

static int refuse_write(void *ctx, u64 gpa, const void *src, u64 len)
{
	(void)gpa, (void)src, (void)len;
	++*(int *)ctx;
	return -7;
}

START_TEST(load_stops_at_failed_write)
{
	int calls = 0;
	struct vnr_gpa_writer w = {refuse_write, &calls};

	EXPECT_OK();
	ck_assert_int_eq(vnr_elf_load(file, &img, &w), -7);
	ck_assert_int_eq(calls, 1);
}
END_TEST

/* --- header refusals -------------------------------------------------- */

START_TEST(too_small)
{
	ck_assert(!check_image_len(sizeof(eh) - 1, LIMIT));
	ck_assert_ptr_nonnull(strstr(err, "file too small for an ELF header"));
	ck_assert(!check_image_len(0, LIMIT));
}
END_TEST

START_TEST(bad_magic)
{
	eh.e_ident[1] = 'e';
	EXPECT_ERROR("bad ELF magic");
}
END_TEST

START_TEST(wrong_class_data_machine)
{
	eh.e_ident[4] = 1; /* ELFCLASS32 */
	EXPECT_ERROR("not ELF64 little-endian x86-64");
	setup_image();
	eh.e_ident[5] = 2; /* ELFDATA2MSB */
	EXPECT_ERROR("not ELF64 little-endian x86-64");
	setup_image();
	eh.e_machine = 3; /* EM_386 */
	EXPECT_ERROR("not ELF64 little-endian x86-64");
}
END_TEST

START_TEST(wrong_version)
{
	eh.e_version = 2;
	EXPECT_ERROR("unsupported ELF version");
	setup_image();
	eh.e_ident[6] = 0;
	EXPECT_ERROR("unsupported ELF version");
}
END_TEST

START_TEST(not_executable)
{
	eh.e_type = 3; /* ET_DYN */
	EXPECT_ERROR("not an executable (ET_EXEC)");
	eh.e_type = 1; /* ET_REL */
	EXPECT_ERROR("not an executable (ET_EXEC)");
}
END_TEST

START_TEST(program_header_counts)
{
	eh.e_phnum = 0;
	EXPECT_ERROR("no program headers");
	eh.e_phnum = VNR_ELF_MAX_SEGMENTS + 1;
	EXPECT_ERROR("too many program headers (17 > 16)");
	eh.e_phnum = 0xffff; /* PN_XNUM */
	EXPECT_ERROR("too many program headers");
}
END_TEST

START_TEST(program_header_size)
{
	eh.e_phentsize = sizeof(struct vnr_elf64_phdr) - 1;
	EXPECT_ERROR("program header entry size 55 too small");
	eh.e_phentsize = 0;
	EXPECT_ERROR("program header entry size 0 too small");
}
END_TEST

START_TEST(program_headers_out_of_file)
{
	/* One byte short. */
	eh.e_phoff = file_len - 2 * sizeof(struct vnr_elf64_phdr) + 1;
	EXPECT_ERROR("program headers out of file");
	eh.e_phoff = file_len;
	EXPECT_ERROR("program headers out of file");
	/* phoff + phnum * phentsize wraps around to a small number. */
	eh.e_phoff = UINT64_MAX - 0x10;
	EXPECT_ERROR("program headers out of file");
	eh.e_phoff = (u64)0 - 2 * sizeof(struct vnr_elf64_phdr);
	EXPECT_ERROR("program headers out of file");
	eh.e_phoff = 0x40;
	eh.e_phentsize = 0xffff;
	EXPECT_ERROR("program headers out of file");
}
END_TEST

/* --- segment refusals ------------------------------------------------- */

START_TEST(filesz_above_memsz)
{
	ph[1].p_filesz = DATA_MEMSZ + 1;
	EXPECT_ERROR("segment 1 filesz > memsz");
	ph[1].p_filesz = UINT64_MAX;
	EXPECT_ERROR("segment 1 filesz > memsz");
}
END_TEST

START_TEST(file_range_out_of_file)
{
	ph[1].p_filesz = file_len - DATA_OFF + 1;
	EXPECT_ERROR("segment 1 file range out of file");
	setup_image();
	ph[0].p_offset = file_len;
	EXPECT_ERROR("segment 0 file range out of file");
	/* p_offset + p_filesz wraps around. */
	setup_image();
	ph[0].p_offset = UINT64_MAX - 0x10;
	EXPECT_ERROR("segment 0 file range out of file");
	setup_image();
	ph[0].p_offset = (u64)0 - TEXT_SIZE;
	EXPECT_ERROR("segment 0 file range out of file");
	/* A huge size with a huge memsz to get past filesz <= memsz. */
	setup_image();
	ph[1].p_filesz = ph[1].p_memsz = UINT64_MAX - DATA_OFF + 1;
	EXPECT_ERROR("segment 1 file range out of file");
}
END_TEST

START_TEST(vaddr_ignored)
{
	/* Only p_paddr says where a segment goes. */
	ph[1].p_vaddr = 0xffffffff80003000ull;
	EXPECT_OK();
	ck_assert_uint_eq(img.segments[1].gpa, DATA_GPA);
	ph[1].p_paddr = 0;
	EXPECT_ERROR("segment 1 [0x0,0x2000) outside loadable guest memory");
}
END_TEST

START_TEST(segment_outside_guest_memory)
{
	ph[0].p_vaddr = ph[0].p_paddr = 0;
	EXPECT_ERROR("segment 0 [0x0,0x100) outside loadable guest memory "
		     "[0x1000,0x10000)");
	setup_image();
	ph[0].p_vaddr = ph[0].p_paddr = 0xf80;
	EXPECT_ERROR("segment 0 [0xf80,0x1080) outside loadable guest memory");
	setup_image();
	ph[1].p_memsz = LIMIT - DATA_GPA + 1;
	EXPECT_ERROR("segment 1 [0x3000,0x10001) outside loadable guest memory "
		     "[0x1000,0x10000)");
	setup_image();
	ph[1].p_vaddr = ph[1].p_paddr = LIMIT;
	EXPECT_ERROR("segment 1 [0x10000,0x12000) outside loadable");
	/* The same image fits a larger guest. */
	ck_assert(check_image_len(file_len, LIMIT + DATA_MEMSZ));
}
END_TEST

START_TEST(segment_wraps_around)
{
	ph[1].p_memsz = UINT64_MAX;
	EXPECT_ERROR(
		"segment 1 at 0x3000 size 0xffffffffffffffff wraps around");
	setup_image();
	ph[1].p_vaddr = ph[1].p_paddr = UINT64_MAX - 0xfff;
	EXPECT_ERROR("segment 1 at 0xfffffffffffff000 size 0x2000 wraps");
	/* Ending exactly at 2^64 is a wrap too. */
	setup_image();
	ph[1].p_vaddr = ph[1].p_paddr = (u64)0 - DATA_MEMSZ;
	EXPECT_ERROR("wraps around");
	/* Not a wrap, but far outside. */
	setup_image();
	ph[1].p_vaddr = ph[1].p_paddr = (u64)0 - DATA_MEMSZ - 1;
	EXPECT_ERROR("outside loadable guest memory");
}
END_TEST

START_TEST(segments_overlap)
{
	ph[1].p_vaddr = ph[1].p_paddr = TEXT_GPA + TEXT_SIZE - 1;
	EXPECT_ERROR("segments 0 and 1 overlap");
	/* One inside the other; the indices are program header numbers. */
	setup_image();
	eh.e_phnum = 3;
	set_phdr(1, 4 /* PT_NOTE */, 0, 0, 0, 0, 0);
	set_phdr(2, VNR_PT_LOAD, VNR_PF_R, DATA_OFF, DATA_GPA, 0x10, 0x10);
	ph[2].p_vaddr = ph[2].p_paddr = TEXT_GPA + 0x20;
	EXPECT_ERROR("segments 0 and 2 overlap");
}
END_TEST

START_TEST(entry_not_executable)
{
	eh.e_entry = DATA_GPA;
	EXPECT_ERROR("entry 0x3000 not in an executable segment");
	eh.e_entry = TEXT_GPA + TEXT_SIZE; /* one past the end */
	EXPECT_ERROR("entry 0x2100 not in an executable segment");
	eh.e_entry = 0;
	EXPECT_ERROR("entry 0x0 not in an executable segment");
	/* In the bss of an executable segment is fine. */
	setup_image();
	ph[1].p_flags |= VNR_PF_X;
	eh.e_entry = DATA_GPA + DATA_MEMSZ - 1;
	EXPECT_OK();
}
END_TEST

START_TEST(no_loadable_segment)
{
	ph[0].p_type = 4; /* PT_NOTE */
	ph[1].p_type = 0x6474e551;
	EXPECT_ERROR("no loadable segment");
	/* Empty PT_LOADs do not count. */
	ph[0].p_type = ph[1].p_type = VNR_PT_LOAD;
	ph[0].p_filesz = ph[0].p_memsz = 0;
	ph[1].p_filesz = ph[1].p_memsz = 0;
	EXPECT_ERROR("no loadable segment");
}
END_TEST

/* --- robustness ------------------------------------------------------- */

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* Values that sit on the edges the checker has to get right. */
static u64 edgy(void)
{
	static const u64 values[] = {
		0,
		1,
		0x38,
		0x40,
		0xfff,
		VNR_IMAGE_MIN_GPA,
		DATA_GPA,
		FILE_SIZE,
		FILE_SIZE - 1,
		LIMIT - 1,
		LIMIT,
		0x7fffffffffffffffull,
		UINT64_MAX - 0xfff,
		UINT64_MAX - 0x37,
		UINT64_MAX - 1,
		UINT64_MAX,
	};

	if (rng() & 1)
		return rng() >> (rng() % 64);
	return values[rng() % ARRAY_SIZE(values)];
}

static void mutate_fields(void)
{
	struct vnr_elf64_phdr *p = &ph[rng() % 4];

	switch (rng() % 12) {
	case 0:
		eh.e_phoff = edgy();
		break;
	case 1:
		eh.e_phnum = (u16)(rng() % 20);
		break;
	case 2:
		eh.e_phentsize = (u16)(rng() & 1 ? rng() : 56 + rng() % 16);
		break;
	case 3:
		eh.e_entry = edgy();
		break;
	case 4:
		p->p_offset = edgy();
		break;
	case 5:
		p->p_filesz = edgy();
		break;
	case 6:
		p->p_memsz = edgy();
		break;
	case 7:
		p->p_paddr = p->p_vaddr = edgy();
		break;
	case 8:
		p->p_type = rng() % 4;
		break;
	case 9:
		p->p_flags = (u32)rng();
		break;
	case 10:
		file_len = edgy() % (sizeof(file) + 1);
		break;
	default:
		p->p_vaddr = edgy();
	}
}

static void check_accepted(const struct vnr_elf_image *im, size_t len)
{
	u32 i;

	ck_assert(im->segment_count >= 1);
	ck_assert(im->segment_count <= VNR_ELF_MAX_SEGMENTS);
	for (i = 0; i < im->segment_count; i++) {
		const struct vnr_elf_segment *s = &im->segments[i];

		ck_assert(s->file_size <= s->mem_size);
		ck_assert(s->file_offset <= len);
		ck_assert(s->file_size <= len - s->file_offset);
		ck_assert(s->gpa >= VNR_IMAGE_MIN_GPA);
		ck_assert(s->gpa <= LIMIT && s->mem_size <= LIMIT - s->gpa);
	}
}

START_TEST(fuzz_does_not_crash)
{
	u8 *ram = malloc(LIMIT), *copy;
	u32 iter, accepted = 0, n;

	ck_assert_ptr_nonnull(ram);
	for (iter = 0; iter < 100000; iter++) {
		setup_image();
		for (n = 1 + rng() % 6; n; n--)
			mutate_fields();
		eh.e_phnum = eh.e_phnum > ARRAY_SIZE(ph) ? ARRAY_SIZE(ph)
							 : eh.e_phnum;
		write_image();
		/* Then some raw byte damage to the headers. */
		for (n = rng() % 4; n; n--)
			file[rng() % (sizeof(eh) + 4 * sizeof(ph[0]))] =
				(u8)rng();
		copy = malloc(file_len ? file_len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, file, file_len);
		if (elf_check(copy, file_len, LIMIT, &img, err,
			      rng() % sizeof(err))) {
			check_accepted(&img, file_len);
			/* ram is exactly LIMIT bytes: ASan sees any stray. */
			load_into(ram, copy);
			accepted++;
		}
		free(copy);
	}
	free(ram);
	ck_assert_uint_gt(accepted, 0);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *ok = tcase_create("accepted");
	TCase *header = tcase_create("header");
	TCase *segment = tcase_create("segment");
	TCase *fuzz = tcase_create("fuzz");

	tcase_add_checked_fixture(ok, setup_image, NULL);
	tcase_add_test(ok, valid_image);
	tcase_add_test(ok, segments_in_any_order);
	tcase_add_test(ok, other_headers_ignored);
	tcase_add_test(ok, limits_accepted);
	tcase_add_test(ok, larger_phentsize_and_unaligned_phoff);
	tcase_add_test(ok, max_segment_count);
	tcase_add_test(ok, null_error);
	tcase_add_test(ok, error_cleared_on_success);
	tcase_add_test(ok, load_writes_file_bytes_only);
	tcase_add_test(ok, load_stops_at_failed_write);
	suite_add_tcase(s, ok);

	tcase_add_checked_fixture(header, setup_image, NULL);
	tcase_add_test(header, too_small);
	tcase_add_test(header, bad_magic);
	tcase_add_test(header, wrong_class_data_machine);
	tcase_add_test(header, wrong_version);
	tcase_add_test(header, not_executable);
	tcase_add_test(header, program_header_counts);
	tcase_add_test(header, program_header_size);
	tcase_add_test(header, program_headers_out_of_file);
	suite_add_tcase(s, header);

	tcase_add_checked_fixture(segment, setup_image, NULL);
	tcase_add_test(segment, filesz_above_memsz);
	tcase_add_test(segment, file_range_out_of_file);
	tcase_add_test(segment, vaddr_ignored);
	tcase_add_test(segment, segment_outside_guest_memory);
	tcase_add_test(segment, segment_wraps_around);
	tcase_add_test(segment, segments_overlap);
	tcase_add_test(segment, entry_not_executable);
	tcase_add_test(segment, no_loadable_segment);
	suite_add_tcase(s, segment);

	/* Sanitizer builds are several times slower. */
	tcase_set_timeout(fuzz, 120);
	tcase_add_test(fuzz, fuzz_does_not_crash);
	suite_add_tcase(s, fuzz);
	return s;
}

int main(void)
{
	return fx_run_suite(elf_suite());
}
