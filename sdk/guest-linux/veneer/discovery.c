// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Discovery (docs/spec/discovery.md): is this kernel a partition of
 * Veneer, with the ABI, the feature and the privileges the root's stack
 * needs?
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/processor.h>

#include <veneer/cpuid.h>
#include <veneer/privileges.h>

#include "veneer.h"
#include "veneer_synic.h"

struct veneer_hv_info veneer_hv;

/* What the module calls: the calling forms, the SynIC, management. */
#define VENEER_FEATURES_NEEDED                                                 \
	(VNR_FEATURE_MASK(HYPERCALL_PAGE) | VNR_FEATURE_MASK(FAST_CALLS) |     \
	 VNR_FEATURE_MASK(REP_CALLS) | VNR_FEATURE_MASK(SYNIC) |               \
	 VNR_FEATURE_MASK(PARTITION_MANAGEMENT))
#define VENEER_PRIVILEGES_NEEDED \
	(VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY))

int veneer_discover(void)
{
	u32 max_leaf, eax, ebx, ecx, edx;
	int err = veneer_detect(VNR_CPUID_LEAF_INTERFACE, &max_leaf,
				&veneer_hv.abi_version);

	if (err)
		return err;
	if (max_leaf < VNR_CPUID_LEAF_LIMITS) {
		pr_err("Veneer reports no limits leaf\n");
		return -ENODEV;
	}
	cpuid(VNR_CPUID_LEAF_FEATURES, &eax, &ebx, &ecx, &edx);
	veneer_hv.features = eax;
	veneer_hv.privileges = ebx;
	if ((eax & VENEER_FEATURES_NEEDED) != VENEER_FEATURES_NEEDED) {
		pr_err("Veneer lacks features %#x\n",
		       VENEER_FEATURES_NEEDED & ~eax);
		return -ENODEV;
	}
	if ((ebx & VENEER_PRIVILEGES_NEEDED) != VENEER_PRIVILEGES_NEEDED) {
		pr_err("this partition lacks privileges %#llx\n",
		       VENEER_PRIVILEGES_NEEDED & ~(u64)ebx);
		return -ENODEV;
	}
	cpuid(VNR_CPUID_LEAF_LIMITS, &eax, &ebx, &ecx, &edx);
	veneer_hv.max_vps = eax;
	veneer_hv.max_partitions = ebx;
	veneer_hv.max_reps = min_t(u32, ecx, VNR_HC_REP_MAX);
	if (!veneer_hv.max_reps) {
		pr_err("Veneer allows no rep call\n");
		return -ENODEV;
	}
	cpuid(VNR_CPUID_LEAF_VP_IDENTITY, &eax, &ebx, &ecx, &edx);
	veneer_hv.root_id = eax;
	pr_info("Veneer ABI %u.%u: %u partitions, %u VPs each\n",
		veneer_hv.abi_version >> 16, veneer_hv.abi_version & 0xffff,
		veneer_hv.max_partitions, veneer_hv.max_vps);
	return 0;
}
