/* SPDX-License-Identifier: MIT */
/* The AMD-V virtual machine control block (AMD64 APM vol. 2, appendix B). */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <hv/types.h>

struct vmcb_segment {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __attribute__((packed));

struct vmcb_control {
	u16 intercept_cr_read;
	u16 intercept_cr_write;
	u16 intercept_dr_read;
	u16 intercept_dr_write;
	u32 intercept_exceptions;
	u32 intercept_misc1;
	u32 intercept_misc2;
	u32 intercept_misc3;
	u8 reserved1[0x3C - 0x18];
	u16 pause_filter_threshold;
	u16 pause_filter_count;
	u64 iopm_base_pa;
	u64 msrpm_base_pa;
	u64 tsc_offset;
	u32 guest_asid;
	u8 tlb_control;
	u8 reserved2[3];
	u64 int_ctl;
	u64 interrupt_shadow;
	u64 exit_code;
	u64 exit_info1;
	u64 exit_info2;
	u64 exit_int_info;
	u64 nested_ctl;
	u64 avic_apic_bar;
	u64 ghcb_pa;
	u64 event_inject;
	u64 nested_cr3;
	u64 virt_ext;
	u32 clean_bits;
	u32 reserved3;
	u64 next_rip;
	u8 insn_len;
	u8 insn_bytes[15];
	u8 reserved4[0x400 - 0xE0];
} __attribute__((packed));

struct vmcb_save {
	struct vmcb_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	u8 reserved1[0x4CB - 0x4A0];
	u8 cpl;
	u32 reserved2;
	u64 efer;
	u8 reserved3[0x548 - 0x4D8];
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;
	u8 reserved4[0x5D8 - 0x580];
	u64 rsp;
	u64 s_cet, ssp, isst_addr;
	u64 rax;
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 cr2;
	u8 reserved5[0x668 - 0x648];
	u64 g_pat;
	u64 dbgctl;
	u8 reserved6[0x1000 - 0x670 - 8];
} __attribute__((packed));

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __attribute__((packed));

_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(__builtin_offsetof(struct vmcb, control.int_ctl) == 0x60, "");
_Static_assert(__builtin_offsetof(struct vmcb, control.nested_cr3) == 0xB0, "");
_Static_assert(__builtin_offsetof(struct vmcb, control.next_rip) == 0xC8, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.cpl) == 0x4CB, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.efer) == 0x4D0, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr4) == 0x548, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.rip) == 0x578, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.rsp) == 0x5D8, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.rax) == 0x5F8, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr2) == 0x640, "");
_Static_assert(__builtin_offsetof(struct vmcb, save.g_pat) == 0x668, "");

/* intercept_misc1 */
#define SVM_INTERCEPT_INTR	  (1u << 0)
#define SVM_INTERCEPT_NMI	  (1u << 1)
#define SVM_INTERCEPT_SMI	  (1u << 2)
#define SVM_INTERCEPT_VINTR	  (1u << 4)
#define SVM_INTERCEPT_INIT	  (1u << 3)
#define SVM_INTERCEPT_CPUID	  (1u << 18)
#define SVM_INTERCEPT_INVD	  (1u << 22)
#define SVM_INTERCEPT_HLT	  (1u << 24)
#define SVM_INTERCEPT_INVLPGA	  (1u << 26)
#define SVM_INTERCEPT_IOIO	  (1u << 27)
#define SVM_INTERCEPT_MSR	  (1u << 28)
#define SVM_INTERCEPT_TASK_SWITCH (1u << 29)
#define SVM_INTERCEPT_SHUTDOWN	  (1u << 31)
/* intercept_misc2 */
#define SVM_INTERCEPT_VMRUN	    (1u << 0)
#define SVM_INTERCEPT_VMMCALL	    (1u << 1)
#define SVM_INTERCEPT_VMLOAD	    (1u << 2)
#define SVM_INTERCEPT_VMSAVE	    (1u << 3)
#define SVM_INTERCEPT_STGI	    (1u << 4)
#define SVM_INTERCEPT_CLGI	    (1u << 5)
#define SVM_INTERCEPT_SKINIT	    (1u << 6)
#define SVM_INTERCEPT_MONITOR	    (1u << 10)
#define SVM_INTERCEPT_MWAIT	    (1u << 11)
#define SVM_INTERCEPT_XSETBV	    (1u << 13)

#define SVM_INT_CTL_V_IRQ	    (1ull << 8)
#define SVM_INT_CTL_V_INTR_PRIO_MAX (0xFull << 16)
#define SVM_INT_CTL_V_IGN_TPR	    (1ull << 20)
#define SVM_INT_CTL_V_INTR_MASKING  (1ull << 24)
#define SVM_INTERRUPT_SHADOW	    1ull
#define SVM_NESTED_CTL_NP_ENABLE    (1ull << 0)
#define SVM_TLB_CONTROL_FLUSH_ALL   1
#define SVM_TLB_CONTROL_FLUSH_ASID  3

#define SVM_EVENT_VALID		    (1ull << 31)
#define SVM_EVENT_ERROR_VALID	    (1ull << 11)
#define SVM_EVENT_TYPE_EXCEPTION    (3ull << 8)

/* Exit codes. */
#define SVM_EXIT_EXCEPTION_BASE 0x40
#define SVM_EXIT_INTR		0x60
#define SVM_EXIT_NMI		0x61
#define SVM_EXIT_SMI		0x62
#define SVM_EXIT_INIT		0x63
#define SVM_EXIT_VINTR		0x64
#define SVM_EXIT_CPUID		0x72
#define SVM_EXIT_INVD		0x76
#define SVM_EXIT_HLT		0x78
#define SVM_EXIT_INVLPGA	0x7A
#define SVM_EXIT_IOIO		0x7B
#define SVM_EXIT_MSR		0x7C
#define SVM_EXIT_TASK_SWITCH	0x7D
#define SVM_EXIT_SHUTDOWN	0x7F
#define SVM_EXIT_VMRUN		0x80
#define SVM_EXIT_VMMCALL	0x81
#define SVM_EXIT_VMLOAD		0x82
#define SVM_EXIT_VMSAVE		0x83
#define SVM_EXIT_STGI		0x84
#define SVM_EXIT_CLGI		0x85
#define SVM_EXIT_SKINIT		0x86
#define SVM_EXIT_MONITOR	0x8A
#define SVM_EXIT_MWAIT		0x8B
#define SVM_EXIT_XSETBV		0x8D
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	0xFFFFFFFFFFFFFFFFull /* VMRUN refused the state */

/* EXITINFO1 of an I/O exit. */
#define SVM_IOIO_IN	   (1ull << 0)
#define SVM_IOIO_STRING	   (1ull << 2)
#define SVM_IOIO_SIZE8	   (1ull << 4)
#define SVM_IOIO_SIZE_MASK (7ull << 4)

#endif /* SVM_VMCB_H */
