/* SPDX-License-Identifier: MIT */
/*
 * VNR_CALL_PORT_CREATE and VNR_CALL_CONNECTION_CREATE (docs/spec/
 * management.md): a parent gives itself and the children it builds the
 * ports and connections its configuration would have given them, and a
 * destroyed partition takes the connections that lead to it away.
 */
#include <check.h>
#include <string.h>

#include <hv/hypercall.h>
#include <hv/partition.h>
#include <hv/synic.h>
#include <veneer/ipc.h>
#include <veneer/msr.h>
#include <veneer/synic.h>

#include "fixture.h"

#define SIMP_GPA 0x8000ull

static struct hv_partition *R, *C, *D, *X; /* root, children, stranger */
static u32 c_id, d_id;

static void setup(void)
{
	fx_reset();
	R = fx_partition("root", VNR_PRIV_MASK(CREATE_PARTITIONS) |
					 VNR_PRIV_MASK(MANAGE_MEMORY));
	X = fx_partition("stranger", VNR_PRIV_MASK(CREATE_PARTITIONS));
	ck_assert_int_eq(fx_create_child(R, "child", &c_id),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_create_child(R, "sibling", &d_id),
			 VNR_STATUS_SUCCESS);
	C = partition_by_id(c_id);
	D = partition_by_id(d_id);
}

static enum vnr_status port_call(struct hv_partition *caller,
				 struct vnr_port_create_input in)
{
	*(struct vnr_port_create_input *)fx_gpa(caller, FX_IN_GPA) = in;
	return fx_hypercall(&caller->vps[0], MEM(VNR_CALL_PORT_CREATE),
			    FX_IN_GPA, 0);
}

static enum vnr_status message_port(struct hv_partition *caller, u32 owner,
				    u32 id, u32 sint)
{
	return port_call(
		caller, (struct vnr_port_create_input){.partition_id = owner,
						       .port_id = id,
						       .kind = VNR_PORT_MESSAGE,
						       .sint = sint});
}

static enum vnr_status connect(struct hv_partition *caller, u32 owner, u32 id,
			       u32 target, u32 port)
{
	*(struct vnr_connection_create_input *)fx_gpa(caller, FX_IN_GPA) =
		(struct vnr_connection_create_input){.partition_id = owner,
						     .connection_id = id,
						     .target_partition_id =
							     target,
						     .target_port_id = port};
	return fx_hypercall(&caller->vps[0], MEM(VNR_CALL_CONNECTION_CREATE),
			    FX_IN_GPA, 0);
}

START_TEST(ports_for_itself_and_a_child_being_built)
{
	ck_assert_int_eq(message_port(R, R->id, 7, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(
		port_call(R,
			  (struct vnr_port_create_input){.partition_id = c_id,
							 .port_id = 9,
							 .kind = VNR_PORT_EVENT,
							 .sint = 3,
							 .flag_count = 64}),
		VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(R->ipc.port_count, 1);
	ck_assert_uint_eq(R->ipc.ports[0].id, 7);
	ck_assert_int_eq(R->ipc.ports[0].kind, HV_PORT_MESSAGE);
	ck_assert_uint_eq(R->ipc.ports[0].sint, 2);
	ck_assert_uint_eq(C->ipc.port_count, 1);
	ck_assert_int_eq(C->ipc.ports[0].kind, HV_PORT_EVENT);
	ck_assert_uint_eq(C->ipc.ports[0].flag_count, 64);
}
END_TEST

START_TEST(port_fields_are_checked_first)
{
	static const struct vnr_port_create_input bad[] = {
		{.port_id = 1, .kind = VNR_PORT_MESSAGE, .reserved = 1},
		{.port_id = 0, .kind = VNR_PORT_MESSAGE},
		{.port_id = 1, .kind = 0},
		{.port_id = 1, .kind = 3},
		{.port_id = 1, .kind = VNR_PORT_MESSAGE, .sint = 16},
		{.port_id = 1, .kind = VNR_PORT_MESSAGE, .flag_count = 1},
		{.port_id = 1, .kind = VNR_PORT_EVENT, .flag_count = 0},
		{.port_id = 1,
		 .kind = VNR_PORT_EVENT,
		 .flag_count = VNR_EVENT_FLAGS_PER_SINT + 1},
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vnr_port_create_input in = bad[i];

		in.partition_id = 999; /* no such partition: fields first */
		ck_assert_int_eq(port_call(R, in),
				 VNR_STATUS_INVALID_PARAMETER);
	}
	ck_assert_int_eq(
		port_call(R,
			  (struct vnr_port_create_input){
				  .partition_id = R->id,
				  .port_id = 1,
				  .kind = VNR_PORT_EVENT,
				  .flag_count = VNR_EVENT_FLAGS_PER_SINT}),
		VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(R->ipc.port_count, 1);
}
END_TEST

START_TEST(ports_only_for_itself_and_its_children)
{
	ck_assert_int_eq(message_port(R, X->id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(message_port(R, 999, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* A child's child is not the caller's. */
	ck_assert_int_eq(message_port(X, c_id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(X->ipc.port_count + C->ipc.port_count, 0);
}
END_TEST

/* What a running child can reach never changes under it. */
START_TEST(not_for_a_child_that_was_started)
{
	C->state = HV_PARTITION_RUNNING;
	ck_assert_int_eq(message_port(R, c_id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	C->state = HV_PARTITION_STOPPED;
	ck_assert_int_eq(message_port(R, c_id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_uint_eq(C->ipc.port_count + C->ipc.connection_count, 0);
}
END_TEST

START_TEST(port_ids_are_unique_and_counted)
{
	for (u32 id = 1; id <= VNR_MAX_PORTS; id++)
		ck_assert_int_eq(message_port(R, c_id, id, 2),
				 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, c_id, 1, 2),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(message_port(R, c_id, 100, 2),
			 VNR_STATUS_QUOTA_EXCEEDED);
	ck_assert_uint_eq(C->ipc.port_count, VNR_MAX_PORTS);
}
END_TEST

START_TEST(connections_between_a_parent_and_its_children)
{
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, c_id, 5, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, d_id, 6, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 1, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 2, d_id, 6), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(C->ipc.connection_count, 2);
	ck_assert_uint_eq(C->ipc.connections[1].target_partition, d_id);
	ck_assert_uint_eq(C->ipc.connections[1].port_id, 6);
}
END_TEST

/* A connection the call made works as a configured one does. */
START_TEST(a_message_travels_a_made_connection)
{
	struct vnr_post_message_input *in = fx_gpa(R, FX_IN_GPA);
	struct vnr_message *slot = fx_gpa(R, SIMP_GPA);

	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 4, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert(
		synic_wrmsr(&R->vps[0], VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
	ck_assert(synic_wrmsr(&R->vps[0], VNR_MSR_SIMP, SIMP_GPA | 1));
	memset(in, 0, sizeof(*in));
	in->connection_id = 4;
	in->message_type = 0x42;
	in->payload_size = 1;
	ck_assert_int_eq(fx_hypercall(&R->vps[0], MEM(VNR_CALL_POST_MESSAGE),
				      FX_IN_GPA, 0),
			 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(slot[2].header.message_type, 0x42);
	ck_assert_uint_eq(slot[2].header.port_id, 1);
	ck_assert_uint_eq(slot[2].header.sender_partition, R->id);
}
END_TEST

START_TEST(connections_are_checked)
{
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(X, X->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 0, R->id, 1),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(connect(R, R->id, 1, R->id, 0),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(connect(R, X->id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* A partition that is neither the caller nor its child. */
	ck_assert_int_eq(connect(R, c_id, 1, X->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(connect(R, c_id, 1, 999, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(connect(R, c_id, 1, R->id, 2),
			 VNR_STATUS_INVALID_PARAMETER); /* no such port */
	ck_assert_int_eq(connect(R, c_id, 1, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARAMETER); /* id in use */
	for (u32 id = 2; id <= VNR_MAX_CONNECTIONS; id++)
		ck_assert_int_eq(connect(R, c_id, id, R->id, 1),
				 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 100, R->id, 1),
			 VNR_STATUS_QUOTA_EXCEEDED);
	ck_assert_uint_eq(C->ipc.connection_count, VNR_MAX_CONNECTIONS);
}
END_TEST

START_TEST(a_destroyed_child_takes_its_connections_away)
{
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, c_id, 5, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, d_id, 6, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 2, d_id, 6), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 3, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, d_id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_hypercall(&R->vps[0],
				      FAST(VNR_CALL_PARTITION_DESTROY), c_id,
				      0),
			 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(R->ipc.connection_count, 1);
	ck_assert_uint_eq(R->ipc.connections[0].id, 2);
	ck_assert_uint_eq(R->ipc.connections[0].target_partition, d_id);
	ck_assert_uint_eq(D->ipc.connection_count, 0);
	/* Its places and ids are free again. */
	ck_assert_int_eq(connect(R, R->id, 1, d_id, 6), VNR_STATUS_SUCCESS);
}
END_TEST

START_TEST(the_calls_need_create_partitions)
{
	struct hv_partition *plain = fx_partition("plain", 0);

	ck_assert_int_eq(message_port(plain, plain->id, 1, 2),
			 VNR_STATUS_ACCESS_DENIED);
	ck_assert_int_eq(connect(plain, plain->id, 1, plain->id, 1),
			 VNR_STATUS_ACCESS_DENIED);
}
END_TEST

static Suite *port_calls_suite(void)
{
	Suite *s = suite_create("port_calls");
	TCase *ports = tcase_create("ports");
	TCase *conns = tcase_create("connections");

	tcase_add_checked_fixture(ports, setup, NULL);
	tcase_add_test(ports, ports_for_itself_and_a_child_being_built);
	tcase_add_test(ports, port_fields_are_checked_first);
	tcase_add_test(ports, ports_only_for_itself_and_its_children);
	tcase_add_test(ports, not_for_a_child_that_was_started);
	tcase_add_test(ports, port_ids_are_unique_and_counted);
	tcase_add_test(ports, the_calls_need_create_partitions);
	suite_add_tcase(s, ports);
	tcase_add_checked_fixture(conns, setup, NULL);
	tcase_add_test(conns, connections_between_a_parent_and_its_children);
	tcase_add_test(conns, a_message_travels_a_made_connection);
	tcase_add_test(conns, connections_are_checked);
	tcase_add_test(conns, a_destroyed_child_takes_its_connections_away);
	suite_add_tcase(s, conns);
	return s;
}

int main(void)
{
	return fx_run_suite(port_calls_suite());
}
