/* SPDX-License-Identifier: MIT */
/*
 * Where a hypercall's words live in the x86 registers (docs/spec/
 * conventions.md): the control word in RCX, the two arguments in RDX and
 * R8, the result in RAX and a fast call's outputs in RDX and R8.  Each is
 * a general register the backend keeps in vp->regs, so no access leaves
 * memory: the hypercall path stays cheap.
 */
#include <hv/arch.h>
#include <hv/partition.h>

void arch_hypercall_input(const struct hv_vp *vp, u64 *control, u64 *arg0,
			  u64 *arg1)
{
	*control = vp->regs[HV_REG_RCX];
	*arg0 = vp->regs[HV_REG_RDX];
	*arg1 = vp->regs[HV_REG_R8];
}

void arch_hypercall_result(struct hv_vp *vp, u64 result)
{
	vp->regs[HV_REG_RAX] = result;
}

void arch_hypercall_fast_outputs(struct hv_vp *vp, u64 out0, u64 out1)
{
	vp->regs[HV_REG_RDX] = out0;
	vp->regs[HV_REG_R8] = out1;
}

void arch_hypercall_continue(struct hv_vp *vp, u64 control)
{
	vp->regs[HV_REG_RCX] = control;
}
