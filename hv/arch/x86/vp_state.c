/* SPDX-License-Identifier: MIT */
/*
 * Switching the processor state VMRUN leaves alone.  The CPU holds the
 * state of the VP that ran last (the owner); it is saved and the next
 * VP's loaded only when a different VP is about to run, so the hypercall
 * path, which re-enters the same VP, pays nothing.  The hypervisor uses
 * neither the extended state nor the debug registers, which is what makes
 * this lazy switch safe.
 */
#include "vp_state.h"
#include "xstate.h"

static struct x86_vp_state *owner;

static u64 read_dr(int n)
{
	u64 v = 0;

	switch (n) {
	case 0:
		__asm__ volatile("mov %%dr0, %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("mov %%dr1, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("mov %%dr2, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("mov %%dr3, %0" : "=r"(v));
		break;
	}
	return v;
}

#define DR7_RW_SHIFT(n)	 (16 + 4 * (n))
#define DR7_LEN_SHIFT(n) (18 + 4 * (n))
#define DR7_RW_EXECUTE	 0

/* Bytes a breakpoint covers, by DR7's LEN field (AMD: 2 is 8 bytes). */
static u64 breakpoint_size(u64 dr7, int n)
{
	static const u64 sizes[4] = {1, 2, 8, 4};

	return sizes[(dr7 >> DR7_LEN_SHIFT(n)) & 3];
}

int vp_state_data_breakpoint(u64 dr7, u64 linear, u64 size)
{
	for (int n = 0; n < 4; n++) {
		u64 bp_size = breakpoint_size(dr7, n);
		u64 bp = read_dr(n) & ~(bp_size - 1);

		if (!(dr7 & (3ull << (2 * n))) ||
		    ((dr7 >> DR7_RW_SHIFT(n)) & 3) == DR7_RW_EXECUTE)
			continue;
		if (bp < linear + size && linear < bp + bp_size)
			return n;
	}
	return -1;
}

int vp_state_init(struct hv_vp *vp)
{
	struct x86_vp_state *s = x86_vp_state(vp);

	for (int i = 0; i < 4; i++)
		s->dr[i] = 0;
	s->pending_in = 0;
	vlapic_reset(&s->lapic);
	s->pv_system_time_msr = 0;
	s->pv_wall_clock_msr = 0;
	return xstate_vp_init(s, &vp->partition->pool);
}

void vp_state_destroy(struct hv_vp *vp)
{
	struct x86_vp_state *s = x86_vp_state(vp);

	if (owner == s)
		owner = NULL;
	xstate_vp_destroy(s, &vp->partition->pool);
}

void vp_state_adopt_cpu(struct hv_vp *vp, u64 xcr0)
{
	struct x86_vp_state *s = x86_vp_state(vp);

	xstate_adopt_cpu(s, xcr0);
	owner = s;
}

/* Straight-line: this runs twice for every VP_RUN of root mode. */
static void save_drs(u64 dr[4])
{
	__asm__ volatile("mov %%dr0, %0" : "=r"(dr[0]));
	__asm__ volatile("mov %%dr1, %0" : "=r"(dr[1]));
	__asm__ volatile("mov %%dr2, %0" : "=r"(dr[2]));
	__asm__ volatile("mov %%dr3, %0" : "=r"(dr[3]));
}

static void load_drs(const u64 dr[4])
{
	__asm__ volatile("mov %0, %%dr0" ::"r"(dr[0]));
	__asm__ volatile("mov %0, %%dr1" ::"r"(dr[1]));
	__asm__ volatile("mov %0, %%dr2" ::"r"(dr[2]));
	__asm__ volatile("mov %0, %%dr3" ::"r"(dr[3]));
}

void vp_state_load(struct hv_vp *vp)
{
	struct x86_vp_state *s = x86_vp_state(vp);

	if (__builtin_expect(owner == s, 1))
		return;
	if (owner)
		save_drs(owner->dr);
	load_drs(s->dr);
	xstate_switch_to(owner, s);
	owner = s;
}
