/* SPDX-License-Identifier: MIT */
/* PARTITION_INFO and VP_INFO. */
#include <hv/hypercall_calls.h>
#include <hv/reftime.h>
#include <hv/string.h>

enum vnr_status call_partition_info(struct hv_call *call)
{
	const struct hv_partition *p = call->vp->partition;
	struct vnr_partition_info info;

	/* Built whole in hypervisor memory so no padding byte leaks. */
	memset(&info, 0, sizeof(info));
	info.partition_id = p->id;
	info.vp_count = p->vp_count;
	info.memory_size = p->ram_size;
	info.privileges = p->privileges;
	memcpy(info.name, p->name, sizeof(info.name));
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_vp_info(struct hv_call *call)
{
	const struct vnr_vp_info_input *in = call->input;
	const struct hv_partition *p = call->vp->partition;
	const struct hv_vp *vp;
	struct vnr_vp_info info;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	if (in->vp_index >= p->vp_count)
		return VNR_STATUS_INVALID_VP_INDEX;
	vp = &p->vps[in->vp_index];
	memset(&info, 0, sizeof(info));
	info.vp_index = vp->index;
	info.partition_id = p->id;
	info.run_time_100ns = reftime_from_tsc_delta(vp->run_tsc);
	info.exits = vp->exits;
	info.hypercalls = vp->hypercalls;
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}
