/* SPDX-License-Identifier: MIT */
/*
 * Messages, events and grants between partitions, in the hosted core:
 * connection ids that are not the caller's or lead to a partition that no
 * longer runs, peers that have stopped (they keep their ids, so the status
 * is INVALID_PARTITION_STATE, not INVALID_PARTITION_ID), the depth of a
 * SINT's message queue, and the message slot a posted message lands in,
 * checked byte by byte for leaks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <hv/synic.h>

#include "fixture.h"

/* Pages of the fixture's RAM (all RAM, see fixture.h). */
#define IN_GPA	   0x4000ull
#define OUT_GPA	   0x6000ull
#define GRANT_GPA  0xA000ull
#define PEER_GPA   GiB(1) /* outside the fixture's RAM */
#define SIMP_GPA   0x8000ull
#define SIEFP_GPA  0x9000ull

#define MSG_PORT   5u
#define EVT_PORT   6u
#define MSG_SINT   2u
#define EVT_SINT   3u
#define CONN_MSG   1u
#define CONN_EVT   2u
#define CONN_NOPRT 3u /* to a port T does not have */
#define CONN_NOPAR 4u /* to a partition that does not exist */
#define X_CONN_MSG 7u /* X's connections, not S's */
#define X_CONN_EVT 8u

static struct hv_partition *S, *T, *X;

static void add_ports(struct hv_partition *t)
{
	ck_assert_int_eq(
		port_create(t,
			    &(struct hv_port_config){MSG_PORT, HV_PORT_MESSAGE,
						     MSG_SINT, 0}),
		0);
	ck_assert_int_eq(
		port_create(t, &(struct hv_port_config){EVT_PORT, HV_PORT_EVENT,
							EVT_SINT, 64}),
		0);
}

/* SynIC on, event flags page at SIEFP_GPA; message page as asked. */
static void synic_on(struct hv_partition *t, bool simp)
{
	struct hv_vp *vp = &t->vps[0];

	ck_assert(synic_wrmsr(vp, VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE));
	ck_assert(synic_wrmsr(vp, VNR_MSR_SIEFP,
			      SIEFP_GPA | VNR_PAGE_MSR_ENABLE));
	if (simp)
		ck_assert(synic_wrmsr(vp, VNR_MSR_SIMP,
				      SIMP_GPA | VNR_PAGE_MSR_ENABLE));
}

static void conn_setup(void)
{
	fx_reset();
	S = fx_partition("sender", 0);
	T = fx_partition("target", 0);
	X = fx_partition("other", 0);
	add_ports(T);
	ck_assert_int_eq(connection_create(S, CONN_MSG, T->id, MSG_PORT), 0);
	ck_assert_int_eq(connection_create(S, CONN_EVT, T->id, EVT_PORT), 0);
	ck_assert_int_eq(connection_create(S, CONN_NOPRT, T->id, 99), 0);
	ck_assert_int_eq(connection_create(S, CONN_NOPAR, 999, MSG_PORT), 0);
	ck_assert_int_eq(connection_create(X, X_CONN_MSG, T->id, MSG_PORT), 0);
	ck_assert_int_eq(connection_create(X, X_CONN_EVT, T->id, EVT_PORT), 0);
	synic_on(T, false);
}

static enum vnr_status post(struct hv_partition *from, u32 conn,
			    u32 payload_size, u8 byte)
{
	struct vnr_post_message_input *in = fx_gpa(from, IN_GPA);

	memset(in, 0, sizeof(*in));
	in->connection_id = conn;
	in->message_type = 0x42;
	in->payload_size = payload_size;
	memset(in->payload, byte, payload_size);
	return fx_hypercall(&from->vps[0], MEM(VNR_CALL_POST_MESSAGE), IN_GPA,
			    0);
}

static enum vnr_status signal_event(struct hv_partition *from, u64 conn,
				    u64 flag)
{
	return fx_hypercall(&from->vps[0], FAST(VNR_CALL_SIGNAL_EVENT), conn,
			    flag);
}

static u64 flags_word(struct hv_partition *t, u32 sint)
{
	return ((struct vnr_event_flags_page *)fx_gpa(t, SIEFP_GPA))
		->sint[sint][0];
}

static void expect_nothing_queued(struct hv_partition *t)
{
	for (u32 s = 0; s < VNR_SINT_COUNT; s++)
		ck_assert_uint_eq(t->vps[0].synic.queue_count[s], 0);
	for (u32 s = 0; s < VNR_SINT_COUNT; s++)
		ck_assert_uint_eq(flags_word(t, s), 0);
}

START_TEST(conn_baseline)
{
	ck_assert_int_eq(post(S, CONN_MSG, 4, 1), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(T->vps[0].synic.queue_count[MSG_SINT], 1);
	ck_assert_int_eq(signal_event(S, CONN_EVT, 3), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(flags_word(T, EVT_SINT), 1ull << 3);
}
END_TEST

START_TEST(conn_unknown_and_foreign_ids)
{
	const u32 bad[] = {0,	       5,	   0xFFFFFFFFu,
			   X_CONN_MSG, X_CONN_EVT, CONN_NOPRT,
			   CONN_NOPAR, MSG_PORT,   EVT_PORT};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(post(S, bad[i], 4, 1) ==
				      VNR_STATUS_INVALID_CONNECTION_ID,
			      "POST_MESSAGE connection %u", bad[i]);
		ck_assert_msg(signal_event(S, bad[i], 0) ==
				      VNR_STATUS_INVALID_CONNECTION_ID,
			      "SIGNAL_EVENT connection %u", bad[i]);
	}
	/* The other kind's connection. */
	ck_assert_int_eq(post(S, CONN_EVT, 4, 1),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(signal_event(S, CONN_MSG, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	/* A valid id with bits above 32 (SIGNAL_EVENT takes 64 bits). */
	ck_assert_int_eq(signal_event(S, (1ull << 32) | CONN_EVT, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(signal_event(S, (1ull << 63) | CONN_EVT, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	/* A partition with no connections at all (T itself). */
	ck_assert_int_eq(post(T, CONN_MSG, 4, 1),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(signal_event(T, CONN_EVT, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	expect_nothing_queued(T);
}
END_TEST

/*
 * A stopped partition keeps its id and its ports: the connection still
 * leads somewhere, so the status names the state.  A connection that is
 * wrong in itself stays INVALID_CONNECTION_ID, stopped owner or not.
 */
START_TEST(conn_to_stopped_partition)
{
	partition_stop(T, true, 0, "done");
	ck_assert_int_eq(post(S, CONN_MSG, 4, 1),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(signal_event(S, CONN_EVT, 0),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(post(X, X_CONN_MSG, 4, 1),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(signal_event(X, X_CONN_EVT, 0),
			 VNR_STATUS_INVALID_PARTITION_STATE);
	ck_assert_int_eq(post(S, CONN_EVT, 4, 1),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(signal_event(S, CONN_MSG, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(post(S, CONN_NOPRT, 4, 1),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	expect_nothing_queued(T);
}
END_TEST

static enum vnr_status grant_create(struct hv_partition *owner, u32 peer_id,
				    u64 *handle)
{
	return fx_grant_create(owner, peer_id, GRANT_GPA, handle);
}

static enum vnr_status grant_map(struct hv_partition *peer, u32 owner_id,
				 u64 handle)
{
	return fx_grant_map(peer, owner_id, handle, PEER_GPA);
}

START_TEST(grant_to_stopped_peer)
{
	partition_stop(T, true, 0, "done");
	/* Refused as no partition: the status tells S nothing of T's state. */
	ck_assert_int_eq(grant_create(S, T->id, NULL),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(grant_create(S, S->id, NULL),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(grant_create(S, 999, NULL),
			 VNR_STATUS_INVALID_PARTITION_ID);
	for (u32 i = 0; i < VNR_MAX_GRANTS; i++)
		ck_assert_uint_eq(S->grants.slot[i].handle, 0);
}
END_TEST

/* A stopped owner's grants stay, and its id still names them. */
START_TEST(grant_of_stopped_owner_maps)
{
	u64 handle = 0;

	ck_assert_int_eq(grant_create(S, T->id, &handle), VNR_STATUS_SUCCESS);
	partition_stop(S, true, 0, "done");
	ck_assert_int_eq(grant_map(X, S->id, handle), VNR_STATUS_INVALID_GRANT);
	ck_assert_int_eq(grant_map(T, S->id, handle), VNR_STATUS_SUCCESS);
}
END_TEST

/* Destroyed, and a new partition with the same ports in its slot. */
START_TEST(conn_to_destroyed_partition)
{
	u32 old = T->id;
	struct hv_partition *t2;
	u8 *ram = fx_ram(T); /* the fixture's allocation, freed here */

	partition_stop(T, true, 0, "done");
	ck_assert_int_eq(partition_destroy(T), VNR_STATUS_SUCCESS);
	free(ram);
	ck_assert_int_eq(post(S, CONN_MSG, 4, 1),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(signal_event(S, CONN_EVT, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	t2 = fx_partition("target", 0);
	add_ports(t2);
	synic_on(t2, false);
	ck_assert_uint_ne(t2->id, old);
	ck_assert_int_eq(post(S, CONN_MSG, 4, 1),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	ck_assert_int_eq(signal_event(S, CONN_EVT, 0),
			 VNR_STATUS_INVALID_CONNECTION_ID);
	expect_nothing_queued(t2);
}
END_TEST

#define ONE_SENDER (VNR_MESSAGE_QUEUE_DEPTH - VNR_MESSAGE_QUEUE_RESERVE)

/* A message of the hypervisor's own (sender 0) for T's MSG_SINT. */
static enum vnr_status post_from_hypervisor(u8 byte)
{
	struct vnr_message msg = {
		.header = {.message_type = 0x42, .payload_size = 8},
	};

	memset(msg.payload, byte, 8);
	return synic_post(&T->vps[0], MSG_SINT, &msg);
}

static void expect_queue_full_for_partitions(void)
{
	for (u32 i = 0; i < 3; i++) {
		ck_assert_int_eq(post(S, CONN_MSG, 8, 0xEE),
				 VNR_STATUS_INSUFFICIENT_BUFFERS);
		ck_assert_int_eq(post(X, X_CONN_MSG, 8, 0xEE),
				 VNR_STATUS_INSUFFICIENT_BUFFERS);
	}
}

/*
 * VNR_MESSAGE_QUEUE_DEPTH queued, not counting the one in the slot; one
 * sender gets all but the last VNR_MESSAGE_QUEUE_RESERVE places, another
 * sender one of those, the hypervisor the rest.
 */
START_TEST(message_queue_depth)
{
	struct hv_synic *sy;
	struct vnr_message_page *simp;
	static const u8 order[] = {1, 2, 3, 4, 5, 0xA0, 0xB0, 0xB1};

	conn_setup();
	sy = &T->vps[0].synic;
	for (u32 i = 0; i < ONE_SENDER; i++)
		ck_assert_int_eq(post(S, CONN_MSG, 8, (u8)i),
				 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(post(S, CONN_MSG, 8, 0xEE),
			 VNR_STATUS_INSUFFICIENT_BUFFERS);
	ck_assert_int_eq(post(X, X_CONN_MSG, 8, 0xA0), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(post(X, X_CONN_MSG, 8, 0xEE),
			 VNR_STATUS_INSUFFICIENT_BUFFERS);
	ck_assert_int_eq(post_from_hypervisor(0xB0), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(sy->queue_count[MSG_SINT], VNR_MESSAGE_QUEUE_DEPTH);
	expect_queue_full_for_partitions();
	ck_assert_int_eq(post_from_hypervisor(0xEE),
			 VNR_STATUS_INSUFFICIENT_BUFFERS);
	ck_assert(!synic_can_queue(&T->vps[0], MSG_SINT));
	/* Other SINTs are not affected. */
	ck_assert_int_eq(signal_event(S, CONN_EVT, 0), VNR_STATUS_SUCCESS);

	/*
	 * The message page takes the first: one place free, but S and X
	 * have messages queued, so it is the hypervisor's.
	 */
	memset(fx_gpa(T, SIMP_GPA), 0, PAGE_SIZE);
	ck_assert(synic_wrmsr(&T->vps[0], VNR_MSR_SIMP,
			      SIMP_GPA | VNR_PAGE_MSR_ENABLE));
	simp = fx_gpa(T, SIMP_GPA);
	ck_assert_uint_eq(simp->sint[MSG_SINT].header.message_type, 0x42);
	ck_assert_uint_eq(simp->sint[MSG_SINT].payload[0], 0); /* first */
	ck_assert_uint_eq(sy->queue_count[MSG_SINT],
			  VNR_MESSAGE_QUEUE_DEPTH - 1);
	expect_queue_full_for_partitions();
	ck_assert_int_eq(post_from_hypervisor(0xB1), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(sy->queue_count[MSG_SINT], VNR_MESSAGE_QUEUE_DEPTH);
	/* The refused ones never show up: drain and look at each. */
	for (u32 i = 0; i < sizeof(order); i++) {
		simp->sint[MSG_SINT].header.message_type = 0;
		ck_assert(synic_wrmsr(&T->vps[0], VNR_MSR_EOM, 0));
		ck_assert_uint_eq(simp->sint[MSG_SINT].header.message_type,
				  0x42);
		ck_assert_uint_eq(simp->sint[MSG_SINT].payload[0], order[i]);
	}
	ck_assert_uint_eq(sy->queue_count[MSG_SINT], 0);
}
END_TEST

/*
 * A sender flooding a shared queue leaves the reserve to others, one
 * place each, and gets its own places back as the receiver drains.
 */
START_TEST(flooding_sender_leaves_room)
{
	struct hv_synic *sy;
	u32 accepted = 0;

	conn_setup();
	sy = &T->vps[0].synic;
	while (post(S, CONN_MSG, 8, 1) == VNR_STATUS_SUCCESS)
		accepted++;
	ck_assert_uint_eq(accepted, ONE_SENDER);
	ck_assert_int_eq(post(X, X_CONN_MSG, 8, 2), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(sy->queue_count[MSG_SINT], ONE_SENDER + 1);
	/* With SynIC on and a free slot, one leaves the queue per EOM. */
	memset(fx_gpa(T, SIMP_GPA), 0, PAGE_SIZE);
	ck_assert(synic_wrmsr(&T->vps[0], VNR_MSR_SIMP,
			      SIMP_GPA | VNR_PAGE_MSR_ENABLE));
	ck_assert_uint_eq(sy->queue_count[MSG_SINT], ONE_SENDER);
	ck_assert_int_eq(post(S, CONN_MSG, 8, 1),
			 VNR_STATUS_INSUFFICIENT_BUFFERS);
	ck_assert_int_eq(post(X, X_CONN_MSG, 8, 2),
			 VNR_STATUS_INSUFFICIENT_BUFFERS);
}
END_TEST

/* The slot a posted message lands in: header and payload, byte by byte. */
START_TEST(posted_message_slot_leaks_nothing)
{
	static const u32 sizes[] = {0, 1, 5, 239, 240};

	conn_setup();
	ck_assert(synic_wrmsr(&T->vps[0], VNR_MSR_SIMP,
			      SIMP_GPA | VNR_PAGE_MSR_ENABLE));
	for (unsigned k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct vnr_message *m = fx_free_slot(T, SIMP_GPA, MSG_SINT);

		ck_assert_int_eq(post(S, CONN_MSG, sizes[k], 0x5C),
				 VNR_STATUS_SUCCESS);
		ck_assert_uint_eq(m->header.message_type, 0x42);
		ck_assert_uint_eq(m->header.payload_size, sizes[k]);
		ck_assert_uint_eq(m->header.flags, 0);
		ck_assert_uint_eq(m->header.reserved, 0);
		ck_assert_uint_eq(m->header.sender_partition, S->id);
		ck_assert_uint_eq(m->header.port_id, MSG_PORT);
		for (u32 i = 0; i < sizes[k]; i++)
			ck_assert_uint_eq(m->payload[i], 0x5C);
		fx_expect_payload_zero_from(m, sizes[k]);
		fx_expect_other_slots_untouched(T, SIMP_GPA, MSG_SINT);
	}
	/* Queued while the slot was busy, delivered at EOM: the same. */
	{
		struct vnr_message *m = fx_free_slot(T, SIMP_GPA, MSG_SINT);

		m->header.message_type = 0x99; /* busy */
		ck_assert_int_eq(post(S, CONN_MSG, 3, 0x33),
				 VNR_STATUS_SUCCESS);
		ck_assert_uint_eq(m->header.flags & VNR_MSG_FLAG_PENDING,
				  VNR_MSG_FLAG_PENDING);
		m->header.message_type = 0;
		ck_assert(synic_wrmsr(&T->vps[0], VNR_MSR_EOM, 0));
		ck_assert_uint_eq(m->header.message_type, 0x42);
		ck_assert_uint_eq(m->header.payload_size, 3);
		ck_assert_uint_eq(m->header.flags, 0);
		ck_assert_uint_eq(m->header.reserved, 0);
		fx_expect_payload_zero_from(m, 3);
	}
}
END_TEST

static Suite *ipc_suite(void)
{
	Suite *s = suite_create("ipc");
	TCase *conns = tcase_create("connection_ids");
	TCase *quota = tcase_create("exhaustion");
	TCase *leaks = tcase_create("leaks");

	tcase_add_checked_fixture(conns, conn_setup, NULL);
	tcase_add_test(conns, conn_baseline);
	tcase_add_test(conns, conn_unknown_and_foreign_ids);
	tcase_add_test(conns, conn_to_stopped_partition);
	tcase_add_test(conns, conn_to_destroyed_partition);
	tcase_add_test(conns, grant_to_stopped_peer);
	tcase_add_test(conns, grant_of_stopped_owner_maps);
	suite_add_tcase(s, conns);

	tcase_set_timeout(quota, 60);
	tcase_add_test(quota, message_queue_depth);
	tcase_add_test(quota, flooding_sender_leaves_room);
	suite_add_tcase(s, quota);

	tcase_add_test(leaks, posted_message_slot_leaks_nothing);
	suite_add_tcase(s, leaks);
	return s;
}

int main(void)
{
	return fx_run_suite(ipc_suite());
}
