/* SPDX-License-Identifier: MIT */
/*
 * Common VM-exit handling for both vendors: the backend enters the guest
 * and decodes the exit; this file decides what it means.  Every exit is
 * counted per partition; an exit with no handler stops the partition with
 * a register dump instead of being ignored.
 */
#include <hv/dispatch.h>
#include <hv/hypercall.h>
#include <hv/log.h>
#include <hv/sched.h>
#include "cpu.h"
#include "guest.h"
#include "io_ports.h"
#include "pc_platform.h"
#include "root_exit.h"
#include "serial.h"
#include "vendor.h"
#include "vlapic.h"
#include "vp_state.h"
#include "xapic_mmio.h"
#include "xstate.h"

static void handle_msr(struct hv_vp *vp, const struct x86_exit *e)
{
	u64 *r = vp->regs;
	u32 msr = (u32)r[HV_REG_RCX];
	u64 value;

	if (e->write) {
		value = (r[HV_REG_RDX] << 32) | (u32)r[HV_REG_RAX];
		if (!guest_wrmsr(vp, msr, value))
			goto fault;
	} else {
		if (!guest_rdmsr(vp, msr, &value))
			goto fault;
		r[HV_REG_RAX] = (u32)value;
		r[HV_REG_RDX] = value >> 32;
	}
	vendor_skip_instruction(vp, e);
	return;
fault:
	if (vp->partition->owns_machine)
		root_refused_msr(msr, e->write);
	vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
}

static void handle_hypercall(struct hv_vp *vp, struct x86_exit *e)
{
	if (!(vp->partition->hypercall_msr & VNR_HYPERCALL_ENABLE)) {
		vendor_inject_exception(vp, X86_VECTOR_UD, false, 0);
		return;
	}
	if (hv_hypercall(vp))
		vendor_skip_instruction(vp, e);
}

/* The console UART's data register, reached by the partition owning it. */
static bool handle_io(struct hv_vp *vp, const struct x86_exit *e)
{
	struct hv_partition *p = vp->partition;
	u16 port = (u16)e->qualification;
	u8 value = (u8)vp->regs[HV_REG_RAX];

	if (!e->io_byte || !serial_is_data_port(port) ||
	    !io_ports_owned(p, port))
		return false;
	serial_owner_access(p, e->write, &value);
	if (!e->write)
		vp->regs[HV_REG_RAX] =
			(vp->regs[HV_REG_RAX] & ~0xFFull) | value;
	vendor_skip_instruction(vp, e);
	return true;
}

/*
 * A dispatched VP's port that nothing in the hypervisor serves is its
 * dispatcher's to emulate: the instruction completes now (an IN's value
 * comes with the next VP_RUN) and the run ends with the access.
 */
static bool io_to_dispatcher(struct hv_vp *vp, const struct x86_exit *e)
{
	struct vnr_run_exit *rec = dispatch_record(vp);

	if (!rec || e->io_string)
		return false;
	vendor_skip_instruction(vp, e);
	rec->info.io.port = (u16)e->qualification;
	rec->info.io.size = e->io_size;
	rec->info.io.write = e->write;
	rec->info.io.value =
		e->write ? (u32)vp->regs[HV_REG_RAX] &
				   (u32)((1ull << (8 * e->io_size)) - 1)
			 : 0;
	x86_vp_state(vp)->pending_in = e->write ? 0 : e->io_size;
	dispatch_end(vp, VNR_RUN_EXIT_IO);
	return true;
}

#define RFLAGS_IF (1ull << 9)

/*
 * A Veneer guest's HLT waits for an event, whatever RFLAGS.IF says
 * (boot-protocol.md).  On the PC platform it is the processor's: with
 * interrupts disabled it waits for an NMI, SMI or INIT, none of which a
 * partition is ever sent, so the VP has stopped for good, as a kernel's
 * power-off without firmware does it.  The partition ends, cleanly, with
 * its last VP.
 */
static void handle_hlt(struct hv_vp *vp)
{
	struct hv_partition *p = vp->partition;

	if (!p->pc_platform ||
	    (vendor_get_reg(vp, HV_REG_RFLAGS) & RFLAGS_IF)) {
		sched_halt(vp, 0);
		return;
	}
	vp->state = HV_VP_STOPPED;
	for (u32 i = 0; i < p->vp_count; i++)
		if (p->vps[i].state != HV_VP_STOPPED)
			return;
	partition_stop(p, true, 0,
		       "halted: its VPs stopped with interrupts disabled");
}

/* XSETBV: the guest's XCR0, checked as the CPU checks it. */
static void handle_xsetbv(struct hv_vp *vp, const struct x86_exit *e)
{
	u64 *r = vp->regs;
	u64 value = (r[HV_REG_RDX] << 32) | (u32)r[HV_REG_RAX];

	if (!(vendor_get_reg(vp, HV_REG_CR4) & CR4_OSXSAVE)) {
		vendor_inject_exception(vp, X86_VECTOR_UD, false, 0);
		return;
	}
	if (vp->cpl != 0 ||
	    !xstate_guest_xsetbv(x86_vp_state(vp), (u32)r[HV_REG_RCX], value)) {
		vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
		return;
	}
	vendor_skip_instruction(vp, e);
}

/*
 * A data breakpoint on the IDT gate of #DB makes every delivery of #DB
 * raise #DB again: the VP can never make progress.  (With the intercept
 * each attempt would be an exit, but some emulators cannot survive the
 * attempt, and nothing is lost by stopping the partition.)
 */
static bool db_delivery_loops(struct hv_vp *vp)
{
	u64 gate = vendor_get_idt_base(vp) + 16 * X86_VECTOR_DB;
	int n = vp_state_data_breakpoint(vendor_get_dr7(vp), gate, 16);

	if (n >= 0)
		partition_fault(vp,
				"#DB delivery loops: data breakpoint %d "
				"on the #DB gate of the IDT",
				n);
	return n >= 0;
}

/*
 * An intercepted #DB or #AC goes to the guest as if it had not been
 * intercepted (the CPU has already updated DR6 for a #DB).  An event whose
 * delivery raised it is dropped, as the CPU drops a benign exception's
 * first delivery; that only ever concerns the guest's own handlers.
 */
static bool reflect_exception(struct hv_vp *vp, const struct x86_exit *e)
{
	switch (e->qualification) {
	case X86_VECTOR_DB:
		if (!db_delivery_loops(vp))
			vendor_inject_exception(vp, X86_VECTOR_DB, false, 0);
		return true;
	case X86_VECTOR_AC:
		vendor_inject_exception(vp, X86_VECTOR_AC, true,
					(u32)e->error_code);
		return true;
	}
	return false;
}

static void handle_unexpected(struct hv_vp *vp, const struct x86_exit *e)
{
	if (e->entry_failed) {
		partition_fault(vp, "the processor refused its state on entry");
		return;
	}
	switch (e->reason) {
	case HV_EXIT_NESTED_PAGE_FAULT:
		if (e->error_code & NPF_PRESENT)
			partition_fault(vp, "write to read-only GPA 0x%llx",
					(unsigned long long)e->qualification);
		else
			partition_fault(vp, "%s access to unmapped GPA 0x%llx",
					e->write ? "write" : "read",
					(unsigned long long)e->qualification);
		break;
	case HV_EXIT_TRIPLE_FAULT:
		partition_fault(vp, "triple fault");
		break;
	case HV_EXIT_IO:
		partition_fault(vp, "I/O port %s 0x%llx without a device",
				e->write ? "write" : "read",
				(unsigned long long)e->qualification);
		break;
	default:
		partition_fault(vp, "unhandled exit %s (code 0x%llx)",
				hv_exit_reason_name(e->reason),
				(unsigned long long)e->vendor_code);
	}
}

/*
 * The exits whose instruction the hypervisor completes.  Its length is
 * found first: an instruction that cannot be completed raises #UD before
 * it has had any effect (a call made, an MSR or XCR0 written, a halt).
 */
static bool length_unknown(struct hv_vp *vp, struct x86_exit *e)
{
	switch (e->reason) {
	case HV_EXIT_HYPERCALL:
	case HV_EXIT_CPUID:
	case HV_EXIT_MSR_READ:
	case HV_EXIT_MSR_WRITE:
	case HV_EXIT_HLT:
	case HV_EXIT_XSETBV:
	case HV_EXIT_INVD:
		return !vendor_decode_length(vp, e);
	default:
		return false;
	}
}

/* The root's exits that differ from other partitions' (root_exit.c). */
static bool root_takes(struct hv_vp *vp, struct x86_exit *e)
{
	return vp->partition->owns_machine && root_handle_exit(vp, e);
}

/* The hypercall comes first: it is the hot path, and no root's concern. */
static void handle_exit(struct hv_vp *vp, struct x86_exit *e)
{
	if (length_unknown(vp, e)) {
		vendor_inject_exception(vp, X86_VECTOR_UD, false, 0);
		return;
	}
	switch (e->reason) {
	case HV_EXIT_HYPERCALL:
		handle_hypercall(vp, e);
		break;
	case HV_EXIT_CPUID:
		root_takes(vp,
			   e); /* the root's loader's notice; answered too */
		guest_cpuid(vp);
		vendor_skip_instruction(vp, e);
		break;
	case HV_EXIT_MSR_READ:
	case HV_EXIT_MSR_WRITE:
		handle_msr(vp, e);
		break;
	case HV_EXIT_HLT:
		vendor_skip_instruction(vp, e);
		handle_hlt(vp);
		break;
	case HV_EXIT_INTERRUPT:
		if (dispatch_record(vp))
			dispatch_end(vp,
				     VNR_RUN_EXIT_INTERRUPTED); /* the root's */
		else
			vendor_take_host_interrupt();
		break;
	case HV_EXIT_INTERRUPT_WINDOW:
		break; /* the next entry injects what is pending */
	case HV_EXIT_VIRT_INSTRUCTION:
		if (!root_takes(vp, e))
			vendor_inject_exception(vp, X86_VECTOR_UD, false, 0);
		break;
	case HV_EXIT_IO:
		if (!root_takes(vp, e) && !handle_io(vp, e) &&
		    !(vp->partition->pc_platform && pc_platform_io(vp, e)) &&
		    !io_to_dispatcher(vp, e))
			handle_unexpected(vp, e);
		break;
	case HV_EXIT_NESTED_PAGE_FAULT:
		if (!root_takes(vp, e) &&
		    !(vp->partition->pc_platform && xapic_mmio(vp, e)))
			handle_unexpected(vp, e);
		break;
	case HV_EXIT_INVD:
		if (!root_takes(vp, e))
			handle_unexpected(vp, e);
		break;
	case HV_EXIT_XSETBV:
		handle_xsetbv(vp, e);
		break;
	case HV_EXIT_EXCEPTION:
		if (!reflect_exception(vp, e))
			handle_unexpected(vp, e);
		break;
	default:
		handle_unexpected(vp, e);
	}
}

bool x86_log_exits;

/* log_exits = yes in the configuration: one line per exit, for debugging. */
static void log_exit(struct hv_vp *vp, const struct x86_exit *e)
{
	hv_log("exit %s/%u: %s (0x%llx) at RIP 0x%llx\n", vp->partition->name,
	       vp->index, hv_exit_reason_name(e->reason),
	       (unsigned long long)e->vendor_code,
	       (unsigned long long)vendor_get_reg(vp, HV_REG_RIP));
}

/* The flag is tested once per slice: the loop is the hot path. */
void arch_vp_run(struct hv_vp *vp)
{
	bool log = x86_log_exits, timers = vp->partition->pc_platform;
	struct x86_exit e;

	vp_state_load(vp);
	vendor_vp_begin_slice(vp);
	while (vp->state == HV_VP_RUNNABLE && !hv_tick_pending &&
	       !vp->run_ended) {
		if (timers)
			sched_own_timer(vp, vlapic_poll(vp, vnr_rdtsc()));
		vendor_vp_enter(vp, &e);
		vp->cpl = e.cpl;
		vp->exits++;
		vp->partition->stats.exits_by_reason[e.reason]++;
		if (log)
			log_exit(vp, &e);
		handle_exit(vp, &e);
	}
}

/* The IN the last run ended with takes the dispatcher's value. */
static void complete_in(struct hv_vp *vp, u32 value)
{
	struct x86_vp_state *s = x86_vp_state(vp);

	if (!s->pending_in)
		return;
	vp->regs[HV_REG_RAX] =
		io_in_result(vp->regs[HV_REG_RAX], s->pending_in, value);
	s->pending_in = 0;
}

void arch_vp_dispatch(struct hv_vp *dispatcher, struct hv_vp *vp, u32 io_value)
{
	complete_in(vp, io_value);
	arch_vp_run(vp);
	vp_state_load(dispatcher);
	vendor_vp_begin_slice(dispatcher);
}
