/* SPDX-License-Identifier: MIT */
/*
 * The hypercall control word (RCX) and result word (RAX).
 *
 *   RCX  63:60 reserved (0)         RAX  63:44 reserved (0)
 *        59:48 rep start index           43:32 reps completed
 *        47:44 reserved (0)              31:16 reserved (0)
 *        43:32 rep count                 15:0  status (enum vnr_status)
 *        31:17 reserved (0)
 *        16    fast (arguments in registers)
 *        15:0  call code (enum vnr_call_code)
 *
 * Memory calls pass the input page GPA in RDX and the output page GPA in R8.
 * Fast calls pass up to two arguments in RDX and R8 and get up to two
 * results back in RDX and R8.
 */
#ifndef VENEER_HYPERCALL_H
#define VENEER_HYPERCALL_H

#include "types.h"
#include "calls.h"
#include "status.h"

#define VNR_HC_CODE_MASK       0x000000000000FFFFull
#define VNR_HC_FAST	       0x0000000000010000ull
#define VNR_HC_REP_COUNT_SHIFT 32
#define VNR_HC_REP_COUNT_MASK  0x00000FFF00000000ull
#define VNR_HC_REP_START_SHIFT 48
#define VNR_HC_REP_START_MASK  0x0FFF000000000000ull
#define VNR_HC_RESERVED_MASK                                        \
	(~(VNR_HC_CODE_MASK | VNR_HC_FAST | VNR_HC_REP_COUNT_MASK | \
	   VNR_HC_REP_START_MASK))
#define VNR_HC_REP_MAX	       0xFFFu

#define VNR_HC_STATUS_MASK     0x000000000000FFFFull
#define VNR_HC_REPS_DONE_SHIFT 32
#define VNR_HC_REPS_DONE_MASK  0x00000FFF00000000ull
#define VNR_HC_RESULT_RESERVED_MASK \
	(~(VNR_HC_STATUS_MASK | VNR_HC_REPS_DONE_MASK))

/* Input and output GPAs must be aligned to this many bytes. */
#define VNR_HC_GPA_ALIGN 8u

static inline vnr_u64 vnr_hc_control(vnr_u16 code, int fast, vnr_u32 rep_count,
				     vnr_u32 rep_start)
{
	return (vnr_u64)code | (fast ? VNR_HC_FAST : 0) |
	       (((vnr_u64)rep_count << VNR_HC_REP_COUNT_SHIFT) &
		VNR_HC_REP_COUNT_MASK) |
	       (((vnr_u64)rep_start << VNR_HC_REP_START_SHIFT) &
		VNR_HC_REP_START_MASK);
}

static inline vnr_u16 vnr_hc_code(vnr_u64 control)
{
	return (vnr_u16)(control & VNR_HC_CODE_MASK);
}

static inline int vnr_hc_is_fast(vnr_u64 control)
{
	return (control & VNR_HC_FAST) != 0;
}

static inline vnr_u32 vnr_hc_rep_count(vnr_u64 control)
{
	return (vnr_u32)((control & VNR_HC_REP_COUNT_MASK) >>
			 VNR_HC_REP_COUNT_SHIFT);
}

static inline vnr_u32 vnr_hc_rep_start(vnr_u64 control)
{
	return (vnr_u32)((control & VNR_HC_REP_START_MASK) >>
			 VNR_HC_REP_START_SHIFT);
}

static inline vnr_u64 vnr_hc_with_rep_start(vnr_u64 control, vnr_u32 rep_start)
{
	return (control & ~VNR_HC_REP_START_MASK) |
	       (((vnr_u64)rep_start << VNR_HC_REP_START_SHIFT) &
		VNR_HC_REP_START_MASK);
}

static inline vnr_u64 vnr_hc_result(enum vnr_status status, vnr_u32 reps_done)
{
	return ((vnr_u64)status & VNR_HC_STATUS_MASK) |
	       (((vnr_u64)reps_done << VNR_HC_REPS_DONE_SHIFT) &
		VNR_HC_REPS_DONE_MASK);
}

static inline enum vnr_status vnr_hc_status(vnr_u64 result)
{
	return (enum vnr_status)(result & VNR_HC_STATUS_MASK);
}

static inline vnr_u32 vnr_hc_reps_done(vnr_u64 result)
{
	return (vnr_u32)((result & VNR_HC_REPS_DONE_MASK) >>
			 VNR_HC_REPS_DONE_SHIFT);
}

#endif /* VENEER_HYPERCALL_H */
