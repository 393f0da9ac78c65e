// SPDX-License-Identifier: MIT
/*
 * #DB, which the hypervisor intercepts and reflects, reaches the guest as
 * the architecture defines it: a single step (RFLAGS.TF) traps once after
 * the next instruction, with DR6.BS set.  (#AC is reflected the same way;
 * QEMU's software CPU never raises it, so the bench cannot show it.)
 */
#include <vnr_test.h>

#define RFLAGS_TF 0x100ull
#define DR6_BS	  (1ull << 14)
#define DR6_INIT  0xFFFF0FF0ull

static volatile unsigned int single_steps;
static volatile vnr_u64 step_dr6;

/* One step is enough: TF goes off in the frame the handler returns to. */
static bool single_step_taken(struct vnr_exception_frame *f)
{
	vnr_u64 dr6;

	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	step_dr6 = dr6;
	single_steps++;
	f->rflags &= ~RFLAGS_TF;
	return true;
}

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	vnr_test_begin("reflected");
	asm volatile("mov %0, %%dr6" ::"r"(DR6_INIT));
	vnr_set_exception_handler(VNR_EXC_DB, single_step_taken);
	asm volatile("pushfq; orq %0, (%%rsp); popfq; nop; nop" ::"i"(RFLAGS_TF)
		     : "memory", "cc");
	vnr_set_exception_handler(VNR_EXC_DB, NULL);
	VNR_EXPECT_EQ_AS("single step raised one #DB", single_steps, 1);
	VNR_EXPECT_EQ_AS("DR6.BS after a single step", step_dr6 & DR6_BS,
			 DR6_BS);
	return vnr_test_done();
}
