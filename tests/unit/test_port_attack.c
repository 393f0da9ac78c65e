/* SPDX-License-Identifier: MIT */
/*
 * VNR_CALL_PORT_CREATE and VNR_CALL_CONNECTION_CREATE under attack
 * (docs/spec/management.md): a hostile parent or a hostile child with
 * VNR_PRIV_BIT_CREATE_PARTITIONS trying to reach outside its family, to
 * make a partition deliver where it did not expect, to keep a connection
 * past its port's partition, to exhaust the tables, or to leave a failed
 * call half done.  Each test is an attack that must hold.
 */
#include <check.h>
#include <string.h>

#include <hv/hypercall.h>
#include <hv/partition.h>
#include <hv/synic.h>
#include <veneer/ipc.h>
#include <veneer/mgmt.h>
#include <veneer/msr.h>
#include <veneer/synic.h>

#include "fixture.h"

#define SIMP_GPA  0x8000ull
#define SIEFP_GPA 0xA000ull
#define AFTER_GPA 0xB000ull /* the page after the flags page */
#define NOTIFY	  1u	    /* fx_create_child's notify SINT */
#define NOBODY	  999u	    /* no partition has this id */

/*
 * R: a parent; C, D: children it is building (no VP, no RAM); K: a
 * running child of R with the privilege (a VP and RAM of its own); X: a
 * dom0less stranger with the privilege.
 */
static struct hv_partition *R, *C, *D, *K, *X;
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
	/* Built as fx_partition builds, then made R's: never destroyed. */
	K = fx_partition("kid", VNR_PRIV_MASK(CREATE_PARTITIONS));
	K->parent = R->id;
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

static enum vnr_status event_port(struct hv_partition *caller, u32 owner,
				  u32 id, u32 sint, u32 flags)
{
	return port_call(caller,
			 (struct vnr_port_create_input){.partition_id = owner,
							.port_id = id,
							.kind = VNR_PORT_EVENT,
							.sint = sint,
							.flag_count = flags});
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

static enum vnr_status post(struct hv_partition *from, u32 conn, u32 type)
{
	struct vnr_post_message_input *in = fx_gpa(from, FX_IN_GPA);

	memset(in, 0, sizeof(*in));
	in->connection_id = conn;
	in->message_type = type;
	in->payload_size = 1;
	in->payload[0] = 0x5C;
	return fx_hypercall(&from->vps[0], MEM(VNR_CALL_POST_MESSAGE),
			    FX_IN_GPA, 0);
}

static enum vnr_status signal(struct hv_partition *from, u32 conn, u64 flag)
{
	return fx_hypercall(&from->vps[0], FAST(VNR_CALL_SIGNAL_EVENT), conn,
			    flag);
}

static void synic_on(struct hv_partition *p)
{
	ck_assert(
		synic_wrmsr(&p->vps[0], VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
	ck_assert(synic_wrmsr(&p->vps[0], VNR_MSR_SIMP, SIMP_GPA | 1));
	ck_assert(synic_wrmsr(&p->vps[0], VNR_MSR_SIEFP, SIEFP_GPA | 1));
}

static enum vnr_status destroy(struct hv_partition *parent, u32 id)
{
	return fx_hypercall(&parent->vps[0], FAST(VNR_CALL_PARTITION_DESTROY),
			    id, 0);
}

/* A hostile child reaches neither its parent, a sibling nor a stranger. */
START_TEST(a_child_makes_no_port_outside_its_family)
{
	u32 g_id;

	ck_assert_int_eq(fx_create_child(K, "grandchild", &g_id),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(K, R->id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(message_port(K, c_id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(message_port(K, X->id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* Nor does a parent reach its grandchild through its child. */
	ck_assert_int_eq(message_port(R, g_id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(message_port(X, R->id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(R->ipc.port_count + C->ipc.port_count +
				  X->ipc.port_count +
				  partition_by_id(g_id)->ipc.port_count,
			  0);
	/* Its own child, being built, it may. */
	ck_assert_int_eq(message_port(K, g_id, 1, 2), VNR_STATUS_SUCCESS);
}
END_TEST

START_TEST(a_connection_never_leaves_the_callers_family)
{
	struct hv_partition *G;
	u32 g_id;

	ck_assert_int_eq(fx_create_child(K, "grandchild", &g_id),
			 VNR_STATUS_SUCCESS);
	G = partition_by_id(g_id);
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, c_id, 2, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(K, g_id, 3, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(X, X->id, 4, 2), VNR_STATUS_SUCCESS);
	/* The child to its parent's port, for itself or for its child. */
	ck_assert_int_eq(connect(K, K->id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(connect(K, g_id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* To a sibling's port. */
	ck_assert_int_eq(connect(K, K->id, 1, c_id, 2),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* The parent to its grandchild's port, for itself or a child. */
	ck_assert_int_eq(connect(R, R->id, 1, g_id, 3),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(connect(R, c_id, 1, g_id, 3),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* A connection for the grandchild, made by the grandparent. */
	ck_assert_int_eq(connect(R, g_id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	/* A dom0less stranger, either way. */
	ck_assert_int_eq(connect(R, c_id, 1, X->id, 4),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(connect(X, X->id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(R->ipc.connection_count + C->ipc.connection_count +
				  K->ipc.connection_count +
				  G->ipc.connection_count +
				  X->ipc.connection_count,
			  0);
}
END_TEST

/* Whether an id outside the family exists, and its state, stay unknown. */
START_TEST(ids_outside_the_family_tell_nothing)
{
	ck_assert_int_eq(message_port(X, X->id, 4, 2), VNR_STATUS_SUCCESS);
	X->state = HV_PARTITION_CREATED; /* even "being built" */
	for (u32 i = 0; i < 3; i++) {
		u32 id = i == 0 ? X->id : i == 1 ? NOBODY : 0;

		ck_assert_int_eq(message_port(R, id, 1, 2),
				 VNR_STATUS_INVALID_PARTITION_ID);
		ck_assert_int_eq(connect(R, id, 1, R->id, 1),
				 VNR_STATUS_INVALID_PARTITION_ID);
		ck_assert_int_eq(connect(R, R->id, 1, id, 4),
				 VNR_STATUS_INVALID_PARTITION_ID);
	}
}
END_TEST

/*
 * A port on the SINT the parent's exit messages use: the child can post
 * there, but never pass for the hypervisor.
 */
START_TEST(a_child_cannot_forge_an_exit_message)
{
	struct vnr_message *slot = fx_gpa(R, SIMP_GPA);

	ck_assert_int_eq(message_port(R, R->id, 9, NOTIFY), VNR_STATUS_SUCCESS);
	K->state = HV_PARTITION_CREATED;
	ck_assert_int_eq(connect(R, K->id, 1, R->id, 9), VNR_STATUS_SUCCESS);
	K->state = HV_PARTITION_RUNNING;
	synic_on(R);
	ck_assert_int_eq(post(K, 1, VNR_MSG_PARTITION_EXIT),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(post(K, 1, VNR_MSG_HYPERVISOR_FIRST),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(slot[NOTIFY].header.message_type, VNR_MSG_NONE);
	ck_assert_int_eq(post(K, 1, 0x7FFFFFFF), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(slot[NOTIFY].header.message_type, 0x7FFFFFFF);
	ck_assert_uint_eq(slot[NOTIFY].header.sender_partition, K->id);
	ck_assert_uint_eq(slot[NOTIFY].header.port_id, 9); /* not 0 */
}
END_TEST

/* The most flags a port may have fit its SINT's words of the page. */
START_TEST(event_flags_stay_in_their_sints_words)
{
	struct vnr_event_flags_page *flags = fx_gpa(K, SIEFP_GPA);
	u8 *after = fx_gpa(K, AFTER_GPA);

	ck_assert_int_eq(event_port(K, K->id, 1, 15, VNR_EVENT_FLAGS_PER_SINT),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(K, K->id, 1, K->id, 1), VNR_STATUS_SUCCESS);
	synic_on(K);
	memset(after, FX_FILL, PAGE_SIZE);
	ck_assert_int_eq(signal(K, 1, VNR_EVENT_FLAGS_PER_SINT - 1),
			 VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(flags->sint[15][VNR_EVENT_FLAGS_PER_SINT / 64 - 1],
			  1ull << 63);
	ck_assert_int_eq(signal(K, 1, VNR_EVENT_FLAGS_PER_SINT),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(signal(K, 1, 1ull << 32),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(signal(K, 1, ~0ull), VNR_STATUS_INVALID_PARAMETER);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(after[i], FX_FILL);
	/* A port of fewer flags refuses the flag past them. */
	ck_assert_int_eq(event_port(K, K->id, 2, 15, 3), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(K, K->id, 2, K->id, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(signal(K, 2, 3), VNR_STATUS_INVALID_PARAMETER);
}
END_TEST

/*
 * A destroyed child's slot goes to the next partition created, which
 * may even have a port of the same id: no old connection reaches it.
 */
START_TEST(a_reused_slot_is_not_reached)
{
	struct hv_partition *E;
	u32 e_id;

	ck_assert_int_eq(message_port(R, c_id, 5, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, d_id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(destroy(R, c_id), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_create_child(R, "newcomer", &e_id),
			 VNR_STATUS_SUCCESS);
	E = partition_by_id(e_id);
	ck_assert_ptr_eq(E, C); /* the same slot */
	ck_assert_uint_ne(e_id, c_id);
	ck_assert_int_eq(message_port(R, e_id, 5, 2), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(R->ipc.connection_count + D->ipc.connection_count, 0);
	E->state = HV_PARTITION_RUNNING; /* would it be reached? */
	ck_assert_int_eq(post(R, 1, 0x42), VNR_STATUS_INVALID_CONNECTION_ID);
	E->state = HV_PARTITION_CREATED;
}
END_TEST

/*
 * A parent that stopped keeps its ports, and cannot be destroyed under
 * its children: their connections to it fail, and never dangle.
 */
START_TEST(a_stopped_parent_is_not_reached)
{
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	K->state = HV_PARTITION_CREATED;
	ck_assert_int_eq(connect(R, K->id, 1, R->id, 1), VNR_STATUS_SUCCESS);
	K->state = HV_PARTITION_RUNNING;
	synic_on(R);
	partition_stop(R, true, 0, "test");
	ck_assert_int_eq(post(K, 1, 0x42), VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(partition_destroy(R),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_uint_eq(K->ipc.connection_count, 1);
}
END_TEST

/*
 * A child once started, even suspended (which memory and register
 * calls treat as being built), keeps what it can reach.
 */
START_TEST(a_suspended_child_is_not_being_built)
{
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_hypercall(&R->vps[0],
				      FAST(VNR_CALL_PARTITION_SUSPEND), K->id,
				      0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, K->id, 1, 2),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(connect(R, K->id, 1, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_uint_eq(K->ipc.port_count + K->ipc.connection_count, 0);
}
END_TEST

/* The configuration's ports and connections count and keep their ids. */
START_TEST(configured_ones_count_and_keep_their_ids)
{
	const struct hv_port_config pc = {.kind = HV_PORT_MESSAGE, .sint = 2};

	for (u32 id = 1; id < VNR_MAX_PORTS; id++) {
		struct hv_port_config c = pc;

		c.id = id;
		ck_assert_int_eq(port_create(R, &c), 0);
		ck_assert_int_eq(connection_create(R, id, R->id, id), 0);
	}
	ck_assert_int_eq(message_port(R, R->id, 3, 7),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(R->ipc.ports[2].sint, 2);
	ck_assert_int_eq(connect(R, R->id, 3, R->id, 1),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(R->ipc.connections[2].port_id, 3);
	ck_assert_int_eq(message_port(R, R->id, 0xFFFFFFFF, 2),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 0xFFFFFFFF, R->id, 0xFFFFFFFF),
			 VNR_STATUS_SUCCESS);
	/* Full: a taken id is still a taken id, a new one is quota. */
	ck_assert_int_eq(message_port(R, R->id, 3, 2),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(message_port(R, R->id, 100, 2),
			 VNR_STATUS_QUOTA_EXCEEDED);
	ck_assert_int_eq(connect(R, R->id, 3, R->id, 1),
			 VNR_STATUS_INVALID_PARAMETER);
	ck_assert_int_eq(connect(R, R->id, 100, R->id, 1),
			 VNR_STATUS_QUOTA_EXCEEDED);
	ck_assert_uint_eq(R->ipc.port_count, VNR_MAX_PORTS);
	ck_assert_uint_eq(R->ipc.connection_count, VNR_MAX_CONNECTIONS);
}
END_TEST

/* Every refused call leaves every partition's tables as they were. */
START_TEST(a_refused_call_changes_nothing)
{
	struct hv_partition_ipc r, c, k;

	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 1, R->id, 1), VNR_STATUS_SUCCESS);
	r = R->ipc;
	c = C->ipc;
	k = K->ipc;
	ck_assert_int_ne(message_port(R, c_id, 0, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(event_port(R, c_id, 2, 2, 0), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(message_port(R, K->id, 2, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(connect(R, c_id, 1, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(connect(R, c_id, 2, R->id, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(connect(R, c_id, 2, X->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(connect(R, K->id, 2, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_ne(connect(K, K->id, 2, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_mem_eq(&R->ipc, &r, sizeof(r));
	ck_assert_mem_eq(&C->ipc, &c, sizeof(c));
	ck_assert_mem_eq(&K->ipc, &k, sizeof(k));
}
END_TEST

/*
 * Destroyed while connections lead both ways: those to it go, its own
 * go with it, and the others' other connections still work.
 */
START_TEST(destroyed_while_connected_both_ways)
{
	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, c_id, 5, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(R, d_id, 6, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 1, d_id, 6), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, c_id, 2, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, d_id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, d_id, 2, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 2, R->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(destroy(R, c_id), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(D->ipc.connection_count, 1);
	ck_assert_uint_eq(D->ipc.connections[0].id, 2);
	ck_assert_uint_eq(R->ipc.connection_count, 1);
	ck_assert_uint_eq(R->ipc.connections[0].id, 2);
	synic_on(R);
	ck_assert_int_eq(post(R, 2, 0x42), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(post(R, 1, 0x42), VNR_STATUS_INVALID_CONNECTION_ID);
	/* Nothing leads to a destroyed one's id any more. */
	for (u32 slot = 0; slot < HV_MAX_PARTITIONS; slot++) {
		const struct hv_partition *p = partition_at(slot);

		for (u32 i = 0; i < p->ipc.connection_count; i++)
			ck_assert_uint_ne(
				p->ipc.connections[i].target_partition, c_id);
	}
}
END_TEST

/* Through a connection to a child not yet started, nothing arrives. */
START_TEST(a_child_being_built_receives_nothing)
{
	ck_assert_int_eq(message_port(R, c_id, 5, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(event_port(R, c_id, 6, 2, 4), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 1, c_id, 5), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 2, c_id, 6), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(C->vp_count, 0); /* it has no VP 0 to deliver to */
	ck_assert_int_eq(post(R, 1, 0x42), VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(signal(R, 2, 0), VNR_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

/*
 * A started child keeps its ports, made by itself while it runs; through
 * them a connection reaches it only while it runs, not while suspended.
 */
START_TEST(a_suspended_child_receives_nothing)
{
	ck_assert_int_eq(message_port(K, K->id, 3, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(R, R->id, 1, K->id, 3), VNR_STATUS_SUCCESS);
	synic_on(K);
	ck_assert_int_eq(fx_hypercall(&R->vps[0],
				      FAST(VNR_CALL_PARTITION_SUSPEND), K->id,
				      0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(post(R, 1, 0x42), VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(fx_hypercall(&R->vps[0],
				      FAST(VNR_CALL_PARTITION_RESUME), K->id,
				      0),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(post(R, 1, 0x42), VNR_STATUS_SUCCESS);
}
END_TEST

/*
 * A running child with the privilege builds its own family as its parent
 * does, and gives its children nothing of its parent's.
 */
START_TEST(a_child_with_the_privilege_builds_its_own)
{
	u32 g_id;

	ck_assert_int_eq(message_port(R, R->id, 1, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_create_child(K, "grandchild", &g_id),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(message_port(K, K->id, 1, 3), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(K, g_id, 1, K->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(K, K->id, 1, K->id, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(connect(K, g_id, 2, R->id, 1),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(R->ipc.port_count, 1);
	ck_assert_uint_eq(partition_by_id(g_id)->ipc.connection_count, 1);
}
END_TEST

static Suite *port_attack_suite(void)
{
	Suite *s = suite_create("port_attack");
	TCase *reach = tcase_create("reach");
	TCase *life = tcase_create("life");

	tcase_add_checked_fixture(reach, setup, NULL);
	tcase_add_test(reach, a_child_makes_no_port_outside_its_family);
	tcase_add_test(reach, a_connection_never_leaves_the_callers_family);
	tcase_add_test(reach, ids_outside_the_family_tell_nothing);
	tcase_add_test(reach, a_child_cannot_forge_an_exit_message);
	tcase_add_test(reach, event_flags_stay_in_their_sints_words);
	tcase_add_test(reach, a_child_with_the_privilege_builds_its_own);
	suite_add_tcase(s, reach);
	tcase_add_checked_fixture(life, setup, NULL);
	tcase_add_test(life, a_reused_slot_is_not_reached);
	tcase_add_test(life, a_stopped_parent_is_not_reached);
	tcase_add_test(life, a_suspended_child_is_not_being_built);
	tcase_add_test(life, configured_ones_count_and_keep_their_ids);
	tcase_add_test(life, a_refused_call_changes_nothing);
	tcase_add_test(life, destroyed_while_connected_both_ways);
	tcase_add_test(life, a_child_being_built_receives_nothing);
	tcase_add_test(life, a_suspended_child_receives_nothing);
	suite_add_tcase(s, life);
	return s;
}

int main(void)
{
	return fx_run_suite(port_attack_suite());
}
