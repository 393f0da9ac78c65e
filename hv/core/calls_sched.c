/* SPDX-License-Identifier: MIT */
/* VP_YIELD, VP_HALT and PARTITION_EXIT: calls that end the VP's run. */
#include <hv/hypercall_calls.h>
#include <hv/sched.h>

enum vnr_status call_vp_yield(struct hv_call *call)
{
	sched_yield(call->vp);
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_vp_halt(struct hv_call *call)
{
	sched_halt(call->vp, call->arg0);
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_partition_exit(struct hv_call *call)
{
	partition_stop(call->vp->partition, true, call->arg0,
		       "exited with status %llu",
		       (unsigned long long)call->arg0);
	return VNR_STATUS_SUCCESS;
}
