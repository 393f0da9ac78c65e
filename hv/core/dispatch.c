/* SPDX-License-Identifier: MIT */
/*
 * VP_RUN: the root of root mode runs a VP of one of its children on the
 * calling CPU until something needs the root (docs/spec/root-stack.md).
 * The VP's exits that the hypervisor handles for any partition (its
 * hypercalls, CPUID, MSRs, ...) stay inside the call; the others end it
 * with a record in the page the root named.  The Linux scheduler thus
 * schedules child VPs as threads of the root's user space.
 */
#include <hv/dispatch.h>
#include <hv/hypercall_calls.h>
#include <hv/reftime.h>
#include <hv/string.h>
#include <hv/synic.h>

bool dispatch_is_dispatched(const struct hv_vp *vp)
{
	return vp->partition->dispatched;
}

struct vnr_run_exit *dispatch_record(struct hv_vp *vp)
{
	return vp->run_exit;
}

void dispatch_end(struct hv_vp *vp, u32 reason)
{
	vp->run_exit->reason = reason;
	vp->run_ended = true;
}

void dispatch_notify_wake(struct hv_vp *vp)
{
	struct hv_partition *child = vp->partition;
	struct hv_partition *parent = partition_by_id(child->parent);

	if (!parent || !parent->vp_count)
		return;
	/* A root without its SynIC polls; nothing is lost either way. */
	synic_signal(&parent->vps[0], child->notify_sint,
		     child->id % VNR_EVENT_FLAGS_PER_SINT);
}

/* Reference time from now until TSC t, 0 if it has passed. */
static u64 ref_until_tsc(u64 t, u64 now)
{
	return t > now ? reftime_from_tsc_delta(t - now) : 0;
}

/*
 * Fires the VP's due timers and ends a halt whose time has come; returns
 * the reference time until its next timer or halt timeout, ~0 for none.
 * A VP with neither (the common case) costs no clock read.
 */
static u64 serve_timers(struct hv_vp *vp)
{
	bool pc = vp->partition->pc_platform;
	/* One TSC read for the platform's timers and a timed halt. */
	u64 now = pc || (vp->state == HV_VP_HALTED && vp->wake_tsc)
			  ? arch_read_tsc()
			  : 0,
	    wake = ~0ull;

	if (vp->synic.timers_armed) {
		u64 now_ref = reftime_now(),
		    next_ref = stimer_poll(vp, now_ref);

		if (next_ref != ~0ull)
			wake = next_ref > now_ref ? next_ref - now_ref : 0;
	}
	if (pc) {
		u64 next = arch_vp_poll_timers(vp, now);

		if (next != ~0ull)
			wake = MIN(wake, ref_until_tsc(next, now));
	}
	/* Polling can end a halt, never begin one: now was read. */
	if (vp->state != HV_VP_HALTED || !vp->wake_tsc)
		return wake;
	if (vp->wake_tsc <= now) {
		vp->state = HV_VP_RUNNABLE;
		return wake;
	}
	return MIN(wake, ref_until_tsc(vp->wake_tsc, now));
}

/*
 * The reasons no exit handler gives: the VP stopped, halted, or was
 * halted and its timeout has passed (the root runs it again).
 */
static void end_unrunnable(struct hv_vp *vp, struct vnr_run_exit *rec)
{
	struct hv_partition *p = vp->partition;

	if (p->state == HV_PARTITION_STOPPED) {
		rec->reason = VNR_RUN_EXIT_STOPPED;
		rec->info.exit_reason = p->exit_reason;
		rec->info.exit_status = p->exit_status;
	} else if (vp->state == HV_VP_HALTED) {
		rec->reason = VNR_RUN_EXIT_HALTED;
	} else {
		rec->reason = VNR_RUN_EXIT_INTERRUPTED;
	}
}

static void enter(struct hv_vp *dispatcher, struct hv_vp *vp,
		  struct vnr_run_exit *rec, u32 io_value)
{
	u64 start = arch_read_tsc();

	vp->run_exit = rec;
	vp->run_ended = false;
	arch_vp_dispatch(dispatcher, vp, io_value);
	vp->run_exit = NULL;
	vp->run_ended = false;
	vp->run_tsc += arch_read_tsc() - start;
}

static void run(struct hv_vp *dispatcher, struct hv_vp *vp,
		struct vnr_run_exit *rec, u32 io_value)
{
	rec->reason = 0;
	rec->length = 0;
	memset(&rec->info, 0, sizeof(rec->info));
	if (vp->partition->state == HV_PARTITION_RUNNING) {
		serve_timers(vp);
		if (vp->state == HV_VP_RUNNABLE)
			enter(dispatcher, vp, rec, io_value);
	}
	if (rec->reason == VNR_RUN_EXIT_CONSOLE)
		return; /* its data overlays the other fields */
	rec->info.wake_in_100ns = vp->partition->state == HV_PARTITION_RUNNING
					  ? serve_timers(vp)
					  : ~0ull;
	if (!rec->reason)
		end_unrunnable(vp, rec);
	rec->info.rip = arch_vp_get_reg(vp, HV_REG_RIP);
}

enum vnr_status call_vp_run(struct hv_call *call)
{
	/* The child's own calls reuse the dispatcher's input buffer. */
	const struct vnr_vp_run_input in =
		*(const struct vnr_vp_run_input *)call->input;
	struct hv_partition *child;

	if (!call->vp->partition->owns_machine)
		return VNR_STATUS_ACCESS_DENIED;
	if (in.reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	child = partition_child(call->vp->partition, in.partition_id);
	if (!child)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (in.vp_index >= child->vp_count)
		return VNR_STATUS_INVALID_VP_INDEX;
	if (child->state != HV_PARTITION_RUNNING &&
	    child->state != HV_PARTITION_STOPPED)
		return VNR_STATUS_INVALID_PARTITION_STATE;
	run(call->vp, &child->vps[in.vp_index], call->output, in.io_value);
	return VNR_STATUS_SUCCESS;
}
