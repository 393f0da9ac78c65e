/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The hypercall page, the per-CPU pages that memory calls pass by
 * physical address, and the errno of a call's status
 * (docs/spec/conventions.md).  Shared by veneer.ko and veneer_bus.ko:
 * each compiles its own copy of hypercall.c, so each has its own page.
 * The hypercall MSR is per partition, so the two never load in the same
 * partition.
 */
#ifndef VENEER_HC_H
#define VENEER_HC_H

#include <linux/types.h>

#include <veneer/hypercall.h>
#include <veneer/status.h>

/*
 * Enables the hypercall page and allocates an input and an output page per
 * possible CPU.  Returns 0 or -ENOMEM/-EIO; on failure nothing is left
 * enabled or allocated.  veneer_hypercall_exit() undoes it; no call may be
 * in progress then.
 */
int veneer_hypercall_init(void);
void veneer_hypercall_exit(void);

/*
 * One hypercall with the given control word and RDX/R8 values (physical
 * addresses for memory calls); returns the result word.  A rep call comes
 * back only when it is complete or a rep failed.  May be called in any
 * context, interrupts and preemption enabled or not.
 */
u64 veneer_hypercall(u64 control, u64 rdx, u64 r8);

/*
 * The calling CPU's input and output pages for one memory call.
 * veneer_hc_pages_get() disables preemption until veneer_hc_pages_put():
 * fill the input, make the call and copy the output in between, without
 * sleeping (no user-space access).  Not from interrupt context: an
 * interrupted call on the same CPU owns the pages.
 */
struct veneer_hc_pages {
	void *input;
	void *output;
};
struct veneer_hc_pages *veneer_hc_pages_get(void);
void veneer_hc_pages_put(void);

/* The negative errno for a hypercall status (0 for success). */
int veneer_errno(enum vnr_status status);

#endif /* VENEER_HC_H */
