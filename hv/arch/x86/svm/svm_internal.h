/* SPDX-License-Identifier: MIT */
/* State shared by the AMD-V backend's files. */
#ifndef SVM_INTERNAL_H
#define SVM_INTERNAL_H

#include "../vendor.h"
#include "../vp_state.h"
#include "vmcb.h"

struct svm_partition {
	u64 *npt;
	u8 *iopm; /* NULL: the shared all-intercepting map */
	u32 asid;
	bool shared_asid;
};

struct svm_vp {
	struct x86_vp_state common; /* first: see vp_state.h */
	struct vmcb *vmcb;
	bool needs_flush;
};

struct svm_state {
	bool nrips;
	bool flush_by_asid;
	u32 asids;
	u32 next_asid;
	void *host_vmcb;
	u8 *iopm;
	u8 *msrpm;
	struct hv_partition *last_partition;
};

extern struct svm_state svm;

/* Runs the guest until the next #VMEXIT (svm_entry.S). */
static inline void svm_enter_guest(u64 *regs, u64 guest_vmcb_pa,
				   u64 host_vmcb_pa)
{
	__asm__ volatile("call svm_vmrun"
			 : "+D"(regs), "+S"(guest_vmcb_pa), "+d"(host_vmcb_pa)
			 :
			 : "rax", "rbx", "rcx", "r8", "r9", "r10", "r11", "r12",
			   "r13", "r14", "r15", "memory", "cc");
}
void svm_decode_exit(const struct vmcb *v, struct x86_exit *e);

/* The hypervisor runs identity-mapped: a pointer is its physical address. */
static inline u64 svm_pa(const void *p)
{
	return (u64)(uintptr_t)p;
}

#endif /* SVM_INTERNAL_H */
