/* SPDX-License-Identifier: MIT */
/*
 * Memory management calls: deposit and withdraw, accounting, mapping
 * deposited pages into a child, and writing a child's memory while it
 * does not run.
 */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>
#include <hv/string.h>

#define CHILD_GPA_LIMIT GiB(4)

enum vnr_status call_memory_deposit(struct hv_call *call)
{
	const struct vnr_memory_range_input *in = call->input;

	return deposit_add(call->vp->partition, in->gpa, in->page_count);
}

enum vnr_status call_memory_withdraw(struct hv_call *call)
{
	const struct vnr_memory_range_input *in = call->input;

	return deposit_withdraw(call->vp->partition, in->gpa, in->page_count);
}

enum vnr_status call_memory_info(struct hv_call *call)
{
	struct vnr_memory_info info;

	deposit_info(call->vp->partition, &info);
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_map_gpa_pages(struct hv_call *call)
{
	const struct vnr_map_gpa_input *in = call->input;
	struct hv_partition *self = call->vp->partition, *p;
	u32 end;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	p = partition_child(call->vp->partition, in->partition_id);
	if (!p)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (!partition_being_built(p))
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (!IS_ALIGNED(in->base_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->base_gpa >= CHILD_GPA_LIMIT ||
	    call->rep_count > (CHILD_GPA_LIMIT - in->base_gpa) / PAGE_SIZE)
		return VNR_STATUS_INVALID_GPA;
	call->validated = true;
	end = MIN(call->rep_count, call->rep_next + HV_REP_BATCH);
	for (; call->rep_next < end; call->rep_next++) {
		u64 gpa = in->base_gpa + (u64)call->rep_next * PAGE_SIZE;
		u8 *page = deposit_take_page(self);
		enum vnr_status st;

		if (!page)
			return VNR_STATUS_INSUFFICIENT_MEMORY;
		memset(page, 0, PAGE_SIZE); /* nothing of the parent leaks */
		st = partition_map_ram(p, gpa, page, PAGE_SIZE);
		if (st != VNR_STATUS_SUCCESS) {
			deposit_return_page(self, page);
			return st;
		}
	}
	return call->rep_next < call->rep_count ? HV_STATUS_CONTINUE
						: VNR_STATUS_SUCCESS;
}

enum vnr_status call_write_partition_memory(struct hv_call *call)
{
	const struct vnr_write_memory_input *in = call->input;
	struct hv_partition *p;
	const void *data;
	void *dst;

	/* The whole structure lives in one page: it must start one. */
	if (!IS_ALIGNED(call->input_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->length > VNR_WRITE_MEMORY_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	p = partition_child(call->vp->partition, in->partition_id);
	if (!p)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (!partition_being_built(p))
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (in->length == 0)
		return VNR_STATUS_SUCCESS;
	dst = partition_gpa_to_host(p, in->gpa, in->length);
	if (!dst)
		return VNR_STATUS_INVALID_GPA;
	data = partition_gpa_to_host(
		call->vp->partition,
		call->input_gpa + IN_WRITE_PARTITION_MEMORY, in->length);
	memcpy(dst, data, in->length);
	return VNR_STATUS_SUCCESS;
}
