/* SPDX-License-Identifier: MIT */
/*
 * What the arch-neutral core needs from the architecture layer.  This is
 * the whole boundary: core files include this header and never a header
 * from hv/arch/.  The hosted unit-test build provides a fake of it.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include <hv/types.h>

struct hv_partition;
struct hv_vp;

/*
 * Registers the core reads or writes by name: those of the ABI
 * (registers.def), with the ABI's codes.
 */
enum hv_reg {
#define VNR_REG(name, code, short_name) HV_REG_##name = (code),
#include <veneer/registers.def>
#undef VNR_REG
	HV_REG_COUNT
};

/* Initial register state of a VP (the boot protocol fills it). */
struct hv_vp_boot_state {
	u64 rip, rsp, rdi, rsi, cr3;
	u64 gdt_base;
	u16 gdt_limit;
	u16 code_selector; /* CS */
	u16 data_selector; /* DS, ES, SS, FS and GS */
	/* Root mode: the VP continues what the CPU ran when the hypervisor
	 * took it over; the fields above are ignored. */
	bool adopt_cpu;
};

/*
 * Writes the CPU's part of a partition's boot region (the page tables and
 * descriptor tables of docs/spec/boot-protocol.md) into its RAM: ram is the
 * host address of GPA 0, memory_size bytes, already zero.  Sets in *boot
 * everything the first VP starts with but rip: the tables, the stack and,
 * in rdi, the GPA where the core writes the start info.  Returns 0, or -1
 * for a memory size the boot region cannot map.
 */
int arch_build_boot_region(void *ram, u64 memory_size,
			   struct hv_vp_boot_state *boot);

/*
 * Partition address spaces (nested page tables).  The tables of p are
 * charged to p->pool.  Each call either does all it was asked or fails
 * with one of these codes and changes nothing.
 */
#define HV_MAP_IN_USE	 (-1) /* a page is mapped already, or a bad range */
#define HV_MAP_NO_MEMORY (-2) /* the pool or p's share of it is exhausted */
int arch_partition_init(struct hv_partition *p);
void arch_partition_destroy(struct hv_partition *p);
/* Maps [gpa, gpa + size) to host physical hpa; refuses any overlap. */
int arch_map_gpa(struct hv_partition *p, u64 gpa, u64 hpa, u64 size,
		 bool writable);
/*
 * Unmaps [gpa, gpa + size) and makes every VP of p forget stale
 * translations.  Needs memory only to split a large page the range covers
 * in part; a range mapped in 4 KiB pages is always unmapped.
 */
int arch_unmap_gpa(struct hv_partition *p, u64 gpa, u64 size);
/*
 * Points every page of [gpa, gpa + size), each mapped in 4 KiB, at the one
 * writable page hpa, in place and without allocating (a revoke may not
 * fail for want of memory); HV_MAP_IN_USE if a page is not so mapped.
 */
int arch_back_gpa_with_page(struct hv_partition *p, u64 gpa, u64 size, u64 hpa);
/* Whether gpa is mapped by a 4 KiB mapping of the page hpa (in p's view). */
bool arch_gpa_maps_page(struct hv_partition *p, u64 gpa, u64 hpa);
/* Lets p access the I/O ports [first, last] directly. */
/*
 * Gives p the minimal PC platform (docs/spec/pc-platform.md) for a kernel
 * booted by the Linux boot protocol: 0, or -1 when p's pool is exhausted.
 * Undone by arch_partition_destroy().
 */
int arch_partition_enable_pc_platform(struct hv_partition *p);
void arch_partition_disable_pc_platform(struct hv_partition *p);
/*
 * Raises the interrupts of vp's platform timers (a PC platform's local
 * APIC timer) that are due at TSC now and returns the TSC at which the
 * next one is, or ~0 when none is armed.
 */
u64 arch_vp_poll_timers(struct hv_vp *vp, u64 now);
int arch_partition_allow_io(struct hv_partition *p, u16 first, u16 last);

/* Virtual processors. */
int arch_vp_init(struct hv_vp *vp, const struct hv_vp_boot_state *boot);
void arch_vp_destroy(struct hv_vp *vp);
/* Runs the VP, handling its exits, until it is no longer runnable or a
 * scheduler tick is pending. */
void arch_vp_run(struct hv_vp *vp);
/*
 * Root mode: runs vp, a child's VP the dispatcher (the root's VP) asked
 * for with VP_RUN, on this CPU until it is no longer runnable or one of
 * its exits has ended the run (dispatch_end); io_value first completes
 * the IN its previous run ended with.  The dispatcher's processor state
 * is back in place when it returns.
 */
void arch_vp_dispatch(struct hv_vp *dispatcher, struct hv_vp *vp, u32 io_value);
/*
 * Root mode: raises the root's synthetic interrupt, the MSI of the
 * Veneer PCI function (nothing while the root has not enabled it).
 */
void arch_raise_root_interrupt(void);
/*
 * A PC-platform partition's synthetic interrupt on vp: the vector of its
 * Veneer PCI function's MSI (nothing while the partition has not enabled
 * it), in service until the local APIC's EOI.
 */
void arch_raise_pc_interrupt(struct hv_vp *vp);
u64 arch_vp_get_reg(struct hv_vp *vp, enum hv_reg reg);
/* Writes reg unchecked: callers that take a value from a guest check it. */
void arch_vp_set_reg(struct hv_vp *vp, enum hv_reg reg, u64 value);
/*
 * VNR_STATUS_SUCCESS if vp can take value in reg, and can still be entered
 * with it beside its other registers; VNR_STATUS_INVALID_PARAMETER for a
 * value the processor would refuse (docs/spec/management.md, "SET
 * accepts").  Changes nothing.
 */
enum vnr_status arch_vp_check_reg(struct hv_vp *vp, enum hv_reg reg, u64 value);

/*
 * The hypercall vp just made, as docs/spec/conventions.md places it: its
 * control word and two argument words.
 */
void arch_hypercall_input(const struct hv_vp *vp, u64 *control, u64 *arg0,
			  u64 *arg1);
/* Completes vp's hypercall with result (status and reps completed). */
void arch_hypercall_result(struct hv_vp *vp, u64 result);
/* The two output words of a completed fast call. */
void arch_hypercall_fast_outputs(struct hv_vp *vp, u64 out0, u64 out1);
/*
 * Makes vp's hypercall, re-executed, carry control: a rep call resumes at
 * the rep control names.  Nothing else of the call changes.
 */
void arch_hypercall_continue(struct hv_vp *vp, u64 control);

/*
 * What the processor accepts in a VP's control registers on entry, from
 * its CPUID: CR3 has no bit at or above phys_addr_bits, CR4 and EFER only
 * the bits it implements (EFER as the core sees it: no virtualization bit).
 */
struct hv_cpu_limits {
	u32 phys_addr_bits;
	u64 cr4;
	u64 efer;
};
/* The boot CPU's limits, read once at start-up; never NULL. */
const struct hv_cpu_limits *arch_cpu_limits(void);

/*
 * Resets the machine (root mode: when the root cannot go on, nothing else
 * can either).
 */
__attribute__((noreturn)) void arch_reset(void);

/* The hypervisor console's device (a UART), if it has one. */
void arch_console_write(const char *s, size_t n);

/* Time: the TSC and its frequency in Hz. */
u64 arch_read_tsc(void);
u64 arch_tsc_hz(void);
/* Raises a tick (hv_tick_pending) after the given number of TSC cycles. */
void arch_timer_arm(u64 tsc_delta);
/* Waits for an interrupt (a tick armed before). */
void arch_idle(void);

/* Set by the timer interrupt, consumed by the scheduler. */
extern volatile bool hv_tick_pending;

/* Executes an invalid instruction, to show the crash report works. */
void arch_crash_test(void);

/* Ends the hypervisor: powers the machine off. */
__attribute__((noreturn)) void arch_power_off(int failures);

#endif /* HV_ARCH_H */
