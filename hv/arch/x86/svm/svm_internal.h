/* SPDX-License-Identifier: MIT */
/* State shared by the AMD-V backend's files. */
#ifndef SVM_INTERNAL_H
#define SVM_INTERNAL_H

#include "../vendor.h"
#include "../vp_state.h"
#include "vmcb.h"

/*
 * EFER.SVME enables AMD-V on the host and must stay set in the guest's
 * EFER too (VMRUN checks it); the guest never sees it (vendor_get_reg).
 */
#define EFER_SVME (1ull << 12)

struct svm_partition {
	u64 *npt;
	u8 *iopm;  /* NULL: the shared all-intercepting map */
	u8 *msrpm; /* NULL: the shared map (the root has its own) */
	u32 asid;
	bool shared_asid;
};

/*
 * The registers the hypervisor reports of a VP, as the last VMRUN was
 * given them: when VMRUN refuses them the save area is not the guest's.
 */
struct svm_entry_state {
	u64 rax, rsp, rip, rflags;
	u64 cr0, cr2, cr3, cr4, efer;
	u64 gdtr_base;
	u32 gdtr_limit;
	u8 cpl;
};

/*
 * The last instruction whose length was decoded from guest memory, with
 * everything its translation depended on: the guest's page-table entries
 * (where they are in host memory, and their values), CR3, the partition's
 * RAM layout and the bytes themselves.  While all of them are unchanged
 * the same instruction at the same address has the same length.
 */
#define SVM_INSN_WALK_MAX 5 /* page-table levels, with 5-level paging */

struct svm_insn_cache {
	u64 linear, cr3, cr0, cr4, efer, ram_generation, exit_code;
	u16 cs_attrib;
	const u64 *pte[SVM_INSN_WALK_MAX];
	u64 pte_value[SVM_INSN_WALK_MAX];
	u32 levels;
	const u8 *host;
	u8 bytes[15];
	u32 len; /* 0: nothing cached */
};

struct svm_vp {
	struct x86_vp_state common; /* first: see vp_state.h */
	struct svm_insn_cache insn;
	struct vmcb *vmcb;
	bool needs_flush;
	struct svm_entry_state entered;
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
	bool huge_pages;     /* 1 GiB pages in nested tables */
	bool gif_after_exit; /* false in root mode: the root's interrupts and
				NMIs wait for its next entry */
};

extern struct svm_state svm;

/* Runs the guest until the next #VMEXIT (svm_entry.S). */
static inline void svm_enter_guest(u64 *regs, u64 guest_vmcb_pa,
				   u64 host_vmcb_pa, u64 set_gif)
{
	__asm__ volatile("call svm_vmrun"
			 : "+D"(regs), "+S"(guest_vmcb_pa), "+d"(host_vmcb_pa),
			   "+c"(set_gif)
			 :
			 : "rax", "rbx", "r8", "r9", "r10", "r11", "r12", "r13",
			   "r14", "r15", "memory", "cc");
}
void svm_decode_exit(const struct vmcb *v, struct x86_exit *e);

/*
 * The length of the intercepted instruction at the guest's CS:RIP, with
 * its prefixes, read through the guest's page tables; 0 when the bytes
 * cannot be read or are not the instruction the exit names.
 */
u32 svm_instruction_length(struct hv_vp *vp, const struct vmcb *v);

/* Records sv's entry state; call it just before each VMRUN. */
void svm_keep_entry_state(struct svm_vp *sv);
/*
 * After an exit: if VMRUN refused the state (VMEXIT_INVALID), the save
 * area holds what the CPU had, the hypervisor's own registers, so the
 * recorded entry state is put back; nothing of the guest ran.
 */
void svm_recover_refused_entry(struct svm_vp *sv);

/*
 * The root's VMCB from the CPU's state at the take-over (svm_root.c), with
 * its own I/O and MSR permission maps charged to its pool: 0, or -1.
 */
int svm_root_vp_init(struct hv_vp *vp, struct svm_vp *sv);

/* An MSR permission map's bits for one MSR: read, then write intercept. */
#define SVM_MSRPM_READ	     1u
#define SVM_MSRPM_WRITE	     2u
#define SVM_MSRPM_READ_WRITE 3u
/*
 * The byte of msrpm that holds msr's two bits, and their shift in it;
 * NULL for an MSR outside the map's ranges, whose accesses always exit.
 */
u8 *svm_msrpm_byte(u8 *msrpm, u32 msr, u32 *shift);

/* The hypervisor runs identity-mapped: a pointer is its physical address. */
static inline u64 svm_pa(const void *p)
{
	return (u64)(uintptr_t)p;
}

#endif /* SVM_INTERNAL_H */
