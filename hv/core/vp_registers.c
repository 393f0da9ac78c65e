/* SPDX-License-Identifier: MIT */
/*
 * GET_VP_REGISTERS and SET_VP_REGISTERS: a parent reads and writes the
 * registers of its child's VPs while the child does not run.  A value the
 * CPU would refuse on entry is refused (arch_vp_check_reg), so a bad state
 * never reaches the hardware.  The ABI's register names are the core's
 * (both come from registers.def).
 */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>
#include <hv/string.h>

/* The child's VP named by the input header, or the status why not. */
static enum vnr_status target_vp(struct hv_call *call, struct hv_vp **vp)
{
	const struct vnr_vp_registers_input *in = call->input;
	struct hv_partition *p;
	enum vnr_status st = partition_child_being_built(call->vp->partition,
							 in->partition_id, &p);

	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (in->vp_index >= p->vp_count)
		return VNR_STATUS_INVALID_VP_INDEX;
	*vp = &p->vps[in->vp_index];
	return VNR_STATUS_SUCCESS;
}

/* The rep elements after the header, fetched once into a local copy. */
static enum vnr_status fetch_elements(struct hv_call *call, void *copy,
				      u32 size)
{
	u64 bytes = (u64)call->rep_count * size;
	u64 at = call->input_gpa + IN_GET_VP_REGISTERS;
	const void *src;

	/* They share the header's page (at on a page start: the next page). */
	if ((at & (PAGE_SIZE - 1)) + bytes > PAGE_SIZE || at % PAGE_SIZE == 0)
		return VNR_STATUS_INVALID_PARAMETER;
	src = partition_gpa_to_host(call->vp->partition, at, bytes);
	if (!src)
		return VNR_STATUS_INVALID_GPA;
	memcpy(copy, src, bytes);
	return VNR_STATUS_SUCCESS;
}

static union {
	u32 names[VNR_PAGE_SIZE / sizeof(u32)];
	struct vnr_register_value
		values[VNR_PAGE_SIZE / sizeof(struct vnr_register_value)];
} elements;

enum vnr_status call_get_vp_registers(struct hv_call *call)
{
	u64 *out = call->output;
	struct hv_vp *vp;
	enum vnr_status st = target_vp(call, &vp);

	if (st == VNR_STATUS_SUCCESS)
		st = fetch_elements(call, elements.names, sizeof(u32));
	if (st != VNR_STATUS_SUCCESS)
		return st;
	call->validated = true;
	for (; call->rep_next < call->rep_count; call->rep_next++) {
		u32 name = elements.names[call->rep_next];

		if (name >= VNR_REG_COUNT)
			return VNR_STATUS_INVALID_REGISTER;
		out[call->rep_next] = arch_vp_get_reg(vp, (enum hv_reg)name);
	}
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_set_vp_registers(struct hv_call *call)
{
	struct hv_vp *vp;
	enum vnr_status st = target_vp(call, &vp);

	if (st == VNR_STATUS_SUCCESS)
		st = fetch_elements(call, elements.values,
				    sizeof(struct vnr_register_value));
	if (st != VNR_STATUS_SUCCESS)
		return st;
	call->validated = true;
	for (; call->rep_next < call->rep_count; call->rep_next++) {
		const struct vnr_register_value *r =
			&elements.values[call->rep_next];

		if (r->name >= VNR_REG_COUNT)
			return VNR_STATUS_INVALID_REGISTER;
		if (r->reserved)
			return VNR_STATUS_INVALID_PARAMETER;
		st = arch_vp_check_reg(vp, (enum hv_reg)r->name, r->value);
		if (st != VNR_STATUS_SUCCESS)
			return st;
		arch_vp_set_reg(vp, (enum hv_reg)r->name, r->value);
	}
	return VNR_STATUS_SUCCESS;
}
