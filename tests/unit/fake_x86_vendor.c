/* SPDX-License-Identifier: MIT */
/*
 * The vendor layer and root-mode paths guest_msr.c needs, for the tests
 * that build it hosted (test_guest_msr, test_pc_platform): registers are
 * the fake arch layer's, and since these tests build no root, reaching a
 * root path is a failure.  The fuzz target of the PC platform links it
 * too, so it aborts rather than use Check.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/root_exit.h"
#include "../../hv/arch/x86/vendor.h"

static void unreachable(const char *what)
{
	fprintf(stderr, "%s\n", what);
	abort();
}

u64 vendor_get_reg(struct hv_vp *vp, enum hv_reg reg)
{
	return arch_vp_get_reg(vp, reg);
}

void vendor_set_reg(struct hv_vp *vp, enum hv_reg reg, u64 value)
{
	arch_vp_set_reg(vp, reg, value);
}

bool vendor_msr_always_exits(u32 msr)
{
	(void)msr;
	unreachable("a partition reached the root's MSR pass-through");
	return false;
}

bool x86_rdmsr_safe(u32 msr, u64 *value)
{
	(void)msr;
	(void)value;
	unreachable("a partition read an MSR of the CPU");
	return false;
}

bool x86_wrmsr_safe(u32 msr, u64 value)
{
	(void)msr;
	(void)value;
	unreachable("a partition wrote an MSR of the CPU");
	return false;
}

bool root_apic_icr_msr_write(u64 value)
{
	(void)value;
	unreachable("a partition reached the root's x2APIC ICR path");
	return false;
}
