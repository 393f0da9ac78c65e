/* SPDX-License-Identifier: MIT */
/*
 * Child VPs dispatched by the root (docs/spec/root-stack.md): in root
 * mode the hypervisor schedules nothing itself.  The root runs a child's
 * VP on its own CPU with VP_RUN until something needs the root, which the
 * call's exit record tells it.
 */
#ifndef HV_DISPATCH_H
#define HV_DISPATCH_H

#include <hv/types.h>

struct hv_vp;

/* Whether the VP runs only when its parent dispatches it. */
bool dispatch_is_dispatched(const struct hv_vp *vp);
/*
 * Ends the VP's current VP_RUN with reason (an enum vnr_run_exit_reason);
 * the exit handler that calls it has filled the record's other fields.
 */
void dispatch_end(struct hv_vp *vp, u32 reason);
/* The record the VP's current VP_RUN fills; NULL when it is not in one. */
struct vnr_run_exit *dispatch_record(struct hv_vp *vp);
/*
 * A halted dispatched VP became runnable: tells its parent, whose
 * dispatching thread may be asleep (an event flag on the parent's SINT).
 */
void dispatch_notify_wake(struct hv_vp *vp);

#endif /* HV_DISPATCH_H */
