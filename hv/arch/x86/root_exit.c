/* SPDX-License-Identifier: MIT */
/*
 * What the root sees where it touches the hypervisor (docs/spec/
 * root-mode.md): the hypervisor's memory reads as zeros and a write to it
 * raises #GP(0); the SVM instructions raise #UD, as on a CPU without
 * AMD-V; the hypervisor's UART, when it has one, is a UART whose line goes
 * nowhere (root_uart.c); INVD is done as WBINVD, which keeps the
 * hypervisor's own dirty cache lines.  Each of these but the UART is
 * logged, the first time and then at counts 2, 4, 8..., so that a loop
 * cannot flood the log.
 */
#include <hv/log.h>
#include <hv/root.h>
#include "cpu.h"
#include "root_exit.h"
#include "serial.h"

enum root_event {
	ROOT_HV_MEMORY_WRITE,
	ROOT_SVM_INSTRUCTION,
	ROOT_REFUSED_MSR,
	ROOT_DEPOSITED_ACCESS,
	ROOT_EVENT_COUNT,
};

#define PM1_SLP_EN (1u << 13)

static u64 events[ROOT_EVENT_COUNT];
u16 x86_root_pm1a_control;
static u64 notice_rip; /* 0: no CPU withheld, nothing to guard */

extern const u8 x86_root_notice[];

void root_exit_init(u64 loader_image_base, u64 copy_image_base,
		    u32 cpus_withheld)
{
	if (cpus_withheld)
		notice_rip = (u64)(uintptr_t)x86_root_notice - copy_image_base +
			     loader_image_base;
}

/* The loader's notice that boot services ended (root_resume.S). */
static void check_notice(struct hv_vp *vp)
{
	if (!notice_rip || vendor_get_reg(vp, HV_REG_RIP) != notice_rip)
		return;
	if (root_apic_guard(vp->partition))
		partition_fault(vp, "no memory to guard the withheld CPUs");
}

bool root_log_due(u64 *count)
{
	++*count;
	return (*count & (*count - 1)) == 0;
}

static void write_to_hypervisor(struct hv_vp *vp, const struct x86_exit *e)
{
	if (root_log_due(&events[ROOT_HV_MEMORY_WRITE]))
		hv_log("root: write to hypervisor memory at 0x%llx (RIP "
		       "0x%llx) refused with #GP, %llu so far\n",
		       (unsigned long long)e->qualification,
		       (unsigned long long)vendor_get_reg(vp, HV_REG_RIP),
		       (unsigned long long)events[ROOT_HV_MEMORY_WRITE]);
	vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
}

/* The root's deposits are its children's memory until it withdraws them. */
static void deposited_access(struct hv_vp *vp, const struct x86_exit *e)
{
	if (root_log_due(&events[ROOT_DEPOSITED_ACCESS]))
		hv_log("root: access to its deposited memory at 0x%llx (RIP "
		       "0x%llx) refused with #GP, %llu so far\n",
		       (unsigned long long)e->qualification,
		       (unsigned long long)vendor_get_reg(vp, HV_REG_RIP),
		       (unsigned long long)events[ROOT_DEPOSITED_ACCESS]);
	vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
}

static bool nested_fault(struct hv_vp *vp, const struct x86_exit *e)
{
	if (e->write && root_apic_guarded(e->qualification)) {
		root_apic_write(vp, e);
		return true;
	}
	switch (root_nested_fault(vp->partition, e->qualification, e->write)) {
	case ROOT_FAULT_MAPPED:
		return true; /* the access is retried */
	case ROOT_FAULT_HYPERVISOR:
		write_to_hypervisor(vp, e);
		return true;
	case ROOT_FAULT_DEPOSITED:
		deposited_access(vp, e);
		return true;
	case ROOT_FAULT_UNMAPPABLE:
		break;
	}
	return false;
}

static void svm_instruction(struct hv_vp *vp, const struct x86_exit *e)
{
	if (root_log_due(&events[ROOT_SVM_INSTRUCTION]))
		hv_log("root: SVM instruction (exit 0x%llx) at RIP 0x%llx "
		       "raises #UD, %llu so far\n",
		       (unsigned long long)e->vendor_code,
		       (unsigned long long)vendor_get_reg(vp, HV_REG_RIP),
		       (unsigned long long)events[ROOT_SVM_INSTRUCTION]);
	vendor_inject_exception(vp, X86_VECTOR_UD, false, 0);
}

/* An access the root makes itself, done for it as it asked. */
void root_pass_io(struct hv_vp *vp, const struct x86_exit *e)
{
	u16 port = (u16)e->qualification;
	u64 *rax = &vp->regs[HV_REG_RAX];

	if (e->write && e->io_size == 1)
		outb(port, (u8)*rax);
	else if (e->write && e->io_size == 2)
		outw(port, (u16)*rax);
	else if (e->write)
		outl(port, (u32)*rax);
	else if (e->io_size == 1)
		*rax = (*rax & ~0xFFull) | inb(port);
	else if (e->io_size == 2)
		*rax = (*rax & ~0xFFFFull) | inw(port);
	else
		*rax = inl(port);
}

/* Whether an OUT to PM1a control (at offset 0 or 1 of it) sets SLP_EN. */
static bool sets_slp_en(const struct x86_exit *e, u64 value)
{
	u32 offset = (u32)(u16)(e->qualification - x86_root_pm1a_control);

	if (offset == 0)
		return e->io_size >= 2 && (value & PM1_SLP_EN);
	return value & (PM1_SLP_EN >> 8);
}

/*
 * The PM1a control register: a write that sets SLP_EN powers off (or
 * sleeps).  The report comes once: a sleep the machine does not do leaves
 * the root running, and a root that asks again gets no second one.
 */
static void pm1a_control(struct hv_vp *vp, const struct x86_exit *e)
{
	static bool reported;

	if (e->io_string) {
		vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
		return;
	}
	if (e->write && !reported && sets_slp_en(e, vp->regs[HV_REG_RAX])) {
		reported = true;
		root_powering_off(vp->partition);
	}
	vendor_skip_instruction(vp, e);
	root_pass_io(vp, e);
}

void root_refused_msr(u32 msr, bool write)
{
	if (root_log_due(&events[ROOT_REFUSED_MSR]))
		hv_log("root: %s of MSR 0x%x raises #GP, %llu so far\n",
		       write ? "write" : "read", msr,
		       (unsigned long long)events[ROOT_REFUSED_MSR]);
}

bool root_handle_exit(struct hv_vp *vp, struct x86_exit *e)
{
	switch (e->reason) {
	case HV_EXIT_CPUID:
		check_notice(vp);
		return false; /* answered as any CPUID */
	case HV_EXIT_NESTED_PAGE_FAULT:
		return nested_fault(vp, e);
	case HV_EXIT_IO: /* the UART, PM1a control, PCI configuration only */
		if (root_pci_access(vp, e))
			return true;
		if (x86_root_pm1a_control &&
		    (u16)(e->qualification - x86_root_pm1a_control) < 2)
			pm1a_control(vp, e);
		else
			root_uart_access(vp, e, serial_port());
		return true;
	case HV_EXIT_VIRT_INSTRUCTION:
		svm_instruction(vp, e);
		return true;
	case HV_EXIT_INVD:
		__asm__ volatile("wbinvd" ::: "memory");
		vendor_skip_instruction(vp, e);
		return true;
	default:
		return false;
	}
}
