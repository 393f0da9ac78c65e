// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * VENEER_RUN: the calling thread runs a child's VP with VP_RUN until an
 * exit user space handles (a port, console output, the child's end).
 * Interrupts stay enabled and the thread preemptible between calls; no
 * lock is held across VP_RUN, which the root's next interrupt ends.
 */
#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "veneer.h"

/* The absolute time wake_in_100ns from now, KTIME_MAX for none (~0). */
static ktime_t veneer_due_time(u64 wake_in_100ns)
{
	ktime_t now;

	if (wake_in_100ns == U64_MAX) /* the common case: read no clock */
		return KTIME_MAX;
	now = ktime_get();
	if (wake_in_100ns > (u64)(KTIME_MAX - now) / 100)
		return KTIME_MAX;
	return ktime_add_ns(now, wake_in_100ns * 100);
}

/*
 * While the VP runs, the root takes no interrupt for the child's own
 * timer: the hrtimer's interrupt ends VP_RUN (INTERRUPTED) when it is
 * due, and the next VP_RUN serves it.  The hrtimer is only touched when
 * the due time changed or it has fired: most exits arm nothing.
 */
static void veneer_arm_timer(struct veneer_vp *vp)
{
	if (vp->timer_due == vp->timer_armed &&
	    (vp->timer_due == KTIME_MAX || hrtimer_is_queued(&vp->timer)))
		return;
	if (vp->timer_due == KTIME_MAX)
		hrtimer_try_to_cancel(&vp->timer);
	else
		hrtimer_start(&vp->timer, vp->timer_due, HRTIMER_MODE_ABS);
	vp->timer_armed = vp->timer_due;
}

static u64 veneer_vp_run_call(struct veneer_vp *vp, u32 io_value)
{
	struct vnr_vp_run_input *in = page_address(vp->input_page);

	in->partition_id = vp->partition->id;
	in->vp_index = vp->index;
	in->io_value = io_value;
	in->reserved = 0;
	return veneer_hypercall(vnr_hc_control(VNR_CALL_VP_RUN, 0, 0, 0),
				page_to_phys(vp->input_page),
				page_to_phys(vp->exit_page));
}

/* What VP_RUN would have said of a child that has ended. */
static void veneer_exit_stopped(struct veneer_vp *vp,
				const struct vnr_partition_status *status)
{
	struct vnr_run_exit *exit = page_address(vp->exit_page);

	memset(exit, 0, sizeof(*exit));
	exit->info.wake_in_100ns = U64_MAX;
	exit->info.exit_reason = status->exit_reason;
	exit->info.exit_status = status->exit_status;
	WRITE_ONCE(exit->reason, VNR_RUN_EXIT_STOPPED);
}

/*
 * VP_RUN refused the partition's state.  Suspended: sleep until a state
 * change or another wake-up (then run again).  Stopped: the exit record
 * says so and VENEER_RUN returns.  Not started: -EBUSY.  Returns -EAGAIN
 * to run again, 0 when the exit record is for user space, or another
 * negative errno.
 */
static int veneer_run_refused(struct veneer_vp *vp, unsigned int seen)
{
	struct vnr_partition_status status;
	int err = veneer_call_partition_query(vp->partition->id, &status);

	if (err)
		return err;
	switch (status.state) {
	case VNR_PARTITION_SUSPENDED:
		veneer_wait_for_wake(seen, KTIME_MAX);
		return -EAGAIN;
	case VNR_PARTITION_RUNNING:
		return -EAGAIN;
	case VNR_PARTITION_STOPPED:
		veneer_exit_stopped(vp, &status);
		return 0;
	default:
		return -EBUSY;
	}
}

/*
 * io_value completes the IN of the last exit: it goes into the first
 * VP_RUN the hypervisor accepts, and 0 into those after it.
 */
static int veneer_run_loop(struct veneer_vp *vp, u32 io_value)
{
	const struct vnr_run_exit *exit = page_address(vp->exit_page);

	for (;;) {
		enum vnr_status status;
		unsigned int seen;
		u32 reason;
		int ret;

		if (signal_pending(current))
			return -EINTR;
		cond_resched();
		veneer_arm_timer(vp);
		seen = veneer_wake_seq();
		status = vnr_hc_status(veneer_vp_run_call(vp, io_value));
		if (status == VNR_STATUS_INVALID_PARTITION_STATE) {
			ret = veneer_run_refused(vp, seen);
			if (ret != -EAGAIN)
				return ret;
			continue;
		}
		if (status != VNR_STATUS_SUCCESS)
			return veneer_errno(status);
		io_value = 0;
		reason = READ_ONCE(exit->reason);
		if (reason != VNR_RUN_EXIT_CONSOLE)
			vp->timer_due = veneer_due_time(exit->info.wake_in_100ns);
		switch (reason) {
		case VNR_RUN_EXIT_INTERRUPTED:
		case VNR_RUN_EXIT_YIELDED:
			break;
		case VNR_RUN_EXIT_HALTED:
			veneer_wait_for_wake(seen, vp->timer_due);
			break;
		default:
			/* IO, CONSOLE, STOPPED, and reasons of later versions. */
			return 0;
		}
	}
}

int veneer_vp_run(struct veneer_vp *vp, const struct veneer_run *args)
{
	int ret;

	if (atomic_cmpxchg(&vp->running, 0, 1))
		return -EBUSY;
	ret = veneer_run_loop(vp, args->io_value);
	if (vp->timer_armed != KTIME_MAX) {
		hrtimer_cancel(&vp->timer);
		vp->timer_armed = KTIME_MAX;
	}
	atomic_set(&vp->running, 0);
	return ret;
}
