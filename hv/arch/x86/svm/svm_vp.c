/* SPDX-License-Identifier: MIT */
/* AMD-V virtual processors: VMCB set-up, entry, registers, events. */
#include <hv/log.h>
#include <hv/page_alloc.h>
#include <hv/string.h>
#include "../cpu.h"
#include "../vendor.h"
#include "svm_internal.h"

#define ATTR_CODE64	0x029B /* present, DPL 0, L, execute/read, accessed */
#define ATTR_DATA	0x0C93 /* present, DPL 0, D/B, G, read/write, accessed */
#define ATTR_TSS64_BUSY 0x008B
#define ATTR_LDT	0x0082

#define CR0_PE		(1ull << 0)
#define CR0_MP		(1ull << 1)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define PAT_DEFAULT	0x0007040600070406ull

static void set_segment(struct vmcb_segment *s, u16 sel, u16 attrib, u32 limit)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

static void init_control(struct vmcb *v, const struct svm_partition *sp)
{
	struct vmcb_control *c = &v->control;

	/*
	 * #DB and #AC can recur during their own delivery, which the CPU
	 * never leaves (no instruction boundary, so no interrupt window):
	 * intercepted, each delivery is an exit and the VP stays preemptible.
	 */
	c->intercept_exceptions = (1u << X86_VECTOR_DB) | (1u << X86_VECTOR_AC);
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
			     SVM_INTERCEPT_SMI | SVM_INTERCEPT_INIT |
			     SVM_INTERCEPT_CPUID | SVM_INTERCEPT_INVD |
			     SVM_INTERCEPT_HLT | SVM_INTERCEPT_INVLPGA |
			     SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
			     SVM_INTERCEPT_TASK_SWITCH | SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_MONITOR |
			     SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_XSETBV;
	c->iopm_base_pa = svm_pa(sp->iopm ? sp->iopm : svm.iopm);
	c->msrpm_base_pa = svm_pa(sp->msrpm ? sp->msrpm : svm.msrpm);
	c->guest_asid = sp->asid;
	c->int_ctl = SVM_INT_CTL_V_INTR_MASKING;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = svm_pa(sp->npt);
}

static void init_save(struct vmcb *v, const struct hv_vp_boot_state *boot)
{
	struct vmcb_save *s = &v->save;
	u16 ds = boot->data_selector;

	set_segment(&s->cs, boot->code_selector, ATTR_CODE64, 0xFFFFFFFF);
	set_segment(&s->ds, ds, ATTR_DATA, 0xFFFFFFFF);
	set_segment(&s->es, ds, ATTR_DATA, 0xFFFFFFFF);
	set_segment(&s->ss, ds, ATTR_DATA, 0xFFFFFFFF);
	set_segment(&s->fs, ds, ATTR_DATA, 0xFFFFFFFF);
	set_segment(&s->gs, ds, ATTR_DATA, 0xFFFFFFFF);
	set_segment(&s->tr, 0, ATTR_TSS64_BUSY, 0x67);
	set_segment(&s->ldtr, 0, ATTR_LDT, 0);
	s->gdtr.base = boot->gdt_base;
	s->gdtr.limit = boot->gdt_limit;
	s->idtr.base = 0;
	s->idtr.limit = 0;
	s->cpl = 0;
	s->efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME;
	s->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->cr3 = boot->cr3;
	s->cr4 = CR4_PAE;
	s->dr6 = 0xFFFF0FF0;
	s->dr7 = 0x400;
	s->rflags = 0x2;
	s->rip = boot->rip;
	s->rsp = boot->rsp;
	s->g_pat = PAT_DEFAULT;
}

int vendor_vp_init(struct hv_vp *vp, const struct hv_vp_boot_state *boot)
{
	struct svm_partition *sp = vp->partition->arch;
	struct hv_pool_account *pool = &vp->partition->pool;
	struct svm_vp *sv = page_alloc_charged(pool, 1);

	if (!sv)
		return -1;
	sv->vmcb = page_alloc_charged(pool, 1);
	if (!sv->vmcb) {
		page_free_charged(pool, sv);
		return -1;
	}
	if (boot->adopt_cpu) {
		if (svm_root_vp_init(vp, sv)) {
			page_free_charged(pool, sv->vmcb);
			page_free_charged(pool, sv);
			return -1;
		}
	} else {
		init_control(sv->vmcb, sp);
		init_save(sv->vmcb, boot);
	}
	sv->needs_flush = true;
	vp->arch = sv;
	return 0;
}

void vendor_vp_destroy(struct hv_vp *vp)
{
	struct svm_vp *sv = vp->arch;

	page_free_charged(&vp->partition->pool, sv->vmcb);
	page_free_charged(&vp->partition->pool, sv);
	vp->arch = NULL;
}

/*
 * A partition with its own ASID needs a flush only on its first run and
 * after its mappings shrank; one that shares the last ASID also needs one
 * whenever another partition ran in between, which can only change at
 * the start of a time slice.
 */
void vendor_vp_begin_slice(struct hv_vp *vp)
{
	struct svm_partition *sp = vp->partition->arch;

	if (sp->shared_asid && svm.last_partition != vp->partition)
		((struct svm_vp *)vp->arch)->needs_flush = true;
	svm.last_partition = vp->partition;
}

static u8 tlb_control(struct svm_vp *sv)
{
	if (__builtin_expect(!sv->needs_flush, 1))
		return 0;
	sv->needs_flush = false;
	return svm.flush_by_asid ? SVM_TLB_CONTROL_FLUSH_ASID
				 : SVM_TLB_CONTROL_FLUSH_ALL;
}

static bool guest_interruptible(const struct vmcb *v)
{
	return (v->save.rflags & RFLAGS_IF) &&
	       !(v->control.interrupt_shadow & SVM_INTERRUPT_SHADOW) &&
	       !(v->control.event_inject & SVM_EVENT_VALID);
}

/*
 * Injects the highest deliverable synthetic interrupt, or, when the guest
 * cannot take one now, asks for an exit as soon as it can (a virtual
 * interrupt with the VINTR intercept).
 */
static void inject_interrupt(struct hv_vp *vp, struct vmcb *v)
{
	int vector = vintc_deliverable(&vp->intc);

	if (vector < 0)
		return;
	if (guest_interruptible(v)) {
		v->control.event_inject = (u64)vector | SVM_EVENT_VALID;
		vintc_accept(&vp->intc, (u8)vector);
		return;
	}
	v->control.int_ctl |= SVM_INT_CTL_V_IRQ | SVM_INT_CTL_V_IGN_TPR |
			      SVM_INT_CTL_V_INTR_PRIO_MAX;
	v->control.intercept_misc1 |= SVM_INTERCEPT_VINTR;
}

/* An event the exit interrupted is delivered again on the next entry. */
static void complete_events(struct vmcb *v)
{
	u64 pending = v->control.exit_int_info;

	v->control.event_inject = pending & SVM_EVENT_VALID ? pending : 0;
	if (v->control.int_ctl & SVM_INT_CTL_V_IRQ) {
		v->control.int_ctl &=
			~(SVM_INT_CTL_V_IRQ | SVM_INT_CTL_V_IGN_TPR |
			  SVM_INT_CTL_V_INTR_PRIO_MAX);
		v->control.intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	}
}

void vendor_vp_enter(struct hv_vp *vp, struct x86_exit *exit)
{
	struct svm_vp *sv = vp->arch;
	struct vmcb *v = sv->vmcb;

	if (vp->intc.any_pending)
		inject_interrupt(vp, v);
	v->control.tlb_control = tlb_control(sv);
	v->save.rax = vp->regs[HV_REG_RAX];
	svm_keep_entry_state(sv);
	svm_enter_guest(vp->regs, svm_pa(v), svm_pa(svm.host_vmcb),
			svm.gif_after_exit);
	svm_recover_refused_entry(sv);
	vp->regs[HV_REG_RAX] = v->save.rax;
	complete_events(v);
	svm_decode_exit(v, exit);
}

void vendor_take_host_interrupt(void)
{
	/* GIF is set again; open IF for one instruction to take it. */
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

u64 vendor_get_reg(struct hv_vp *vp, enum hv_reg reg)
{
	const struct vmcb_save *s = &((struct svm_vp *)vp->arch)->vmcb->save;

	switch (reg) {
	case HV_REG_RSP:
		return s->rsp;
	case HV_REG_RIP:
		return s->rip;
	case HV_REG_RFLAGS:
		return s->rflags;
	case HV_REG_CR0:
		return s->cr0;
	case HV_REG_CR2:
		return s->cr2;
	case HV_REG_CR3:
		return s->cr3;
	case HV_REG_CR4:
		return s->cr4;
	case HV_REG_EFER:
		return s->efer & ~EFER_SVME; /* the guest never sees SVM */
	case HV_REG_GDTR_BASE:
		return s->gdtr.base;
	case HV_REG_GDTR_LIMIT:
		return s->gdtr.limit;
	default:
		return vp->regs[reg];
	}
}

void vendor_set_reg(struct hv_vp *vp, enum hv_reg reg, u64 value)
{
	struct vmcb_save *s = &((struct svm_vp *)vp->arch)->vmcb->save;

	switch (reg) {
	case HV_REG_RSP:
		s->rsp = value;
		break;
	case HV_REG_RIP:
		s->rip = value;
		break;
	case HV_REG_EFER:
		s->efer = value | EFER_SVME; /* required by VMRUN, hidden */
		break;
	case HV_REG_RFLAGS:
		s->rflags = value;
		break;
	case HV_REG_CR0:
		s->cr0 = value;
		break;
	case HV_REG_CR2:
		s->cr2 = value;
		break;
	case HV_REG_CR3:
		s->cr3 = value;
		break;
	case HV_REG_CR4:
		s->cr4 = value;
		break;
	case HV_REG_GDTR_BASE:
		s->gdtr.base = value;
		break;
	case HV_REG_GDTR_LIMIT:
		s->gdtr.limit = (u32)value;
		break;
	default:
		vp->regs[reg] = value;
	}
}

u64 vendor_get_dr7(struct hv_vp *vp)
{
	return ((struct svm_vp *)vp->arch)->vmcb->save.dr7;
}

u64 vendor_get_idt_base(struct hv_vp *vp)
{
	return ((struct svm_vp *)vp->arch)->vmcb->save.idtr.base;
}

u64 vendor_get_pat(struct hv_vp *vp)
{
	return ((struct svm_vp *)vp->arch)->vmcb->save.g_pat;
}

void vendor_set_pat(struct hv_vp *vp, u64 pat)
{
	((struct svm_vp *)vp->arch)->vmcb->save.g_pat = pat;
}

void vendor_inject_exception(struct hv_vp *vp, u8 vector, bool has_error,
			     u32 error_code)
{
	struct vmcb_control *c = &((struct svm_vp *)vp->arch)->vmcb->control;

	c->event_inject =
		vector | SVM_EVENT_TYPE_EXCEPTION | SVM_EVENT_VALID |
		(has_error ? SVM_EVENT_ERROR_VALID | ((u64)error_code << 32)
			   : 0);
}

/* VMMCALL; RET */
void vendor_hypercall_code(u8 *page)
{
	static const u8 code[] = {0x0F, 0x01, 0xD9, 0xC3};

	memcpy(page, code, sizeof(code));
}
