// SPDX-License-Identifier: GPL-2.0
/*
 * attack=msrs: the MSRs the root reaches without an exit that also govern
 * the hypervisor's own execution (its memory types, where the CPU sends
 * DRAM addresses, its time base).  Each is read and the value written
 * back unchanged: "write=ok" means the root could have written anything.
 */
#include "attack.h"

#include <linux/kernel.h>
#include <asm/msr.h>

struct msr_name {
	u32 index;
	const char *name;
};

static const struct msr_name host_msrs[] = {
	{0x10, "tsc"},
	{0x1b, "apic-base"},
	{0x3b, "tsc-adjust"},
	{0x1d9, "debugctl"},
	{0x200, "mtrr-phys-base0"},
	{0x201, "mtrr-phys-mask0"},
	{0x2ff, "mtrr-def-type"},
	{0xc0000104, "tsc-ratio"},
	{0xc0010010, "syscfg"},
	{0xc0010015, "hwcr"},
	{0xc001001a, "top-mem"},
	{0xc001001d, "top-mem2"},
	{0xc0010112, "smm-addr"},
	{0xc0010113, "smm-mask"},
};

static void try_msr(const struct msr_name *m)
{
	u64 value;

	if (rdmsrl_safe(m->index, &value)) {
		pr_info("msr %s read=gp\n", m->name);
		return;
	}
	pr_info("msr %s read=ok value=0x%llx write=%s\n", m->name, value,
		wrmsrl_safe(m->index, value) ? "gp" : "ok");
}

static long try_msrs(void *unused)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(host_msrs); i++)
		try_msr(&host_msrs[i]);
	return 0;
}

void attack_msrs(void)
{
	on_cpu(0, try_msrs, NULL);
}
