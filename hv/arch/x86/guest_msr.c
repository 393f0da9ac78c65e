/* SPDX-License-Identifier: MIT */
/*
 * MSRs as partitions see them.  The backend lets the MSRs that a 64-bit
 * guest switches on its own (FS/GS bases, SYSCALL and SYSENTER state)
 * through without an exit; the rest come here.  Anything not listed below
 * raises #GP, as a CPU does for an MSR it does not implement; only the
 * root's MSRs outside the permission map go to the CPU (root_passes).
 */
#include <hv/partition.h>
#include <hv/reftime.h>
#include "cpu.h"
#include "guest.h"
#include "pv_clock.h"
#include "root_exit.h"
#include "vendor.h"
#include "vlapic.h"
#include "vp_state.h"

#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
#define CR0_PG		    (1ull << 31)

/*
 * As the CPU checks WRMSR to EFER: only bits it implements, LMA written
 * back unchanged (it is the CPU's to change), and LME changed only while
 * paging is off.
 */
static bool write_efer(struct hv_vp *vp, u64 value)
{
	u64 cur = vendor_get_reg(vp, HV_REG_EFER);
	u64 writable = EFER_GUEST_WRITABLE & arch_cpu_limits()->efer;
	bool paging = vendor_get_reg(vp, HV_REG_CR0) & CR0_PG;

	if (value & ~(writable | EFER_LMA))
		return false;
	if ((value & EFER_LMA) != (cur & EFER_LMA))
		return false;
	if (paging && (value & EFER_LME) != (cur & EFER_LME))
		return false;
	vendor_set_reg(vp, HV_REG_EFER,
		       (value & EFER_GUEST_WRITABLE) | (cur & EFER_LMA));
	return true;
}

/* Each of the eight entries must name a memory type: 0, 1, 4, 5, 6 or 7. */
static bool valid_pat(u64 pat)
{
	for (int i = 0; i < 8; i++, pat >>= 8) {
		u8 type = pat & 0xFF;

		if (type > 7 || type == 2 || type == 3)
			return false;
	}
	return true;
}

#define APIC_BASE_BSP	 (1ull << 8)
#define APIC_BASE_EXTD	 (1ull << 10)
#define APIC_BASE_EN	 (1ull << 11)
#define LEAF1_ECX_X2APIC (1u << 21)

/*
 * The root owns its local APIC and may switch it between disabled, xAPIC
 * and x2APIC mode as the CPU allows, but not move it: at another address
 * its page would hide memory from the hypervisor too.  The checks are the
 * CPU's, so that the write itself cannot fault in the hypervisor.
 */
static bool write_root_apic_base(u64 value)
{
	u64 cur = vnr_rdmsr(MSR_APIC_BASE);
	u64 addr = ((1ull << arch_cpu_limits()->phys_addr_bits) - 1) &
		   ~(PAGE_SIZE - 1);
	u64 mode = APIC_BASE_EN | APIC_BASE_EXTD;

	if (value & ~(addr | mode | APIC_BASE_BSP))
		return false;
	if ((value ^ cur) & (addr | APIC_BASE_BSP))
		return false;
	if ((value & mode) == APIC_BASE_EXTD)
		return false; /* x2APIC without enable */
	if ((value & APIC_BASE_EXTD) &&
	    !(vnr_cpuid(1, 0).ecx & LEAF1_ECX_X2APIC))
		return false;
	if ((cur & mode) == mode && (value & mode) == APIC_BASE_EN)
		return false; /* x2APIC back to xAPIC needs a disable first */
	vnr_wrmsr(MSR_APIC_BASE, value);
	return true;
}

/*
 * A PC-platform partition's APIC starts enabled in xAPIC mode at the usual
 * base.  The guest may switch it to x2APIC mode; nothing else changes.
 */
static u64 pc_apic_base(struct hv_vp *vp)
{
	return VLAPIC_BASE | APIC_BASE_EN |
	       (x86_vp_state(vp)->lapic.x2apic ? APIC_BASE_EXTD : 0) |
	       (vp->index == 0 ? APIC_BASE_BSP : 0);
}

static bool write_pc_apic_base(struct hv_vp *vp, u64 value)
{
	u64 cur = pc_apic_base(vp);

	if (value != cur && value != (cur | APIC_BASE_EXTD))
		return false;
	x86_vp_state(vp)->lapic.x2apic = value & APIC_BASE_EXTD;
	return true;
}

/* The PC platform's MSRs (pc_platform.h); false: not one of them. */
/*
 * AMD's "interrupt pending message" MSR reads 0: no C1E on halt.  Linux
 * reads it on AMD processors with erratum 400 (QEMU's model among them)
 * and would log a #GP with a stack trace.
 */
static bool pc_rdmsr(struct hv_vp *vp, u32 msr, u64 *value, bool *ok)
{
	if (msr == MSR_APIC_BASE) {
		*value = pc_apic_base(vp);
		*ok = true;
	} else if (msr == MSR_K8_INT_PENDING_MSG) {
		*value = 0;
		*ok = true;
	} else if (vlapic_owns_msr(msr)) {
		*ok = vlapic_rdmsr(vp, msr, value);
	} else if (pv_clock_owns_msr(msr)) {
		*ok = pv_clock_rdmsr(vp, msr, value);
	} else {
		return false;
	}
	return true;
}

static bool pc_wrmsr(struct hv_vp *vp, u32 msr, u64 value, bool *ok)
{
	if (msr == MSR_APIC_BASE)
		*ok = write_pc_apic_base(vp, value);
	else if (vlapic_owns_msr(msr))
		*ok = vlapic_wrmsr(vp, msr, value);
	else if (pv_clock_owns_msr(msr))
		*ok = pv_clock_wrmsr(vp, msr, value);
	else
		return false;
	return true;
}

static bool write_hypercall(struct hv_partition *p, u64 value)
{
	u64 gpa = value & VNR_HYPERCALL_GPA_MASK;
	u8 *page;

	if (value & VNR_HYPERCALL_RESERVED_MASK)
		return false;
	if (value & VNR_HYPERCALL_ENABLE) {
		page = partition_gpa_to_host(p, gpa, PAGE_SIZE);
		if (!page)
			return false;
		vendor_hypercall_code(page);
	}
	p->hypercall_msr = value;
	return true;
}

/*
 * The root's access to an MSR outside the permission map's ranges (the
 * Scalable MCA banks of recent AMD CPUs, say) goes to the CPU as the
 * root asked, #GP where the CPU refuses it; Veneer's own range is not
 * among them.
 */
static bool root_passes(const struct hv_partition *p, u32 msr)
{
	return p->owns_machine && vendor_msr_always_exits(msr) &&
	       (msr < VNR_MSR_RANGE_FIRST || msr > VNR_MSR_RANGE_LAST);
}

bool guest_rdmsr(struct hv_vp *vp, u32 msr, u64 *value)
{
	struct hv_partition *p = vp->partition;
	bool ok;

	if (p->pc_platform && pc_rdmsr(vp, msr, value, &ok))
		return ok;
	if (synic_owns_msr(msr))
		return synic_rdmsr(vp, msr, value);
	switch (msr) {
	case MSR_TSC:
		*value = vnr_rdtsc();
		return true;
	case MSR_EFER:
		*value = vendor_get_reg(vp, HV_REG_EFER);
		return true;
	case MSR_PAT:
		*value = vendor_get_pat(vp);
		return true;
	case VNR_MSR_GUEST_OS_ID:
		*value = p->guest_os_id;
		return true;
	case VNR_MSR_HYPERCALL:
		*value = p->hypercall_msr;
		return true;
	case VNR_MSR_VP_INDEX:
		*value = vp->index;
		return true;
	case VNR_MSR_REFERENCE_TIME:
		*value = reftime_now();
		return true;
	case VNR_MSR_REFERENCE_TSC_PAGE:
		*value = p->reference_tsc_msr;
		return true;
	}
	return root_passes(p, msr) && x86_rdmsr_safe(msr, value);
}

static bool write_reference_tsc_page(struct hv_partition *p, u64 value)
{
	void *page = NULL;

	if (value & VNR_PAGE_MSR_RESERVED_MASK)
		return false;
	if (value & VNR_PAGE_MSR_ENABLE) {
		page = partition_gpa_to_host(p, value & VNR_PAGE_MSR_GPA_MASK,
					     PAGE_SIZE);
		if (!page)
			return false;
		reftime_fill_tsc_page(page);
	}
	p->reference_tsc_msr = value;
	return true;
}

bool guest_wrmsr(struct hv_vp *vp, u32 msr, u64 value)
{
	struct hv_partition *p = vp->partition;
	bool ok;

	if (p->pc_platform && pc_wrmsr(vp, msr, value, &ok))
		return ok;
	if (synic_owns_msr(msr))
		return synic_wrmsr(vp, msr, value);
	switch (msr) {
	case MSR_EFER:
		return write_efer(vp, value);
	case MSR_APIC_BASE:
		return p->owns_machine && write_root_apic_base(value);
	case MSR_X2APIC_ICR:
		return p->owns_machine && root_apic_icr_msr_write(value);
	case MSR_PAT:
		if (!valid_pat(value))
			return false;
		vendor_set_pat(vp, value);
		return true;
	case VNR_MSR_GUEST_OS_ID:
		p->guest_os_id = value;
		return true;
	case VNR_MSR_HYPERCALL:
		return write_hypercall(p, value);
	case VNR_MSR_REFERENCE_TSC_PAGE:
		return write_reference_tsc_page(p, value);
	}
	return root_passes(p, msr) && x86_wrmsr_safe(msr, value);
}
