/* SPDX-License-Identifier: MIT */
/*
 * The boot region's page tables and GDT.  Each table is built in one
 * page-sized buffer and written with one call, which a writer that makes a
 * hypercall a call needs.
 */
#include <libvnr/boot_layout.h>
#include <stdbool.h>

#define PTE_TABLE (VNR_BOOT_PTE_PRESENT | VNR_BOOT_PTE_WRITABLE)
#define MIB_2	  0x200000ull
#define GIB	  0x40000000ull

static vnr_u64 table[VNR_PAGE_SIZE / 8];

static vnr_u64 page_gpa(vnr_u64 boot_region, vnr_u32 page)
{
	return boot_region + (vnr_u64)page * VNR_PAGE_SIZE;
}

/* The directory of GiB g maps the 2 MiB pages of it below memory_size. */
static int write_directory(vnr_u64 memory_size, vnr_u64 boot_region, vnr_u64 g,
			   const struct vnr_gpa_writer *w)
{
	vnr_u64 i, n = 0;

	for (i = 0; i < VNR_PAGE_SIZE / 8; i++) {
		vnr_u64 gpa = g * GIB + i * MIB_2;

		if (gpa < memory_size)
			table[n++] = gpa | PTE_TABLE | VNR_BOOT_PTE_LARGE;
	}
	return w->write(w->ctx,
			page_gpa(boot_region, VNR_BOOT_PD_PAGE + (vnr_u32)g),
			table, n * 8);
}

static int write_page_tables(vnr_u64 memory_size, vnr_u64 boot_region,
			     const struct vnr_gpa_writer *w)
{
	vnr_u64 gigs = (memory_size + GIB - 1) / GIB, g;
	int rc;

	table[0] = page_gpa(boot_region, VNR_BOOT_PDPT_PAGE) | PTE_TABLE;
	rc = w->write(w->ctx, page_gpa(boot_region, VNR_BOOT_PML4_PAGE), table,
		      8);
	if (rc)
		return rc;
	for (g = 0; g < gigs; g++)
		table[g] =
			page_gpa(boot_region, VNR_BOOT_PD_PAGE + (vnr_u32)g) |
			PTE_TABLE;
	rc = w->write(w->ctx, page_gpa(boot_region, VNR_BOOT_PDPT_PAGE), table,
		      gigs * 8);
	for (g = 0; g < gigs && !rc; g++)
		rc = write_directory(memory_size, boot_region, g, w);
	return rc;
}

/* The descriptors of each kind of boot GDT, entry i at selector i * 8. */
static const vnr_u64 veneer_gdt[3] = {0, VNR_BOOT_GDT_CODE64,
				      VNR_BOOT_GDT_DATA};
static const vnr_u64 linux_gdt[4] = {0, 0, VNR_BOOT_GDT_CODE64,
				     VNR_BOOT_GDT_DATA};
_Static_assert(sizeof(veneer_gdt) == VNR_BOOT_GDT_LIMIT + 1, "boot GDT size");
_Static_assert(sizeof(linux_gdt) == VNR_BOOT_LINUX_GDT_LIMIT + 1,
	       "Linux boot GDT size");

void vnr_boot_layout_plan(vnr_u64 memory_size, enum vnr_boot_gdt gdt,
			  struct vnr_boot_layout *layout)
{
	bool is_linux = gdt == VNR_BOOT_GDT_LINUX;
	vnr_u64 boot_region = memory_size - VNR_BOOT_REGION_SIZE;

	*layout = (struct vnr_boot_layout){
		.boot_region = boot_region,
		.pml4 = page_gpa(boot_region, VNR_BOOT_PML4_PAGE),
		.gdt = page_gpa(boot_region, VNR_BOOT_GDT_PAGE),
		.start_info = page_gpa(boot_region, VNR_BOOT_START_INFO_PAGE),
		.stack_top = memory_size,
		.gdt_limit = is_linux ? VNR_BOOT_LINUX_GDT_LIMIT
				      : VNR_BOOT_GDT_LIMIT,
		.code_selector = is_linux ? VNR_BOOT_LINUX_SELECTOR_CODE64
					  : VNR_BOOT_SELECTOR_CODE64,
		.data_selector = is_linux ? VNR_BOOT_LINUX_SELECTOR_DATA
					  : VNR_BOOT_SELECTOR_DATA,
	};
}

int vnr_boot_layout_build_for(vnr_u64 memory_size, enum vnr_boot_gdt gdt,
			      const struct vnr_gpa_writer *w,
			      struct vnr_boot_layout *layout)
{
	int rc;

	vnr_boot_layout_plan(memory_size, gdt, layout);
	rc = write_page_tables(memory_size, layout->boot_region, w);
	if (rc)
		return rc;
	return w->write(w->ctx, layout->gdt,
			gdt == VNR_BOOT_GDT_LINUX ? linux_gdt : veneer_gdt,
			layout->gdt_limit + 1u);
}

int vnr_boot_layout_build(vnr_u64 memory_size, const struct vnr_gpa_writer *w,
			  struct vnr_boot_layout *layout)
{
	return vnr_boot_layout_build_for(memory_size, VNR_BOOT_GDT_VENEER, w,
					 layout);
}
