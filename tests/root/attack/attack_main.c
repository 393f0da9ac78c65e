// SPDX-License-Identifier: GPL-2.0
/*
 * veneer_attack: loaded by the test initramfs in root mode with
 * attack=cpus, dma, msrs, initsipi, icralias, logflood or pm1abyte, finds the
 * hypervisor's memory among the reserved regions /init passes and runs
 * the attack on it.
 */
#include "attack.h"

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/asm.h>

#define MAX_REGIONS 16

static unsigned long regions[2 * MAX_REGIONS];
static unsigned int region_values;
module_param_array(regions, ulong, &region_values, 0444);
MODULE_PARM_DESC(regions,
		 "base,size pairs of the regions that may be the hypervisor's");

static char *attack = "cpus";
module_param(attack, charp, 0444);
MODULE_PARM_DESC(attack,
		 "cpus, dma, msrs, initsipi, icralias, logflood or pm1abyte");

static char *disk = "/dev/vdb";
module_param(disk, charp, 0444);
MODULE_PARM_DESC(disk, "the block device of attack=dma");

static long try_vmrun(void *unused)
{
	long rax = 0;

	asm volatile("1: vmrun\n\t"
		     "mov %[none], %%rax\n\t"
		     "2:\n\t" _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax)
		     : [none] "i"(NO_FAULT)
		     : "memory");
	return rax;
}

long find_logged_text(const void *buf, size_t len)
{
	const char *hit = strnstr(buf, LOGGED_TEXT, len);

	return hit ? hit - (const char *)buf : -1;
}

long on_cpu(int cpu, long (*fn)(void *), void *arg)
{
	return work_on_cpu(cpu, fn, arg);
}

long vmrun_on_root_vp(void)
{
	return on_cpu(0, try_vmrun, NULL);
}

static bool page_reads_zero(phys_addr_t phys)
{
	void *page = memremap(phys, PAGE_SIZE, MEMREMAP_WB);
	bool zero;

	if (!page)
		return false;
	zero = !memchr_inv(page, 0, PAGE_SIZE);
	memunmap(page);
	return zero;
}

/* On the root's VP (CPU 0) the hypervisor's memory is the only region of
 * zeros. */
static long find_hypervisor(void *arg)
{
	struct hv_region *hv = arg;
	unsigned int i, found = 0;

	for (i = 0; i + 1 < region_values; i += 2) {
		unsigned long base = regions[i], size = regions[i + 1];

		if (size >= PAGE_SIZE && page_reads_zero(base) &&
		    page_reads_zero(base + size - PAGE_SIZE)) {
			hv->base = base;
			hv->size = size;
			found++;
		}
	}
	return found == 1;
}

static int __init veneer_attack_init(void)
{
	struct hv_region hv;

	if (!on_cpu(0, find_hypervisor, &hv)) {
		pr_info("FAIL no single zero region among %u values\n",
			region_values);
		return 0;
	}
	pr_info("hv-region base=0x%lx size=0x%lx\n", hv.base, hv.size);
	if (!strcmp(attack, "cpus"))
		attack_cpus(&hv);
	else if (!strcmp(attack, "dma"))
		attack_dma(&hv, disk);
	else if (!strcmp(attack, "msrs"))
		attack_msrs();
	else if (!strcmp(attack, "initsipi"))
		attack_initsipi();
	else if (!strcmp(attack, "icralias"))
		attack_icralias();
	else if (!strcmp(attack, "logflood"))
		attack_logflood();
	else if (!strcmp(attack, "pm1abyte"))
		attack_pm1abyte();
	else
		pr_info("FAIL unknown attack=%s\n", attack);
	return 0;
}

static void __exit veneer_attack_exit(void)
{
}

module_init(veneer_attack_init);
module_exit(veneer_attack_exit);
MODULE_DESCRIPTION("Attacks of a Veneer root partition on the hypervisor");
MODULE_LICENSE("GPL");
