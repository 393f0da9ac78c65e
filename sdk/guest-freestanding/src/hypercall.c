// SPDX-License-Identifier: MIT
/* The hypercall page, the scratch pages and the typed call helpers. */
#include <vnr_guest/guest.h>
#include "internal.h"

#define PAGE_ALIGNED __attribute__((aligned(VNR_PAGE_SIZE)))

/* Executed, not read: the hypervisor writes its call sequence here. */
char vnr_hypercall_page[VNR_PAGE_SIZE] PAGE_ALIGNED;
static char input_page[VNR_PAGE_SIZE] PAGE_ALIGNED;
static char output_page[VNR_PAGE_SIZE] PAGE_ALIGNED;

void vnr_hypercall_init(void)
{
	vnr_wrmsr(VNR_MSR_HYPERCALL,
		  vnr_gpa(vnr_hypercall_page) | VNR_HYPERCALL_ENABLE);
}

void *vnr_hc_input_page(void)
{
	return input_page;
}

void *vnr_hc_output_page(void)
{
	return output_page;
}

vnr_u64 vnr_hypercall_fast(vnr_u16 code, vnr_u64 in0, vnr_u64 in1,
			   vnr_u64 *out0, vnr_u64 *out1)
{
	vnr_u64 result =
		vnr_hypercall_raw(vnr_hc_control(code, 1, 0, 0), &in0, &in1);

	if (out0)
		*out0 = in0;
	if (out1)
		*out1 = in1;
	return result;
}

vnr_u64 vnr_hypercall_memory(vnr_u16 code, const void *input, void *output)
{
	vnr_u64 in = vnr_gpa(input), out = vnr_gpa(output);

	return vnr_hypercall_raw(vnr_hc_control(code, 0, 0, 0), &in, &out);
}

vnr_u64 vnr_hypercall_rep(vnr_u16 code, vnr_u32 rep_count, const void *input,
			  void *output)
{
	vnr_u64 in = vnr_gpa(input), out = vnr_gpa(output);

	return vnr_hypercall_raw(vnr_hc_control(code, 0, rep_count, 0), &in,
				 &out);
}

enum vnr_status vnr_null_call(void)
{
	return vnr_hc_status(
		vnr_hypercall_fast(VNR_CALL_NULL_CALL, 0, 0, NULL, NULL));
}

enum vnr_status vnr_debug_write(const char *data, vnr_u32 length)
{
	struct vnr_debug_write_input *in = vnr_hc_input_page();

	if (length > VNR_DEBUG_WRITE_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	in->length = length;
	in->reserved = 0;
	memcpy(in->data, data, length);
	return vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_DEBUG_WRITE, in, NULL));
}

enum vnr_status vnr_get_partition_info(struct vnr_partition_info *info)
{
	enum vnr_status st = vnr_hc_status(vnr_hypercall_memory(
		VNR_CALL_PARTITION_INFO, NULL, output_page));

	if (st == VNR_STATUS_SUCCESS)
		memcpy(info, output_page, sizeof(*info));
	return st;
}

enum vnr_status vnr_get_vp_info(vnr_u32 vp_index, struct vnr_vp_info *info)
{
	struct vnr_vp_info_input *in = vnr_hc_input_page();
	enum vnr_status st;

	in->vp_index = vp_index;
	in->reserved = 0;
	st = vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_VP_INFO, in, output_page));
	if (st == VNR_STATUS_SUCCESS)
		memcpy(info, output_page, sizeof(*info));
	return st;
}

enum vnr_status vnr_get_reference_time(vnr_u64 *ticks, vnr_u64 *tsc_hz)
{
	return vnr_hc_status(vnr_hypercall_fast(VNR_CALL_REFERENCE_TIME, 0, 0,
						ticks, tsc_hz));
}

enum vnr_status vnr_vp_yield(void)
{
	return vnr_hc_status(
		vnr_hypercall_fast(VNR_CALL_VP_YIELD, 0, 0, NULL, NULL));
}

enum vnr_status vnr_vp_halt(vnr_u64 timeout_100ns)
{
	return vnr_hc_status(vnr_hypercall_fast(VNR_CALL_VP_HALT, timeout_100ns,
						0, NULL, NULL));
}

enum vnr_status vnr_query_gpa_attributes(vnr_u64 base_gpa, vnr_u32 count,
					 vnr_u64 *attrs, vnr_u32 *reps_done)
{
	struct vnr_gpa_query_input *in = vnr_hc_input_page();
	vnr_u64 result;

	if (count > VNR_GPA_QUERY_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	in->base_gpa = base_gpa;
	result = vnr_hypercall_rep(VNR_CALL_QUERY_GPA_ATTRIBUTES, count, in,
				   output_page);
	*reps_done = vnr_hc_reps_done(result);
	/* Never trust the count further than the caller's array. */
	memcpy(attrs, output_page,
	       (*reps_done < count ? *reps_done : count) * sizeof(*attrs));
	return vnr_hc_status(result);
}

void vnr_partition_exit(vnr_u64 status)
{
	vnr_console_flush();
	vnr_hypercall_fast(VNR_CALL_PARTITION_EXIT, status, 0, NULL, NULL);
	vnr_cpu_stop();
}
