// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The partition management calls (docs/spec/management.md), LOG_READ and
 * the calls of the root's channels (ports, messages, events, grants), each
 * filling the calling CPU's input page and copying its output page.
 */
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/string.h>

#include <veneer/info.h>
#include <veneer/ipc.h>

#include "veneer.h"

static u64 veneer_memory_call(u16 code, u32 reps, void *input, void *output)
{
	return veneer_hypercall(vnr_hc_control(code, 0, reps, 0),
				input ? virt_to_phys(input) : 0,
				output ? virt_to_phys(output) : 0);
}

static int veneer_result_errno(u64 result)
{
	return veneer_errno(vnr_hc_status(result));
}

int veneer_call_fast(u16 code, u32 partition_id)
{
	return veneer_result_errno(veneer_hypercall(
		vnr_hc_control(code, 1, 0, 0), partition_id, 0));
}

int veneer_call_vp_create(u32 partition_id, u32 vp_index)
{
	return veneer_result_errno(
		veneer_hypercall(vnr_hc_control(VNR_CALL_VP_CREATE, 1, 0, 0),
				 partition_id, vp_index));
}

int veneer_call_partition_create(const struct vnr_partition_create_input *in,
				 u32 *partition_id)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_partition_create_output *out = pages->output;
	int err;

	memcpy(pages->input, in, sizeof(*in));
	err = veneer_result_errno(veneer_memory_call(
		VNR_CALL_PARTITION_CREATE, 0, pages->input, out));
	if (!err)
		*partition_id = out->partition_id;
	veneer_hc_pages_put();
	return err;
}

int veneer_call_partition_query(u32 partition_id,
				struct vnr_partition_status *status)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_partition_query_input *in = pages->input;
	int err;

	in->partition_id = partition_id;
	in->reserved = 0;
	err = veneer_result_errno(veneer_memory_call(
		VNR_CALL_PARTITION_QUERY, 0, in, pages->output));
	if (!err)
		memcpy(status, pages->output, sizeof(*status));
	veneer_hc_pages_put();
	return err;
}

int veneer_call_memory_range(u16 code, u64 gpa, u64 page_count)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_memory_range_input *in = pages->input;
	int err;

	in->gpa = gpa;
	in->page_count = page_count;
	err = veneer_result_errno(veneer_memory_call(code, 0, in, NULL));
	veneer_hc_pages_put();
	return err;
}

int veneer_call_memory_info(struct vnr_memory_info *info)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	int err;

	err = veneer_result_errno(veneer_memory_call(VNR_CALL_MEMORY_INFO, 0,
						     NULL, pages->output));
	if (!err)
		memcpy(info, pages->output, sizeof(*info));
	veneer_hc_pages_put();
	return err;
}

int veneer_call_map_gpa_pages(u32 partition_id, u64 base_gpa, u32 count,
			      u32 *done)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_map_gpa_input *in = pages->input;
	u64 result;

	in->partition_id = partition_id;
	in->reserved = 0;
	in->base_gpa = base_gpa;
	result = veneer_memory_call(VNR_CALL_MAP_GPA_PAGES, count, in, NULL);
	veneer_hc_pages_put();
	*done = vnr_hc_reps_done(result);
	return veneer_result_errno(result);
}

int veneer_call_write_memory(u32 partition_id, u64 gpa, const void *data,
			     u32 length)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_write_memory_input *in = pages->input;
	int err;

	in->partition_id = partition_id;
	in->length = length;
	in->gpa = gpa;
	memcpy(in->data, data, min_t(u32, length, VNR_WRITE_MEMORY_MAX));
	err = veneer_result_errno(veneer_memory_call(
		VNR_CALL_WRITE_PARTITION_MEMORY, 0, in, NULL));
	veneer_hc_pages_put();
	return err;
}

static struct vnr_vp_registers_input *
veneer_registers_header(struct veneer_hc_pages *pages, u32 partition_id,
			u32 vp_index)
{
	struct vnr_vp_registers_input *in = pages->input;

	in->partition_id = partition_id;
	in->vp_index = vp_index;
	return in;
}

int veneer_call_get_registers(u32 partition_id, u32 vp_index,
			      struct vnr_register_value *regs, u32 count)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_vp_registers_input *in =
		veneer_registers_header(pages, partition_id, vp_index);
	u32 *names = (u32 *)(in + 1);
	const u64 *values = pages->output;
	u64 result;
	u32 i, done;

	for (i = 0; i < count; i++)
		names[i] = regs[i].name;
	result = veneer_memory_call(VNR_CALL_GET_VP_REGISTERS, count, in,
				    pages->output);
	done = min(vnr_hc_reps_done(result), count);
	for (i = 0; i < done; i++)
		regs[i].value = values[i];
	veneer_hc_pages_put();
	return veneer_result_errno(result);
}

int veneer_call_set_registers(u32 partition_id, u32 vp_index,
			      const struct vnr_register_value *regs, u32 count)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_vp_registers_input *in =
		veneer_registers_header(pages, partition_id, vp_index);
	u64 result;

	memcpy(in + 1, regs, count * sizeof(*regs));
	result = veneer_memory_call(VNR_CALL_SET_VP_REGISTERS, count, in,
				    NULL);
	veneer_hc_pages_put();
	return veneer_result_errno(result);
}

int veneer_call_log_read(u64 offset, struct vnr_log_read_output *out)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_log_read_input *in = pages->input;
	int err;

	in->offset = offset;
	err = veneer_result_errno(veneer_memory_call(VNR_CALL_LOG_READ, 0, in,
						     pages->output));
	if (!err)
		memcpy(out, pages->output, sizeof(*out));
	veneer_hc_pages_put();
	return err;
}

int veneer_call_ipc(u16 code, const void *in, size_t size)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	int err;

	memcpy(pages->input, in, size);
	err = veneer_result_errno(
		veneer_memory_call(code, 0, pages->input, NULL));
	veneer_hc_pages_put();
	return err;
}

int veneer_call_post(u32 conn, u32 type, const void *payload, u32 size)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_post_message_input *in = pages->input;
	int err;

	in->connection_id = conn;
	in->message_type = type;
	in->payload_size = size;
	in->reserved = 0;
	memcpy(in->payload, payload, size);
	err = veneer_result_errno(
		veneer_memory_call(VNR_CALL_POST_MESSAGE, 0, in, NULL));
	veneer_hc_pages_put();
	return err;
}

int veneer_call_signal(u32 conn, u32 flag)
{
	return veneer_result_errno(veneer_hypercall(
		vnr_hc_control(VNR_CALL_SIGNAL_EVENT, 1, 0, 0), conn, flag));
}

int veneer_call_grant_map(u32 owner, u64 handle, u64 gpa)
{
	struct vnr_grant_map_input in = {
		.owner_partition_id = owner,
		.handle = handle,
		.gpa = gpa,
	};

	return veneer_call_ipc(VNR_CALL_GRANT_MAP, &in, sizeof(in));
}

int veneer_call_grant_unmap(u32 owner, u64 handle)
{
	struct vnr_grant_unmap_input in = {
		.owner_partition_id = owner,
		.handle = handle,
	};

	return veneer_call_ipc(VNR_CALL_GRANT_UNMAP, &in, sizeof(in));
}

int veneer_call_gpa_attributes(u64 gpa, u32 count, u64 *attrs)
{
	struct veneer_hc_pages *pages = veneer_hc_pages_get();
	struct vnr_gpa_query_input *in = pages->input;
	int err;

	in->base_gpa = gpa;
	err = veneer_result_errno(veneer_memory_call(
		VNR_CALL_QUERY_GPA_ATTRIBUTES, count, in, pages->output));
	if (!err)
		memcpy(attrs, pages->output, count * sizeof(*attrs));
	veneer_hc_pages_put();
	return err;
}
