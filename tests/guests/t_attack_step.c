// SPDX-License-Identifier: MIT
/*
 * Reproducer: a single step (RFLAGS.TF) over an instruction that the
 * hypervisor intercepts and completes itself (CPUID here) traps after
 * that instruction, as on the CPU: one #DB with the RIP of the next
 * instruction and DR6.BS set.
 */
#include <vnr_test.h>

#define RFLAGS_TF 0x100ull
#define DR6_BS	  (1ull << 14)
#define DR6_INIT  0xFFFF0FF0ull

static volatile unsigned int single_steps;
static volatile vnr_u64 step_rip, step_dr6;

static bool single_step_taken(struct vnr_exception_frame *f)
{
	vnr_u64 dr6;

	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	if (single_steps++ == 0) {
		step_rip = f->rip;
		step_dr6 = dr6;
	}
	f->rflags &= ~RFLAGS_TF;
	return true;
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 after_cpuid;
	vnr_u32 leaf = 0;

	(void)si;
	vnr_test_begin("attack_step");
	asm volatile("mov %0, %%dr6" ::"r"(DR6_INIT));
	vnr_set_exception_handler(VNR_EXC_DB, single_step_taken);
	asm volatile("lea 1f(%%rip), %0\n\t"
		     "pushfq\n\t"
		     "orq %2, (%%rsp)\n\t"
		     "popfq\n\t"
		     "cpuid\n"
		     "1:\tnop\n\t"
		     "nop"
		     : "=&r"(after_cpuid), "+a"(leaf)
		     : "i"(RFLAGS_TF)
		     : "rbx", "rcx", "rdx", "memory", "cc");
	vnr_set_exception_handler(VNR_EXC_DB, NULL);
	VNR_EXPECT_EQ_AS("single step over CPUID raised one #DB", single_steps,
			 1);
	VNR_EXPECT_EQ_AS("#DB right after CPUID", step_rip, after_cpuid);
	VNR_EXPECT_EQ_AS("DR6.BS after the step", step_dr6 & DR6_BS, DR6_BS);
	return vnr_test_done();
}
