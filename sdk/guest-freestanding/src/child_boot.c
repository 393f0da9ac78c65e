// SPDX-License-Identifier: MIT
/*
 * Child partitions from ELF64 images, built with the management calls the
 * way the hypervisor builds boot partitions (docs/spec/boot-protocol.md):
 * libvnr checks the image and lays out the boot region, and everything is
 * written with WRITE_PARTITION_MEMORY.
 */
#include <vnr_guest/guest.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>
#include <libvnr/boot_layout.h>
#include <libvnr/start_info.h>

#define MIB2 0x200000ull
#define GIB  0x40000000ull

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

/* ctx is the child's partition id; a status is what the loaders hand back. */
static int write_child(void *ctx, vnr_u64 gpa, const void *src, vnr_u64 len)
{
	return vnr_write_partition_memory(*(const vnr_u32 *)ctx, gpa, src, len);
}

static bool image_fails(const struct vnr_child_config *cfg, vnr_u64 boot,
			struct vnr_elf_image *img, char *err, size_t err_size)
{
	struct vnr_elf_error why;

	if (vnr_elf_check(cfg->image, cfg->image_size, boot, img, &why))
		return false;
	fail(err, err_size, why.format, why.arg[0], why.arg[1], why.arg[2],
	     why.arg[3], why.arg[4]);
	return true;
}

static struct vnr_start_info start_info;

/* The child's start info and memory map, into its boot region. */
static enum vnr_status write_start_info(const struct vnr_child_config *cfg,
					vnr_u32 id,
					const struct vnr_elf_image *img,
					const struct vnr_boot_layout *bl)
{
	struct vnr_start_info_source src = {
		.partition_id = id,
		.name = cfg->name,
		.cmdline = cfg->cmdline,
		.memory_size = cfg->memory_size,
		.image = img,
	};

	vnr_start_info_build(&src, &start_info);
	return vnr_write_partition_memory(id, bl->start_info, &start_info,
					  sizeof(start_info));
}

/* VP 0's entry state as the boot protocol gives it. */
static enum vnr_status set_boot_registers(vnr_u32 id,
					  const struct vnr_elf_image *img,
					  const struct vnr_boot_layout *bl)
{
	struct vnr_register_value regs[] = {
		{VNR_REG_RIP, 0, img->entry},
		{VNR_REG_RSP, 0, bl->stack_top},
		{VNR_REG_RDI, 0, bl->start_info},
		{VNR_REG_CR3, 0, bl->pml4},
		{VNR_REG_GDTR_BASE, 0, bl->gdt},
		{VNR_REG_GDTR_LIMIT, 0, VNR_BOOT_GDT_LIMIT},
	};

	return vnr_set_vp_registers(id, 0, sizeof(regs) / sizeof(regs[0]), regs,
				    NULL);
}

enum vnr_status vnr_child_build(const struct vnr_child_config *cfg,
				vnr_u32 *partition_id,
				struct vnr_child_layout *layout, char *err,
				size_t err_size)
{
	vnr_u64 size = cfg->memory_size, boot;
	struct vnr_gpa_writer to_child = {write_child, NULL};
	struct vnr_boot_layout bl;
	struct vnr_elf_image img;
	const char *step;
	enum vnr_status st;
	vnr_u32 id;

	if (err && err_size)
		err[0] = '\0';
	if (size == 0 || size % MIB2 || size > VNR_BOOT_PD_COUNT * GIB) {
		fail(err, err_size,
		     "memory size 0x%lx is not 2 MiB..4 GiB in 2 MiB steps",
		     size);
		return VNR_STATUS_INVALID_PARAMETER;
	}
	boot = size - VNR_BOOT_REGION_SIZE;
	if (image_fails(cfg, boot, &img, err, err_size))
		return VNR_STATUS_INVALID_PARAMETER;

	step = "PARTITION_CREATE";
	st = vnr_partition_create(cfg->name, cfg->privileges, 1,
				  cfg->notify_sint, &id);
	if (st != VNR_STATUS_SUCCESS)
		goto out;
	to_child.ctx = &id;
	step = "MAP_GPA_PAGES";
	st = vnr_map_gpa_pages(id, 0, size / VNR_PAGE_SIZE, NULL);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	/* Mapped pages are zero: BSS, the rest of RAM and the stack need
	 * nothing. */
	step = "WRITE_PARTITION_MEMORY (image)";
	st = vnr_elf_load(cfg->image, &img, &to_child);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	step = "WRITE_PARTITION_MEMORY (boot region)";
	st = vnr_boot_layout_build(size, &to_child, &bl);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	st = write_start_info(cfg, id, &img, &bl);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;

	step = "VP_CREATE";
	st = vnr_vp_create(id, 0);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;
	step = "SET_VP_REGISTERS";
	st = set_boot_registers(id, &img, &bl);
	if (st != VNR_STATUS_SUCCESS)
		goto destroy;

	if (layout)
		*layout = (struct vnr_child_layout){
			.entry = img.entry,
			.boot_region = bl.boot_region,
			.pml4 = bl.pml4,
			.gdt = bl.gdt,
			.start_info = bl.start_info,
			.stack_top = bl.stack_top,
		};
	*partition_id = id;
	return VNR_STATUS_SUCCESS;

destroy:
	vnr_partition_destroy(id);
out:
	fail(err, err_size, "%s failed: %s", step, vnr_status_name(st));
	return st;
}
