/* SPDX-License-Identifier: MIT */
/*
 * The control-register bits this processor implements, from its CPUID:
 * what VMRUN's consistency checks (AMD64 APM vol. 2, 15.5.1) accept in a
 * guest's CR3, CR4 and EFER.
 */
#include <hv/arch.h>
#include "cpu.h"

enum cpuid_reg { EBX, ECX, EDX };

/* A CR4 bit and the CPUID feature flag that says it exists. */
struct cr4_feature {
	u8 cr4_bit;
	u32 leaf;
	enum cpuid_reg reg;
	u8 bit;
};

static const struct cr4_feature cr4_features[] = {
	{0, 1, EDX, 1},	  /* VME: VME */
	{1, 1, EDX, 1},	  /* PVI: VME */
	{2, 1, EDX, 4},	  /* TSD: TSC */
	{3, 1, EDX, 2},	  /* DE: DE */
	{4, 1, EDX, 3},	  /* PSE: PSE */
	{5, 1, EDX, 6},	  /* PAE: PAE */
	{6, 1, EDX, 7},	  /* MCE: MCE */
	{7, 1, EDX, 13},  /* PGE: PGE */
	{9, 1, EDX, 24},  /* OSFXSR: FXSR */
	{10, 1, EDX, 25}, /* OSXMMEXCPT: SSE */
	{11, 7, ECX, 2},  /* UMIP: UMIP */
	{12, 7, ECX, 16}, /* LA57: LA57 */
	{13, 1, ECX, 5},  /* VMXE: VMX (never on AMD) */
	{14, 1, ECX, 6},  /* SMXE: SMX (never on AMD) */
	{16, 7, EBX, 0},  /* FSGSBASE: FSGSBASE */
	{17, 1, ECX, 17}, /* PCIDE: PCID */
	{18, 1, ECX, 26}, /* OSXSAVE: XSAVE */
	{19, 7, ECX, 23}, /* KL: Key Locker (never on AMD) */
	{20, 7, EBX, 7},  /* SMEP: SMEP */
	{21, 7, EBX, 20}, /* SMAP: SMAP */
	{22, 7, ECX, 3},  /* PKE: PKU */
	{23, 7, ECX, 7},  /* CET: CET_SS */
	{24, 7, ECX, 31}, /* PKS: PKS (never on AMD) */
};

#define CR4_PCE (1ull << 8) /* exists on every x86-64 processor */

static bool has_feature(const struct cr4_feature *f)
{
	struct vnr_cpuid_regs r;
	u32 word;

	if (f->leaf > vnr_cpuid(0, 0).eax)
		return false;
	r = vnr_cpuid(f->leaf, 0);
	word = f->reg == EBX ? r.ebx : f->reg == ECX ? r.ecx : r.edx;
	return word >> f->bit & 1;
}

static u64 implemented_cr4(void)
{
	u64 bits = CR4_PCE;

	for (u32 i = 0; i < sizeof(cr4_features) / sizeof(cr4_features[0]); i++)
		if (has_feature(&cr4_features[i]))
			bits |= 1ull << cr4_features[i].cr4_bit;
	return bits;
}

/* Long mode is required to run at all; SCE and NXE have their flags. */
static u64 implemented_efer(void)
{
	u32 edx = vnr_cpuid(0x80000001, 0).edx;
	u64 bits = EFER_LME | EFER_LMA;

	if (edx >> 11 & 1)
		bits |= EFER_SCE;
	if (edx >> 20 & 1)
		bits |= EFER_NXE;
	return bits;
}

const struct hv_cpu_limits *arch_cpu_limits(void)
{
	static struct hv_cpu_limits limits;

	if (!limits.phys_addr_bits) {
		limits.phys_addr_bits = vnr_cpuid(0x80000008, 0).eax & 0xFF;
		limits.cr4 = implemented_cr4();
		limits.efer = implemented_efer();
	}
	return &limits;
}
