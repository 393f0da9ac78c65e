// SPDX-License-Identifier: MIT
/*
 * Intercepted instructions with prefixes: VMMCALL, CPUID, RDMSR and HLT
 * with operand-size, segment, REX and REP prefixes.  Without next-RIP
 * save (QEMU's -cpu max) the hypervisor decodes their length from the
 * guest's bytes; RIP must land after the whole instruction.  Each form is
 * followed by "mov $1, %r9d": a RIP left inside the instruction runs its
 * last bytes as a different instruction, which faults or skips the mov.
 */
#include <vnr_test.h>

#define SINT	 2
#define VECTOR	 0x52
#define TIMER	 0
#define NEXT_RIP "mov $1, %%r9d\n\t"

#define VMMCALL_WITH(prefixes)                                                 \
	({                                                                     \
		vnr_u64 rax_v, marker_v;                                       \
		asm volatile("xor %%r9d, %%r9d\n\t"                            \
			     ".byte " prefixes                                 \
			     ", 0x0f, 0x01, 0xd9\n\t" NEXT_RIP "mov %%r9, %1"  \
			     : "=a"(rax_v), "=r"(marker_v)                     \
			     : "c"((vnr_u64)VNR_CALL_NULL_CALL | VNR_HC_FAST), \
			       "d"(0ull), "S"(0ull)                            \
			     : "r8", "r9", "memory", "cc");                    \
		VNR_EXPECT_EQ_AS("VMMCALL " prefixes " status",                \
				 vnr_hc_status(rax_v), VNR_STATUS_SUCCESS);    \
		VNR_EXPECT_EQ_AS("VMMCALL " prefixes " RIP", marker_v, 1);     \
	})

#define CPUID_WITH(prefixes)                                                   \
	({                                                                     \
		vnr_u32 eax_v, ebx_v, ecx_v, edx_v;                            \
		vnr_u64 marker_v;                                              \
		struct vnr_cpuid_regs want_v = vnr_cpuid(0, 0);                \
		asm volatile("xor %%r9d, %%r9d\n\t"                            \
			     ".byte " prefixes ", 0x0f, 0xa2\n\t" NEXT_RIP     \
			     "mov %%r9, %4"                                    \
			     : "=a"(eax_v), "=b"(ebx_v), "=c"(ecx_v),          \
			       "=d"(edx_v), "=r"(marker_v)                     \
			     : "a"(0), "c"(0)                                  \
			     : "r9", "memory", "cc");                          \
		VNR_EXPECT_EQ_AS("CPUID " prefixes " EAX", eax_v, want_v.eax); \
		VNR_EXPECT_EQ_AS("CPUID " prefixes " EBX", ebx_v, want_v.ebx); \
		VNR_EXPECT_EQ_AS("CPUID " prefixes " RIP", marker_v, 1);       \
		(void)ecx_v;                                                   \
		(void)edx_v;                                                   \
	})

#define RDMSR_WITH(prefixes)                                               \
	({                                                                 \
		vnr_u32 eax_v, edx_v;                                      \
		vnr_u64 marker_v;                                          \
		asm volatile("xor %%r9d, %%r9d\n\t"                        \
			     ".byte " prefixes ", 0x0f, 0x32\n\t" NEXT_RIP \
			     "mov %%r9, %2"                                \
			     : "=a"(eax_v), "=d"(edx_v), "=r"(marker_v)    \
			     : "c"(VNR_MSR_VP_INDEX)                       \
			     : "r9", "memory", "cc");                      \
		VNR_EXPECT_EQ_AS("RDMSR " prefixes " VP index", eax_v, 0); \
		VNR_EXPECT_EQ_AS("RDMSR " prefixes " RIP", marker_v, 1);   \
		(void)edx_v;                                               \
	})

/*
 * STI; HLT with prefixes, woken by a one-shot timer.  A RIP left on the
 * final F4 would halt again with nothing left to wake it.
 */
#define HLT_WITH(prefixes)                                                   \
	({                                                                   \
		struct vnr_message msg_v;                                    \
		vnr_u64 marker_v;                                            \
		vnr_irq_disable();                                           \
		vnr_stimer_oneshot(TIMER, SINT,                              \
				   vnr_reference_time() + VNR_TICKS_PER_MS); \
		asm volatile("xor %%r9d, %%r9d\n\t"                          \
			     "sti\n\t"                                       \
			     ".byte " prefixes ", 0xf4\n\t" NEXT_RIP         \
			     "mov %%r9, %0\n\t"                              \
			     "cli"                                           \
			     : "=r"(marker_v)                                \
			     :                                               \
			     : "r9", "memory", "cc");                        \
		vnr_irq_enable();                                            \
		VNR_EXPECT_EQ_AS("HLT " prefixes " RIP", marker_v, 1);       \
		while (!vnr_message_take(SINT, &msg_v))                      \
			;                                                    \
	})

int vnr_main(const struct vnr_start_info *si)
{
	(void)si;
	vnr_test_begin("t_prefixed");
	VMMCALL_WITH("0x66");
	VMMCALL_WITH("0x2e");
	VMMCALL_WITH("0x2e, 0x3e, 0x66");
	CPUID_WITH("0x66");
	CPUID_WITH("0x48");
	CPUID_WITH("0x2e, 0x66, 0x48");
	RDMSR_WITH("0x66");
	RDMSR_WITH("0x3e, 0x48");
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(SINT, VECTOR, NULL, NULL,
					VNR_SINT_AUTO_EOI)))
		return vnr_test_done();
	HLT_WITH("0xf3");
	HLT_WITH("0x2e");
	HLT_WITH("0x66, 0x3e");
	return vnr_test_done();
}
