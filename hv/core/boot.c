/* SPDX-License-Identifier: MIT */
/*
 * The boot protocols of docs/spec/boot-protocol.md: a freestanding
 * guest's ELF image goes into guest RAM with the boot region at the top of
 * RAM (the arch layer writes the page tables and GDT, the core the start
 * info); a Linux kernel goes in by Linux's own boot protocol, which
 * libvnr's loader implements.  It uses the same partition operations the
 * management calls use.
 */
#include <hv/arch.h>
#include <hv/boot.h>
#include <hv/format.h>
#include <hv/log.h>
#include <hv/partition.h>
#include <hv/string.h>
#include <libvnr/mp_table.h>

bool boot_check_image(const void *data, size_t len, u64 load_limit,
		      struct vnr_elf_image *img, char *err, size_t err_size)
{
	struct vnr_elf_error why;

	if (vnr_elf_check(data, len, load_limit, img, &why))
		return true;
	if (err && err_size)
		hv_snprintf(err, err_size, why.format, why.arg[0], why.arg[1],
			    why.arg[2], why.arg[3], why.arg[4]);
	return false;
}

static void format_bzimage_error(const struct vnr_bzimage_error *why, char *err,
				 size_t err_size)
{
	if (err && err_size)
		hv_snprintf(err, err_size, why->format, why->arg[0],
			    why->arg[1], why->arg[2], why->arg[3], why->arg[4]);
}

bool boot_check_kernel(const struct hv_partition_config *cfg, const void *data,
		       size_t len, u64 initrd_len, struct vnr_bzimage *img,
		       struct vnr_linux_layout *layout, char *err,
		       size_t err_size)
{
	struct vnr_bzimage_error why;

	if (vnr_bzimage_check(data, len, cfg->memory_bytes, img, &why) &&
	    vnr_bzimage_place(img, cfg->cmdline, initrd_len, layout, &why))
		return true;
	format_bzimage_error(&why, err, err_size);
	return false;
}

static void build_memmap(struct hv_partition *p,
			 const struct vnr_elf_image *elf, u64 boot_gpa)
{
	u64 lo = elf->lowest_gpa & PAGE_MASK;
	u64 hi = ALIGN_UP(elf->highest_gpa_end, PAGE_SIZE);

	partition_add_memmap(p, 0, lo, VNR_MEM_RAM);
	partition_add_memmap(p, lo, hi - lo, VNR_MEM_IMAGE);
	partition_add_memmap(p, hi, boot_gpa - hi, VNR_MEM_RAM);
	partition_add_memmap(p, boot_gpa, HV_BOOT_REGION_SIZE,
			     VNR_MEM_BOOT_TABLES);
}

static void write_start_info(struct hv_partition *p, u8 *ram, u64 gpa,
			     const char *cmdline)
{
	struct vnr_start_info *si = (void *)(ram + gpa);

	memset(si, 0, sizeof(*si));
	si->magic = VNR_START_INFO_MAGIC;
	si->abi_version = VNR_ABI_VERSION;
	si->partition_id = p->id;
	si->vp_index = 0;
	si->memory_size = p->mem.ram_size;
	hv_strlcpy(si->name, p->name, sizeof(si->name));
	hv_strlcpy(si->cmdline, cmdline, sizeof(si->cmdline));
	si->memmap_count = p->mem.memmap_count;
	memcpy(si->memmap, p->mem.memmap, sizeof(si->memmap));
}

static struct hv_partition *partition_named(const char *name)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		struct hv_partition *p = partition_at(i);

		if (p->state != HV_PARTITION_FREE && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/*
 * Connections name partitions, which all exist once every partition is
 * built; the configuration parser already checked that the ports exist.
 */
void boot_connect_and_start(const struct hv_config *cfg)
{
	for (u32 i = 0; i < cfg->partition_count; i++) {
		const struct hv_partition_config *pc = &cfg->partitions[i];
		struct hv_partition *p = partition_named(pc->name);

		if (!p)
			continue;
		for (u32 c = 0; c < pc->connect_count; c++) {
			struct hv_partition *t =
				partition_named(pc->connects[c].target);

			if (t)
				connection_create(p, pc->connects[c].id, t->id,
						  pc->connects[c].port_id);
		}
		partition_start(p);
	}
}

/*
 * The image, the memory map, the boot region and the start info in p's
 * RAM, and the entry state of its VPs in *boot: 0, or -1 (logged).
 */
static int load_partition(struct hv_partition *p,
			  const struct hv_boot_partition *bp,
			  struct hv_vp_boot_state *boot)
{
	const struct hv_partition_config *cfg = bp->cfg;
	u64 boot_gpa = cfg->memory_bytes - HV_BOOT_REGION_SIZE;
	u8 *ram = bp->ram;

	memset(ram, 0, cfg->memory_bytes);
	if (vnr_elf_load(bp->image, &bp->elf,
			 &(struct vnr_gpa_writer){vnr_gpa_copy_to_ram, ram})) {
		hv_log("partition '%s': cannot load its image\n", cfg->name);
		return -1;
	}
	build_memmap(p, &bp->elf, boot_gpa);
	if (arch_build_boot_region(ram, cfg->memory_bytes, boot)) {
		hv_log("partition '%s': cannot build its boot region\n",
		       cfg->name);
		return -1;
	}
	boot->rip = bp->elf.entry;
	write_start_info(p, ram, boot->rdi, cfg->cmdline);
	return 0;
}

/*
 * A kernel's memory map is the zero page's e820, which the loader writes;
 * the hypervisor's copy (MEMORY_INFO) says the same.
 */
static void build_kernel_memmap(struct hv_partition *p,
				const struct vnr_linux_layout *layout)
{
	u64 boot_gpa = layout->boot.boot_region;

	partition_add_memmap(p, 0, boot_gpa, VNR_MEM_RAM);
	partition_add_memmap(p, boot_gpa, HV_BOOT_REGION_SIZE,
			     VNR_MEM_BOOT_TABLES);
}

/*
 * The kernel, its initrd, command line, zero page and boot region in p's
 * RAM, and its entry state in *boot: 0, or -1 (logged).  The kernel was
 * checked and placed by boot_check_kernel() for this configuration and
 * initrd (bp->kernel_layout).
 */
static int load_kernel(struct hv_partition *p,
		       const struct hv_boot_partition *bp,
		       struct hv_vp_boot_state *boot)
{
	const struct hv_partition_config *cfg = bp->cfg;
	const struct vnr_linux_layout *layout = &bp->kernel_layout;
	u8 *ram = bp->ram;

	struct vnr_gpa_writer to_ram = {vnr_gpa_copy_to_ram, ram};

	/* The step that can fail for want of pool, before the copying. */
	if (arch_partition_enable_pc_platform(p)) {
		hv_log("partition '%s': no pool left for its platform\n",
		       cfg->name);
		return -1;
	}
	memset(ram, 0, cfg->memory_bytes);
	if (vnr_bzimage_load(bp->image, &bp->kernel, cfg->cmdline, layout,
			     &to_ram) ||
	    vnr_mp_table_write(&to_ram, cfg->vp_count)) {
		hv_log("partition '%s': cannot load its kernel\n", cfg->name);
		return -1;
	}
	if (bp->initrd_len)
		memcpy(ram + layout->initrd, bp->initrd, bp->initrd_len);
	build_kernel_memmap(p, layout);
	*boot = (struct hv_vp_boot_state){
		.rip = layout->entry,
		.rsp = layout->boot.stack_top,
		.rsi = layout->zero_page,
		.cr3 = layout->boot.pml4,
		.gdt_base = layout->boot.gdt,
		.gdt_limit = layout->boot.gdt_limit,
		.code_selector = layout->boot.code_selector,
		.data_selector = layout->boot.data_selector,
	};
	return 0;
}

int boot_build_partition(const struct hv_boot_partition *bp)
{
	const struct hv_partition_config *cfg = bp->cfg;
	struct hv_vp_boot_state boot;
	struct hv_partition *p;

	p = partition_create(cfg->name,
			     cfg->root ? hv_all_privileges : cfg->privileges);
	if (!p)
		return -1;
	for (u32 i = 0; i < cfg->port_count; i++)
		if (port_create(p, &cfg->ports[i]))
			goto fail;
	if (cfg->io_last &&
	    arch_partition_allow_io(p, cfg->io_first, cfg->io_last)) {
		hv_log("partition '%s': cannot grant its I/O ports\n",
		       cfg->name);
		goto fail;
	}
	if (partition_map_ram(p, 0, bp->ram, cfg->memory_bytes)) {
		hv_log("partition '%s': cannot map its memory\n", cfg->name);
		goto fail;
	}
	if (cfg->kernel[0] ? load_kernel(p, bp, &boot)
			   : load_partition(p, bp, &boot))
		goto fail;
	for (u32 i = 0; i < cfg->vp_count; i++)
		if (!partition_create_vp(p, &boot)) {
			hv_log("partition '%s': cannot create VP %u\n",
			       cfg->name, i);
			goto fail;
		}
	hv_log("partition %u '%s': %llu MiB at 0x%llx, entry 0x%llx\n", p->id,
	       p->name, (unsigned long long)(p->mem.ram_size >> 20),
	       (unsigned long long)(uintptr_t)bp->ram,
	       (unsigned long long)boot.rip);
	return 0;

fail:
	/* A partition that cannot run gives back its slot and pool pages. */
	partition_destroy(p);
	return -1;
}
