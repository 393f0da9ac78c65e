/* SPDX-License-Identifier: MIT */
/*
 * Handlers intercepted with the linker's --wrap (tests/unit/CMakeLists.txt,
 * WRAP_<test>): each wrapper records what the dispatcher handed the handler
 * and then runs the real one.  Include in exactly one file of a test.
 */
#ifndef TESTS_HC_WRAP_H
#define TESTS_HC_WRAP_H

#include <hv/hypercall_calls.h>

static unsigned handler_calls;
static const void *handler_input;
static bool handler_input_in_guest;

/* Whether [ptr, ptr + size) touches the guest RAM of any partition. */
static bool in_any_guest_ram(const void *ptr, u64 size)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		const struct hv_partition *p = partition_at(i);

		for (u32 e = 0;
		     p->state != HV_PARTITION_FREE && e < p->mem.extent_count;
		     e++) {
			uintptr_t a = (uintptr_t)ptr,
				  r = (uintptr_t)p->mem.extents[e].host;

			if (a < r + p->mem.extents[e].size && r < a + size)
				return true;
		}
	}
	return false;
}

static void note_handler(struct hv_call *call, u64 in_size)
{
	handler_calls++;
	handler_input = call->input;
	handler_input_in_guest =
		call->input && in_any_guest_ram(call->input, in_size);
}

#define HC_WRAP(handler, in_size)                               \
	enum vnr_status __real_##handler(struct hv_call *call); \
	enum vnr_status __wrap_##handler(struct hv_call *call); \
	enum vnr_status __wrap_##handler(struct hv_call *call)  \
	{                                                       \
		note_handler(call, in_size);                    \
		return __real_##handler(call);                  \
	}
HC_WRAP(call_debug_write, IN_DEBUG_WRITE)
HC_WRAP(call_vp_info, IN_VP_INFO)
HC_WRAP(call_query_gpa_attributes, IN_QUERY_GPA_ATTRIBUTES)
#undef HC_WRAP

#endif /* TESTS_HC_WRAP_H */
