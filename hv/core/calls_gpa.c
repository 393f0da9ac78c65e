/* SPDX-License-Identifier: MIT */
/* QUERY_GPA_ATTRIBUTES: the one rep call of v0. */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>

/* Architectural limit of guest physical addresses (52 bits). */
#define GPA_LIMIT (1ull << 52)

enum vnr_status call_query_gpa_attributes(struct hv_call *call)
{
	const struct vnr_gpa_query_input *in = call->input;
	u64 *out = call->output;
	u32 end;

	if (!IS_ALIGNED(in->base_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->base_gpa >= GPA_LIMIT ||
	    call->rep_count > (GPA_LIMIT - in->base_gpa) / PAGE_SIZE)
		return VNR_STATUS_INVALID_GPA;
	end = MIN(call->rep_count, call->rep_next + HV_REP_BATCH);
	for (; call->rep_next < end; call->rep_next++)
		out[call->rep_next] = partition_gpa_attributes(
			call->vp->partition,
			in->base_gpa + (u64)call->rep_next * PAGE_SIZE);
	return call->rep_next < call->rep_count ? HV_STATUS_CONTINUE
						: VNR_STATUS_SUCCESS;
}
