/* SPDX-License-Identifier: MIT */
/*
 * The freestanding guest boot protocol (docs/spec/boot-protocol.md):
 * loads the ELF image into guest RAM and builds the boot region at the top
 * of RAM: identity-mapping page tables, a GDT, the start info and a stack.
 * It uses the same partition operations the management calls will use.
 */
#include <hv/boot.h>
#include <hv/log.h>
#include <hv/partition.h>
#include <hv/string.h>

/* Layout of the boot region, as page offsets from its start. */
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

/* The root partition's: every bit privileges.def defines. */
static const u64 all_privileges = 0
#define VNR_PRIV(name, bit) | (1ull << (bit))
#include <veneer/privileges.def>
#undef VNR_PRIV
	;

static u64 *boot_page(u8 *ram, u64 boot_gpa, u32 index)
{
	return (u64 *)(ram + boot_gpa + (u64)index * PAGE_SIZE);
}

static void build_page_tables(u8 *ram, u64 boot_gpa, u64 ram_size)
{
	u64 *pml4 = boot_page(ram, boot_gpa, BOOT_PML4);
	u64 *pdpt = boot_page(ram, boot_gpa, BOOT_PDPT);
	u64 gigs = ALIGN_UP(ram_size, GiB(1)) / GiB(1);

	pml4[0] = (boot_gpa + BOOT_PDPT * PAGE_SIZE) | PTE_P | PTE_RW;
	for (u64 g = 0; g < gigs; g++) {
		u64 *pd = boot_page(ram, boot_gpa, BOOT_PD + (u32)g);

		pdpt[g] =
			(boot_gpa + (BOOT_PD + g) * PAGE_SIZE) | PTE_P | PTE_RW;
		for (u64 i = 0; i < 512; i++) {
			u64 gpa = g * GiB(1) + i * MiB(2);

			if (gpa < ram_size)
				pd[i] = gpa | PTE_P | PTE_RW | PTE_PS;
		}
	}
}

static void build_memmap(struct hv_partition *p, const struct hv_elf_image *elf,
			 u64 boot_gpa)
{
	u64 lo = elf->lowest_gpa & PAGE_MASK;
	u64 hi = ALIGN_UP(elf->highest_gpa_end, PAGE_SIZE);

	partition_add_memmap(p, 0, lo, VNR_MEM_RAM);
	partition_add_memmap(p, lo, hi - lo, VNR_MEM_IMAGE);
	partition_add_memmap(p, hi, boot_gpa - hi, VNR_MEM_RAM);
	partition_add_memmap(p, boot_gpa, HV_BOOT_REGION_SIZE,
			     VNR_MEM_BOOT_TABLES);
}

static void write_start_info(struct hv_partition *p, u8 *ram, u64 boot_gpa,
			     const char *cmdline)
{
	struct vnr_start_info *si =
		(void *)boot_page(ram, boot_gpa, BOOT_START_INFO);

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

int boot_build_partition(const struct hv_boot_partition *bp)
{
	const struct hv_partition_config *cfg = bp->cfg;
	u64 boot_gpa = cfg->memory_bytes - HV_BOOT_REGION_SIZE;
	struct hv_vp_boot_state boot;
	struct hv_partition *p;
	u8 *ram = bp->ram;
	u64 *gdt;

	p = partition_create(cfg->name,
			     cfg->root ? all_privileges : cfg->privileges);
	if (!p)
		return -1;
	for (u32 i = 0; i < cfg->port_count; i++)
		port_create(p, &cfg->ports[i]);
	if (cfg->io_last &&
	    arch_partition_allow_io(p, cfg->io_first, cfg->io_last)) {
		hv_log("partition '%s': cannot grant its I/O ports\n",
		       cfg->name);
		goto fail;
	}
	if (partition_map_ram(p, 0, ram, cfg->memory_bytes)) {
		hv_log("partition '%s': cannot map its memory\n", cfg->name);
		goto fail;
	}
	memset(ram, 0, cfg->memory_bytes);
	hv_elf_load(bp->image, &bp->elf, ram);
	build_memmap(p, &bp->elf, boot_gpa);
	build_page_tables(ram, boot_gpa, cfg->memory_bytes);
	gdt = boot_page(ram, boot_gpa, BOOT_GDT);
	gdt[1] = GDT_CODE64;
	gdt[2] = GDT_DATA;
	write_start_info(p, ram, boot_gpa, cfg->cmdline);

	boot = (struct hv_vp_boot_state){
		.rip = bp->elf.entry,
		.rsp = cfg->memory_bytes,
		.rdi = boot_gpa + BOOT_START_INFO * PAGE_SIZE,
		.cr3 = boot_gpa + BOOT_PML4 * PAGE_SIZE,
		.gdt_base = boot_gpa + BOOT_GDT * PAGE_SIZE,
		.gdt_limit = 3 * 8 - 1,
	};
	for (u32 i = 0; i < cfg->vp_count; i++)
		if (!partition_create_vp(p, &boot)) {
			hv_log("partition '%s': cannot create VP %u\n",
			       cfg->name, i);
			goto fail;
		}
	hv_log("partition %u '%s': %llu MiB at 0x%llx, entry 0x%llx\n", p->id,
	       p->name, (unsigned long long)(p->mem.ram_size >> 20),
	       (unsigned long long)(uintptr_t)ram,
	       (unsigned long long)bp->elf.entry);
	return 0;

fail:
	/* A partition that cannot run gives back its slot and pool pages. */
	partition_destroy(p);
	return -1;
}
