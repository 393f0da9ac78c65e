// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The hypercall page, the per-CPU pages memory calls pass by physical
 * address, and what a call's status means as an errno
 * (docs/spec/conventions.md).  Compiled into veneer.ko and veneer_bus.ko.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/vmalloc.h>
#include <asm/asm.h>
#include <asm/msr.h>

#include <veneer/msr.h>

#include "veneer_hc.h"

/*
 * The hypercall page must be a page of RAM the kernel can execute.  Linux
 * 6.1 exports no allocator of executable memory (vmap() forces NX,
 * __vmalloc() takes no protection, module_alloc() and set_memory_x() are
 * not exported), but a module's own text is executable: the page is a
 * page-aligned section of this module's text, which the module loader
 * places page-aligned and maps executable.  The hypervisor writes its call
 * sequence into it through the page's physical address (the kernel's
 * mapping of it is read-only); until then it holds INT3s.  Calls reach it
 * with a direct CALL, so no retpoline or indirect-branch rule applies.
 */
static_assert(PAGE_SIZE == 4096);
asm(".pushsection .text.veneer_hypercall_page, \"ax\", @progbits\n"
    ".balign 4096\n"
    ".globl veneer_hypercall_page\n"
    "veneer_hypercall_page:\n"
    ".fill 4096, 1, 0xcc\n"
    ".popsection\n");
extern const char veneer_hypercall_page[];

static DEFINE_PER_CPU(struct veneer_hc_pages, veneer_pages);

u64 veneer_hypercall(u64 control, u64 rdx, u64 r8)
{
	register u64 r8_reg asm("r8") = r8;
	u64 result;

	/*
	 * The call preserves every register but RAX, RCX (a rep call's
	 * start index) and, for fast calls, RDX and R8.
	 */
	asm volatile("call veneer_hypercall_page"
		     : "=a"(result), "+c"(control), "+d"(rdx), "+r"(r8_reg),
		       ASM_CALL_CONSTRAINT
		     :
		     : "cc", "memory");
	return result;
}

struct veneer_hc_pages *veneer_hc_pages_get(void)
{
	preempt_disable();
	return this_cpu_ptr(&veneer_pages);
}

void veneer_hc_pages_put(void)
{
	preempt_enable();
}

static void veneer_free_pages(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct veneer_hc_pages *pages = per_cpu_ptr(&veneer_pages, cpu);

		free_page((unsigned long)pages->input);
		free_page((unsigned long)pages->output);
		pages->input = NULL;
		pages->output = NULL;
	}
}

static int veneer_alloc_pages(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct veneer_hc_pages *pages = per_cpu_ptr(&veneer_pages, cpu);

		pages->input = (void *)get_zeroed_page(GFP_KERNEL);
		pages->output = (void *)get_zeroed_page(GFP_KERNEL);
		if (!pages->input || !pages->output) {
			veneer_free_pages();
			return -ENOMEM;
		}
	}
	return 0;
}

int veneer_hypercall_init(void)
{
	u64 page = page_to_phys(vmalloc_to_page(veneer_hypercall_page));
	int err = veneer_alloc_pages();

	if (err)
		return err;
	if (wrmsrl_safe(VNR_MSR_HYPERCALL, page | VNR_HYPERCALL_ENABLE)) {
		pr_err("the hypervisor refused the hypercall page at %#llx\n",
		       page);
		veneer_free_pages();
		return -EIO;
	}
	return 0;
}

void veneer_hypercall_exit(void)
{
	wrmsrl(VNR_MSR_HYPERCALL, 0);
	veneer_free_pages();
}

/*
 * The errno for each status:
 *
 *   INVALID_PARAMETER, INVALID_ALIGNMENT, INVALID_VP_INDEX,
 *   INVALID_REGISTER, INVALID_GRANT          -EINVAL
 *   ACCESS_DENIED                            -EPERM
 *   INVALID_GPA                              -ENXIO  (no such child RAM)
 *   INVALID_PARTITION_ID                     -ENOENT
 *   INSUFFICIENT_MEMORY                      -ENOMEM
 *   NOT_SUPPORTED                            -EOPNOTSUPP
 *   INVALID_CALL_CODE                        -ENOSYS (an older hypervisor)
 *   INVALID_CONNECTION_ID                    -ENOTCONN
 *   INSUFFICIENT_BUFFERS, PORT_NOT_READY     -EAGAIN
 *   GPA_IN_USE                               -EEXIST
 *   QUOTA_EXCEEDED                           -ENOSPC
 *   INVALID_PARTITION_STATE                  -EBUSY
 *   INVALID_CONTROL and any unknown status   -EIO    (a call the module
 *                                                     got wrong)
 */
int veneer_errno(enum vnr_status status)
{
	switch (status) {
	case VNR_STATUS_SUCCESS:
		return 0;
	case VNR_STATUS_INVALID_PARAMETER:
	case VNR_STATUS_INVALID_ALIGNMENT:
	case VNR_STATUS_INVALID_VP_INDEX:
	case VNR_STATUS_INVALID_REGISTER:
	case VNR_STATUS_INVALID_GRANT:
		return -EINVAL;
	case VNR_STATUS_ACCESS_DENIED:
		return -EPERM;
	case VNR_STATUS_INVALID_GPA:
		return -ENXIO;
	case VNR_STATUS_INVALID_PARTITION_ID:
		return -ENOENT;
	case VNR_STATUS_INSUFFICIENT_MEMORY:
		return -ENOMEM;
	case VNR_STATUS_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case VNR_STATUS_INVALID_CALL_CODE:
		return -ENOSYS;
	case VNR_STATUS_INVALID_CONNECTION_ID:
		return -ENOTCONN;
	case VNR_STATUS_INSUFFICIENT_BUFFERS:
	case VNR_STATUS_PORT_NOT_READY:
		return -EAGAIN;
	case VNR_STATUS_GPA_IN_USE:
		return -EEXIST;
	case VNR_STATUS_QUOTA_EXCEEDED:
		return -ENOSPC;
	case VNR_STATUS_INVALID_PARTITION_STATE:
		return -EBUSY;
	case VNR_STATUS_INVALID_CONTROL:
	default:
		return -EIO;
	}
}
