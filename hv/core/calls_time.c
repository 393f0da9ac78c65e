/* SPDX-License-Identifier: MIT */
/* REFERENCE_TIME. */
#include <hv/hypercall_calls.h>
#include <hv/reftime.h>

HV_CALL_HANDLER(REFERENCE_TIME)
{
	call->fast_outputs = true;
	call->out0 = reftime_now();
	call->out1 = arch_tsc_hz();
	return VNR_STATUS_SUCCESS;
}
