/* SPDX-License-Identifier: MIT */
/*
 * A boot partition's page tables and GDT, built with libvnr's builder
 * straight into the partition's RAM, which the hypervisor maps.
 */
#include <hv/arch.h>
#include <libvnr/boot_layout.h>

int arch_build_boot_region(void *ram, u64 memory_size,
			   struct hv_vp_boot_state *boot)
{
	struct vnr_gpa_writer to_ram = {vnr_gpa_copy_to_ram, ram};
	struct vnr_boot_layout layout;

	if (memory_size % MiB(2) || memory_size < VNR_BOOT_REGION_SIZE ||
	    memory_size > GiB(VNR_BOOT_PD_COUNT))
		return -1;
	vnr_boot_layout_build(memory_size, &to_ram, &layout); /* cannot fail */
	*boot = (struct hv_vp_boot_state){
		.rsp = layout.stack_top,
		.rdi = layout.start_info,
		.cr3 = layout.pml4,
		.gdt_base = layout.gdt,
		.gdt_limit = layout.gdt_limit,
		.code_selector = layout.code_selector,
		.data_selector = layout.data_selector,
	};
	return 0;
}
