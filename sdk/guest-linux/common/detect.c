// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Detecting Veneer and its ABI version (veneer_synic.h). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include <veneer/cpuid.h>
#include <veneer/version.h>

#include "veneer_synic.h"

/* discovery.md, "Detecting Veneer": the signature, then the interface. */
static bool veneer_signature(u32 min_leaf, u32 *max_leaf)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(VNR_CPUID_LEAF_VENDOR, &eax, &ebx, &ecx, &edx);
	if (ebx != VNR_CPUID_VENDOR_EBX || ecx != VNR_CPUID_VENDOR_ECX ||
	    edx != VNR_CPUID_VENDOR_EDX)
		return false;
	*max_leaf = eax;
	return eax >= VNR_CPUID_LEAF_INTERFACE && eax >= min_leaf &&
	       eax <= VNR_CPUID_RANGE_LAST &&
	       cpuid_eax(VNR_CPUID_LEAF_INTERFACE) == VNR_CPUID_INTERFACE_EAX;
}

int veneer_detect(u32 min_leaf, u32 *max_leaf, u32 *abi_version)
{
	if (!veneer_signature(min_leaf, max_leaf)) {
		pr_info("not running on Veneer\n");
		return -ENODEV;
	}
	*abi_version = cpuid_ebx(VNR_CPUID_LEAF_INTERFACE);
	if (*abi_version >> 16 != VNR_ABI_MAJOR) {
		pr_err("Veneer ABI %u.%u, this module speaks %u.x\n",
		       *abi_version >> 16, *abi_version & 0xffff,
		       VNR_ABI_MAJOR);
		return -ENODEV;
	}
	return 0;
}
