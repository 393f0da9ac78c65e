// SPDX-License-Identifier: MIT
/*
 * A partition without the management privileges gets
 * VNR_STATUS_ACCESS_DENIED from every management call, whatever it
 * names: the root, itself, a child of the root, an id that never existed.
 *
 * role=root: creates a child, tells the other partition its id (message
 *            on connection 1), waits for "done" and destroys the child.
 * role=plain: waits for the child's id, calls every management call with
 *            every id, reports "done" (connection 1).
 */
#include <vnr_test.h>
#include <vnr_guest/mgmt.h>

#define MSG_SINT   2
#define MSG_CHILD  1
#define MSG_DONE   2
#define SECONDS(n) ((vnr_u64)(n)*10000000ull)

static bool wait_message(vnr_u32 type, vnr_u32 *value)
{
	vnr_u64 start = vnr_reference_time();
	struct vnr_message m;

	while (vnr_reference_time() - start < SECONDS(30)) {
		if (vnr_message_take(MSG_SINT, &m)) {
			if (m.header.message_type != type)
				continue;
			memcpy(value, m.payload, sizeof(*value));
			return true;
		}
		vnr_vp_halt(SECONDS(1));
	}
	return false;
}

static int root(void)
{
	vnr_u32 child = 0, dummy;

	VNR_EXPECT_EQ(vnr_partition_create("probe-target", 0, 1, 3, &child),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_CHILD, &child, sizeof(child)),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT(wait_message(MSG_DONE, &dummy));
	VNR_EXPECT_EQ(vnr_partition_destroy(child), VNR_STATUS_SUCCESS);
	return vnr_test_done();
}

static void probe(vnr_u32 id)
{
	const vnr_u64 want = VNR_STATUS_ACCESS_DENIED;
	struct vnr_register_value rv = {VNR_REG_RAX, 0, 0};
	struct vnr_partition_status s;
	struct vnr_memory_info mi;
	vnr_u32 name = VNR_REG_RAX, out;
	vnr_u64 v, gpa = 8ull << 20;

	vnr_test_note("probing id %u", id);
	VNR_EXPECT_EQ_AS("PARTITION_CREATE",
			 vnr_partition_create("intruder", 0, 1, 3, &out), want);
	VNR_EXPECT_EQ_AS("MEMORY_DEPOSIT", vnr_memory_deposit(gpa, 1), want);
	VNR_EXPECT_EQ_AS("MEMORY_WITHDRAW", vnr_memory_withdraw(gpa, 1), want);
	VNR_EXPECT_EQ_AS("MEMORY_INFO", vnr_memory_info(&mi), want);
	VNR_EXPECT_EQ_AS("MAP_GPA_PAGES", vnr_map_gpa_pages(id, 0, 1, NULL),
			 want);
	VNR_EXPECT_EQ_AS("WRITE_PARTITION_MEMORY",
			 vnr_write_partition_memory(id, 0x1000, "x", 1), want);
	VNR_EXPECT_EQ_AS("VP_CREATE", vnr_vp_create(id, 0), want);
	VNR_EXPECT_EQ_AS("GET_VP_REGISTERS",
			 vnr_get_vp_registers(id, 0, 1, &name, &v, NULL), want);
	VNR_EXPECT_EQ_AS("SET_VP_REGISTERS",
			 vnr_set_vp_registers(id, 0, 1, &rv, NULL), want);
	VNR_EXPECT_EQ_AS("PARTITION_START", vnr_partition_start(id), want);
	VNR_EXPECT_EQ_AS("PARTITION_SUSPEND", vnr_partition_suspend(id), want);
	VNR_EXPECT_EQ_AS("PARTITION_RESUME", vnr_partition_resume(id), want);
	VNR_EXPECT_EQ_AS("PARTITION_STOP", vnr_partition_stop(id), want);
	VNR_EXPECT_EQ_AS("PARTITION_DESTROY", vnr_partition_destroy(id), want);
	VNR_EXPECT_EQ_AS("PARTITION_QUERY", vnr_partition_query(id, &s), want);
}

static enum vnr_call_form form_of(vnr_u16 code)
{
	switch (code) {
#define VNR_CALL(name, c, form, priv) \
	case c:                       \
		return VNR_CALL_FORM_##form;
#include <veneer/calls.def>
#undef VNR_CALL
	}
	return VNR_CALL_FORM_MEMORY;
}

/* Garbage inputs are refused the same way: nothing is looked at. */
static void probe_raw(void)
{
	vnr_u64 *in = vnr_hc_input_page();
	vnr_u16 code;

	memset(in, 0xFF, VNR_PAGE_SIZE);
	for (code = VNR_CALL_PARTITION_CREATE; code <= VNR_CALL_PARTITION_QUERY;
	     code++) {
		vnr_u64 r;

		switch (form_of(code)) {
		case VNR_CALL_FORM_FAST:
			r = vnr_hypercall_fast(code, ~0ull, ~0ull, NULL, NULL);
			break;
		case VNR_CALL_FORM_REP:
			/* An output GPA outside RAM, too. */
			r = vnr_hypercall_rep(code, 1, in,
					      (void *)(uintptr_t)(1ull << 40));
			break;
		default:
			r = vnr_hypercall_memory(
				code, in, (void *)(uintptr_t)(1ull << 40));
			break;
		}
		VNR_EXPECT_EQ_AS(vnr_status_name(vnr_hc_status(r)),
				 vnr_hc_status(r), VNR_STATUS_ACCESS_DENIED);
	}
}

static int plain(const struct vnr_discovery *d)
{
	vnr_u32 child = 0;

	VNR_EXPECT_EQ(d->privileges & (VNR_PRIV_MASK(CREATE_PARTITIONS) |
				       VNR_PRIV_MASK(MANAGE_MEMORY)),
		      0);
	if (VNR_EXPECT(wait_message(MSG_CHILD, &child)))
		probe(child);
	probe(1);
	probe(d->partition_id);
	probe(999);
	probe(0);
	probe_raw();
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_DONE, &child, sizeof(child)),
		      VNR_STATUS_SUCCESS);
	return vnr_test_done();
}

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_discovery d;

	(void)si;
	vnr_test_begin(vnr_cmdline_u64("role", 0) == 1 ? "t_mgmt_nonroot root"
						       : "t_mgmt_nonroot");
	if (!VNR_EXPECT(vnr_detect(&d)) || !VNR_EXPECT(vnr_synic_init()))
		return vnr_test_done();
	return vnr_cmdline_u64("role", 0) == 1 ? root() : plain(&d);
}
