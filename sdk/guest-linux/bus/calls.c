// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The calls of the channel protocol (docs/spec/hypercalls.md, messages,
 * events and grants) through the provider's connections.
 */
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <veneer/calls.h>
#include <veneer/ipc.h>

#include "bus.h"

/*
 * A provider whose queue stays full must not hold the bus for long:
 * channels.md retries after VP_YIELD a bounded number of times.
 */
#define VENEER_POST_TRIES 1000

static int veneer_result_errno(u64 result)
{
	return veneer_errno(vnr_hc_status(result));
}

static int veneer_fast(u16 code, u64 rdx, u64 r8)
{
	return veneer_result_errno(
		veneer_hypercall(vnr_hc_control(code, 1, 0, 0), rdx, r8));
}

static int veneer_post_once(u32 type, const void *payload, u32 size)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_post_message_input *in = pages->input;
	int err;

	in->connection_id = VENEER_BUS_MSG_CONN;
	in->message_type = type;
	in->payload_size = size;
	in->reserved = 0;
	memcpy(in->payload, payload, size);
	err = veneer_result_errno(veneer_hypercall(
		vnr_hc_control(VNR_CALL_POST_MESSAGE, 0, 0, 0),
		virt_to_phys(in), 0));
	veneer_hc_pages_put();
	return err;
}

int veneer_post(u32 type, const void *payload, u32 size)
{
	unsigned int tries;
	int err;

	if (size > VNR_MESSAGE_PAYLOAD_MAX)
		return -EINVAL;
	for (tries = 0; tries < VENEER_POST_TRIES; tries++) {
		err = veneer_post_once(type, payload, size);
		if (err != -EAGAIN)
			return err;
		veneer_fast(VNR_CALL_VP_YIELD, 0, 0);
		cond_resched();
	}
	return err;
}

atomic64_t veneer_signals = ATOMIC64_INIT(0);

int veneer_signal(u32 flag)
{
	atomic64_inc(&veneer_signals);
	return veneer_fast(VNR_CALL_SIGNAL_EVENT, VENEER_BUS_EVENT_CONN, flag);
}

int veneer_call_grant_create(u32 peer, struct page *const *pages, u32 count,
			     u64 *handle)
{
	struct veneer_hc_pages *hc;
	struct vnr_grant_create_input *in;
	struct vnr_grant_create_output *out;
	u32 i;
	int err;

	if (!count || count > VNR_GRANT_MAX_PAGES)
		return -EINVAL;
	hc = veneer_hc_pages_get();
	in = hc->input;
	out = hc->output;
	in->peer_partition_id = peer;
	in->page_count = count;
	in->flags = 0;
	for (i = 0; i < count; i++)
		in->gpa[i] = page_to_phys(pages[i]);
	err = veneer_result_errno(veneer_hypercall(
		vnr_hc_control(VNR_CALL_GRANT_CREATE, 0, 0, 0),
		virt_to_phys(in), virt_to_phys(out)));
	if (!err)
		*handle = out->handle;
	veneer_hc_pages_put();
	return err;
}

int veneer_call_grant_revoke(u64 handle)
{
	return veneer_fast(VNR_CALL_GRANT_REVOKE, handle, 0);
}
