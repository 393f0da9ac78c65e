/* SPDX-License-Identifier: MIT */
/*
 * ELF64 partition images: validation and loading.
 *
 * Images are not trusted: every offset and size is checked with
 * subtraction instead of addition so that no sum can wrap, and headers are
 * copied out with memcpy because nothing guarantees alignment.
 */
#include <libvnr/elf.h>
#include <libvnr/string.h>

typedef unsigned long long ull; /* what every reason's conversions take */

struct checker {
	const vnr_u8 *data;
	size_t len;
	vnr_u64 load_limit;
	struct vnr_elf_error *err;
};

static bool fail(struct checker *c, const char *format, ull a0, ull a1, ull a2,
		 ull a3, ull a4)
{
	if (c->err)
		*c->err = (struct vnr_elf_error){format, {a0, a1, a2, a3, a4}};
	return false;
}

/* Is [off, off + size) inside [0, limit)?  Safe for any inputs. */
static bool range_in(vnr_u64 off, vnr_u64 size, vnr_u64 limit)
{
	return off <= limit && size <= limit - off;
}

static bool check_header(struct checker *c, struct vnr_elf64_ehdr *eh)
{
	static const vnr_u8 magic[4] = {0x7f, 'E', 'L', 'F'};

	if (c->len < sizeof(*eh))
		return fail(c, "file too small for an ELF header (%llu bytes)",
			    c->len, 0, 0, 0, 0);
	memcpy(eh, c->data, sizeof(*eh));
	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0)
		return fail(c, "bad ELF magic", 0, 0, 0, 0, 0);
	if (eh->e_ident[4] != VNR_ELFCLASS64 ||
	    eh->e_ident[5] != VNR_ELFDATA2LSB || eh->e_machine != VNR_EM_X86_64)
		return fail(c, "not ELF64 little-endian x86-64", 0, 0, 0, 0, 0);
	if (eh->e_ident[6] != VNR_EV_CURRENT || eh->e_version != VNR_EV_CURRENT)
		return fail(c, "unsupported ELF version", 0, 0, 0, 0, 0);
	if (eh->e_type != VNR_ET_EXEC)
		return fail(c, "not an executable (ET_EXEC)", 0, 0, 0, 0, 0);
	if (eh->e_phnum == 0)
		return fail(c, "no program headers", 0, 0, 0, 0, 0);
	if (eh->e_phnum > VNR_ELF_MAX_SEGMENTS)
		return fail(c, "too many program headers (%llu > %llu)",
			    eh->e_phnum, VNR_ELF_MAX_SEGMENTS, 0, 0, 0);
	/* The standard allows larger entries; only the prefix is read. */
	if (eh->e_phentsize < sizeof(struct vnr_elf64_phdr))
		return fail(c, "program header entry size %llu too small",
			    eh->e_phentsize, 0, 0, 0, 0);
	/* Both factors are 16-bit, so the product cannot overflow. */
	if (!range_in(eh->e_phoff, (vnr_u64)eh->e_phnum * eh->e_phentsize,
		      c->len))
		return fail(c, "program headers out of file", 0, 0, 0, 0, 0);
	return true;
}

static bool check_segment(struct checker *c, vnr_u32 i,
			  const struct vnr_elf64_phdr *ph)
{
	if (ph->p_filesz > ph->p_memsz)
		return fail(c, "segment %llu filesz > memsz", i, 0, 0, 0, 0);
	if (!range_in(ph->p_offset, ph->p_filesz, c->len))
		return fail(c, "segment %llu file range out of file", i, 0, 0,
			    0, 0);
	if (ph->p_memsz == 0)
		return true;
	if (ph->p_memsz > ~0ull - ph->p_paddr)
		return fail(c,
			    "segment %llu at 0x%llx size 0x%llx wraps around",
			    i, ph->p_paddr, ph->p_memsz, 0, 0);
	if (ph->p_paddr < VNR_IMAGE_MIN_GPA ||
	    !range_in(ph->p_paddr, ph->p_memsz, c->load_limit))
		return fail(c,
			    "segment %llu [0x%llx,0x%llx) outside loadable "
			    "guest memory [0x%llx,0x%llx)",
			    i, ph->p_paddr, ph->p_paddr + ph->p_memsz,
			    VNR_IMAGE_MIN_GPA, c->load_limit);
	return true;
}

static vnr_u64 seg_end(const struct vnr_elf_segment *s)
{
	return s->gpa + s->mem_size;
}

static bool check_overlaps(struct checker *c, const struct vnr_elf_image *img,
			   const vnr_u32 *index)
{
	vnr_u32 a, b;

	for (a = 0; a < img->segment_count; a++) {
		const struct vnr_elf_segment *sa = &img->segments[a];

		for (b = a + 1; b < img->segment_count; b++) {
			const struct vnr_elf_segment *sb = &img->segments[b];

			if (sa->gpa < seg_end(sb) && sb->gpa < seg_end(sa))
				return fail(c, "segments %llu and %llu overlap",
					    index[a], index[b], 0, 0, 0);
		}
	}
	return true;
}

static bool check_entry(struct checker *c, const struct vnr_elf_image *img)
{
	vnr_u32 i;

	for (i = 0; i < img->segment_count; i++) {
		const struct vnr_elf_segment *s = &img->segments[i];

		if ((s->flags & VNR_PF_X) && img->entry >= s->gpa &&
		    img->entry < seg_end(s))
			return true;
	}
	return fail(c, "entry 0x%llx not in an executable segment", img->entry,
		    0, 0, 0, 0);
}

static void add_segment(struct vnr_elf_image *img,
			const struct vnr_elf64_phdr *ph)
{
	struct vnr_elf_segment *s = &img->segments[img->segment_count++];

	s->gpa = ph->p_paddr;
	s->file_offset = ph->p_offset;
	s->file_size = ph->p_filesz;
	s->mem_size = ph->p_memsz;
	s->flags = ph->p_flags;
	if (img->segment_count == 1 || s->gpa < img->lowest_gpa)
		img->lowest_gpa = s->gpa;
	if (seg_end(s) > img->highest_gpa_end)
		img->highest_gpa_end = seg_end(s);
}

bool vnr_elf_check(const void *data, size_t len, vnr_u64 load_limit,
		   struct vnr_elf_image *img, struct vnr_elf_error *err)
{
	struct checker c = {data, len, load_limit, err};
	vnr_u32 index[VNR_ELF_MAX_SEGMENTS]; /* program header of each segment
					      */
	struct vnr_elf64_ehdr eh;
	vnr_u32 i;

	if (err)
		*err = (struct vnr_elf_error){0};
	memset(img, 0, sizeof(*img));
	if (!check_header(&c, &eh))
		return false;
	for (i = 0; i < eh.e_phnum; i++) {
		struct vnr_elf64_phdr ph;

		memcpy(&ph, c.data + eh.e_phoff + (vnr_u64)i * eh.e_phentsize,
		       sizeof(ph));
		if (ph.p_type != VNR_PT_LOAD)
			continue;
		if (!check_segment(&c, i, &ph))
			return false;
		if (ph.p_memsz == 0)
			continue;
		index[img->segment_count] = i;
		add_segment(img, &ph);
	}
	if (img->segment_count == 0)
		return fail(&c, "no loadable segment", 0, 0, 0, 0, 0);
	img->entry = eh.e_entry;
	return check_overlaps(&c, img, index) && check_entry(&c, img);
}

int vnr_elf_load(const void *data, const struct vnr_elf_image *img,
		 const struct vnr_gpa_writer *w)
{
	const vnr_u8 *src = data;
	vnr_u32 i;

	for (i = 0; i < img->segment_count; i++) {
		const struct vnr_elf_segment *s = &img->segments[i];
		int rc;

		if (!s->file_size)
			continue;
		rc = w->write(w->ctx, s->gpa, src + s->file_offset,
			      s->file_size);
		if (rc)
			return rc;
	}
	return 0;
}
