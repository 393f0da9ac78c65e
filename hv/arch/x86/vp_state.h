/* SPDX-License-Identifier: MIT */
/*
 * Processor state of a VP that the backend's guest entry does not switch:
 * the extended state (xstate.h) and the debug address registers DR0-DR3.
 * Everything else a guest can write is switched by the hardware with the
 * VMCB or VMCS; docs/architecture.md lists each piece and how.
 */
#ifndef X86_VP_STATE_H
#define X86_VP_STATE_H

#include <hv/partition.h>
#include "vlapic.h"

struct x86_vp_state {
	void *xsave_area; /* the state while another VP has the CPU */
	u64 xcr0;
	u64 dr[4];
	u8 pending_in; /* dispatched: bytes of the IN its dispatcher completes
			*/
	/* A PC-platform partition's VP (pc_platform.h): its local APIC and
	 * the pvclock MSRs as last written. */
	struct vlapic lapic;
	u64 pv_system_time_msr, pv_wall_clock_msr;
};

/* The backend's per-VP structure (vp->arch) begins with this state. */
static inline struct x86_vp_state *x86_vp_state(struct hv_vp *vp)
{
	return vp->arch;
}

/*
 * The number of a data breakpoint of the VP that owns the CPU (its DR0-DR3
 * are loaded) that is enabled in dr7 and overlaps [linear, linear + size),
 * or -1.
 */
int vp_state_data_breakpoint(u64 dr7, u64 linear, u64 size);
int vp_state_init(struct hv_vp *vp);
/* Forgets vp as the owner of the CPU's state before vp goes away. */
void vp_state_destroy(struct hv_vp *vp);
/*
 * Root mode: the CPU's unswitched state, untouched since the take-over
 * (the hypervisor never uses it), is vp's as it is, with XCR0 xcr0.
 */
void vp_state_adopt_cpu(struct hv_vp *vp, u64 xcr0);
/* Before vp runs: the CPU's unswitched state becomes vp's, if not yet. */
void vp_state_load(struct hv_vp *vp);

#endif /* X86_VP_STATE_H */
