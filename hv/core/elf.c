/* SPDX-License-Identifier: MIT */
/*
 * ELF64 partition images: validation and loading.
 *
 * Images come from the ESP and are not trusted: every offset and size is
 * checked with subtraction instead of addition so that no sum can wrap, and
 * headers are copied out with memcpy because nothing guarantees alignment.
 */
#include <hv/elf.h>
#include <hv/format.h>
#include <hv/string.h>

typedef unsigned long long ull; /* what %llx takes */

struct checker {
	const u8 *data;
	size_t len;
	u64 load_limit;
	char *err;
	size_t err_size;
};

static bool fail(struct checker *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->err_size) {
		va_start(ap, fmt);
		hv_vsnprintf(c->err, c->err_size, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Is [off, off + size) inside [0, limit)?  Safe for any inputs. */
static bool range_in(u64 off, u64 size, u64 limit)
{
	return off <= limit && size <= limit - off;
}

static bool check_header(struct checker *c, struct hv_elf64_ehdr *eh)
{
	static const u8 magic[4] = {0x7f, 'E', 'L', 'F'};

	if (c->len < sizeof(*eh))
		return fail(c, "file too small for an ELF header (%zu bytes)",
			    c->len);
	memcpy(eh, c->data, sizeof(*eh));
	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0)
		return fail(c, "bad ELF magic");
	if (eh->e_ident[4] != HV_ELFCLASS64 ||
	    eh->e_ident[5] != HV_ELFDATA2LSB || eh->e_machine != HV_EM_X86_64)
		return fail(c, "not ELF64 little-endian x86-64");
	if (eh->e_ident[6] != HV_EV_CURRENT || eh->e_version != HV_EV_CURRENT)
		return fail(c, "unsupported ELF version");
	if (eh->e_type != HV_ET_EXEC)
		return fail(c, "not an executable (ET_EXEC)");
	if (eh->e_phnum == 0)
		return fail(c, "no program headers");
	if (eh->e_phnum > HV_ELF_MAX_SEGMENTS)
		return fail(c, "too many program headers (%u > %u)",
			    eh->e_phnum, HV_ELF_MAX_SEGMENTS);
	/* The standard allows larger entries; only the prefix is read. */
	if (eh->e_phentsize < sizeof(struct hv_elf64_phdr))
		return fail(c, "program header entry size %u too small",
			    eh->e_phentsize);
	/* Both factors are 16-bit, so the product cannot overflow. */
	if (!range_in(eh->e_phoff, (u64)eh->e_phnum * eh->e_phentsize, c->len))
		return fail(c, "program headers out of file");
	return true;
}

static bool check_segment(struct checker *c, u32 i,
			  const struct hv_elf64_phdr *ph)
{
	u64 end;

	if (ph->p_filesz > ph->p_memsz)
		return fail(c, "segment %u filesz > memsz", i);
	if (!range_in(ph->p_offset, ph->p_filesz, c->len))
		return fail(c, "segment %u file range out of file", i);
	if (ph->p_memsz == 0)
		return true;
	if (ph->p_memsz > ~0ull - ph->p_paddr)
		return fail(c, "segment %u at 0x%llx size 0x%llx wraps around",
			    i, (ull)ph->p_paddr, (ull)ph->p_memsz);
	end = ph->p_paddr + ph->p_memsz;
	if (ph->p_paddr < HV_ELF_MIN_LOAD ||
	    !range_in(ph->p_paddr, ph->p_memsz, c->load_limit))
		return fail(c,
			    "segment %u [0x%llx,0x%llx) outside loadable "
			    "guest memory [0x%llx,0x%llx)",
			    i, (ull)ph->p_paddr, (ull)end, (ull)HV_ELF_MIN_LOAD,
			    (ull)c->load_limit);
	return true;
}

static u64 seg_end(const struct hv_elf_segment *s)
{
	return s->gpa + s->mem_size;
}

static bool check_overlaps(struct checker *c, const struct hv_elf_image *img,
			   const u32 *index)
{
	u32 a, b;

	for (a = 0; a < img->segment_count; a++) {
		const struct hv_elf_segment *sa = &img->segments[a];

		for (b = a + 1; b < img->segment_count; b++) {
			const struct hv_elf_segment *sb = &img->segments[b];

			if (sa->gpa < seg_end(sb) && sb->gpa < seg_end(sa))
				return fail(c, "segments %u and %u overlap",
					    index[a], index[b]);
		}
	}
	return true;
}

static bool check_entry(struct checker *c, const struct hv_elf_image *img)
{
	u32 i;

	for (i = 0; i < img->segment_count; i++) {
		const struct hv_elf_segment *s = &img->segments[i];

		if ((s->flags & HV_PF_X) && img->entry >= s->gpa &&
		    img->entry < seg_end(s))
			return true;
	}
	return fail(c, "entry 0x%llx not in an executable segment",
		    (ull)img->entry);
}

static void add_segment(struct hv_elf_image *img,
			const struct hv_elf64_phdr *ph)
{
	struct hv_elf_segment *s = &img->segments[img->segment_count++];

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

bool hv_elf_check(const void *data, size_t len, u64 load_limit,
		  struct hv_elf_image *out, char *err, size_t err_size)
{
	struct checker c = {data, len, load_limit, err, err_size};
	u32 index[HV_ELF_MAX_SEGMENTS]; /* program header of each segment */
	struct hv_elf64_ehdr eh;
	u32 i;

	if (err && err_size)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (!check_header(&c, &eh))
		return false;
	for (i = 0; i < eh.e_phnum; i++) {
		struct hv_elf64_phdr ph;

		memcpy(&ph, c.data + eh.e_phoff + (u64)i * eh.e_phentsize,
		       sizeof(ph));
		if (ph.p_type != HV_PT_LOAD)
			continue;
		if (!check_segment(&c, i, &ph))
			return false;
		if (ph.p_memsz == 0)
			continue;
		index[out->segment_count] = i;
		add_segment(out, &ph);
	}
	if (out->segment_count == 0)
		return fail(&c, "no loadable segment");
	out->entry = eh.e_entry;
	return check_overlaps(&c, out, index) && check_entry(&c, out);
}

void hv_elf_load(const void *data, const struct hv_elf_image *img,
		 void *guest_ram)
{
	const u8 *src = data;
	u8 *ram = guest_ram;
	u32 i;

	for (i = 0; i < img->segment_count; i++) {
		const struct hv_elf_segment *s = &img->segments[i];

		memcpy(ram + s->gpa, src + s->file_offset, s->file_size);
		memset(ram + s->gpa + s->file_size, 0,
		       s->mem_size - s->file_size);
	}
}
