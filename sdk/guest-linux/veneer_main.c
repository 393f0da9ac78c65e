// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * veneer_guest: detects the Veneer hypervisor and reports its interface.
 *
 * Including every public header of sdk/include/veneer also checks that the
 * ABI headers compile in the Linux kernel context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include <veneer/abi.h>
#include "ring_check.h"
#include <veneer/boot.h>
#include <veneer/calls.h>
#include <veneer/cpuid.h>
#include <veneer/hypercall.h>
#include <veneer/info.h>
#include <veneer/msr.h>
#include <veneer/pci.h>
#include <veneer/privileges.h>
#include <veneer/status.h>
#include <veneer/types.h>
#include <veneer/version.h>

static const char *const vnr_feature_names[] = {
#define VNR_FEATURE(name, bit) [bit] = #name,
#include <veneer/features.def>
#undef VNR_FEATURE
};

static const char *const vnr_priv_names[] = {
#define VNR_PRIV(name, bit) [bit] = #name,
#include <veneer/privileges.def>
#undef VNR_PRIV
};

static void vnr_log_bits(const char *what, u32 bits,
			 const char *const *names, unsigned int count)
{
	unsigned int bit;

	pr_info("%s: %#x\n", what, bits);
	for (bit = 0; bit < 32; bit++) {
		if (!(bits & BIT(bit)))
			continue;
		if (bit < count && names[bit])
			pr_info("  %s\n", names[bit]);
		else
			pr_info("  unknown bit %u\n", bit);
	}
}

static bool vnr_detect(u32 *max_leaf)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(VNR_CPUID_LEAF_VENDOR, &eax, &ebx, &ecx, &edx);
	if (ebx != VNR_CPUID_VENDOR_EBX || ecx != VNR_CPUID_VENDOR_ECX ||
	    edx != VNR_CPUID_VENDOR_EDX)
		return false;
	if (eax < VNR_CPUID_LEAF_INTERFACE || eax > VNR_CPUID_RANGE_LAST)
		return false;
	*max_leaf = eax;
	return cpuid_eax(VNR_CPUID_LEAF_INTERFACE) == VNR_CPUID_INTERFACE_EAX;
}

static int __init veneer_guest_init(void)
{
	u32 max_leaf, version, eax, ebx, ecx, edx;
	int err = veneer_ring_check();

	if (err) {
		pr_err("the channel ring self-check failed (%d)\n", err);
		return err;
	}

	if (!vnr_detect(&max_leaf)) {
		pr_info("not running on Veneer\n");
		return -ENODEV;
	}

	version = cpuid_ebx(VNR_CPUID_LEAF_INTERFACE);
	pr_info("Veneer ABI %u.%u (module built for %u.%u), highest leaf %#x\n",
		version >> 16, version & 0xffff, VNR_ABI_MAJOR, VNR_ABI_MINOR,
		max_leaf);
	if (version >> 16 != VNR_ABI_MAJOR) {
		pr_err("unsupported ABI major version %u\n", version >> 16);
		return -ENODEV;
	}

	if (max_leaf >= VNR_CPUID_LEAF_FEATURES) {
		cpuid(VNR_CPUID_LEAF_FEATURES, &eax, &ebx, &ecx, &edx);
		vnr_log_bits("features", eax, vnr_feature_names,
			     ARRAY_SIZE(vnr_feature_names));
		vnr_log_bits("privileges", ebx, vnr_priv_names,
			     ARRAY_SIZE(vnr_priv_names));
	}
	if (max_leaf >= VNR_CPUID_LEAF_LIMITS) {
		cpuid(VNR_CPUID_LEAF_LIMITS, &eax, &ebx, &ecx, &edx);
		pr_info("limits: %u VPs per partition, %u partitions, %u reps per call\n",
			eax, ebx, ecx);
	}
	if (max_leaf >= VNR_CPUID_LEAF_VP_IDENTITY) {
		cpuid(VNR_CPUID_LEAF_VP_IDENTITY, &eax, &ebx, &ecx, &edx);
		pr_info("partition %u, VP %u\n", eax, ebx);
	}
	return 0;
}

static void __exit veneer_guest_exit(void)
{
	pr_info("unloaded\n");
}

module_init(veneer_guest_init);
module_exit(veneer_guest_exit);

MODULE_DESCRIPTION("Veneer hypervisor guest detection");
MODULE_LICENSE("Dual MIT/GPL");
