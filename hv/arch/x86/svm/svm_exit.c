/* SPDX-License-Identifier: MIT */
/*
 * Decoding of AMD-V exit codes into the common struct x86_exit, and the
 * recovery of the VP's state when VMRUN refuses it.
 */
#include "svm_internal.h"

static void decode_simple(struct x86_exit *e, enum hv_exit_reason reason)
{
	e->reason = reason;
	e->insn_len = 0; /* known from next RIP, or decoded when skipped */
}

/* QEMU stores VMEXIT_INVALID 32 bits wide, the CPU 64: compare 32. */
static bool entry_refused(const struct vmcb *v)
{
	return (u32)v->control.exit_code == (u32)SVM_EXIT_INVALID;
}

void svm_keep_entry_state(struct svm_vp *sv)
{
	const struct vmcb_save *s = &sv->vmcb->save;

	sv->entered = (struct svm_entry_state){
		.rax = s->rax,
		.rsp = s->rsp,
		.rip = s->rip,
		.rflags = s->rflags,
		.cr0 = s->cr0,
		.cr2 = s->cr2,
		.cr3 = s->cr3,
		.cr4 = s->cr4,
		.efer = s->efer,
		.gdtr_base = s->gdtr.base,
		.gdtr_limit = s->gdtr.limit,
		.cpl = s->cpl,
	};
}

void svm_recover_refused_entry(struct svm_vp *sv)
{
	struct vmcb_save *s = &sv->vmcb->save;
	const struct svm_entry_state *e = &sv->entered;

	if (__builtin_expect(!entry_refused(sv->vmcb), 1))
		return;
	s->rax = e->rax;
	s->rsp = e->rsp;
	s->rip = e->rip;
	s->rflags = e->rflags;
	s->cr0 = e->cr0;
	s->cr2 = e->cr2;
	s->cr3 = e->cr3;
	s->cr4 = e->cr4;
	s->efer = e->efer;
	s->gdtr.base = e->gdtr_base;
	s->gdtr.limit = e->gdtr_limit;
	s->cpl = e->cpl;
}

/* A nested page fault: the GPA and the NPF_* access bits. */
static void decode_npf(const struct vmcb *v, struct x86_exit *e)
{
	e->reason = HV_EXIT_NESTED_PAGE_FAULT;
	e->qualification = v->control.exit_info2;
	e->error_code = v->control.exit_info1;
	e->write = v->control.exit_info1 & 2;
}

/* IN or OUT: the port, the direction, the size, whether it is a string. */
static void decode_io(const struct vmcb *v, struct x86_exit *e)
{
	u64 info = v->control.exit_info1;

	e->reason = HV_EXIT_IO;
	e->qualification = info >> 16;
	e->write = !(info & SVM_IOIO_IN);
	e->io_string = info & SVM_IOIO_STRING;
	e->io_size = (u8)((info & SVM_IOIO_SIZE_MASK) >> 4); /* 1, 2 or 4 */
	e->io_byte = !e->io_string && e->io_size == 1;
	/* EXITINFO2 holds the next RIP of an I/O exit on every CPU. */
	e->insn_len = (u32)(v->control.exit_info2 - v->save.rip);
}

/* An intercepted exception, a refused entry, or an exit not handled. */
static void decode_other(const struct vmcb *v, struct x86_exit *e, u64 code)
{
	e->entry_failed = entry_refused(v);
	if (code >= SVM_EXIT_EXCEPTION_BASE &&
	    code < SVM_EXIT_EXCEPTION_BASE + 32) {
		e->reason = HV_EXIT_EXCEPTION;
		e->qualification = code - SVM_EXIT_EXCEPTION_BASE;
		e->error_code = v->control.exit_info1;
	}
}

void svm_decode_exit(const struct vmcb *v, struct x86_exit *e)
{
	u64 code = v->control.exit_code;

	e->vendor_code = code;
	e->cpl = v->save.cpl;
	if (code == SVM_EXIT_VMMCALL) { /* the hot path, before the switch */
		decode_simple(e, HV_EXIT_HYPERCALL);
		return;
	}
	*e = (struct x86_exit){
		.reason = HV_EXIT_OTHER,
		.vendor_code = code,
		.cpl = v->save.cpl,
	};
	switch (code) {
	case SVM_EXIT_CPUID:
		decode_simple(e, HV_EXIT_CPUID);
		break;
	case SVM_EXIT_MSR:
		e->write = v->control.exit_info1 == 1;
		decode_simple(e,
			      e->write ? HV_EXIT_MSR_WRITE : HV_EXIT_MSR_READ);
		break;
	case SVM_EXIT_HLT:
		decode_simple(e, HV_EXIT_HLT);
		break;
	case SVM_EXIT_VINTR:
		e->reason = HV_EXIT_INTERRUPT_WINDOW;
		break;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
		e->reason = HV_EXIT_INTERRUPT;
		break;
	case SVM_EXIT_NPF:
		decode_npf(v, e);
		break;
	case SVM_EXIT_SHUTDOWN:
		e->reason = HV_EXIT_TRIPLE_FAULT;
		break;
	case SVM_EXIT_INVD:
		decode_simple(e, HV_EXIT_INVD);
		break;
	case SVM_EXIT_INIT:
		e->reason = HV_EXIT_INIT;
		break;
	case SVM_EXIT_IOIO:
		decode_io(v, e);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
		e->reason = HV_EXIT_VIRT_INSTRUCTION;
		break;
	case SVM_EXIT_XSETBV:
		decode_simple(e, HV_EXIT_XSETBV);
		break;
	default:
		decode_other(v, e, code);
	}
}
