// SPDX-License-Identifier: MIT
/*
 * With an empty IDT, ud2 escalates to a triple fault, after which the
 * hypervisor must stop the partition: DONE is never printed.
 */
#include <vnr_test.h>

struct idt_pointer {
	vnr_u16 limit;
	vnr_u64 base;
} __attribute__((packed));

int vnr_main(const struct vnr_start_info *si)
{
	static const struct idt_pointer empty = {0, 0};

	(void)si;
	vnr_test_begin("t_triple");
	vnr_test_note("about to triple fault");
	asm volatile("lidt %0; ud2" : : "m"(empty) : "memory");
	VNR_EXPECT(!"still running after a triple fault");
	return vnr_test_done();
}
