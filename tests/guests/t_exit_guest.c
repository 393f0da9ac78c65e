// SPDX-License-Identifier: MIT
/*
 * Runs the exit benchmarks' guest (tests/bench/exit-bench/guest.h), which
 * vnr-io runs as a child of the root, as a boot partition, so that its
 * hypercall half is checked where no root stack is needed: it enables its
 * own hypercall page, makes its VP_YIELD calls with the control word it
 * is given in R12 and ends with PARTITION_EXIT from R13.  The partition
 * owns the guest's ports (exit_guest.cfg), so its port I/O goes to QEMU,
 * which ignores it, and the partition is not stopped for it.
 */
#include <vnr_guest/guest.h>

#include "guest.h"

static char hypercall_page[VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));

int vnr_main(const struct vnr_start_info *si)
{
	register vnr_u64 yield __asm__("r12") =
		vnr_hc_control(VNR_CALL_VP_YIELD, 1, 0, 0);
	register vnr_u64 partition_exit __asm__("r13") =
		vnr_hc_control(VNR_CALL_PARTITION_EXIT, 1, 0, 0);

	(void)si;
	__asm__ volatile("jmp *%[code]"
			 :
			 : [code] "r"(guest_code), "b"(vnr_gpa(hypercall_page)),
			   "r"(yield), "r"(partition_exit)
			 : "memory");
	__builtin_unreachable();
}
