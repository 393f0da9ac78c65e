/* SPDX-License-Identifier: MIT */
/* The PC platform's unit tests' common ground (pc_fixture.h). */
#include "pc_fixture.h"

#include <check.h>
#include <string.h>

#include <veneer/msr.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/guest.h"
#include "../../hv/arch/x86/pc_platform.h"
#include "../../hv/arch/x86/vlapic.h"
#include "../../hv/arch/x86/vp_state.h"
#include "fake_pc_vendor.h"
#include "fixture.h"

#define APIC_BASE_MSR (VLAPIC_BASE | 0x900ull) /* enabled, BSP */
#define EXTD	      0x400ull
#define X2_SVR	      (MSR_X2APIC_FIRST + 0x0Fu)
#define SVR_ON	      0x1FFull /* enabled, spurious vector 0xFF */

struct hv_vp *pc_fx_setup(struct hv_partition **p, u64 privileges)
{
	struct hv_vp *vp;

	fx_reset();
	*p = fx_partition("pc", privileges);
	vp = &(*p)->vps[0];
	ck_assert_int_eq(arch_partition_enable_pc_platform(*p), 0);
	vlapic_reset(&x86_vp_state(vp)->lapic);
	arch_vp_set_reg(vp, HV_REG_RIP, PC_FX_RIP);
	memset(fake_insn, 0, sizeof(fake_insn));
	fake_insn_len = 0;
	fake_completions = 0;
	return vp;
}

void pc_fx_teardown(struct hv_partition *p)
{
	arch_partition_disable_pc_platform(p);
}

u64 pc_fx_rdmsr(struct hv_vp *vp, u32 msr)
{
	u64 value = 0;

	ck_assert_msg(guest_rdmsr(vp, msr, &value), "RDMSR 0x%x faulted", msr);
	return value;
}

void pc_fx_wrmsr(struct hv_vp *vp, u32 msr, u64 value)
{
	ck_assert_msg(guest_wrmsr(vp, msr, value), "WRMSR 0x%x, 0x%llx faulted",
		      msr, (unsigned long long)value);
}

void pc_fx_x2apic_on(struct hv_vp *vp)
{
	pc_fx_wrmsr(vp, MSR_APIC_BASE, APIC_BASE_MSR | EXTD);
	pc_fx_wrmsr(vp, X2_SVR, SVR_ON);
}

bool pc_fx_pending(const struct hv_vp *vp, u8 vector)
{
	return vp->intc.pending[vector / 64] & (1ull << (vector % 64));
}

bool pc_fx_in_service(const struct hv_vp *vp, u8 vector)
{
	return vp->intc.in_service[vector / 64] & (1ull << (vector % 64));
}

bool pc_fx_nothing_pending(const struct hv_vp *vp)
{
	const u64 *b = vp->intc.pending;

	return !(b[0] | b[1] | b[2] | b[3]);
}

struct x86_exit pc_fx_port_exit(u16 port, u8 size, bool write)
{
	return (struct x86_exit){.reason = HV_EXIT_IO,
				 .qualification = port,
				 .write = write,
				 .io_byte = size == 1,
				 .io_size = size,
				 .insn_len = 1};
}

u64 pc_fx_in(struct hv_vp *vp, u16 port, u8 size, u64 rax)
{
	struct x86_exit e = pc_fx_port_exit(port, size, false);

	vp->regs[HV_REG_RAX] = rax;
	ck_assert(pc_platform_io(vp, &e));
	return vp->regs[HV_REG_RAX];
}

void pc_fx_out(struct hv_vp *vp, u16 port, u8 size, u64 value)
{
	struct x86_exit e = pc_fx_port_exit(port, size, true);

	vp->regs[HV_REG_RAX] = value;
	ck_assert(pc_platform_io(vp, &e));
}
