/* SPDX-License-Identifier: MIT */
/*
 * Hypercall decoding and dispatch.
 *
 * The table is generated from the ABI's calls.def, so the call list, each
 * call's form and its privilege cannot drift from the public headers: a
 * call without a handler (hc_<NAME>) or without its sizes (IN_/OUT_<NAME>)
 * does not compile.  Checks run in the order docs/spec/conventions.md
 * gives, and the input is copied out of guest memory once, before any
 * check reads it.
 */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>
#include <hv/string.h>

struct call_entry {
	enum vnr_status (*fn)(struct hv_call *call);
	enum vnr_call_form form;
	u64 privilege;
	u32 in_size;  /* bytes of input structure */
	u32 out_size; /* bytes of output structure, or per rep */
};

#define PRIV_NONE	       0
#define PRIV_DEBUG_CONSOLE     VNR_PRIV_MASK(DEBUG_CONSOLE)
#define PRIV_CREATE_PARTITIONS VNR_PRIV_MASK(CREATE_PARTITIONS)
#define PRIV_MANAGE_MEMORY     VNR_PRIV_MASK(MANAGE_MEMORY)
#define PRIV_OWN_DEVICES       VNR_PRIV_MASK(OWN_DEVICES)

static const struct call_entry calls[VNR_CALL_BOUND] = {
#define VNR_CALL(name, code, form_, priv)        \
	[code] = {.fn = hc_##name,               \
		  .form = VNR_CALL_FORM_##form_, \
		  .privilege = PRIV_##priv,      \
		  .in_size = IN_##name,          \
		  .out_size = OUT_##name},
#include <veneer/calls.def>
#undef VNR_CALL
};
_Static_assert(ARRAY_SIZE(calls) == VNR_CALL_BOUND,
	       "the dispatch table covers every call code");

/* Input staging buffer: guest input is copied here once, then validated. */
static u8 input_copy[VNR_PAGE_SIZE] __attribute__((aligned(8)));

static bool form_matches(const struct call_entry *e, u64 control)
{
	u32 reps = vnr_hc_rep_count(control);
	bool fast = vnr_hc_is_fast(control);

	switch (e->form) {
	case VNR_CALL_FORM_FAST:
		return fast && reps == 0 && vnr_hc_rep_start(control) == 0;
	case VNR_CALL_FORM_MEMORY:
		return !fast && reps == 0 && vnr_hc_rep_start(control) == 0;
	case VNR_CALL_FORM_REP:
		return !fast && reps != 0 && vnr_hc_rep_start(control) < reps;
	}
	return false;
}

/* A structure of size bytes at gpa: aligned, in one page, RAM of p. */
static enum vnr_status guest_struct(struct hv_partition *p, u64 gpa, u64 size,
				    void **host)
{
	*host = NULL;
	if (size == 0)
		return VNR_STATUS_SUCCESS;
	if (!IS_ALIGNED(gpa, VNR_HC_GPA_ALIGN))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if ((gpa & (PAGE_SIZE - 1)) + size > PAGE_SIZE)
		return VNR_STATUS_INVALID_ALIGNMENT;
	*host = partition_gpa_to_host(p, gpa, size);
	return *host ? VNR_STATUS_SUCCESS : VNR_STATUS_INVALID_GPA;
}

static enum vnr_status map_buffers(struct hv_call *call,
				   const struct call_entry *e)
{
	struct hv_partition *p = call->vp->partition;
	u64 out_size = e->out_size;
	void *in;
	enum vnr_status st;

	if (e->form == VNR_CALL_FORM_REP)
		out_size *= call->rep_count;
	st = guest_struct(p, call->arg0, e->in_size, &in);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	st = guest_struct(p, call->arg1, out_size, &call->output);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (in)
		memcpy(input_copy, in, e->in_size);
	call->input = input_copy;
	call->input_gpa = call->arg0;
	return VNR_STATUS_SUCCESS;
}

static enum vnr_status decode(struct hv_call *call,
			      const struct call_entry **entry)
{
	u64 control = call->control;
	u16 code = vnr_hc_code(control);
	const struct call_entry *e;

	if (control & VNR_HC_RESERVED_MASK)
		return VNR_STATUS_INVALID_CONTROL;
	if (code >= VNR_CALL_BOUND || !calls[code].fn)
		return VNR_STATUS_INVALID_CALL_CODE;
	e = &calls[code];
	if (!form_matches(e, control))
		return VNR_STATUS_INVALID_CONTROL;
	if ((call->vp->partition->privileges & e->privilege) != e->privilege)
		return VNR_STATUS_ACCESS_DENIED;
	/* A rep call's output array must fit one page: that bounds its reps. */
	if (e->form == VNR_CALL_FORM_REP &&
	    (u64)vnr_hc_rep_count(control) * e->out_size > PAGE_SIZE)
		return VNR_STATUS_INVALID_PARAMETER;
	*entry = e;
	call->vp->partition->hypercalls_by_code[code]++;
	call->rep_count = vnr_hc_rep_count(control);
	call->rep_next = vnr_hc_rep_start(control);
	if (e->form == VNR_CALL_FORM_FAST)
		return VNR_STATUS_SUCCESS;
	return map_buffers(call, e);
}

static void finish(struct hv_vp *vp, struct hv_call *call, enum vnr_status st)
{
	arch_hypercall_result(vp, vnr_hc_result(st, call->rep_next));
	if (call->fast_outputs)
		arch_hypercall_fast_outputs(vp, call->out0, call->out1);
}

bool hv_hypercall(struct hv_vp *vp)
{
	/* Only what every path reads is set here: this is the hot path. */
	struct hv_call call;
	const struct call_entry *e = NULL;
	enum vnr_status st;

	call.vp = vp;
	arch_hypercall_input(vp, &call.control, &call.arg0, &call.arg1);
	call.fast_outputs = false;
	call.validated = false;
	vp->hypercalls++;
	if (vp->cpl != 0)
		st = VNR_STATUS_ACCESS_DENIED;
	else
		st = decode(&call, &e);
	if (st == VNR_STATUS_SUCCESS)
		st = e->fn(&call);
	/*
	 * A refused call completes no rep; one that fails part way through
	 * its reps reports those that took effect.
	 */
	if (st != VNR_STATUS_SUCCESS && st != HV_STATUS_CONTINUE &&
	    !call.validated)
		call.rep_next = 0;
	if (vp->state == HV_VP_STOPPED)
		return false;
	if (st == HV_STATUS_CONTINUE) {
		arch_hypercall_continue(
			vp, vnr_hc_with_rep_start(call.control, call.rep_next));
		return false;
	}
	finish(vp, &call, st);
	return true;
}
