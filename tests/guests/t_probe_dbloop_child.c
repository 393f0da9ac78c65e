// SPDX-License-Identifier: MIT
/*
 * A VP caught in its own #DB delivery: a data breakpoint on its IDT's #DB
 * gate, then a single step.  Each delivery of #DB reads the gate, which
 * raises #DB again before the handler runs, so the VP never reaches an
 * instruction of its own and never exits on its own.
 */
#include <vnr_test.h>

#define RFLAGS_TF  0x100ull
#define DR7_L0	   0x1ull
#define DR7_RW0_RW (3ull << 16) /* breakpoint 0 on data reads and writes */
#define DR7_LEN0_8 (2ull << 18) /* of 8 bytes */
#define DR7_FIXED  0x400ull

struct idt_pointer {
	vnr_u16 limit;
	vnr_u64 base;
} __attribute__((packed));

static vnr_u64 db_gate_address(void)
{
	struct idt_pointer idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	return idtr.base + 16 * VNR_EXC_DB;
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 gate = db_gate_address();

	(void)si;
	asm volatile("mov %0, %%dr0" ::"r"(gate));
	asm volatile("mov %0, %%dr7" ::"r"(DR7_FIXED | DR7_L0 | DR7_RW0_RW |
					   DR7_LEN0_8));
	asm volatile("pushfq; orq %0, (%%rsp); popfq; nop" ::"i"(RFLAGS_TF)
		     : "memory", "cc");
	/* Only a hypervisor that lost the loop gets here. */
	vnr_partition_exit(0x77);
}
