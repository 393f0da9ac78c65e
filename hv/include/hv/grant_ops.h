/* SPDX-License-Identifier: MIT */
/* Grant operations, as the grant hypercalls use them. */
#ifndef HV_GRANT_OPS_H
#define HV_GRANT_OPS_H

#include <hv/grant.h>

enum vnr_status grant_create(struct hv_partition *owner, u32 peer,
			     const u64 *gpas, u32 count, bool read_only,
			     u64 *handle);
enum vnr_status grant_map(struct hv_partition *peer, u32 owner_id, u64 handle,
			  u64 gpa);
enum vnr_status grant_unmap(struct hv_partition *peer, u32 owner_id,
			    u64 handle);
enum vnr_status grant_revoke(struct hv_partition *owner, u64 handle);

#endif /* HV_GRANT_OPS_H */
