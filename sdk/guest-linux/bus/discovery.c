// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Discovery (docs/spec/discovery.md): is this kernel a partition of
 * Veneer with the ABI and the features the channel client needs?
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include <veneer/cpuid.h>
#include <veneer/version.h>

#include "bus.h"

/* The calling forms, the SynIC for messages and events, and grants. */
#define VENEER_BUS_FEATURES                                                \
	(VNR_FEATURE_MASK(HYPERCALL_PAGE) | VNR_FEATURE_MASK(FAST_CALLS) | \
	 VNR_FEATURE_MASK(SYNIC) | VNR_FEATURE_MASK(GRANTS))

static bool veneer_bus_signature(void)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(VNR_CPUID_LEAF_VENDOR, &eax, &ebx, &ecx, &edx);
	if (ebx != VNR_CPUID_VENDOR_EBX || ecx != VNR_CPUID_VENDOR_ECX ||
	    edx != VNR_CPUID_VENDOR_EDX)
		return false;
	return eax >= VNR_CPUID_LEAF_FEATURES &&
	       eax <= VNR_CPUID_RANGE_LAST &&
	       cpuid_eax(VNR_CPUID_LEAF_INTERFACE) == VNR_CPUID_INTERFACE_EAX;
}

int veneer_bus_discover(void)
{
	u32 abi, features;

	if (!veneer_bus_signature()) {
		pr_info("not running on Veneer\n");
		return -ENODEV;
	}
	abi = cpuid_ebx(VNR_CPUID_LEAF_INTERFACE);
	if (abi >> 16 != VNR_ABI_MAJOR) {
		pr_err("Veneer ABI %u.%u, this module speaks %u.x\n", abi >> 16,
		       abi & 0xffff, VNR_ABI_MAJOR);
		return -ENODEV;
	}
	features = cpuid_eax(VNR_CPUID_LEAF_FEATURES);
	if ((features & VENEER_BUS_FEATURES) != VENEER_BUS_FEATURES) {
		pr_err("Veneer lacks features %#x\n",
		       VENEER_BUS_FEATURES & ~features);
		return -ENODEV;
	}
	return 0;
}
