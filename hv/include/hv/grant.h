/* SPDX-License-Identifier: MIT */
/*
 * Memory grants: a partition lends a list of its own pages to one named
 * peer, which maps them into its address space; the owner can revoke the
 * grant at any time, which unmaps it from the peer first.
 */
#ifndef HV_GRANT_H
#define HV_GRANT_H

#include <hv/types.h>

struct hv_partition;

struct hv_grant {
	u64 handle; /* 0: slot free */
	u32 peer;
	u32 page_count;
	bool read_only;
	bool mapped;
	u64 mapped_gpa;
	u64 *gpas; /* the owner's pages, one pool page */
};

/* A partition's grants: those it made, and what backs revoked mappings. */
struct hv_grant_table {
	u32 generation;
	u8 *scratch; /* backs ranges whose grant was revoked under it */
	struct hv_grant slot[VNR_MAX_GRANTS];
};

/* Attributes (VNR_GPA_ATTR_*) of gpa in p if a grant is mapped there. */
u64 grant_attributes_at(struct hv_partition *p, u64 gpa);

#endif /* HV_GRANT_H */
