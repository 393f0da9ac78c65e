// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD-V half of the probe: CPUID, the SVM instructions and the SVM
 * MSRs as the root kernel sees them.  Faults are caught by the exception
 * table, so a hidden feature shows as "ud" or "gp", never as an oops.
 */
#include "probe.h"

#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/trapnr.h>

/*
 * Runs one SVM instruction with rax and ecx zero.  EX_TYPE_FAULT resumes
 * after it with the vector in rax; without a fault rax becomes NO_FAULT.
 */
#define DEFINE_SVM_TRY(insn)                                     \
	static long try_##insn(void)                             \
	{                                                        \
		long rax = 0;                                    \
		asm volatile("1: " #insn "\n\t"                  \
			     "mov %[none], %%rax\n\t"            \
			     "2:\n\t" _ASM_EXTABLE_FAULT(1b, 2b) \
			     : "+a"(rax)                         \
			     : "c"(0), [none] "i"(NO_FAULT)      \
			     : "memory");                        \
		return rax;                                      \
	}

DEFINE_SVM_TRY(vmrun)
DEFINE_SVM_TRY(vmload)
DEFINE_SVM_TRY(vmsave)
DEFINE_SVM_TRY(stgi)
DEFINE_SVM_TRY(clgi)
DEFINE_SVM_TRY(skinit)
DEFINE_SVM_TRY(invlpga)

static void report_outcome(const char *name, long vector)
{
	if (vector == NO_FAULT)
		pr_info("%s ok\n", name);
	else if (vector == X86_TRAP_UD)
		pr_info("%s ud\n", name);
	else if (vector == X86_TRAP_GP)
		pr_info("%s gp\n", name);
	else
		pr_info("%s fault vector=%ld\n", name, vector);
}

static void probe_instructions(void)
{
	report_outcome("vmrun", try_vmrun());
	report_outcome("vmload", try_vmload());
	report_outcome("vmsave", try_vmsave());
	report_outcome("stgi", try_stgi());
	report_outcome("clgi", try_clgi());
	report_outcome("skinit", try_skinit());
	report_outcome("invlpga", try_invlpga());
}

/* Reads @msr, reporting the value; a fault leaves @value zero. */
static void probe_rdmsr(const char *name, u32 msr, u64 *value)
{
	if (rdmsrl_safe(msr, value)) {
		*value = 0;
		pr_info("rdmsr-%s gp\n", name);
	} else {
		pr_info("rdmsr-%s ok value=0x%llx\n", name, *value);
	}
}

/* Writes back what was read, so that an accepted write changes nothing. */
static void probe_wrmsr(const char *name, u32 msr, u64 value)
{
	if (wrmsrl_safe(msr, value))
		pr_info("wrmsr-%s gp\n", name);
	else
		pr_info("wrmsr-%s ok value=0x%llx\n", name, value);
}

/* Tries to set EFER.SVME, restoring EFER at once if that worked. */
static void probe_efer_write(u64 efer)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = wrmsrl_safe(MSR_EFER, efer | EFER_SVME);
	if (!err)
		wrmsrl(MSR_EFER, efer);
	local_irq_restore(flags);
	pr_info("wrmsr-efer-svme %s\n", err ? "gp" : "ok");
}

void probe_svm(void)
{
	u64 efer, value;

	pr_info("cpuid-svm %u\n", (cpuid_ecx(0x80000001) >> 2) & 1);
	probe_rdmsr("efer", MSR_EFER, &efer);
	pr_info("efer-svme %u\n", !!(efer & EFER_SVME));
	if (efer & EFER_SVME)
		pr_info("svm-instructions skipped efer-svme-set\n");
	else
		probe_instructions();
	probe_rdmsr("vm-hsave-pa", MSR_VM_HSAVE_PA, &value);
	probe_wrmsr("vm-hsave-pa", MSR_VM_HSAVE_PA, value);
	probe_rdmsr("vm-cr", MSR_VM_CR, &value);
	probe_wrmsr("vm-cr", MSR_VM_CR, value);
	probe_efer_write(efer);
	/* Outside AMD-V's MSR permission map: passed to the CPU. */
	probe_rdmsr("smca-bank0", 0xC0002000u, &value);
	probe_wrmsr("smca-bank0", 0xC0002000u, 0);
}
