/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: every byte of it is kept in a memory ring (the
 * log the root reads, since in root mode the machine's UARTs are the
 * root's), and goes to the arch console (a UART) when there is one.
 */
#include <hv/arch.h>
#include <hv/hypercall_calls.h>
#include <hv/log.h>
#include <hv/string.h>

static char ring[HV_LOG_RING_SIZE];
static u64 written; /* bytes ever written; the next goes at written % size */

void hv_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring[(written + i) % HV_LOG_RING_SIZE] = s[i];
	written += n;
	arch_console_write(s, n);
}

size_t hv_log_ring_read(u64 *pos, char *out, size_t size)
{
	size_t n = 0;

	if (*pos > written)
		*pos = written; /* nothing is there yet */
	if (written - *pos > HV_LOG_RING_SIZE)
		*pos = written - HV_LOG_RING_SIZE; /* overwritten: skip ahead */
	while (*pos < written && n < size)
		out[n++] = ring[(*pos)++ % HV_LOG_RING_SIZE];
	return n;
}

/* The log is the root's to read: every other partition only writes it. */
enum vnr_status call_log_read(struct hv_call *call)
{
	const struct vnr_log_read_input *in = call->input;
	struct vnr_log_read_output *out = call->output;
	u64 pos = in->offset;

	if (!call->vp->partition->owns_machine)
		return VNR_STATUS_ACCESS_DENIED;
	if (!IS_ALIGNED(call->arg1, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	out->length = (u32)hv_log_ring_read(&pos, out->data, sizeof(out->data));
	out->offset = pos - out->length;
	out->reserved = 0;
	return VNR_STATUS_SUCCESS;
}
