// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Discovery (docs/spec/discovery.md): is this kernel a partition of
 * Veneer with the ABI and the features the channel client needs?
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/processor.h>

#include <veneer/cpuid.h>

#include "bus.h"
#include "veneer_synic.h"

/* The calling forms, the SynIC for messages and events, and grants. */
#define VENEER_BUS_FEATURES                                                \
	(VNR_FEATURE_MASK(HYPERCALL_PAGE) | VNR_FEATURE_MASK(FAST_CALLS) | \
	 VNR_FEATURE_MASK(SYNIC) | VNR_FEATURE_MASK(GRANTS))

int veneer_bus_discover(void)
{
	u32 max_leaf, abi, features;
	int err = veneer_detect(VNR_CPUID_LEAF_FEATURES, &max_leaf, &abi);

	if (err)
		return err;
	features = cpuid_eax(VNR_CPUID_LEAF_FEATURES);
	if ((features & VENEER_BUS_FEATURES) != VENEER_BUS_FEATURES) {
		pr_err("Veneer lacks features %#x\n",
		       VENEER_BUS_FEATURES & ~features);
		return -ENODEV;
	}
	return 0;
}
