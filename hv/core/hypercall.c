/* SPDX-License-Identifier: MIT */
/*
 * Hypercall decoding and dispatch, and NULL_CALL.
 *
 * Each call's form and privilege are generated from the ABI's calls.def,
 * so they cannot drift from the public headers; its handler (call_<name>,
 * beside the object it acts on) and sizes are listed by name.  Checks run
 * in the order docs/spec/conventions.md gives, and the input is copied out
 * of guest memory once, before any check reads it.
 */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>
#include <hv/string.h>

/* What calls.def says of a call: its form and the privilege it needs. */
struct call_rule {
	enum vnr_call_form form;
	u64 privilege;
};

/* The code that carries a call out, and the sizes the dispatcher maps. */
struct call_entry {
	enum vnr_status (*fn)(struct hv_call *call);
	u32 in_size;  /* bytes of input structure */
	u32 out_size; /* bytes of output structure, or per rep */
};

#define PRIV_NONE	       0
#define PRIV_DEBUG_CONSOLE     VNR_PRIV_MASK(DEBUG_CONSOLE)
#define PRIV_CREATE_PARTITIONS VNR_PRIV_MASK(CREATE_PARTITIONS)
#define PRIV_MANAGE_MEMORY     VNR_PRIV_MASK(MANAGE_MEMORY)
#define PRIV_OWN_DEVICES       VNR_PRIV_MASK(OWN_DEVICES)

static const struct call_rule rules[VNR_CALL_BOUND] = {
#define VNR_CALL(name, code, form_, priv) \
	[code] = {.form = VNR_CALL_FORM_##form_, .privilege = PRIV_##priv},
#include <veneer/calls.def>
#undef VNR_CALL
};

/*
 * Every call of calls.def has its entry here; a unit test
 * (every_call_has_a_handler) fails for one without.
 */
static const struct call_entry calls[VNR_CALL_BOUND] = {
	[VNR_CALL_NULL_CALL] = {call_null_call, IN_NULL_CALL, OUT_NULL_CALL},
	[VNR_CALL_DEBUG_WRITE] = {call_debug_write, IN_DEBUG_WRITE,
				  OUT_DEBUG_WRITE},
	[VNR_CALL_PARTITION_INFO] = {call_partition_info, IN_PARTITION_INFO,
				     OUT_PARTITION_INFO},
	[VNR_CALL_VP_INFO] = {call_vp_info, IN_VP_INFO, OUT_VP_INFO},
	[VNR_CALL_REFERENCE_TIME] = {call_reference_time, IN_REFERENCE_TIME,
				     OUT_REFERENCE_TIME},
	[VNR_CALL_VP_YIELD] = {call_vp_yield, IN_VP_YIELD, OUT_VP_YIELD},
	[VNR_CALL_VP_HALT] = {call_vp_halt, IN_VP_HALT, OUT_VP_HALT},
	[VNR_CALL_PARTITION_EXIT] = {call_partition_exit, IN_PARTITION_EXIT,
				     OUT_PARTITION_EXIT},
	[VNR_CALL_QUERY_GPA_ATTRIBUTES] = {call_query_gpa_attributes,
					   IN_QUERY_GPA_ATTRIBUTES,
					   OUT_QUERY_GPA_ATTRIBUTES},
	[VNR_CALL_POST_MESSAGE] = {call_post_message, IN_POST_MESSAGE,
				   OUT_POST_MESSAGE},
	[VNR_CALL_SIGNAL_EVENT] = {call_signal_event, IN_SIGNAL_EVENT,
				   OUT_SIGNAL_EVENT},
	[VNR_CALL_GRANT_CREATE] = {call_grant_create, IN_GRANT_CREATE,
				   OUT_GRANT_CREATE},
	[VNR_CALL_GRANT_MAP] = {call_grant_map, IN_GRANT_MAP, OUT_GRANT_MAP},
	[VNR_CALL_GRANT_UNMAP] = {call_grant_unmap, IN_GRANT_UNMAP,
				  OUT_GRANT_UNMAP},
	[VNR_CALL_GRANT_REVOKE] = {call_grant_revoke, IN_GRANT_REVOKE,
				   OUT_GRANT_REVOKE},
	[VNR_CALL_PARTITION_CREATE] = {call_partition_create,
				       IN_PARTITION_CREATE,
				       OUT_PARTITION_CREATE},
	[VNR_CALL_MEMORY_DEPOSIT] = {call_memory_deposit, IN_MEMORY_DEPOSIT,
				     OUT_MEMORY_DEPOSIT},
	[VNR_CALL_MEMORY_WITHDRAW] = {call_memory_withdraw, IN_MEMORY_WITHDRAW,
				      OUT_MEMORY_WITHDRAW},
	[VNR_CALL_MEMORY_INFO] = {call_memory_info, IN_MEMORY_INFO,
				  OUT_MEMORY_INFO},
	[VNR_CALL_MAP_GPA_PAGES] = {call_map_gpa_pages, IN_MAP_GPA_PAGES,
				    OUT_MAP_GPA_PAGES},
	[VNR_CALL_WRITE_PARTITION_MEMORY] = {call_write_partition_memory,
					     IN_WRITE_PARTITION_MEMORY,
					     OUT_WRITE_PARTITION_MEMORY},
	[VNR_CALL_VP_CREATE] = {call_vp_create, IN_VP_CREATE, OUT_VP_CREATE},
	[VNR_CALL_GET_VP_REGISTERS] = {call_get_vp_registers,
				       IN_GET_VP_REGISTERS,
				       OUT_GET_VP_REGISTERS},
	[VNR_CALL_SET_VP_REGISTERS] = {call_set_vp_registers,
				       IN_SET_VP_REGISTERS,
				       OUT_SET_VP_REGISTERS},
	[VNR_CALL_PARTITION_START] = {call_partition_start, IN_PARTITION_START,
				      OUT_PARTITION_START},
	[VNR_CALL_PARTITION_SUSPEND] = {call_partition_suspend,
					IN_PARTITION_SUSPEND,
					OUT_PARTITION_SUSPEND},
	[VNR_CALL_PARTITION_RESUME] = {call_partition_resume,
				       IN_PARTITION_RESUME,
				       OUT_PARTITION_RESUME},
	[VNR_CALL_PARTITION_STOP] = {call_partition_stop, IN_PARTITION_STOP,
				     OUT_PARTITION_STOP},
	[VNR_CALL_PARTITION_DESTROY] = {call_partition_destroy,
					IN_PARTITION_DESTROY,
					OUT_PARTITION_DESTROY},
	[VNR_CALL_PARTITION_QUERY] = {call_partition_query, IN_PARTITION_QUERY,
				      OUT_PARTITION_QUERY},
	[VNR_CALL_VP_RUN] = {call_vp_run, IN_VP_RUN, OUT_VP_RUN},
	[VNR_CALL_LOG_READ] = {call_log_read, IN_LOG_READ, OUT_LOG_READ},
	[VNR_CALL_PORT_CREATE] = {call_port_create, IN_PORT_CREATE,
				  OUT_PORT_CREATE},
	[VNR_CALL_CONNECTION_CREATE] = {call_connection_create,
					IN_CONNECTION_CREATE,
					OUT_CONNECTION_CREATE},
};

enum vnr_status call_null_call(struct hv_call *call)
{
	(void)call;
	return VNR_STATUS_SUCCESS;
}

/* Input staging buffer: guest input is copied here once, then validated. */
static u8 input_copy[VNR_PAGE_SIZE] __attribute__((aligned(8)));

static bool form_matches(enum vnr_call_form form, u64 control)
{
	u32 reps = vnr_hc_rep_count(control);
	bool fast = vnr_hc_is_fast(control);

	switch (form) {
	case VNR_CALL_FORM_FAST:
		return fast && reps == 0 && vnr_hc_rep_start(control) == 0;
	case VNR_CALL_FORM_MEMORY:
		return !fast && reps == 0 && vnr_hc_rep_start(control) == 0;
	case VNR_CALL_FORM_REP:
		return !fast && reps != 0 && vnr_hc_rep_start(control) < reps;
	}
	return false;
}

/*
 * Where the structure at gpa is in the host.  A caller names the same
 * pages call after call (VP_RUN its input and its exit record), so the
 * last page found wholly RAM of p is remembered until p's RAM changes; a
 * page only partly RAM is looked up every time, for just the structure.
 */
static void *buffer_host(struct hv_partition *p, struct hv_buffer_page *b,
			 u64 gpa, u64 size)
{
	u64 page = gpa & ~(u64)(PAGE_SIZE - 1);

	if (b->host && b->gpa == page &&
	    b->ram_generation == p->mem.ram_generation)
		return b->host + (gpa - page);
	b->host = partition_gpa_to_host(p, page, PAGE_SIZE);
	b->gpa = page;
	b->ram_generation = p->mem.ram_generation;
	if (b->host)
		return b->host + (gpa - page);
	return partition_gpa_to_host(p, gpa, size);
}

/* A structure of size bytes at gpa: aligned, in one page, RAM of p. */
static enum vnr_status guest_struct(struct hv_vp *vp, struct hv_buffer_page *b,
				    u64 gpa, u64 size, void **host)
{
	*host = NULL;
	if (size == 0)
		return VNR_STATUS_SUCCESS;
	if (!IS_ALIGNED(gpa, VNR_HC_GPA_ALIGN))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if ((gpa & (PAGE_SIZE - 1)) + size > PAGE_SIZE)
		return VNR_STATUS_INVALID_ALIGNMENT;
	*host = buffer_host(vp->partition, b, gpa, size);
	return *host ? VNR_STATUS_SUCCESS : VNR_STATUS_INVALID_GPA;
}

/* Input sizes are multiples of 8 but for a few: words, then bytes. */
static void copy_input(void *dst, const void *src, u32 size)
{
	u64 *d = dst;
	const u64 *s = src;
	u32 words = size / 8;

	for (u32 i = 0; i < words; i++)
		d[i] = s[i];
	if (size % 8)
		memcpy((u8 *)dst + 8 * words, (const u8 *)src + 8 * words,
		       size % 8);
}

static enum vnr_status map_buffers(struct hv_call *call,
				   const struct call_entry *e,
				   enum vnr_call_form form)
{
	struct hv_vp *vp = call->vp;
	u64 out_size = e->out_size;
	void *in;
	enum vnr_status st;

	if (form == VNR_CALL_FORM_REP)
		out_size *= call->rep_count;
	st = guest_struct(vp, &vp->buffers[0], call->arg0, e->in_size, &in);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	st = guest_struct(vp, &vp->buffers[1], call->arg1, out_size,
			  &call->output);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (in)
		copy_input(input_copy, in, e->in_size);
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
	const struct call_rule *r;

	if (control & VNR_HC_RESERVED_MASK)
		return VNR_STATUS_INVALID_CONTROL;
	if (code >= VNR_CALL_BOUND || !calls[code].fn)
		return VNR_STATUS_INVALID_CALL_CODE;
	e = &calls[code];
	r = &rules[code];
	if (!form_matches(r->form, control))
		return VNR_STATUS_INVALID_CONTROL;
	if ((call->vp->partition->privileges & r->privilege) != r->privilege)
		return VNR_STATUS_ACCESS_DENIED;
	/* A rep call's output array must fit one page: that bounds its reps. */
	if (r->form == VNR_CALL_FORM_REP &&
	    (u64)vnr_hc_rep_count(control) * e->out_size > PAGE_SIZE)
		return VNR_STATUS_INVALID_PARAMETER;
	*entry = e;
	call->vp->partition->stats.hypercalls_by_code[code]++;
	call->rep_count = vnr_hc_rep_count(control);
	call->rep_next = vnr_hc_rep_start(control);
	if (r->form == VNR_CALL_FORM_FAST)
		return VNR_STATUS_SUCCESS;
	return map_buffers(call, e, r->form);
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
