/* SPDX-License-Identifier: MIT */
/*
 * The vendor interface: what the common x86 code needs from a hardware
 * virtualization backend.  svm/ implements it for AMD-V; an Intel VT-x
 * backend implements the same functions in vmx/ and touches nothing else
 * of arch/x86.  Nothing outside arch/x86 sees it.
 *
 * The backend owns p->arch and vp->arch (the latter begins with struct
 * x86_vp_state, vp_state.h) and, of the core's state, writes only the
 * guest's general registers in vp->regs; whatever else the core keeps
 * about an exit (counters, CPL, owned ports) common x86 code records from
 * what the backend reports.  It reads the little it needs: the
 * partition's pool (its structures are charged to it), its VPs (to flush
 * their TLBs), its RAM through partition_gpa_to_host and ram_generation
 * (a changed RAM layout invalidates what it cached of guest memory), and
 * the VP's interrupt controller (vintc.h) to inject what is pending.
 */
#ifndef X86_VENDOR_H
#define X86_VENDOR_H

#include <hv/partition.h>

/* A VM exit, decoded into vendor-neutral terms. */
struct x86_exit {
	enum hv_exit_reason reason;
	u32 insn_len;	   /* 0 when unknown */
	u64 qualification; /* IO: port; NPF: GPA; EXCEPTION: vector */
	u64 error_code;	   /* NPF: NPF_* bits; EXCEPTION: its error code */
	bool write;	   /* MSR and IO direction, NPF write access */
	bool io_byte;	   /* IO: a one-byte IN or OUT (not a string) */
	bool io_string;	   /* IO: INS or OUTS */
	u8 io_size;	   /* IO: bytes per transfer, 1, 2 or 4 */
	bool entry_failed; /* the CPU refused the VP's state: nothing ran */
	u8 cpl;		   /* the guest's privilege level when it exited */
	u64 vendor_code;   /* the backend's raw exit code, for diagnostics */
};

/* Why this CPU cannot run Veneer, or NULL when it can. */
const char *vendor_unsupported(void);
/*
 * Enables the extension on the boot CPU and sets up the host's state for
 * entries; 0, or -1 (logged) when the CPU refuses.  Once, after
 * vendor_unsupported() said NULL.
 */
int vendor_init(void);
/*
 * Root mode, at the take-over and before anything else changes the CPU:
 * records the part of its state only the backend can read (on AMD-V FS,
 * GS, TR, LDTR and the syscall MSRs), which the root's VP then starts with.
 */
void vendor_capture_cpu(void);
/*
 * Whether every access to msr exits whatever the permission map says
 * (AMD-V's map covers 0-0x1FFF, 0xC0000000-0xC0001FFF and
 * 0xC0010000-0xC0011FFF).
 */
bool vendor_msr_always_exits(u32 msr);
/* Root mode: from now on the root's writes of msr exit. */
void vendor_root_intercept_msr_write(struct hv_partition *root, u32 msr);
/* The backend's name for the boot log ("AMD-V"). */
const char *vendor_name(void);

/*
 * p's address space (nested tables, ASID) in p->arch, charged to p's
 * pool: 0, or -1 having allocated nothing.  destroy frees all of it and
 * tolerates a partition whose init failed.
 */
int vendor_partition_init(struct hv_partition *p);
void vendor_partition_destroy(struct hv_partition *p);
/*
 * The address-space edits behind arch_map_gpa, arch_unmap_gpa and
 * arch_back_gpa_with_page (hv/arch.h), with the same arguments, results
 * and all-or-nothing rule; the backend also flushes what p's VPs cached.
 */
int vendor_map(struct hv_partition *p, u64 gpa, u64 hpa, u64 size,
	       bool writable);
int vendor_unmap(struct hv_partition *p, u64 gpa, u64 size);
int vendor_back_with_page(struct hv_partition *p, u64 gpa, u64 size, u64 hpa);
/* arch_gpa_maps_page (hv/arch.h). */
bool vendor_maps_page(struct hv_partition *p, u64 gpa, u64 hpa);
/*
 * Gives p its own I/O permission map, every port intercepted, charged to
 * p's pool; until then p shares one that intercepts all.  Once: a second
 * call does nothing.
 */
int vendor_io_map_init(struct hv_partition *p);
/* Lets p reach port without an exit (after vendor_io_map_init). */
void vendor_io_pass(struct hv_partition *p, u16 port);

/*
 * The VP's control block in vp->arch, loaded with the boot state, charged
 * to its partition's pool: 0, or -1 having allocated nothing.  destroy
 * frees it (also after a failed init).
 */
int vendor_vp_init(struct hv_vp *vp, const struct hv_vp_boot_state *boot);
void vendor_vp_destroy(struct hv_vp *vp);
/* Called once per time slice, before the VP's first entry in it. */
void vendor_vp_begin_slice(struct hv_vp *vp);
/*
 * Runs vp until its next exit, decoded into exit.  vp->regs holds the
 * guest's general registers before and after: the backend moves in and
 * out those its hardware keeps elsewhere (RAX on AMD-V).
 */
void vendor_vp_enter(struct hv_vp *vp, struct x86_exit *exit);
/*
 * A register as the guest sees it.  EFER is the guest's own: a bit the
 * backend needs set while the guest runs (AMD-V's enable bit) is never
 * reported by vendor_get_reg, and vendor_set_reg keeps it whatever value
 * says, so common code neither knows nor can clear it.
 */
u64 vendor_get_reg(struct hv_vp *vp, enum hv_reg reg);
void vendor_set_reg(struct hv_vp *vp, enum hv_reg reg, u64 value);
/* The guest's DR7 and IDT base, for the #DB loop check. */
u64 vendor_get_dr7(struct hv_vp *vp);
u64 vendor_get_idt_base(struct hv_vp *vp);
/* The guest's PAT (a valid value: guest_msr.c checks it). */
u64 vendor_get_pat(struct hv_vp *vp);
void vendor_set_pat(struct hv_vp *vp, u64 pat);
/*
 * Finds the length of exit's instruction into exit->insn_len, false when
 * it cannot be known: asked before an instruction's effect that cannot be
 * undone (a hypercall), so that a refused one has had none.
 */
bool vendor_decode_length(struct hv_vp *vp, struct x86_exit *exit);
/*
 * Completes the intercepted instruction of exit as the CPU would have: RIP
 * past it (prefixes included; #UD when its length cannot be known), and
 * the single-step #DB after it when the guest's RFLAGS.TF is set.
 */
void vendor_skip_instruction(struct hv_vp *vp, const struct x86_exit *exit);
/*
 * Up to max bytes of the guest's instruction at CS:RIP, read through its
 * page tables; returns how many could be read.
 */
u32 vendor_read_instruction(struct hv_vp *vp, u8 *buf, u32 max);
void vendor_inject_exception(struct hv_vp *vp, u8 vector, bool has_error,
			     u32 error_code);
/* Takes a pending host interrupt after an interrupt exit. */
void vendor_take_host_interrupt(void);
void vendor_hypercall_code(u8 *page);

/* Set from the configuration's log_exits. */
extern bool x86_log_exits;

/* Nested page fault error code: the page was present (a protection fault). */
#define NPF_PRESENT   0x1ull

#define X86_VECTOR_DB 1
#define X86_VECTOR_UD 6
#define X86_VECTOR_GP 13
#define X86_VECTOR_AC 17

#endif /* X86_VENDOR_H */
