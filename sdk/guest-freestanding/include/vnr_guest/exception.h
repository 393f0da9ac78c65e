/* SPDX-License-Identifier: MIT */
/*
 * CPU exceptions (vectors 0-31).
 *
 * Unless a handler takes it, an exception prints its vector, error code and
 * RIP and ends the partition with VNR_EXIT_EXCEPTION(vector).  A handler can
 * instead resume the guest, for example by moving frame->rip past the
 * faulting instruction, which is how tests expect #GP or #UD.
 */
#ifndef VNR_GUEST_EXCEPTION_H
#define VNR_GUEST_EXCEPTION_H

#include <stdbool.h>
#include <veneer/types.h>

enum vnr_exception_vector {
	VNR_EXC_DE = 0,
	VNR_EXC_DB = 1,
	VNR_EXC_NMI = 2,
	VNR_EXC_BP = 3,
	VNR_EXC_OF = 4,
	VNR_EXC_BR = 5,
	VNR_EXC_UD = 6,
	VNR_EXC_NM = 7,
	VNR_EXC_DF = 8,
	VNR_EXC_TS = 10,
	VNR_EXC_NP = 11,
	VNR_EXC_SS = 12,
	VNR_EXC_GP = 13,
	VNR_EXC_PF = 14,
	VNR_EXC_MF = 16,
	VNR_EXC_AC = 17,
	VNR_EXC_MC = 18,
	VNR_EXC_XM = 19,
	VNR_EXC_VE = 20,
	VNR_EXC_CP = 21,
	VNR_EXC_VC = 29,
	VNR_EXC_SX = 30,
	VNR_EXC_COUNT = 32,
};

/* Saved state, lowest address first; written back on return. */
struct vnr_exception_frame {
	vnr_u64 r15, r14, r13, r12, r11, r10, r9, r8;
	vnr_u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	vnr_u64 vector;
	vnr_u64 error_code; /* 0 for vectors without one */
	vnr_u64 rip, cs, rflags, rsp, ss;
};

/* Returns true to resume at frame->rip, false for the default report. */
typedef bool (*vnr_exception_handler)(struct vnr_exception_frame *frame);

/*
 * Installs fn (NULL restores the default) for vector and returns the
 * previous handler.  Vectors of 32 and above are ignored.
 */
vnr_exception_handler vnr_set_exception_handler(unsigned int vector,
						vnr_exception_handler fn);

#endif /* VNR_GUEST_EXCEPTION_H */
