/* SPDX-License-Identifier: MIT */
/*
 * Loading ELF64 partition images (docs/spec/boot-protocol.md): an x86-64
 * ET_EXEC whose PT_LOAD segments are placed at their physical addresses
 * (p_paddr) in guest RAM.  Other program headers and all section headers
 * are ignored.
 */
#ifndef HV_ELF_H
#define HV_ELF_H

#include <hv/types.h>

/* The lowest GPA a segment may use: page 0 is kept unmapped. */
#define HV_ELF_MIN_LOAD ((u64)VNR_IMAGE_MIN_GPA)
/* At most this many program headers, hence loadable segments. */
#define HV_ELF_MAX_SEGMENTS 16

/* The on-disk structures (ELF-64 Object File Format, version 1.5). */
#define HV_EI_NIDENT   16
#define HV_ELFCLASS64  2
#define HV_ELFDATA2LSB 1
#define HV_EV_CURRENT  1
#define HV_ET_EXEC     2
#define HV_EM_X86_64   62
#define HV_PT_LOAD     1
#define HV_PF_X	       1u
#define HV_PF_W	       2u
#define HV_PF_R	       4u

struct hv_elf64_ehdr {
	u8 e_ident[HV_EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};
_Static_assert(sizeof(struct hv_elf64_ehdr) == 64, "ELF64 header size");

struct hv_elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};
_Static_assert(sizeof(struct hv_elf64_phdr) == 56, "ELF64 phdr size");

/* A PT_LOAD segment that passed hv_elf_check(). */
struct hv_elf_segment {
	u64 gpa;
	u64 file_offset;
	u64 file_size;
	u64 mem_size; /* >= file_size; the rest is zeroed */
	u32 flags;    /* HV_PF_* */
};

struct hv_elf_image {
	u64 entry; /* GPA (== GVA) of the first instruction */
	u32 segment_count;
	struct hv_elf_segment segments[HV_ELF_MAX_SEGMENTS];
	u64 lowest_gpa;	     /* lowest segment start */
	u64 highest_gpa_end; /* highest segment end (exclusive) */
};

/*
 * Validates the image (data, len bytes) for a guest whose segments must lie
 * in [HV_ELF_MIN_LOAD, load_limit) and describes it in out.  Everything the
 * loader will touch is checked here, so a hostile file cannot make
 * hv_elf_load() read or write out of bounds.  On error returns false and
 * writes a one-line reason into err (which may be NULL).
 */
bool hv_elf_check(const void *data, size_t len, u64 load_limit,
		  struct hv_elf_image *out, char *err, size_t err_size);

/*
 * Copies each segment's file bytes and zeroes the rest of it.  guest_ram is
 * the host address of GPA 0 and must cover [0, load_limit) as passed to
 * hv_elf_check(), which must have accepted img for the same data.
 */
void hv_elf_load(const void *data, const struct hv_elf_image *img,
		 void *guest_ram);

#endif /* HV_ELF_H */
