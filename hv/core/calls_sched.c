/* SPDX-License-Identifier: MIT */
/* VP_YIELD, VP_HALT and PARTITION_EXIT: calls that end the VP's run. */
#include <hv/hypercall_calls.h>
#include <hv/sched.h>

HV_CALL_HANDLER(VP_YIELD)
{
	sched_yield(call->vp);
	return VNR_STATUS_SUCCESS;
}

HV_CALL_HANDLER(VP_HALT)
{
	sched_halt(call->vp, call->arg0);
	return VNR_STATUS_SUCCESS;
}

HV_CALL_HANDLER(PARTITION_EXIT)
{
	partition_stop(call->vp->partition, true, call->arg0,
		       "exited with status %llu",
		       (unsigned long long)call->arg0);
	return VNR_STATUS_SUCCESS;
}
