/* SPDX-License-Identifier: MIT */
/*
 * What a parent may set in its child's VP registers: a value the CPU
 * would refuse on entry is refused, alone or in combination with the VP's
 * other control registers, so a bad state never reaches the hardware.
 */
#include <hv/arch.h>
#include "cpu.h"

#define CR0_PE	  (1ull << 0)
#define CR0_NW	  (1ull << 29)
#define CR0_CD	  (1ull << 30)
#define CR0_PG	  (1ull << 31)
#define CR0_KNOWN 0xE005003Full /* PE MP EM TS ET NE WP AM NW CD PG */
#define CR4_PAE	  (1ull << 5)
/* VME-OSXMMEXCPT, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP, PKE */
#define CR4_KNOWN     0x007707FFull
#define EFER_KNOWN    (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define RFLAGS_FIXED1 0x2ull
#define RFLAGS_KNOWN  0x3F7FD7ull

static bool canonical(u64 v)
{
	return (u64)((s64)(v << 16) >> 16) == v;
}

/* What a parent may set in one register: long mode, known bits. */
static bool valid_value(enum hv_reg reg, u64 v)
{
	switch (reg) {
	case HV_REG_RIP:
	case HV_REG_RSP:
	case HV_REG_GDTR_BASE:
		return canonical(v);
	case HV_REG_GDTR_LIMIT:
		return v <= 0xFFFF;
	case HV_REG_RFLAGS:
		return (v & RFLAGS_FIXED1) && !(v & ~RFLAGS_KNOWN);
	case HV_REG_CR0:
		return (v & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG) &&
		       !(v & ~CR0_KNOWN);
	case HV_REG_CR4:
		return (v & CR4_PAE) && !(v & ~CR4_KNOWN);
	case HV_REG_EFER:
		return (v & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA) &&
		       !(v & ~EFER_KNOWN);
	default:
		return true;
	}
}

struct control_regs {
	u64 cr0, cr3, cr4, efer;
};

/*
 * The consistency checks VMRUN applies to these registers (AMD64 APM
 * vol. 2, 15.5.1), against what this processor implements.  CS, DR6 and
 * DR7 are not the parent's to set: the boot state keeps them valid.
 */
static bool enterable(const struct control_regs *c)
{
	const struct hv_cpu_limits *cpu = arch_cpu_limits();
	bool long_mode = (c->efer & EFER_LME) && (c->cr0 & CR0_PG);

	if (c->cr0 >> 32 || ((c->cr0 & CR0_NW) && !(c->cr0 & CR0_CD)))
		return false;
	if (cpu->phys_addr_bits < 64 && c->cr3 >> cpu->phys_addr_bits)
		return false;
	if ((c->cr4 & ~cpu->cr4) || (c->efer & ~cpu->efer))
		return false;
	return !long_mode || ((c->cr4 & CR4_PAE) && (c->cr0 & CR0_PE));
}

/* Whether vp can still be entered once reg holds v. */
static bool enterable_with(struct hv_vp *vp, enum hv_reg reg, u64 v)
{
	struct control_regs c;

	if (reg != HV_REG_CR0 && reg != HV_REG_CR3 && reg != HV_REG_CR4 &&
	    reg != HV_REG_EFER)
		return true; /* the others take no part in the checks */
	c.cr0 = reg == HV_REG_CR0 ? v : arch_vp_get_reg(vp, HV_REG_CR0);
	c.cr3 = reg == HV_REG_CR3 ? v : arch_vp_get_reg(vp, HV_REG_CR3);
	c.cr4 = reg == HV_REG_CR4 ? v : arch_vp_get_reg(vp, HV_REG_CR4);
	c.efer = reg == HV_REG_EFER ? v : arch_vp_get_reg(vp, HV_REG_EFER);
	return enterable(&c);
}

enum vnr_status arch_vp_check_reg(struct hv_vp *vp, enum hv_reg reg, u64 value)
{
	if (!valid_value(reg, value) || !enterable_with(vp, reg, value))
		return VNR_STATUS_INVALID_PARAMETER;
	return VNR_STATUS_SUCCESS;
}
