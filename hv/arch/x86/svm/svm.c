/* SPDX-License-Identifier: MIT */
/*
 * The AMD-V backend of the vendor interface.
 *
 * Required: SVM and nested paging.  Used when CPUID reports them: next-RIP
 * saving (otherwise the lengths of the few intercepted instructions are
 * known), flush-by-ASID (otherwise a full TLB flush) and as many ASIDs as
 * the CPU has (partitions share the last one, with a flush on every switch,
 * when there are more partitions than ASIDs).
 */
#include <hv/log.h>
#include <hv/page_alloc.h>
#include <hv/string.h>
#include "../cpu.h"
#include "../vendor.h"
#include "npt.h"
#include "svm_internal.h"

#define CPUID_EXT1_ECX_SVM	    (1u << 2)
#define CPUID_SVM_EDX_NP	    (1u << 0)
#define CPUID_SVM_EDX_NRIPS	    (1u << 3)
#define CPUID_SVM_EDX_FLUSH_BY_ASID (1u << 6)
#define CPUID_EXT1_EDX_PAGE1GB	    (1u << 26)
#define VM_CR_SVMDIS		    (1ull << 4)

#define IOPM_PAGES		    3
#define MSRPM_PAGES		    2

struct svm_state svm;

static struct svm_partition *to_svm_part(struct hv_partition *p)
{
	return p->arch;
}

const char *vendor_name(void)
{
	return "AMD-V";
}

const char *vendor_unsupported(void)
{
	struct vnr_cpuid_regs vendor = vnr_cpuid(0, 0);

	if (vendor.ebx != 0x68747541) /* "AuthenticAMD" */
		return "this CPU is not AMD; Intel VT-x is not supported yet";
	if (vnr_cpuid(0x80000000, 0).eax < 0x8000000A ||
	    !(vnr_cpuid(0x80000001, 0).ecx & CPUID_EXT1_ECX_SVM))
		return "the CPU has no AMD-V (SVM)";
	if (vnr_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		return "AMD-V (SVM) is disabled by the firmware (VM_CR.SVMDIS)";
	if (!(vnr_cpuid(0x8000000A, 0).edx & CPUID_SVM_EDX_NP))
		return "the CPU has AMD-V but no nested paging (NPT)";
	return NULL;
}

/*
 * Lets the MSRs a 64-bit guest owns outright through without exits: each
 * is switched by VMLOAD/VMSAVE.  PAT is not among them: not every
 * implementation keeps a guest PAT apart from the host's, so the guest's
 * lives in the VMCB's G_PAT and its accesses are emulated.
 */
static void msrpm_allow(u32 msr)
{
	u32 shift;
	u8 *byte = svm_msrpm_byte(svm.msrpm, msr, &shift);

	if (byte)
		*byte &= (u8) ~(SVM_MSRPM_READ_WRITE << shift);
}

/* Three ranges of 0x2000 MSRs, 0x800 bytes each, two bits per MSR. */
u8 *svm_msrpm_byte(u8 *msrpm, u32 msr, u32 *shift)
{
	static const u32 range_first[3] = {0, 0xC0000000u, 0xC0010000u};

	for (u32 r = 0; r < 3; r++) {
		u32 offset = msr - range_first[r];

		if (msr < range_first[r] || offset >= 0x2000)
			continue;
		*shift = offset % 4 * 2;
		return &msrpm[r * 0x800 + offset / 4];
	}
	return NULL;
}

bool vendor_msr_always_exits(u32 msr)
{
	u32 shift;

	return !svm_msrpm_byte(svm.msrpm, msr, &shift);
}

static int build_permission_maps(void)
{
	static const u32 passthrough[] = {
		0x174,	    0x175,	0x176,	    /* SYSENTER_CS/ESP/EIP */
		0xC0000081, 0xC0000082,		    /* STAR, LSTAR */
		0xC0000083, 0xC0000084,		    /* CSTAR, SFMASK */
		0xC0000100, 0xC0000101, 0xC0000102, /* FS/GS/KERNEL_GS base */
	};

	svm.iopm = page_alloc_contiguous(IOPM_PAGES);
	svm.msrpm = page_alloc_contiguous(MSRPM_PAGES);
	if (!svm.iopm || !svm.msrpm)
		return -1;
	memset(svm.iopm, 0xFF, IOPM_PAGES * PAGE_SIZE);
	memset(svm.msrpm, 0xFF, MSRPM_PAGES * PAGE_SIZE);
	for (u32 i = 0; i < ARRAY_SIZE(passthrough); i++)
		msrpm_allow(passthrough[i]);
	return 0;
}

int vendor_init(void)
{
	struct vnr_cpuid_regs f = vnr_cpuid(0x8000000A, 0);
	void *hsave = page_alloc();

	svm.host_vmcb = page_alloc();
	if (!hsave || !svm.host_vmcb || build_permission_maps())
		return -1;
	svm.nrips = f.edx & CPUID_SVM_EDX_NRIPS;
	svm.flush_by_asid = f.edx & CPUID_SVM_EDX_FLUSH_BY_ASID;
	svm.asids = f.ebx;
	svm.huge_pages = vnr_cpuid(0x80000001, 0).edx & CPUID_EXT1_EDX_PAGE1GB;
	npt_huge_pages = svm.huge_pages;
	svm.gif_after_exit = true;
	svm.next_asid = 1; /* ASID 0 belongs to the host */
	vnr_wrmsr(MSR_EFER, vnr_rdmsr(MSR_EFER) | EFER_SVME);
	vnr_wrmsr(MSR_VM_HSAVE_PA, svm_pa(hsave));
	/* FS, GS, TR and the syscall MSRs of the host never change. */
	__asm__ volatile("vmsave %%rax" ::"a"(svm_pa(svm.host_vmcb))
			 : "memory");
	hv_log("AMD-V: %u ASIDs, next-RIP save %s, flush-by-ASID %s\n",
	       svm.asids, svm.nrips ? "yes" : "no",
	       svm.flush_by_asid ? "yes" : "no");
	return 0;
}

/* The partition's own structures count against its share of the pool. */
int vendor_partition_init(struct hv_partition *p)
{
	struct svm_partition *sp = page_alloc_charged(&p->pool, 1);

	if (!sp)
		return -1;
	sp->npt = page_alloc_charged(&p->pool, 1);
	if (!sp->npt) {
		page_free_charged(&p->pool, sp);
		return -1;
	}
	if (svm.next_asid < svm.asids - 1) {
		sp->asid = svm.next_asid++;
	} else {
		sp->asid = svm.asids - 1;
		sp->shared_asid = true;
	}
	p->arch = sp;
	return 0;
}

void vendor_partition_destroy(struct hv_partition *p)
{
	struct svm_partition *sp = to_svm_part(p);

	npt_free(&p->pool, sp->npt);
	if (sp->iopm)
		for (u32 i = 0; i < IOPM_PAGES; i++)
			page_free_charged(&p->pool, sp->iopm + i * PAGE_SIZE);
	if (sp->msrpm)
		for (u32 i = 0; i < MSRPM_PAGES; i++)
			page_free_charged(&p->pool, sp->msrpm + i * PAGE_SIZE);
	page_free_charged(&p->pool, sp);
	p->arch = NULL;
}

int vendor_map(struct hv_partition *p, u64 gpa, u64 hpa, u64 size,
	       bool writable)
{
	return npt_map(&p->pool, to_svm_part(p)->npt, gpa, hpa, size, writable);
}

static void flush_all_vps(struct hv_partition *p)
{
	for (u32 i = 0; i < p->vp_count; i++)
		((struct svm_vp *)p->vps[i].arch)->needs_flush = true;
}

/* One CPU runs all VPs: a flush on each VP's next entry is enough. */
int vendor_unmap(struct hv_partition *p, u64 gpa, u64 size)
{
	int err = npt_unmap(&p->pool, to_svm_part(p)->npt, gpa, size);

	if (!err)
		flush_all_vps(p);
	return err;
}

bool vendor_maps_page(struct hv_partition *p, u64 gpa, u64 hpa)
{
	return npt_maps_small_page(to_svm_part(p)->npt, gpa, hpa);
}

int vendor_back_with_page(struct hv_partition *p, u64 gpa, u64 size, u64 hpa)
{
	int err = npt_back_with_page(to_svm_part(p)->npt, gpa, size, hpa);

	if (!err)
		flush_all_vps(p);
	return err;
}

int vendor_io_map_init(struct hv_partition *p)
{
	struct svm_partition *sp = to_svm_part(p);

	if (sp->iopm)
		return 0;
	sp->iopm = page_alloc_charged(&p->pool, IOPM_PAGES);
	if (!sp->iopm)
		return -1;
	memset(sp->iopm, 0xFF, IOPM_PAGES * PAGE_SIZE);
	return 0;
}

void vendor_io_pass(struct hv_partition *p, u16 port)
{
	to_svm_part(p)->iopm[port / 8] &= (u8) ~(1u << (port % 8));
}
