/* SPDX-License-Identifier: MIT */
/* Round-robin scheduling of VPs on the boot CPU. */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/partition.h>

/* The time slice (1..HV_CONFIG_TIMESLICE_MAX ms); once, before sched_run. */
void sched_init(u32 timeslice_ms);
/* Runs VPs until none can run any more. */
void sched_run(void);
/* The VP gives up the rest of its slice. */
void sched_vp_yield(struct hv_vp *vp);
/* The VP waits for an event, or until the reference timeout (100 ns). */
void sched_halt(struct hv_vp *vp, u64 timeout_100ns);
/* An event for the VP: a halted VP runs again, a running one will not halt. */
void sched_wake(struct hv_vp *vp);

/*
 * The VP's own platform timer (a PC platform's local APIC) falls due next
 * at TSC due (~0: none), as the arch layer finds before each entry.  If
 * vp is the VP of the current slice and due comes before the slice ends,
 * the slice ends then; otherwise nothing changes.
 */
void sched_own_timer(struct hv_vp *vp, u64 due);

#endif /* HV_SCHED_H */
