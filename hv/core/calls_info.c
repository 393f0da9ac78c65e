/* SPDX-License-Identifier: MIT */
/* NULL_CALL: the call that does nothing. */
#include <hv/hypercall_calls.h>

HV_CALL_HANDLER(NULL_CALL)
{
	(void)call;
	return VNR_STATUS_SUCCESS;
}
