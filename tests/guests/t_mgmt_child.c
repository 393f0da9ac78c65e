// SPDX-License-Identifier: MIT
/*
 * The child the partition management tests build at run time (they carry
 * this image).  It checks the start info its root wrote and then, by its
 * command line:
 *
 *   exit=N   returns N (default 0)
 *   crash=1  triple-faults (lidt of an empty IDT, then ud2)
 *   spin=1   never ends: halts 1 ms at a time
 *   quiet=1  prints nothing (for many cycles)
 */
#include <vnr_test.h>

struct idt_pointer {
	vnr_u16 limit;
	vnr_u64 base;
} __attribute__((packed));

/* The memory map covers [0, memory_size) in order, ending with the boot region.
 */
static bool memmap_ok(const struct vnr_start_info *si)
{
	vnr_u64 at = 0;
	vnr_u32 i;

	if (si->memmap_count == 0 || si->memmap_count > 4)
		return false;
	for (i = 0; i < si->memmap_count; i++) {
		if (si->memmap[i].base != at || !si->memmap[i].length)
			return false;
		at += si->memmap[i].length;
	}
	i = si->memmap_count - 1;
	return at == si->memory_size &&
	       si->memmap[i].type == VNR_MEM_BOOT_TABLES &&
	       si->memmap[i].length == VNR_BOOT_REGION_SIZE;
}

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_partition_info info;
	struct vnr_discovery d;
	bool quiet = vnr_cmdline_u64("quiet", 0);

	if (!vnr_detect(&d) || vnr_get_partition_info(&info))
		return 0xD0;
	if (d.partition_id != si->partition_id ||
	    info.memory_size != si->memory_size || !memmap_ok(si) ||
	    strcmp(info.name, si->name) != 0)
		return 0xD1;
	if (!quiet)
		vnr_printf("child %s: up as partition %u, %lu KiB, "
			   "cmdline '%s'\n",
			   si->name, si->partition_id, si->memory_size >> 10,
			   si->cmdline);
	if (vnr_cmdline_u64("crash", 0)) {
		static const struct idt_pointer empty = {0, 0};

		vnr_console_flush();
		asm volatile("lidt %0; ud2" : : "m"(empty) : "memory");
	}
	if (vnr_cmdline_u64("spin", 0))
		for (;;)
			vnr_vp_halt(10000);
	return (int)vnr_cmdline_u64("exit", 0);
}
