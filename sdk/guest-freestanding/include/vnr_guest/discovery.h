/* SPDX-License-Identifier: MIT */
/* Finding Veneer through CPUID (sdk/include/veneer/cpuid.h). */
#ifndef VNR_GUEST_DISCOVERY_H
#define VNR_GUEST_DISCOVERY_H

#include <stdbool.h>
#include <veneer/types.h>

struct vnr_discovery {
	vnr_u32 max_leaf;
	vnr_u32 abi_version;
	vnr_u32 features;   /* VNR_FEATURE_MASK() bits */
	vnr_u32 privileges; /* low 32 bits of VNR_PRIV_MASK() bits */
	vnr_u32 max_vps;
	vnr_u32 max_partitions;
	vnr_u32 max_rep_count;
	vnr_u32 partition_id;
	vnr_u32 vp_index;
};

/*
 * Fills d and returns true when the CPU reports a hypervisor with the
 * Veneer vendor signature and interface and all leaves up to VP_IDENTITY.
 */
bool vnr_detect(struct vnr_discovery *d);

/* True when Veneer is detected and offers every VNR_FEATURE_MASK() bit. */
bool vnr_has_features(vnr_u32 mask);

#endif /* VNR_GUEST_DISCOVERY_H */
