/* SPDX-License-Identifier: MIT */
/*
 * AMD-V for the root of root mode.  Its VP continues the firmware: the
 * save area is the CPU's state at the take-over.  It owns the machine, so
 * its control area differs from other partitions': physical interrupts
 * and NMIs reach it through its own IDT (no INTR or NMI intercept, no
 * virtual interrupt masking), HLT, MONITOR and MWAIT are its own (an idle
 * root takes no exits), and it reaches every I/O port but the hypervisor's
 * UART and the ACPI PM1a control register (watched for the power-off) and
 * every MSR but those that would show it AMD-V or let it leave
 * its partition (docs/spec/root-mode.md lists them).
 */
#include <hv/page_alloc.h>
#include <hv/string.h>
#include "../cpu.h"
#include "../root_cpu.h"
#include "../root_exit.h"
#include "../serial.h"
#include "svm_internal.h"

#define IOPM_PAGES    3
#define MSRPM_PAGES   2
#define UART_PORTS    8

#define MSR_SVM_FIRST 0xC0010114u /* VM_CR, IGNNE, SMM_CTL, VM_HSAVE_PA, */
#define MSR_SVM_LAST  0xC0010118u /* SVM_KEY_MSR */

/*
 * MSRs whose value the hypervisor depends on as much as the root: the TSC
 * (its clock), where RAM ends and SMRAM lies (its own memory accesses),
 * and SYSCFG (memory encryption, the fixed MTRRs' DRAM bits).  The root
 * reads them; a write raises #GP.
 */
static const u32 root_read_only[] = {
	0x0000003Bu, /* TSC_ADJUST */
	0xC0000104u, /* TSC_RATIO */
	0xC0010010u, /* SYSCFG */
	0xC001001Au, /* TOP_MEM */
	0xC001001Du, /* TOP_MEM2 */
	0xC0010112u, /* SMM_ADDR */
	0xC0010113u, /* SMM_MASK */
};

/* FS, GS, TR, LDTR and the syscall MSRs at the take-over (VMSAVE). */
static struct vmcb firmware_state __attribute__((aligned(PAGE_SIZE)));

void vendor_capture_cpu(void)
{
	vnr_wrmsr(MSR_EFER, vnr_rdmsr(MSR_EFER) | EFER_SVME);
	__asm__ volatile("vmsave %%rax" ::"a"(svm_pa(&firmware_state))
			 : "memory");
}

/* Sets the read and/or write intercept bit of msr in an MSR permission map. */
static void intercept_msr(u8 *msrpm, u32 msr, bool read, bool write)
{
	u32 bits = (read ? SVM_MSRPM_READ : 0) | (write ? SVM_MSRPM_WRITE : 0);
	u32 shift;
	u8 *byte = svm_msrpm_byte(msrpm, msr, &shift);

	if (byte)
		*byte |= (u8)(bits << shift);
}

/* Ports [first, first + count) exit, 0 meaning none. */
static void intercept_ports(u8 *iopm, u16 first, u32 count)
{
	for (u32 port = first; first && port < (u32)first + count; port++)
		iopm[port / 8] |= (u8)(1u << (port % 8));
}

static u8 *build_msrpm(struct hv_pool_account *pool)
{
	u8 *msrpm = page_alloc_charged(pool, MSRPM_PAGES);

	if (!msrpm)
		return NULL;
	memset(msrpm, 0, MSRPM_PAGES * PAGE_SIZE);
	intercept_msr(msrpm, MSR_EFER, true, true); /* SVME stays hidden */
	intercept_msr(msrpm, MSR_PAT, true, true);  /* kept in G_PAT */
	intercept_msr(msrpm, MSR_TSC, false, true); /* the hypervisor's clock */
	intercept_msr(msrpm, MSR_APIC_BASE, false, true); /* cannot move */
	for (u32 msr = MSR_SVM_FIRST; msr <= MSR_SVM_LAST; msr++)
		intercept_msr(msrpm, msr, true, true);
	for (u32 i = 0; i < ARRAY_SIZE(root_read_only); i++)
		intercept_msr(msrpm, root_read_only[i], false, true);
	return msrpm;
}

static u8 *build_iopm(struct hv_pool_account *pool)
{
	u8 *iopm = page_alloc_charged(pool, IOPM_PAGES);

	if (!iopm)
		return NULL;
	memset(iopm, 0, IOPM_PAGES * PAGE_SIZE);
	intercept_ports(iopm, serial_port(), UART_PORTS);
	intercept_ports(iopm, x86_root_pm1a_control, 2);
	intercept_ports(iopm, 0xCFC, 4); /* the Veneer PCI function */
	return iopm;
}

static void set_segment(struct vmcb_segment *v, const struct x86_segment *s)
{
	v->selector = s->selector;
	v->attrib = s->attrib;
	v->limit = s->limit;
	v->base = s->base;
}

static void init_root_control(struct vmcb_control *c,
			      const struct svm_partition *sp)
{
	/* #DB and #AC: as for every partition (svm_vp.c). */
	c->intercept_exceptions = (1u << X86_VECTOR_DB) | (1u << X86_VECTOR_AC);
	c->intercept_misc1 = SVM_INTERCEPT_INIT | SVM_INTERCEPT_CPUID |
			     SVM_INTERCEPT_INVD | SVM_INTERCEPT_INVLPGA |
			     SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
			     SVM_INTERCEPT_TASK_SWITCH | SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_XSETBV;
	c->iopm_base_pa = svm_pa(sp->iopm);
	c->msrpm_base_pa = svm_pa(sp->msrpm);
	c->guest_asid = sp->asid;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = svm_pa(sp->npt);
}

static void init_root_save(struct vmcb_save *s)
{
	const struct x86_root_cpu *c = &x86_root_cpu;
	const struct vmcb_save *fw = &firmware_state.save;

	set_segment(&s->cs, &c->cs);
	set_segment(&s->ss, &c->ss);
	set_segment(&s->ds, &c->ds);
	set_segment(&s->es, &c->es);
	s->fs = fw->fs;
	s->gs = fw->gs;
	s->tr = fw->tr;
	s->ldtr = fw->ldtr;
	s->star = fw->star;
	s->lstar = fw->lstar;
	s->cstar = fw->cstar;
	s->sfmask = fw->sfmask;
	s->kernel_gs_base = fw->kernel_gs_base;
	s->sysenter_cs = fw->sysenter_cs;
	s->sysenter_esp = fw->sysenter_esp;
	s->sysenter_eip = fw->sysenter_eip;
	s->gdtr.base = c->gdt_base;
	s->gdtr.limit = c->gdt_limit;
	s->idtr.base = c->idt_base;
	s->idtr.limit = c->idt_limit;
	s->cpl = 0;
	s->efer = c->efer | EFER_SVME;
	s->cr0 = c->cr0;
	s->cr3 = c->cr3;
	s->cr4 = c->cr4;
	s->dr6 = c->dr6;
	s->dr7 = c->dr7;
	s->g_pat = c->pat;
	s->rflags = x86_root_resume.rflags;
	s->rip = x86_root_resume.rip;
	s->rsp = x86_root_resume.rsp;
	s->rax = c->rax;
}

static void init_root_registers(u64 *regs)
{
	const struct x86_root_resume *r = &x86_root_resume;

	regs[HV_REG_RAX] = x86_root_cpu.rax;
	regs[HV_REG_RBX] = r->rbx;
	regs[HV_REG_RBP] = r->rbp;
	regs[HV_REG_R12] = r->r12;
	regs[HV_REG_R13] = r->r13;
	regs[HV_REG_R14] = r->r14;
	regs[HV_REG_R15] = r->r15;
}

void vendor_root_intercept_msr_write(struct hv_partition *root, u32 msr)
{
	intercept_msr(((struct svm_partition *)root->arch)->msrpm, msr, false,
		      true);
}

int svm_root_vp_init(struct hv_vp *vp, struct svm_vp *sv)
{
	struct svm_partition *sp = vp->partition->arch;
	struct hv_pool_account *pool = &vp->partition->pool;

	if (!sp->iopm)
		sp->iopm = build_iopm(pool);
	if (!sp->msrpm)
		sp->msrpm = build_msrpm(pool);
	if (!sp->iopm || !sp->msrpm)
		return -1;
	init_root_control(&sv->vmcb->control, sp);
	init_root_save(&sv->vmcb->save);
	init_root_registers(vp->regs);
	svm.gif_after_exit = false;
	return 0;
}
