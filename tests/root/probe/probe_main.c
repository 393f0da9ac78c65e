// SPDX-License-Identifier: GPL-2.0
/*
 * veneer_probe: loaded by the test initramfs in root mode, reports what the
 * root kernel sees of AMD-V and of the hypervisor's memory, then stays
 * loaded (doing nothing) until /init removes it.
 */
#include "probe.h"

#include <linux/module.h>

#define MAX_REGIONS 16

static unsigned long regions[2 * MAX_REGIONS];
static unsigned int region_values;
module_param_array(regions, ulong, &region_values, 0444);
MODULE_PARM_DESC(regions,
		 "base,size pairs of the regions that may be the hypervisor's");

static int __init veneer_probe_init(void)
{
	probe_svm();
	if (region_values % 2)
		pr_info("hv-memory FAIL odd regions= list\n");
	else
		probe_hv_memory(regions, region_values / 2);
	probe_hypercall_page();
	return 0;
}

static void __exit veneer_probe_exit(void)
{
}

module_init(veneer_probe_init);
module_exit(veneer_probe_exit);
MODULE_DESCRIPTION("What a Veneer root partition sees of AMD-V");
MODULE_LICENSE("GPL");
