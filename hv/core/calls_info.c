/* SPDX-License-Identifier: MIT */
/* NULL_CALL, PARTITION_INFO and VP_INFO. */
#include <hv/hypercall_calls.h>
#include <hv/reftime.h>
#include <hv/string.h>

HV_CALL_HANDLER(NULL_CALL)
{
	(void)call;
	return VNR_STATUS_SUCCESS;
}

HV_CALL_HANDLER(PARTITION_INFO)
{
	const struct hv_partition *p = call->vp->partition;
	struct vnr_partition_info info;

	/* Built whole in hypervisor memory so no padding byte leaks. */
	memset(&info, 0, sizeof(info));
	info.partition_id = p->id;
	info.vp_count = p->vp_count;
	info.memory_size = p->mem.ram_size;
	info.privileges = p->privileges;
	memcpy(info.name, p->name, sizeof(info.name));
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}
