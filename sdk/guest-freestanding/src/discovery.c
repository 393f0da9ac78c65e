// SPDX-License-Identifier: MIT
/* vnr_detect(): the CPUID leaves of sdk/include/veneer/cpuid.h. */
#include <vnr_guest/guest.h>

#define CPUID_1_ECX_HYPERVISOR (1u << 31)

static bool is_veneer(vnr_u32 *max_leaf)
{
	struct vnr_cpuid_regs r = vnr_cpuid(1, 0);

	if (!(r.ecx & CPUID_1_ECX_HYPERVISOR))
		return false;
	r = vnr_cpuid(VNR_CPUID_LEAF_VENDOR, 0);
	*max_leaf = r.eax;
	return r.ebx == VNR_CPUID_VENDOR_EBX && r.ecx == VNR_CPUID_VENDOR_ECX &&
	       r.edx == VNR_CPUID_VENDOR_EDX;
}

bool vnr_detect(struct vnr_discovery *d)
{
	struct vnr_cpuid_regs r;

	*d = (struct vnr_discovery){0};
	if (!is_veneer(&d->max_leaf) ||
	    d->max_leaf < VNR_CPUID_LEAF_VP_IDENTITY)
		return false;
	r = vnr_cpuid(VNR_CPUID_LEAF_INTERFACE, 0);
	if (r.eax != VNR_CPUID_INTERFACE_EAX)
		return false;
	d->abi_version = r.ebx;
	r = vnr_cpuid(VNR_CPUID_LEAF_FEATURES, 0);
	d->features = r.eax;
	d->privileges = r.ebx;
	r = vnr_cpuid(VNR_CPUID_LEAF_LIMITS, 0);
	d->max_vps = r.eax;
	d->max_partitions = r.ebx;
	d->max_rep_count = r.ecx;
	r = vnr_cpuid(VNR_CPUID_LEAF_VP_IDENTITY, 0);
	d->partition_id = r.eax;
	d->vp_index = r.ebx;
	return true;
}
