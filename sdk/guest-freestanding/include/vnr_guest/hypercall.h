/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls (sdk/include/veneer/hypercall.h describes the registers).
 *
 * A hypercall is a near call into the hypercall page, which the hypervisor
 * fills with its call instruction and a RET.  Memory calls take GPAs; since
 * guest RAM is identity mapped, a pointer is its own GPA.  The library keeps
 * one input and one output scratch page for the boot VP (ABI v0 starts no
 * other VP) which the typed helpers use.
 *
 * Rep calls need no loop here: when the hypervisor stops a rep call early
 * it leaves RIP on the call instruction and advances the rep start index in
 * RCX, so the same instruction simply runs again until all reps are done.
 * The returned RAX reports the final status and the reps completed.
 */
#ifndef VNR_GUEST_HYPERCALL_H
#define VNR_GUEST_HYPERCALL_H

#include <stdint.h>
#include <veneer/abi.h>

extern char vnr_hypercall_page[VNR_PAGE_SIZE];

/*
 * Raw hypercall: any control word, RDX and R8 in and out, RAX back.  The
 * hypervisor preserves every other register; RCX is listed as written
 * because a rep call updates its rep start index.
 */
static inline vnr_u64 vnr_hypercall_raw(vnr_u64 control, vnr_u64 *rdx,
					vnr_u64 *r8)
{
	register vnr_u64 r8_reg asm("r8") = *r8;
	vnr_u64 rax;

	asm volatile("call vnr_hypercall_page"
		     : "=a"(rax), "+c"(control), "+d"(*rdx), "+r"(r8_reg)
		     :
		     : "memory", "cc");
	*r8 = r8_reg;
	return rax;
}

static inline vnr_u64 vnr_gpa(const void *p)
{
	return (vnr_u64)(uintptr_t)p;
}

/* Fast call: arguments and results in registers; out0/out1 may be NULL. */
vnr_u64 vnr_hypercall_fast(vnr_u16 code, vnr_u64 in0, vnr_u64 in1,
			   vnr_u64 *out0, vnr_u64 *out1);
/* Memory call: input/output point into guest RAM (NULL passes GPA 0). */
vnr_u64 vnr_hypercall_memory(vnr_u16 code, const void *input, void *output);
vnr_u64 vnr_hypercall_rep(vnr_u16 code, vnr_u32 rep_count, const void *input,
			  void *output);

/* The scratch pages, for callers that build inputs themselves. */
void *vnr_hc_input_page(void);
void *vnr_hc_output_page(void);

/* Typed helpers; each returns the call's status. */
enum vnr_status vnr_null_call(void);
enum vnr_status vnr_debug_write(const char *data, vnr_u32 length);
enum vnr_status vnr_get_partition_info(struct vnr_partition_info *info);
enum vnr_status vnr_get_vp_info(vnr_u32 vp_index, struct vnr_vp_info *info);
enum vnr_status vnr_get_reference_time(vnr_u64 *ticks, vnr_u64 *tsc_hz);
enum vnr_status vnr_vp_yield(void);
enum vnr_status vnr_vp_halt(vnr_u64 timeout_100ns);
/* attrs receives count (at most VNR_GPA_QUERY_MAX) entries. */
enum vnr_status vnr_query_gpa_attributes(vnr_u64 base_gpa, vnr_u32 count,
					 vnr_u64 *attrs, vnr_u32 *reps_done);
/* Flushes the console first. */
__attribute__((noreturn)) void vnr_partition_exit(vnr_u64 status);

#endif /* VNR_GUEST_HYPERCALL_H */
