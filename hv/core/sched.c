/* SPDX-License-Identifier: MIT */
/*
 * Round-robin time slicing of all VPs on the boot CPU.
 *
 * The timer is one-shot.  While a VP runs it is armed for the slice, or
 * for the VP's own platform timer (a PC platform's local APIC) if that is
 * due sooner, at the slice's start or once the VP arms it: halt timeouts and
 * synthetic timers that fall due meanwhile are served at the end of the slice,
 * so no partition's deadlines can cut another's slice short or take its CPU
 * time.  With nothing to run it is armed for the earliest of them, so an idle
 * machine takes no ticks and a halted VP wakes on time.
 */
#include <hv/dispatch.h>
#include <hv/hypercall_calls.h>
#include <hv/log.h>
#include <hv/reftime.h>
#include <hv/sched.h>

volatile bool hv_tick_pending;

static u64 slice_tsc;
static u32 cursor;	      /* round-robin position: slot * HV_MAX_VPS + vp */
static struct hv_vp *running; /* the VP of the slice, NULL between slices */
static u64 slice_end;	      /* the TSC at which the armed timer ends it */

#define SLOTS (HV_MAX_PARTITIONS * HV_MAX_VPS)

static struct hv_vp *vp_at(u32 pos)
{
	struct hv_partition *p = partition_at(pos / HV_MAX_VPS);
	u32 index = pos % HV_MAX_VPS;

	if (p->state != HV_PARTITION_RUNNING || index >= p->vp_count)
		return NULL;
	return &p->vps[index];
}

void sched_init(u32 timeslice_ms)
{
	slice_tsc = arch_tsc_hz() / 1000 * timeslice_ms;
}

/* A dispatched VP yields its dispatcher's CPU: VP_RUN returns. */
void sched_vp_yield(struct hv_vp *vp)
{
	if (dispatch_is_dispatched(vp))
		dispatch_end(vp, VNR_RUN_EXIT_YIELDED);
	else
		hv_tick_pending = true;
}

/*
 * The TSC at which a halt with this timeout ends.  It never wraps and
 * stays below ~0, which means "nothing due" to the scheduler.
 */
static u64 wake_time(u64 timeout_100ns)
{
	u64 now = arch_read_tsc(), delta = reftime_to_tsc_delta(timeout_100ns);

	return delta >= ~0ull - 1 - now ? ~0ull - 1 : now + delta;
}

void sched_wake(struct hv_vp *vp)
{
	if (vp->state == HV_VP_HALTED) {
		vp->state = HV_VP_RUNNABLE;
		if (dispatch_is_dispatched(vp))
			dispatch_notify_wake(vp);
	} else if (vp->state == HV_VP_RUNNABLE)
		vp->wake_pending = true;
}

void sched_halt(struct hv_vp *vp, u64 timeout_100ns)
{
	/* An event that came while the VP ran ends this halt at once. */
	if (vp->wake_pending || vintc_deliverable(&vp->intc) >= 0) {
		vp->wake_pending = false;
		return;
	}
	vp->state = HV_VP_HALTED;
	vp->wake_tsc = timeout_100ns ? wake_time(timeout_100ns) : 0;
}

/* Fires the VP's due timers; returns the TSC of its next one, or ~0. */
static u64 poll_timers(struct hv_vp *vp, u64 now, u64 now_ref)
{
	u64 next_ref = stimer_poll(vp, now_ref);
	u64 next = next_ref == ~0ull ? ~0ull : reftime_to_tsc(next_ref);

	return MIN(next, arch_vp_poll_timers(vp, now));
}

/*
 * Fires due timers and wakes halted VPs whose time has come; returns the
 * earliest TSC at which something is due next.
 */
static u64 wake_due(u64 now, u32 *alive)
{
	u64 next = ~0ull, now_ref = reftime_now();

	*alive = 0;
	for (u32 pos = 0; pos < SLOTS; pos++) {
		struct hv_vp *vp = vp_at(pos);

		if (!vp || vp->state == HV_VP_STOPPED)
			continue;
		(*alive)++;
		next = MIN(next, poll_timers(vp, now, now_ref));
		if (vp->state != HV_VP_HALTED)
			continue;
		if (vp->wake_tsc == 0)
			continue;
		if (vp->wake_tsc <= now)
			vp->state = HV_VP_RUNNABLE;
		else if (vp->wake_tsc < next)
			next = vp->wake_tsc;
	}
	return next;
}

static struct hv_vp *next_runnable(void)
{
	for (u32 i = 1; i <= SLOTS; i++) {
		u32 pos = (cursor + i) % SLOTS;
		struct hv_vp *vp = vp_at(pos);

		if (vp && vp->state == HV_VP_RUNNABLE) {
			cursor = pos;
			return vp;
		}
	}
	return NULL;
}

/* Nothing can ever wake VPs that wait for events no one can send. */
static void stop_deadlocked(void)
{
	for (u32 pos = 0; pos < SLOTS; pos++) {
		struct hv_vp *vp = vp_at(pos);

		if (vp && vp->state == HV_VP_HALTED)
			partition_stop(vp->partition, false, 0,
				       "deadlock: every VP waits for an event "
				       "and no timer is armed");
	}
}

/* TSC cycles from now until t, at least 1 (t may already be past). */
static u64 cycles_until(u64 t, u64 now)
{
	return t > now ? t - now : 1;
}

/* Picks the next VP, idling until a halted one wakes; NULL when all ended. */
static struct hv_vp *pick(void)
{
	for (;;) {
		u64 now = arch_read_tsc();
		u32 alive;
		u64 next_wake = wake_due(now, &alive);
		struct hv_vp *vp = next_runnable();

		if (vp) {
			arch_timer_arm(slice_tsc);
			return vp;
		}
		if (!alive)
			return NULL;
		if (next_wake == ~0ull) {
			stop_deadlocked();
			continue;
		}
		arch_timer_arm(cycles_until(next_wake, now));
		while (!hv_tick_pending)
			arch_idle();
		hv_tick_pending = false;
	}
}

/*
 * The VP's own timer may end its slice early, no other's can: the run
 * loop polls it before each entry and tells sched_own_timer().
 */
static void run_slice(struct hv_vp *vp)
{
	u64 start = arch_read_tsc();

	slice_end = start + slice_tsc;
	hv_tick_pending = false;
	running = vp;
	arch_vp_run(vp);
	running = NULL;
	vp->run_tsc += arch_read_tsc() - start;
}

/*
 * The timer armed when the slice began knew the VP's timer as it was
 * then: one the VP arms while it runs (a kernel programs its next tick
 * from the last) would otherwise wait for the slice's end.  Only the
 * running VP's own timer, and only a sooner one, moves the slice's end.
 */
void sched_own_timer(struct hv_vp *vp, u64 due)
{
	if (vp != running || due >= slice_end)
		return;
	slice_end = due;
	arch_timer_arm(cycles_until(due, arch_read_tsc()));
}

void sched_run(void)
{
	struct hv_vp *vp;

	cursor = SLOTS - 1;
	while ((vp = pick()))
		run_slice(vp);
}

/* The calls that end the VP's run. */
/*
 * The root of root mode owns its CPU and schedules itself: for it both
 * calls return at once and change nothing (docs/spec/root-mode.md).
 */
enum vnr_status call_vp_yield(struct hv_call *call)
{
	if (!call->vp->partition->owns_machine)
		sched_vp_yield(call->vp);
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_vp_halt(struct hv_call *call)
{
	if (!call->vp->partition->owns_machine)
		sched_halt(call->vp, call->arg0);
	return VNR_STATUS_SUCCESS;
}
