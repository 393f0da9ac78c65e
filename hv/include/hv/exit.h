/* SPDX-License-Identifier: MIT */
/* Vendor-neutral VM exit reasons, used for per-partition counters. */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#define HV_EXIT_REASONS(X)                                \
	X(HYPERCALL, "hypercall")                         \
	X(CPUID, "cpuid")                                 \
	X(MSR_READ, "rdmsr")                              \
	X(MSR_WRITE, "wrmsr")                             \
	X(HLT, "hlt")                                     \
	X(INTERRUPT, "host interrupt")                    \
	X(INTERRUPT_WINDOW, "interrupt window")           \
	X(NESTED_PAGE_FAULT, "nested page fault")         \
	X(TRIPLE_FAULT, "triple fault")                   \
	X(IO, "i/o port")                                 \
	X(VIRT_INSTRUCTION, "virtualization instruction") \
	X(XSETBV, "xsetbv")                               \
	X(EXCEPTION, "exception")                         \
	X(INVD, "invd")                                   \
	X(INIT, "init")                                   \
	X(OTHER, "other")

enum hv_exit_reason {
#define HV_EXIT_ENUM(name, text) HV_EXIT_##name,
	HV_EXIT_REASONS(HV_EXIT_ENUM)
#undef HV_EXIT_ENUM
		HV_EXIT_COUNT
};

/* The reason's name for the summary; "other" for one out of range. */
const char *hv_exit_reason_name(enum hv_exit_reason reason);

#endif /* HV_EXIT_H */
