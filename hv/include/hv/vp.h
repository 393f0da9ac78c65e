/* SPDX-License-Identifier: MIT */
/* Virtual processors: a partition's VPs and what each one holds. */
#ifndef HV_VP_H
#define HV_VP_H

#include <hv/arch.h>
#include <hv/synic.h>
#include <hv/types.h>
#include <hv/vintc.h>

struct hv_partition;

enum hv_vp_state {
	HV_VP_STOPPED,
	HV_VP_RUNNABLE,
	HV_VP_HALTED,
};

/*
 * The guest page a hypercall buffer was last found in and its host
 * address (hypercall.c), valid while the partition's RAM generation is.
 */
struct hv_buffer_page {
	u64 gpa;
	u8 *host; /* NULL: nothing remembered */
	u64 ram_generation;
};

struct hv_vp {
	/*
	 * General registers by enum hv_reg, saved and restored by the
	 * backend's entry code (the RSP slot is unused: the VMCB/VMCS holds
	 * it).  Kept here so the hypercall path reads them without a call.
	 */
	u64 regs[16];
	struct hv_partition *partition;
	u32 index;
	enum hv_vp_state state;
	u64 wake_tsc;	   /* HV_VP_HALTED: 0 = only an event wakes it */
	bool wake_pending; /* an event came while it ran */
	u8 cpl; /* privilege level at the last exit, from the exit decoder */
	u64 exits;
	u64 hypercalls;
	u64 run_tsc; /* accounted per time slice */
	/* Dispatched by its parent (dispatch.h): the record of the VP_RUN in
	 * progress, and whether an exit for the parent has ended it. */
	struct vnr_run_exit *run_exit;
	bool run_ended;
	struct hv_buffer_page buffers[2]; /* a call's input and output */
	struct hv_vintc intc;
	struct hv_synic synic;
	void *arch; /* the backend's per-VP state */
};

/*
 * Adds VP number p->vp_count to p, in boot's state (NULL: long mode,
 * everything else zero); NULL, with nothing of it left, when p has
 * HV_MAX_VPS or its state does not fit.
 */
struct hv_vp *partition_create_vp(struct hv_partition *p,
				  const struct hv_vp_boot_state *boot);
/* Frees what partition_create_vp took for vp. */
void vp_destroy(struct hv_vp *vp);

#endif /* HV_VP_H */
