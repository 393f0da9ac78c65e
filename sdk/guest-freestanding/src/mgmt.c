// SPDX-License-Identifier: MIT
/* Partition management calls (docs/spec/management.md). */
#include <vnr_guest/guest.h>
#include <vnr_guest/mgmt.h>

static enum vnr_status fast_id(vnr_u16 code, vnr_u32 partition_id)
{
	return vnr_hc_status(
		vnr_hypercall_fast(code, partition_id, 0, NULL, NULL));
}

static enum vnr_status memory_range(vnr_u16 code, vnr_u64 gpa,
				    vnr_u64 page_count)
{
	struct vnr_memory_range_input *in = vnr_hc_input_page();

	in->gpa = gpa;
	in->page_count = page_count;
	return vnr_hc_status(vnr_hypercall_memory(code, in, NULL));
}

enum vnr_status vnr_memory_deposit(vnr_u64 gpa, vnr_u64 page_count)
{
	return memory_range(VNR_CALL_MEMORY_DEPOSIT, gpa, page_count);
}

enum vnr_status vnr_memory_withdraw(vnr_u64 gpa, vnr_u64 page_count)
{
	return memory_range(VNR_CALL_MEMORY_WITHDRAW, gpa, page_count);
}

enum vnr_status vnr_memory_info(struct vnr_memory_info *info)
{
	void *out = vnr_hc_output_page();
	enum vnr_status st = vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_MEMORY_INFO, NULL, out));

	if (st == VNR_STATUS_SUCCESS)
		memcpy(info, out, sizeof(*info));
	return st;
}

enum vnr_status
vnr_partition_create_raw(const struct vnr_partition_create_input *in,
			 vnr_u32 *partition_id)
{
	struct vnr_partition_create_input *page = vnr_hc_input_page();
	struct vnr_partition_create_output *out = vnr_hc_output_page();
	enum vnr_status st;

	memcpy(page, in, sizeof(*page));
	st = vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_PARTITION_CREATE, page, out));
	if (st == VNR_STATUS_SUCCESS && partition_id)
		*partition_id = out->partition_id;
	return st;
}

enum vnr_status vnr_partition_create(const char *name, vnr_u64 privileges,
				     vnr_u32 vp_count, vnr_u32 notify_sint,
				     vnr_u32 *partition_id)
{
	struct vnr_partition_create_input in;
	size_t len = strlen(name);

	if (len >= sizeof(in.name))
		return VNR_STATUS_INVALID_PARAMETER;
	memset(&in, 0, sizeof(in));
	memcpy(in.name, name, len);
	in.privileges = privileges;
	in.vp_count = vp_count;
	in.notify_sint = notify_sint;
	return vnr_partition_create_raw(&in, partition_id);
}

enum vnr_status vnr_map_gpa_pages(vnr_u32 partition_id, vnr_u64 base_gpa,
				  vnr_u64 page_count, vnr_u64 *pages_done)
{
	struct vnr_map_gpa_input *in = vnr_hc_input_page();
	enum vnr_status st = VNR_STATUS_SUCCESS;
	vnr_u64 done = 0;

	/* A zero count goes to the hypervisor, which refuses it. */
	do {
		vnr_u64 left = page_count - done;
		vnr_u32 reps =
			left > VNR_HC_REP_MAX ? VNR_HC_REP_MAX : (vnr_u32)left;
		vnr_u64 result;

		in->partition_id = partition_id;
		in->reserved = 0;
		in->base_gpa = base_gpa + done * VNR_PAGE_SIZE;
		result = vnr_hypercall_rep(VNR_CALL_MAP_GPA_PAGES, reps, in,
					   NULL);
		st = vnr_hc_status(result);
		done += vnr_hc_reps_done(result);
	} while (st == VNR_STATUS_SUCCESS && done < page_count);
	if (pages_done)
		*pages_done = done;
	return st;
}

static enum vnr_status write_memory(vnr_u32 partition_id, vnr_u64 gpa,
				    const vnr_u8 *data, vnr_u64 length)
{
	struct vnr_write_memory_input *in = vnr_hc_input_page();
	enum vnr_status st = VNR_STATUS_SUCCESS;
	bool zeroed = false;

	while (length && st == VNR_STATUS_SUCCESS) {
		/*
		 * No piece crosses a page of the child: its pages need not be
		 * contiguous in the host.
		 */
		vnr_u64 room = VNR_PAGE_SIZE - (gpa & (VNR_PAGE_SIZE - 1));
		vnr_u32 n = length > VNR_WRITE_MEMORY_MAX ? VNR_WRITE_MEMORY_MAX
							  : (vnr_u32)length;

		if (n > room)
			n = (vnr_u32)room;

		in->partition_id = partition_id;
		in->length = n;
		in->gpa = gpa;
		if (data) {
			memcpy(in->data, data, n);
			data += n;
		} else if (!zeroed) {
			/* Nothing else writes the page meanwhile. */
			memset(in->data, 0, sizeof(in->data));
			zeroed = true;
		}
		st = vnr_hc_status(vnr_hypercall_memory(
			VNR_CALL_WRITE_PARTITION_MEMORY, in, NULL));
		gpa += n;
		length -= n;
	}
	return st;
}

enum vnr_status vnr_write_partition_memory(vnr_u32 partition_id, vnr_u64 gpa,
					   const void *data, vnr_u64 length)
{
	return write_memory(partition_id, gpa, data, length);
}

enum vnr_status vnr_zero_partition_memory(vnr_u32 partition_id, vnr_u64 gpa,
					  vnr_u64 length)
{
	return write_memory(partition_id, gpa, NULL, length);
}

enum vnr_status vnr_vp_create(vnr_u32 partition_id, vnr_u32 vp_index)
{
	return vnr_hc_status(vnr_hypercall_fast(
		VNR_CALL_VP_CREATE, partition_id, vp_index, NULL, NULL));
}

enum vnr_status vnr_get_vp_registers(vnr_u32 partition_id, vnr_u32 vp_index,
				     vnr_u32 count, const vnr_u32 *names,
				     vnr_u64 *values, vnr_u32 *done)
{
	struct vnr_vp_registers_input *in = vnr_hc_input_page();
	vnr_u64 *out = vnr_hc_output_page();
	vnr_u32 n;
	vnr_u64 result;

	if (done)
		*done = 0;
	if (count == 0 || count > VNR_GET_REGISTERS_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	memcpy(in + 1, names, count * sizeof(*names));
	result = vnr_hypercall_rep(VNR_CALL_GET_VP_REGISTERS, count, in, out);
	n = vnr_hc_reps_done(result);
	if (n > count)
		n = count;
	memcpy(values, out, n * sizeof(*values));
	if (done)
		*done = n;
	return vnr_hc_status(result);
}

enum vnr_status vnr_set_vp_registers(vnr_u32 partition_id, vnr_u32 vp_index,
				     vnr_u32 count,
				     const struct vnr_register_value *regs,
				     vnr_u32 *done)
{
	struct vnr_vp_registers_input *in = vnr_hc_input_page();
	vnr_u64 result;

	if (done)
		*done = 0;
	if (count == 0 || count > VNR_SET_REGISTERS_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	memcpy(in + 1, regs, count * sizeof(*regs));
	result = vnr_hypercall_rep(VNR_CALL_SET_VP_REGISTERS, count, in, NULL);
	if (done)
		*done = vnr_hc_reps_done(result);
	return vnr_hc_status(result);
}

enum vnr_status vnr_get_vp_register(vnr_u32 partition_id, vnr_u32 vp_index,
				    vnr_u32 name, vnr_u64 *value)
{
	return vnr_get_vp_registers(partition_id, vp_index, 1, &name, value,
				    NULL);
}

enum vnr_status vnr_set_vp_register(vnr_u32 partition_id, vnr_u32 vp_index,
				    vnr_u32 name, vnr_u64 value)
{
	struct vnr_register_value reg = {.name = name, .value = value};

	return vnr_set_vp_registers(partition_id, vp_index, 1, &reg, NULL);
}

enum vnr_status vnr_partition_start(vnr_u32 partition_id)
{
	return fast_id(VNR_CALL_PARTITION_START, partition_id);
}

enum vnr_status vnr_partition_suspend(vnr_u32 partition_id)
{
	return fast_id(VNR_CALL_PARTITION_SUSPEND, partition_id);
}

enum vnr_status vnr_partition_resume(vnr_u32 partition_id)
{
	return fast_id(VNR_CALL_PARTITION_RESUME, partition_id);
}

enum vnr_status vnr_partition_stop(vnr_u32 partition_id)
{
	return fast_id(VNR_CALL_PARTITION_STOP, partition_id);
}

enum vnr_status vnr_partition_destroy(vnr_u32 partition_id)
{
	return fast_id(VNR_CALL_PARTITION_DESTROY, partition_id);
}

enum vnr_status vnr_partition_query(vnr_u32 partition_id,
				    struct vnr_partition_status *status)
{
	struct vnr_partition_query_input *in = vnr_hc_input_page();
	void *out = vnr_hc_output_page();
	enum vnr_status st;

	in->partition_id = partition_id;
	in->reserved = 0;
	st = vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_PARTITION_QUERY, in, out));
	if (st == VNR_STATUS_SUCCESS) {
		memcpy(status, out, sizeof(*status));
		status->diagnostic[sizeof(status->diagnostic) - 1] = '\0';
	}
	return st;
}

bool vnr_partition_exit_decode(const struct vnr_message *msg,
			       struct vnr_partition_exit_message *out)
{
	if (msg->header.message_type != VNR_MSG_PARTITION_EXIT ||
	    msg->header.sender_partition != 0 ||
	    msg->header.payload_size < sizeof(*out))
		return false;
	memcpy(out, msg->payload, sizeof(*out));
	out->diagnostic[sizeof(out->diagnostic) - 1] = '\0';
	return true;
}

bool vnr_wait_partition_exit(unsigned int sint,
			     struct vnr_partition_exit_message *out,
			     vnr_u64 timeout_100ns)
{
	vnr_u64 start = vnr_reference_time();
	struct vnr_message msg;

	for (;;) {
		vnr_u64 now;

		while (vnr_message_take(sint, &msg))
			if (vnr_partition_exit_decode(&msg, out))
				return true;
		now = vnr_reference_time();
		if (timeout_100ns && now - start >= timeout_100ns)
			return false;
		/* A message in the slot ends the halt at once. */
		vnr_vp_halt(timeout_100ns ? start + timeout_100ns - now : 0);
	}
}

const char *vnr_status_name(vnr_u32 status)
{
	switch (status) {
#define VNR_STATUS(name, code) \
	case code:             \
		return #name;
#include <veneer/status.def>
#undef VNR_STATUS
	}
	return "?";
}

const char *vnr_partition_state_name(vnr_u32 state)
{
	switch (state) {
	case VNR_PARTITION_CREATED:
		return "created";
	case VNR_PARTITION_RUNNING:
		return "running";
	case VNR_PARTITION_SUSPENDED:
		return "suspended";
	case VNR_PARTITION_STOPPED:
		return "stopped";
	}
	return "?";
}

const char *vnr_exit_reason_name(vnr_u32 reason)
{
	switch (reason) {
	case VNR_EXIT_NONE:
		return "none";
	case VNR_EXIT_CLEAN:
		return "clean";
	case VNR_EXIT_FAULT:
		return "fault";
	case VNR_EXIT_STOPPED:
		return "stopped";
	}
	return "?";
}

bool vnr_find_deposit_range(const struct vnr_start_info *si, vnr_u64 bytes,
			    vnr_u64 *gpa)
{
	const vnr_u64 align = 0x200000;

	for (vnr_u32 i = 0; i < si->memmap_count; i++) {
		const struct vnr_memmap_entry *e = &si->memmap[i];
		vnr_u64 base = (e->base + align - 1) & ~(align - 1);

		if (e->type == VNR_MEM_RAM && base >= e->base &&
		    base - e->base < e->length &&
		    e->length - (base - e->base) >= bytes) {
			*gpa = base;
			return true;
		}
	}
	return false;
}
