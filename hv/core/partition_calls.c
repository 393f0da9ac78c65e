/* SPDX-License-Identifier: MIT */
/*
 * The calls on partitions.  A partition learns about itself
 * (PARTITION_INFO) and ends itself (PARTITION_EXIT); a managing one
 * creates children and their VPs, changes their state, destroys and
 * queries them.  A caller manages only the partitions it created; any
 * other id, existing or not, is INVALID_PARTITION_ID, so ids leak
 * nothing.  Callers without the privilege never get this far (the
 * dispatcher refuses them first).
 */
#include <hv/hypercall_calls.h>
#include <hv/reftime.h>
#include <hv/string.h>
#include <libvnr/name.h>

enum vnr_status call_partition_info(struct hv_call *call)
{
	const struct hv_partition *p = call->vp->partition;
	struct vnr_partition_info info;

	/* Built whole in hypervisor memory so no padding byte leaks. */
	memset(&info, 0, sizeof(info));
	info.partition_id = p->id;
	info.vp_count = p->vp_count;
	info.memory_size = p->mem.ram_size;
	info.privileges = p->privileges;
	memcpy(info.name, p->name, sizeof(info.name));
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_partition_exit(struct hv_call *call)
{
	partition_stop(call->vp->partition, true, call->arg0,
		       "exited with status %llu",
		       (unsigned long long)call->arg0);
	return VNR_STATUS_SUCCESS;
}

/* A valid name no existing partition has. */
static bool name_free(const char *name)
{
	if (!vnr_name_valid(name))
		return false;
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		struct hv_partition *p = partition_at(i);

		if (p->state != HV_PARTITION_FREE && !strcmp(p->name, name))
			return false;
	}
	return true;
}

enum vnr_status call_partition_create(struct hv_call *call)
{
	const struct vnr_partition_create_input *in = call->input;
	struct hv_partition *self = call->vp->partition, *p;
	struct vnr_partition_create_output out = {0};

	if (in->reserved0 || in->reserved1 || !name_free(in->name) ||
	    in->vp_count == 0 || in->vp_count > HV_MAX_VPS ||
	    in->notify_sint >= VNR_SINT_COUNT || in->platform > VNR_PLATFORM_PC)
		return VNR_STATUS_INVALID_PARAMETER;
	if (in->privileges & ~self->privileges)
		return VNR_STATUS_ACCESS_DENIED;
	/*
	 * Nothing would run the children of a child the root dispatches, and
	 * a stopped child could never withdraw a deposit of its own, which
	 * would keep it from being destroyed.
	 */
	if (self->owns_machine &&
	    (in->privileges &
	     (VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY))))
		return VNR_STATUS_ACCESS_DENIED;
	p = partition_create(in->name, in->privileges);
	if (!p)
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	if (in->platform == VNR_PLATFORM_PC &&
	    arch_partition_enable_pc_platform(p)) {
		partition_destroy(p);
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	}
	p->parent = self->id;
	p->notify_sint = in->notify_sint;
	p->vp_limit = in->vp_count;
	p->dispatched = self->owns_machine;
	out.partition_id = p->id;
	memcpy(call->output, &out, sizeof(out));
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_vp_create(struct hv_call *call)
{
	struct hv_partition *p =
		partition_child(call->vp->partition, call->arg0);

	if (!p)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (p->state != HV_PARTITION_CREATED)
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (call->arg1 != p->vp_count || call->arg1 >= p->vp_limit)
		return VNR_STATUS_INVALID_VP_INDEX;
	return partition_create_vp(p, NULL) ? VNR_STATUS_SUCCESS
					    : VNR_STATUS_INSUFFICIENT_MEMORY;
}

static enum vnr_status change_state(struct hv_call *call,
				    enum hv_partition_transition t)
{
	struct hv_partition *p =
		partition_child(call->vp->partition, call->arg0);

	return p ? partition_change_state(p, t)
		 : VNR_STATUS_INVALID_PARTITION_ID;
}

enum vnr_status call_partition_start(struct hv_call *call)
{
	return change_state(call, HV_START);
}

enum vnr_status call_partition_suspend(struct hv_call *call)
{
	return change_state(call, HV_SUSPEND);
}

enum vnr_status call_partition_resume(struct hv_call *call)
{
	return change_state(call, HV_RESUME);
}

enum vnr_status call_partition_stop(struct hv_call *call)
{
	return change_state(call, HV_STOP);
}

enum vnr_status call_partition_destroy(struct hv_call *call)
{
	struct hv_partition *p =
		partition_child(call->vp->partition, call->arg0);

	return p ? partition_destroy(p) : VNR_STATUS_INVALID_PARTITION_ID;
}

static enum vnr_partition_state abi_state(enum hv_partition_state s)
{
	switch (s) {
	case HV_PARTITION_RUNNING:
		return VNR_PARTITION_RUNNING;
	case HV_PARTITION_SUSPENDED:
		return VNR_PARTITION_SUSPENDED;
	case HV_PARTITION_STOPPED:
		return VNR_PARTITION_STOPPED;
	default:
		return VNR_PARTITION_CREATED;
	}
}

enum vnr_status call_partition_query(struct hv_call *call)
{
	const struct vnr_partition_query_input *in = call->input;
	struct vnr_partition_status st;
	struct hv_partition *p;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	p = partition_child(call->vp->partition, in->partition_id);
	if (!p)
		return VNR_STATUS_INVALID_PARTITION_ID;
	memset(&st, 0, sizeof(st));
	st.partition_id = p->id;
	st.state = abi_state(p->state);
	st.exit_reason = p->exit_reason;
	st.vp_count = p->vp_count;
	st.exit_status = p->exit_status;
	st.memory_pages = p->mem.ram_size / PAGE_SIZE;
	for (u32 i = 0; i < p->vp_count; i++) {
		st.run_time_100ns += reftime_from_tsc_delta(p->vps[i].run_tsc);
		st.exits += p->vps[i].exits;
		st.hypercalls += p->vps[i].hypercalls;
	}
	for (u32 r = 0; r < HV_EXIT_COUNT && r < VNR_QUERY_EXIT_KINDS; r++)
		st.exits_by_kind[r] = p->stats.exits_by_reason[r];
	hv_strlcpy(st.diagnostic, p->stop_reason, sizeof(st.diagnostic));
	memcpy(call->output, &st, sizeof(st));
	return VNR_STATUS_SUCCESS;
}
