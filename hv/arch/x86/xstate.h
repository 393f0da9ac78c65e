/* SPDX-License-Identifier: MIT */
/*
 * The extended processor state of a VP (x87, SSE, AVX and every other
 * XSAVE component the CPU has, and XCR0): VMRUN and VMRESUME switch none
 * of it, so the common x86 code does, whenever another VP is about to run.
 */
#ifndef X86_XSTATE_H
#define X86_XSTATE_H

#include <hv/partition.h>

struct x86_vp_state;

/*
 * Enables the instructions the switch needs (CR4.OSFXSR, CR4.OSXSAVE) and
 * sizes the save area from CPUID.  Called once at boot.
 */
void xstate_init(void);
/*
 * Gives a new VP its architectural initial state (FNINIT, MXCSR 0x1F80,
 * XCR0 = x87), its save area charged to a; -1 when a or the pool has no
 * room for it.
 */
int xstate_vp_init(struct x86_vp_state *s, struct hv_pool_account *a);
void xstate_vp_destroy(struct x86_vp_state *s, struct hv_pool_account *a);
/*
 * Makes the extended state in the CPU s's, as it is, with XCR0 xcr0 (the
 * value the CPU had before xstate_init) back in effect.
 */
void xstate_adopt_cpu(struct x86_vp_state *s, u64 xcr0);
/*
 * Saves the CPU's extended state into from (NULL: it belongs to no VP any
 * more) and makes the CPU's extended state and XCR0 those of to.
 */
void xstate_switch_to(struct x86_vp_state *from, struct x86_vp_state *to);
/*
 * XSETBV by the guest that owns the CPU's extended state: true when the
 * value is one the CPU accepts for XCR index (then it is in effect), false
 * when the guest must take #GP.
 */
bool xstate_guest_xsetbv(struct x86_vp_state *s, u32 index, u64 value);

#endif /* X86_XSTATE_H */
