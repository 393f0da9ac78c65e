// SPDX-License-Identifier: MIT
/*
 * ELF64 images for child partitions: validation, loading with
 * WRITE_PARTITION_MEMORY, and the boot protocol's boot region
 * (docs/spec/boot-protocol.md), built the way the hypervisor builds it for
 * boot partitions.
 *
 * The image is not trusted: every offset and size is checked with
 * subtraction so that no sum can wrap, and headers are copied out with
 * memcpy because nothing guarantees their alignment.
 */
#include <vnr_guest/guest.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1
#define ET_EXEC	    2
#define EM_X86_64   62
#define PT_LOAD	    1
#define PF_X	    1

struct elf64_ehdr {
	vnr_u8 e_ident[16];
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
VNR_ABI_SIZE(struct elf64_ehdr, 64);

struct elf64_phdr {
	vnr_u32 p_type;
	vnr_u32 p_flags;
	vnr_u64 p_offset;
	vnr_u64 p_vaddr;
	vnr_u64 p_paddr;
	vnr_u64 p_filesz;
	vnr_u64 p_memsz;
	vnr_u64 p_align;
};
VNR_ABI_SIZE(struct elf64_phdr, 56);

/* The boot region, as page offsets from its start (as the hypervisor's). */
#define BOOT_PML4	0
#define BOOT_PDPT	1
#define BOOT_PD		2 /* up to 4 page directories: 4 GiB of RAM */
#define BOOT_GDT	6
#define BOOT_START_INFO 7

#define PTE_P		0x1ull
#define PTE_RW		0x2ull
#define PTE_PS		0x80ull

#define GDT_CODE64	0x00AF9A000000FFFFull
#define GDT_DATA	0x00CF92000000FFFFull

#define MIB2		0x200000ull
#define GIB		0x40000000ull
#define PAGE_MASK	(~(vnr_u64)(VNR_PAGE_SIZE - 1))

/* A tiny snprintf for error texts. */
struct buf {
	char *p;
	size_t size, len;
};

static void buf_put(char c, void *ctx)
{
	struct buf *b = ctx;

	if (b->len + 1 < b->size)
		b->p[b->len++] = c;
}

static bool fail(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t size, const char *fmt, ...)
{
	struct buf b = {err, size, 0};
	va_list ap;

	if (!err || !size)
		return false;
	va_start(ap, fmt);
	vnr_vformat(buf_put, &b, fmt, ap);
	va_end(ap);
	err[b.len] = '\0';
	return false;
}

/* Is [off, off + size) inside [0, limit)?  Safe for any inputs. */
static bool range_in(vnr_u64 off, vnr_u64 size, vnr_u64 limit)
{
	return off <= limit && size <= limit - off;
}

static vnr_u64 seg_end(const struct vnr_elf_segment *s)
{
	return s->gpa + s->mem_size;
}

static bool check_header(const vnr_u8 *data, size_t len, struct elf64_ehdr *eh,
			 char *err, size_t es)
{
	static const vnr_u8 magic[4] = {0x7f, 'E', 'L', 'F'};

	if (len < sizeof(*eh))
		return fail(err, es, "file too small for an ELF header");
	memcpy(eh, data, sizeof(*eh));
	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0)
		return fail(err, es, "bad ELF magic");
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return fail(err, es, "not ELF64 little-endian x86-64");
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(err, es, "unsupported ELF version");
	if (eh->e_type != ET_EXEC)
		return fail(err, es, "not an executable (ET_EXEC)");
	if (eh->e_phnum == 0)
		return fail(err, es, "no program headers");
	if (eh->e_phnum > VNR_ELF_MAX_SEGMENTS)
		return fail(err, es, "too many program headers (%u > %u)",
			    eh->e_phnum, VNR_ELF_MAX_SEGMENTS);
	if (eh->e_phentsize < sizeof(struct elf64_phdr))
		return fail(err, es, "program header entry size %u too small",
			    eh->e_phentsize);
	/* Both factors are 16-bit: the product cannot overflow. */
	if (!range_in(eh->e_phoff, (vnr_u64)eh->e_phnum * eh->e_phentsize, len))
		return fail(err, es, "program headers out of file");
	return true;
}

static bool check_segment(const struct elf64_phdr *ph, vnr_u32 i, size_t len,
			  vnr_u64 load_limit, char *err, size_t es)
{
	if (ph->p_filesz > ph->p_memsz)
		return fail(err, es, "segment %u filesz > memsz", i);
	if (!range_in(ph->p_offset, ph->p_filesz, len))
		return fail(err, es, "segment %u file range out of file", i);
	if (ph->p_memsz == 0)
		return true;
	if (ph->p_memsz > ~0ull - ph->p_paddr)
		return fail(err, es, "segment %u wraps around", i);
	if (ph->p_paddr < VNR_IMAGE_MIN_GPA ||
	    !range_in(ph->p_paddr, ph->p_memsz, load_limit))
		return fail(err, es,
			    "segment %u [0x%lx,0x%lx) outside loadable memory "
			    "[0x%x,0x%lx)",
			    i, ph->p_paddr, ph->p_paddr + ph->p_memsz,
			    VNR_IMAGE_MIN_GPA, load_limit);
	return true;
}

bool vnr_elf_check(const void *data, size_t len, vnr_u64 load_limit,
		   struct vnr_elf_image *img, char *err, size_t err_size)
{
	const vnr_u8 *bytes = data;
	struct elf64_ehdr eh;
	vnr_u32 i, j;

	if (err && err_size)
		err[0] = '\0';
	memset(img, 0, sizeof(*img));
	if (!check_header(bytes, len, &eh, err, err_size))
		return false;
	for (i = 0; i < eh.e_phnum; i++) {
		struct vnr_elf_segment *s;
		struct elf64_phdr ph;

		memcpy(&ph, bytes + eh.e_phoff + (vnr_u64)i * eh.e_phentsize,
		       sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (!check_segment(&ph, i, len, load_limit, err, err_size))
			return false;
		if (ph.p_memsz == 0)
			continue;
		s = &img->segments[img->segment_count++];
		*s = (struct vnr_elf_segment){ph.p_paddr, ph.p_offset,
					      ph.p_filesz, ph.p_memsz,
					      ph.p_flags};
		if (img->segment_count == 1 || s->gpa < img->lowest_gpa)
			img->lowest_gpa = s->gpa;
		if (seg_end(s) > img->highest_gpa_end)
			img->highest_gpa_end = seg_end(s);
	}
	if (img->segment_count == 0)
		return fail(err, err_size, "no loadable segment");
	for (i = 0; i < img->segment_count; i++)
		for (j = i + 1; j < img->segment_count; j++)
			if (img->segments[i].gpa < seg_end(&img->segments[j]) &&
			    img->segments[j].gpa < seg_end(&img->segments[i]))
				return fail(
					err, err_size,
					"loadable segments %u and %u overlap",
					i, j);
	img->entry = eh.e_entry;
	for (i = 0; i < img->segment_count; i++) {
		const struct vnr_elf_segment *s = &img->segments[i];

		if ((s->flags & PF_X) && img->entry >= s->gpa &&
		    img->entry < seg_end(s))
			return true;
	}
	return fail(err, err_size, "entry 0x%lx not in an executable segment",
		    img->entry);
}

static vnr_u8 chunk[VNR_WRITE_MEMORY_MAX];

/*
 * Child RAM starts zeroed (MAP_GPA_PAGES), so only the pieces of the image
 * range that hold file bytes are written; BSS and gaps stay as they are.
 */
enum vnr_status vnr_elf_load(vnr_u32 partition_id, const void *data,
			     const struct vnr_elf_image *img)
{
	const vnr_u8 *bytes = data;
	vnr_u64 lo = img->lowest_gpa & PAGE_MASK;
	vnr_u64 hi = (img->highest_gpa_end + VNR_PAGE_SIZE - 1) & PAGE_MASK;
	vnr_u64 at;

	for (at = lo; at < hi;) {
		vnr_u64 n = hi - at < sizeof(chunk) ? hi - at : sizeof(chunk);
		vnr_u64 room = VNR_PAGE_SIZE - (at & (VNR_PAGE_SIZE - 1));
		enum vnr_status st;
		bool any = false;
		vnr_u32 i;

		if (n > room)
			n = room; /* one piece never crosses a child page */
		memset(chunk, 0, n);
		for (i = 0; i < img->segment_count; i++) {
			const struct vnr_elf_segment *s = &img->segments[i];
			vnr_u64 from = s->gpa > at ? s->gpa : at;
			vnr_u64 file_end = s->gpa + s->file_size;
			vnr_u64 to = file_end < at + n ? file_end : at + n;

			if (from < to) {
				memcpy(chunk + (from - at),
				       bytes + s->file_offset + (from - s->gpa),
				       to - from);
				any = true;
			}
		}
		if (any) {
			st = vnr_write_partition_memory(partition_id, at, chunk,
							n);
			if (st != VNR_STATUS_SUCCESS)
				return st;
		}
		at += n;
	}
	return VNR_STATUS_SUCCESS;
}

/* The boot region, built here and written to the child page by page. */
static vnr_u64 table[VNR_PAGE_SIZE / 8];

/* The pages are zero already: only the entries in use are written. */
static enum vnr_status write_page_tables(vnr_u32 id, vnr_u64 boot,
					 vnr_u64 ram_size)
{
	vnr_u64 gigs = (ram_size + GIB - 1) / GIB, g, i, n;
	enum vnr_status st;

	table[0] = (boot + BOOT_PDPT * VNR_PAGE_SIZE) | PTE_P | PTE_RW;
	st = vnr_write_partition_memory(id, boot + BOOT_PML4 * VNR_PAGE_SIZE,
					table, 8);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	for (g = 0; g < gigs; g++)
		table[g] =
			(boot + (BOOT_PD + g) * VNR_PAGE_SIZE) | PTE_P | PTE_RW;
	st = vnr_write_partition_memory(id, boot + BOOT_PDPT * VNR_PAGE_SIZE,
					table, gigs * 8);
	for (g = 0; g < gigs && st == VNR_STATUS_SUCCESS; g++) {
		for (i = n = 0; i < 512; i++) {
			vnr_u64 gpa = g * GIB + i * MIB2;

			if (gpa < ram_size)
				table[n++] = gpa | PTE_P | PTE_RW | PTE_PS;
		}
		st = vnr_write_partition_memory(
			id, boot + (BOOT_PD + g) * VNR_PAGE_SIZE, table, n * 8);
	}
	return st;
}

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

static struct vnr_start_info start_info;

enum vnr_status vnr_child_build(const struct vnr_child_config *cfg,
				vnr_u32 *partition_id,
				struct vnr_child_layout *layout, char *err,
				size_t err_size)
{
	vnr_u64 size = cfg->memory_size, boot, lo, hi;
	static const vnr_u64 gdt[3] = {0, GDT_CODE64, GDT_DATA};
	struct vnr_register_value regs[6];
	struct vnr_elf_image img;
	const char *step;
	enum vnr_status st;
	vnr_u32 id;

	if (err && err_size)
		err[0] = '\0';
	if (size == 0 || size % MIB2 || size > 4 * GIB) {
		fail(err, err_size,
		     "memory size 0x%lx is not 2 MiB..4 GiB in 2 MiB steps",
		     size);
		return VNR_STATUS_INVALID_PARAMETER;
	}
	boot = size - VNR_BOOT_REGION_SIZE;
	if (!vnr_elf_check(cfg->image, cfg->image_size, boot, &img, err,
			   err_size))
		return VNR_STATUS_INVALID_PARAMETER;
	lo = img.lowest_gpa & PAGE_MASK;
	hi = (img.highest_gpa_end + VNR_PAGE_SIZE - 1) & PAGE_MASK;

	step = "PARTITION_CREATE";
	st = vnr_partition_create(cfg->name, cfg->privileges, 1,
				  cfg->notify_sint, &id);
	if (st != VNR_STATUS_SUCCESS)
		goto out;
	step = "MAP_GPA_PAGES";
	st = vnr_map_gpa_pages(id, 0, size / VNR_PAGE_SIZE, NULL);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	step = "WRITE_PARTITION_MEMORY (image)";
	st = vnr_elf_load(id, cfg->image, &img);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	/* Mapped pages are zero: the rest of RAM and the stack need nothing. */
	step = "WRITE_PARTITION_MEMORY (boot region)";
	st = write_page_tables(id, boot, size);
	if (st == VNR_STATUS_SUCCESS)
		st = vnr_write_partition_memory(
			id, boot + BOOT_GDT * VNR_PAGE_SIZE, gdt, sizeof(gdt));
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	memset(&start_info, 0, sizeof(start_info));
	start_info.magic = VNR_START_INFO_MAGIC;
	start_info.abi_version = VNR_ABI_VERSION;
	start_info.partition_id = id;
	start_info.vp_index = 0;
	start_info.memory_size = size;
	copy_string(start_info.name, cfg->name, sizeof(start_info.name));
	copy_string(start_info.cmdline, cfg->cmdline,
		    sizeof(start_info.cmdline));
	add_memmap(&start_info, 0, lo, VNR_MEM_RAM);
	add_memmap(&start_info, lo, hi - lo, VNR_MEM_IMAGE);
	add_memmap(&start_info, hi, boot - hi, VNR_MEM_RAM);
	add_memmap(&start_info, boot, VNR_BOOT_REGION_SIZE,
		   VNR_MEM_BOOT_TABLES);
	st = vnr_write_partition_memory(id,
					boot + BOOT_START_INFO * VNR_PAGE_SIZE,
					&start_info, sizeof(start_info));
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;

	step = "VP_CREATE";
	st = vnr_vp_create(id, 0);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	step = "SET_VP_REGISTERS";
	regs[0] = (struct vnr_register_value){VNR_REG_RIP, 0, img.entry};
	regs[1] = (struct vnr_register_value){VNR_REG_RSP, 0, size};
	regs[2] = (struct vnr_register_value){
		VNR_REG_RDI, 0, boot + BOOT_START_INFO * VNR_PAGE_SIZE};
	regs[3] = (struct vnr_register_value){VNR_REG_CR3, 0,
					      boot + BOOT_PML4 * VNR_PAGE_SIZE};
	regs[4] = (struct vnr_register_value){VNR_REG_GDTR_BASE, 0,
					      boot + BOOT_GDT * VNR_PAGE_SIZE};
	regs[5] = (struct vnr_register_value){VNR_REG_GDTR_LIMIT, 0,
					      sizeof(gdt) - 1};
	st = vnr_set_vp_registers(id, 0, 6, regs, NULL);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;

	if (layout)
		*layout = (struct vnr_child_layout){
			.entry = img.entry,
			.boot_region = boot,
			.pml4 = boot + BOOT_PML4 * VNR_PAGE_SIZE,
			.gdt = boot + BOOT_GDT * VNR_PAGE_SIZE,
			.start_info = boot + BOOT_START_INFO * VNR_PAGE_SIZE,
			.stack_top = size,
		};
	*partition_id = id;
	return VNR_STATUS_SUCCESS;

destroy:
	vnr_partition_destroy(id);
out:
	fail(err, err_size, "%s failed: %s", step, vnr_status_name(st));
	return st;
}
