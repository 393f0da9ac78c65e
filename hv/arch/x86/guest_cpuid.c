/* SPDX-License-Identifier: MIT */
/*
 * CPUID as partitions see it: the Veneer leaves from 0x40000000, and the
 * host's leaves with the hypervisor-present bit set and the CPU's own
 * virtualization extensions hidden.  The bits that mirror a control
 * register (OSXSAVE, OSPKE) mirror the guest's; leaf 0xD reports sizes for
 * the guest's XCR0, which is the CPU's while the guest's exits are handled.
 */
#include <hv/partition.h>
#include "cpu.h"
#include "guest.h"

#define LEAF1_ECX_MONITOR     (1u << 3)
#define LEAF1_ECX_VMX	      (1u << 5)
#define LEAF1_ECX_X2APIC      (1u << 21)
#define LEAF1_ECX_DEADLINE    (1u << 24)
#define LEAF1_ECX_PDCM	      (1u << 15)
#define LEAF1_EDX_MCE	      (1u << 7)
#define LEAF1_EDX_MTRR	      (1u << 12)
#define LEAF1_EDX_MCA	      (1u << 14)
#define LEAF7_ECX_RDPID	      (1u << 22)
#define EXT1_ECX_PERFCTR_CORE (1u << 23)
#define EXT1_EDX_RDTSCP	      (1u << 27)
#define LEAF1_ECX_OSXSAVE     (1u << 27)
#define LEAF1_ECX_HYPERVISOR  (1u << 31)
#define LEAF7_ECX_OSPKE	      (1u << 4)
#define CR4_PKE		      (1ull << 22)
#define EXT1_ECX_SVM	      (1u << 2)
#define HIGHEST_LEAF	      VNR_CPUID_LEAF_VP_IDENTITY
#define MAX_REP_COUNT	      VNR_HC_REP_MAX

static const u32 features =
	VNR_FEATURE_MASK(HYPERCALL_PAGE) | VNR_FEATURE_MASK(FAST_CALLS) |
	VNR_FEATURE_MASK(REP_CALLS) | VNR_FEATURE_MASK(REFERENCE_TIME) |
	VNR_FEATURE_MASK(DEBUG_CONSOLE) | VNR_FEATURE_MASK(SYNIC) |
	VNR_FEATURE_MASK(SYNTHETIC_TIMERS) |
	VNR_FEATURE_MASK(REFERENCE_TSC_PAGE) | VNR_FEATURE_MASK(GRANTS) |
	VNR_FEATURE_MASK(PARTITION_MANAGEMENT);

/* word with flag set exactly when the guest's CR4 has cr4_bit. */
static u32 mirror_cr4(struct hv_vp *vp, u32 word, u32 flag, u64 cr4_bit)
{
	bool on = vendor_get_reg(vp, HV_REG_CR4) & cr4_bit;

	return on ? word | flag : word & ~flag;
}

static struct vnr_cpuid_regs veneer_leaf(struct hv_vp *vp, u32 leaf)
{
	struct vnr_cpuid_regs r = {0, 0, 0, 0};

	switch (leaf) {
	case VNR_CPUID_LEAF_VENDOR:
		r = (struct vnr_cpuid_regs){HIGHEST_LEAF, VNR_CPUID_VENDOR_EBX,
					    VNR_CPUID_VENDOR_ECX,
					    VNR_CPUID_VENDOR_EDX};
		break;
	case VNR_CPUID_LEAF_INTERFACE:
		r.eax = VNR_CPUID_INTERFACE_EAX;
		r.ebx = VNR_ABI_VERSION;
		break;
	case VNR_CPUID_LEAF_FEATURES:
		r.eax = features;
		r.ebx = (u32)vp->partition->privileges;
		break;
	case VNR_CPUID_LEAF_LIMITS:
		r.eax = HV_MAX_VPS;
		r.ebx = HV_MAX_PARTITIONS;
		r.ecx = MAX_REP_COUNT;
		break;
	case VNR_CPUID_LEAF_VP_IDENTITY:
		r.eax = vp->partition->id;
		r.ebx = vp->index;
		break;
	}
	return r;
}

/*
 * A PC-platform partition (pc_platform.h) also finds, at the next base
 * Linux's hypervisor scan looks at, the KVM signature with the features
 * whose MSRs the platform implements: the pvclock (pv_clock.h), its
 * stable-TSC flag and port I/O without delay (Linux's
 * Documentation/virt/kvm/x86/cpuid.rst).  That is how a stock kernel
 * learns the TSC frequency and keeps the x2APIC without interrupt
 * remapping; docs/spec/pc-platform.md lists what it is given.
 */
#define PC_CPUID_BASE	  0x40000100u
#define PC_FEATURE_NOP_IO (1u << 1)
#define PC_FEATURE_CLOCK2 (1u << 3)
#define PC_FEATURE_STABLE (1u << 24)
#define PC_SIGNATURE_EBX  0x4B4D564Bu /* "KVMK" */
#define PC_SIGNATURE_ECX  0x564B4D56u /* "VMKV" */
#define PC_SIGNATURE_EDX  0x0000004Du /* "M\0\0\0" */

static bool pc_leaf(struct hv_vp *vp, u32 leaf, struct vnr_cpuid_regs *r)
{
	if (!vp->partition->pc_platform)
		return false;
	if (leaf == PC_CPUID_BASE) {
		*r = (struct vnr_cpuid_regs){PC_CPUID_BASE + 1,
					     PC_SIGNATURE_EBX, PC_SIGNATURE_ECX,
					     PC_SIGNATURE_EDX};
		return true;
	}
	if (leaf == PC_CPUID_BASE + 1) {
		*r = (struct vnr_cpuid_regs){PC_FEATURE_NOP_IO |
						     PC_FEATURE_CLOCK2 |
						     PC_FEATURE_STABLE,
					     0, 0, 0};
		return true;
	}
	return false;
}

/*
 * What the PC platform changes in the processor's own leaves: its local
 * APIC is an x2APIC with the TSC-deadline timer; it has no MONITOR/MWAIT
 * to idle with, no machine-check architecture, no MTRRs, no performance
 * counters, no TSC_AUX (so no RDTSCP or RDPID) and no memory encryption
 * (leaf 0x8000001F): the MSRs behind them are not emulated.  Every leaf
 * that names an APIC ID names the VP's, which its local APIC has.
 */
static void pc_adjust(struct hv_vp *vp, u32 leaf, struct vnr_cpuid_regs *r)
{
	if (!vp->partition->pc_platform)
		return;
	if (leaf == 1) {
		r->ebx = (r->ebx & 0x00FFFFFFu) | (vp->index << 24);
		r->ecx |= LEAF1_ECX_X2APIC | LEAF1_ECX_DEADLINE;
		r->ecx &= ~(LEAF1_ECX_MONITOR | LEAF1_ECX_PDCM);
		r->edx &= ~(LEAF1_EDX_MCE | LEAF1_EDX_MTRR | LEAF1_EDX_MCA);
	} else if (leaf == 0xB || leaf == 0x1F) {
		r->edx = vp->index; /* the x2APIC ID, whatever the level */
	} else if (leaf == 0x8000001E) {
		r->eax = vp->index; /* the extended APIC ID */
	} else if (leaf == 7) {
		r->ecx &= ~LEAF7_ECX_RDPID;
	} else if (leaf == 0x80000001) {
		r->ecx &= ~EXT1_ECX_PERFCTR_CORE;
		r->edx &= ~EXT1_EDX_RDTSCP;
	} else if (leaf == 0xA || leaf == 0x8000001F) {
		*r = (struct vnr_cpuid_regs){0, 0, 0, 0};
	}
}

/* The processor's leaf, as partitions may see it. */
static struct vnr_cpuid_regs host_leaf(struct hv_vp *vp, u32 leaf, u32 subleaf)
{
	struct vnr_cpuid_regs r = vnr_cpuid(leaf, subleaf);

	if (leaf == 1) {
		r.ecx &= ~LEAF1_ECX_VMX;
		r.ecx |= LEAF1_ECX_HYPERVISOR;
		r.ecx = mirror_cr4(vp, r.ecx, LEAF1_ECX_OSXSAVE, CR4_OSXSAVE);
	} else if (leaf == 7 && subleaf == 0) {
		r.ecx = mirror_cr4(vp, r.ecx, LEAF7_ECX_OSPKE, CR4_PKE);
	} else if (leaf == 0x80000001) {
		r.ecx &= ~EXT1_ECX_SVM;
	} else if (leaf == 0x8000000A) {
		r = (struct vnr_cpuid_regs){0, 0, 0, 0};
	}
	pc_adjust(vp, leaf, &r);
	return r;
}

void guest_cpuid(struct hv_vp *vp)
{
	u64 *g = vp->regs;
	u32 leaf = (u32)g[HV_REG_RAX], subleaf = (u32)g[HV_REG_RCX];
	struct vnr_cpuid_regs r;

	if (leaf >= VNR_CPUID_RANGE_FIRST && leaf <= VNR_CPUID_RANGE_LAST)
		r = veneer_leaf(vp, leaf);
	else if (!pc_leaf(vp, leaf, &r))
		r = host_leaf(vp, leaf, subleaf);
	g[HV_REG_RAX] = r.eax;
	g[HV_REG_RBX] = r.ebx;
	g[HV_REG_RCX] = r.ecx;
	g[HV_REG_RDX] = r.edx;
}
