// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The SynIC's MSRs, on the partition's VP 0 (veneer_synic.h). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/printk.h>
#include <asm/msr.h>

#include <veneer/msr.h>

#include "veneer_synic.h"

/* A partition's VP 0 is Linux's boot processor. */
#define VENEER_SYNIC_CPU 0

static int veneer_synic_msr(u32 msr, u64 value)
{
	int err = wrmsrl_safe_on_cpu(VENEER_SYNIC_CPU, msr, value);

	if (err)
		pr_err("the hypervisor refused %#llx in MSR %#x\n", value, msr);
	return err ? -EIO : 0;
}

void veneer_synic_msrs_off(const u32 *sints, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		wrmsrl_safe_on_cpu(VENEER_SYNIC_CPU, VNR_MSR_SINT0 + sints[i],
				   VNR_SINT_MASKED);
	wrmsrl_safe_on_cpu(VENEER_SYNIC_CPU, VNR_MSR_SCONTROL, 0);
	wrmsrl_safe_on_cpu(VENEER_SYNIC_CPU, VNR_MSR_SIMP, 0);
	wrmsrl_safe_on_cpu(VENEER_SYNIC_CPU, VNR_MSR_SIEFP, 0);
}

int veneer_synic_msrs_on(struct vnr_message_page *simp,
			 struct vnr_event_flags_page *siefp, const u32 *sints,
			 unsigned int count, u64 sint_value)
{
	unsigned int i;
	int err;

	err = veneer_synic_msr(VNR_MSR_SIMP,
			       virt_to_phys(simp) | VNR_PAGE_MSR_ENABLE);
	if (!err)
		err = veneer_synic_msr(VNR_MSR_SIEFP,
				       virt_to_phys(siefp) | VNR_PAGE_MSR_ENABLE);
	for (i = 0; i < count && !err; i++)
		err = veneer_synic_msr(VNR_MSR_SINT0 + sints[i], sint_value);
	if (!err)
		err = veneer_synic_msr(VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE);
	if (err)
		veneer_synic_msrs_off(sints, count);
	return err;
}
