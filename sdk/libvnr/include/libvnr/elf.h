/* SPDX-License-Identifier: MIT */
/*
 * ELF64 partition images (docs/spec/boot-protocol.md): an x86-64 ET_EXEC
 * whose PT_LOAD segments are placed at their physical addresses (p_paddr)
 * in guest RAM.  Other program headers and all section headers are
 * ignored.  The hypervisor loads boot partitions with these functions, a
 * root partition its children.
 */
#ifndef LIBVNR_ELF_H
#define LIBVNR_ELF_H

#include <libvnr/gpa_writer.h>
#include <stdbool.h>
#include <stddef.h>
#include <veneer/boot.h>

/* At most this many program headers, hence loadable segments. */
#define VNR_ELF_MAX_SEGMENTS 16

/* The on-disk structures (ELF-64 Object File Format, version 1.5). */
#define VNR_EI_NIDENT	16
#define VNR_ELFCLASS64	2
#define VNR_ELFDATA2LSB 1
#define VNR_EV_CURRENT	1
#define VNR_ET_EXEC	2
#define VNR_EM_X86_64	62
#define VNR_PT_LOAD	1
#define VNR_PF_X	1u
#define VNR_PF_W	2u
#define VNR_PF_R	4u

struct vnr_elf64_ehdr {
	vnr_u8 e_ident[VNR_EI_NIDENT];
	vnr_u16 e_type;
	vnr_u16 e_machine;
	vnr_u32 e_version;
	vnr_u64 e_entry;
	vnr_u64 e_phoff;
	vnr_u64 e_shoff;
	vnr_u32 e_flags;
	vnr_u16 e_ehsize;
	vnr_u16 e_phentsize;
	vnr_u16 e_phnum;
	vnr_u16 e_shentsize;
	vnr_u16 e_shnum;
	vnr_u16 e_shstrndx;
};
VNR_ABI_SIZE(struct vnr_elf64_ehdr, 64);

struct vnr_elf64_phdr {
	vnr_u32 p_type;
	vnr_u32 p_flags;
	vnr_u64 p_offset;
	vnr_u64 p_vaddr;
	vnr_u64 p_paddr;
	vnr_u64 p_filesz;
	vnr_u64 p_memsz;
	vnr_u64 p_align;
};
VNR_ABI_SIZE(struct vnr_elf64_phdr, 56);

/* A PT_LOAD segment that passed vnr_elf_check(). */
struct vnr_elf_segment {
	vnr_u64 gpa; /* p_paddr */
	vnr_u64 file_offset;
	vnr_u64 file_size;
	vnr_u64 mem_size; /* >= file_size; the rest is zero */
	vnr_u32 flags;	  /* VNR_PF_* */
};

struct vnr_elf_image {
	vnr_u64 entry;		 /* GPA (== GVA) of the first instruction */
	vnr_u64 lowest_gpa;	 /* of all PT_LOAD segments */
	vnr_u64 highest_gpa_end; /* exclusive */
	vnr_u32 segment_count;	 /* PT_LOAD segments with p_memsz != 0 */
	struct vnr_elf_segment segments[VNR_ELF_MAX_SEGMENTS];
};

/*
 * Why vnr_elf_check() refused an image, as a printf format whose
 * conversions all take unsigned long long, and their arguments: the caller
 * formats it with its own printf, e.g.
 *   snprintf(buf, size, e.format, e.arg[0], e.arg[1], e.arg[2], e.arg[3],
 *   e.arg[4]).
 * Segments are named by their program header index, as readelf -l numbers
 * them.
 */
struct vnr_elf_error {
	const char *format; /* NULL while the image is accepted */
	unsigned long long arg[5];
};

/*
 * Validates the ELF64 image [data, data + len) for a partition whose
 * segments must lie in [VNR_IMAGE_MIN_GPA, load_limit) and describes it in
 * *img.  Everything vnr_elf_load() will read is checked here, with
 * subtraction so that no sum can wrap, so a hostile file cannot make it
 * read out of bounds; the image need not be aligned.  On failure returns
 * false and says why in *err (which may be NULL).
 */
bool vnr_elf_check(const void *data, size_t len, vnr_u64 load_limit,
		   struct vnr_elf_image *img, struct vnr_elf_error *err);

/*
 * Writes the file bytes of each segment of img, which vnr_elf_check()
 * accepted for the same data, through w.  The partition's RAM must be zero
 * already: BSS and the gaps between segments are not written.  Returns 0,
 * or the first nonzero result of w->write (after which it writes nothing
 * more).
 */
int vnr_elf_load(const void *data, const struct vnr_elf_image *img,
		 const struct vnr_gpa_writer *w);

#endif /* LIBVNR_ELF_H */
