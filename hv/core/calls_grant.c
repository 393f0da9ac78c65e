/* SPDX-License-Identifier: MIT */
/* GRANT_CREATE, GRANT_MAP, GRANT_UNMAP and GRANT_REVOKE. */
#include <hv/grant_ops.h>
#include <hv/hypercall_calls.h>
#include <hv/string.h>

/* The GPA list lives here after its one fetch from guest memory. */
static u64 gpa_copy[VNR_GRANT_MAX_PAGES];

static enum vnr_status fetch_pages(struct hv_call *call, u32 count)
{
	struct hv_partition *p = call->vp->partition;
	const u64 *list = partition_gpa_to_host(
		p, call->input_gpa + IN_GRANT_CREATE, (u64)count * 8);

	memcpy(gpa_copy, list, (size_t)count * 8);
	for (u32 i = 0; i < count; i++) {
		if (!IS_ALIGNED(gpa_copy[i], PAGE_SIZE))
			return VNR_STATUS_INVALID_ALIGNMENT;
		if (!partition_gpa_to_host(p, gpa_copy[i], PAGE_SIZE))
			return VNR_STATUS_INVALID_GPA;
	}
	return VNR_STATUS_SUCCESS;
}

HV_CALL_HANDLER(GRANT_CREATE)
{
	const struct vnr_grant_create_input *in = call->input;
	struct hv_partition *self = call->vp->partition;
	struct vnr_grant_create_output out = {0};
	struct hv_partition *peer;
	enum vnr_status st;

	/* The whole structure lives in one page: it must start one. */
	if (!IS_ALIGNED(call->input_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->page_count == 0 || in->page_count > VNR_GRANT_MAX_PAGES ||
	    (in->flags & ~VNR_GRANT_READ_ONLY))
		return VNR_STATUS_INVALID_PARAMETER;
	peer = partition_by_id(in->peer_partition_id);
	if (!peer || peer == self || peer->state != HV_PARTITION_RUNNING)
		return VNR_STATUS_INVALID_PARTITION_ID;
	st = fetch_pages(call, in->page_count);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	st = grant_create(self, peer->id, gpa_copy, in->page_count,
			  in->flags & VNR_GRANT_READ_ONLY, &out.handle);
	if (st == VNR_STATUS_SUCCESS)
		memcpy(call->output, &out, sizeof(out));
	return st;
}

HV_CALL_HANDLER(GRANT_MAP)
{
	const struct vnr_grant_map_input *in = call->input;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	return grant_map(call->vp->partition, in->owner_partition_id,
			 in->handle, in->gpa);
}

HV_CALL_HANDLER(GRANT_UNMAP)
{
	const struct vnr_grant_unmap_input *in = call->input;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	return grant_unmap(call->vp->partition, in->owner_partition_id,
			   in->handle);
}

HV_CALL_HANDLER(GRANT_REVOKE)
{
	return grant_revoke(call->vp->partition, call->arg0);
}
