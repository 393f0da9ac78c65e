/* SPDX-License-Identifier: MIT */
/* Hypercall dispatch: decoding, validation and the call table. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/partition.h>

/*
 * Handles the hypercall vp just made (registers per docs/spec/conventions.md)
 * and leaves the result in its registers.  Returns true when the guest
 * should continue after the hypercall instruction, false when it must
 * re-execute it (rep continuation) or no longer runs.
 */
bool hv_hypercall(struct hv_vp *vp);

/* Reps processed per entry before a rep call continues (stays preemptible). */
#define HV_REP_BATCH 64

#endif /* HV_HYPERCALL_H */
