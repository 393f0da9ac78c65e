// SPDX-License-Identifier: MIT
/*
 * Messages between two partitions: POST_MESSAGE's failure statuses, a full
 * queue (INSUFFICIENT_BUFFERS) drained in order, then `count` round trips
 * with sequence numbers and variable payloads (no loss, no duplicate, in
 * order), delivered through the SINT interrupt.
 *
 * Command line: role=1 (ping) or role=2 (pong), count=N (default 10000).
 * ping: port 1 (messages, SINT 2); connections 1 = pong:1, 2 = pong:2.
 * pong: ports 1 (SINT 2) and 2 (SINT 3, flood control); connection 1 =
 * ping:1.
 */
#include <vnr_test.h>

#define SINT_DATA    2
#define SINT_CONTROL 3
#define VECTOR_BASE  0x50

enum msg_type {
	MSG_FLOOD = 1,	    /* ping -> pong, while pong does not read */
	MSG_FLOOD_DONE = 2, /* ping -> pong port 2: how many were accepted */
	MSG_READY = 3,	    /* pong -> ping: flood checked, start */
	MSG_PING = 4,
	MSG_PONG = 5,
};

struct body {
	vnr_u32 seq;
	vnr_u8 data[VNR_MESSAGE_PAYLOAD_MAX - 4];
};

static volatile vnr_u64 interrupts;

static void on_sint(unsigned int sint, void *ctx)
{
	(void)sint;
	(void)ctx;
	interrupts++;
}

/* Waits for the next message on sint, sleeping until its interrupt. */
static void receive(unsigned int sint, struct vnr_message *m)
{
	vnr_irq_disable();
	while (!vnr_message_take(sint, m))
		vnr_wait_for_interrupt();
	vnr_irq_enable();
}

static vnr_u32 body_size(vnr_u32 seq)
{
	return 4 + seq % (sizeof(((struct body *)0)->data) + 1);
}

static void fill(struct body *b, vnr_u32 seq)
{
	vnr_u32 i;

	b->seq = seq;
	for (i = 0; i + 4 < body_size(seq); i++)
		b->data[i] = (vnr_u8)(seq * 7 + i);
}

static bool body_valid(const struct vnr_message *m, vnr_u32 seq)
{
	struct body want;

	fill(&want, seq);
	return m->header.payload_size == body_size(seq) &&
	       !memcmp(m->payload, &want, body_size(seq));
}

/* Statuses that need a hand-built input. */
static void post_raw(vnr_u32 conn, vnr_u32 type, vnr_u32 size, vnr_u32 reserved,
		     enum vnr_status want)
{
	struct vnr_post_message_input *in = vnr_hc_input_page();

	memset(in, 0, sizeof(*in));
	in->connection_id = conn;
	in->message_type = type;
	in->payload_size = size;
	in->reserved = reserved;
	VNR_EXPECT_STATUS(vnr_hypercall_memory(VNR_CALL_POST_MESSAGE, in, NULL),
			  want);
}

static void check_post_errors(void)
{
	post_raw(99, 1, 0, 0, VNR_STATUS_INVALID_CONNECTION_ID);
	post_raw(0, 1, 0, 0, VNR_STATUS_INVALID_CONNECTION_ID);
	post_raw(1, VNR_MSG_NONE, 0, 0, VNR_STATUS_INVALID_PARAMETER);
	post_raw(1, VNR_MSG_HYPERVISOR_FIRST, 0, 0,
		 VNR_STATUS_INVALID_PARAMETER);
	post_raw(1, VNR_MSG_TIMER_EXPIRED, 0, 0, VNR_STATUS_INVALID_PARAMETER);
	post_raw(1, 1, VNR_MESSAGE_PAYLOAD_MAX + 1, 0,
		 VNR_STATUS_INVALID_PARAMETER);
	post_raw(1, 1, 0, 1, VNR_STATUS_INVALID_PARAMETER);
}

/* Posts until pong's queue is full; returns how many were accepted. */
static vnr_u32 flood(void)
{
	enum vnr_status st = VNR_STATUS_SUCCESS;
	vnr_u32 n;

	for (n = 0; n < 4 * VNR_MESSAGE_QUEUE_DEPTH; n++) {
		st = vnr_post_message(1, MSG_FLOOD, &n, sizeof(n));
		if (st != VNR_STATUS_SUCCESS)
			break;
	}
	VNR_EXPECT_EQ(st, VNR_STATUS_INSUFFICIENT_BUFFERS);
	/* One sender's share of the queue, and the slot if it was free. */
	VNR_EXPECT(n >= VNR_MESSAGE_QUEUE_DEPTH - VNR_MESSAGE_QUEUE_RESERVE &&
		   n <= VNR_MESSAGE_QUEUE_DEPTH - VNR_MESSAGE_QUEUE_RESERVE +
				   1);
	vnr_test_note("queue full after %u messages", n);
	return n;
}

static int ping(vnr_u32 count)
{
	struct vnr_message m;
	vnr_u32 seq, accepted, bad = 0;
	vnr_u64 t0, t1;

	check_post_errors();
	accepted = flood();
	VNR_EXPECT_EQ(vnr_post_message(2, MSG_FLOOD_DONE, &accepted,
				       sizeof(accepted)),
		      VNR_STATUS_SUCCESS);
	receive(SINT_DATA, &m);
	VNR_EXPECT_EQ(m.header.message_type, MSG_READY);
	t0 = vnr_reference_time();
	for (seq = 0; seq < count; seq++) {
		struct body b;

		fill(&b, seq);
		while (vnr_post_message(1, MSG_PING, &b, body_size(seq)) ==
		       VNR_STATUS_INSUFFICIENT_BUFFERS)
			vnr_vp_yield();
		receive(SINT_DATA, &m);
		if (m.header.message_type != MSG_PONG || !body_valid(&m, seq))
			bad++;
	}
	t1 = vnr_reference_time();
	VNR_EXPECT_EQ(bad, 0);
	VNR_EXPECT(interrupts >= count);
	vnr_test_note("round trips=%u time=%lu us per round trip=%lu us "
		      "interrupts=%lu",
		      count, (t1 - t0) / VNR_TICKS_PER_US,
		      (t1 - t0) / VNR_TICKS_PER_US / (count ? count : 1),
		      interrupts);
	return vnr_test_done();
}

/* The flooded messages arrive complete and in order, then the replies. */
static void check_flood(const struct vnr_message *done)
{
	vnr_u32 accepted = *(const vnr_u32 *)done->payload, i, bad = 0;
	struct vnr_message m;

	for (i = 0; i < accepted; i++) {
		receive(SINT_DATA, &m);
		if (m.header.message_type != MSG_FLOOD ||
		    *(const vnr_u32 *)m.payload != i)
			bad++;
	}
	VNR_EXPECT_EQ(bad, 0);
	VNR_EXPECT(!vnr_message_take(SINT_DATA, &m));
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_READY, NULL, 0),
		      VNR_STATUS_SUCCESS);
}

static int pong(vnr_u32 count)
{
	struct vnr_message m;
	vnr_u32 seq, bad = 0;

	/* Do not read port 1 until ping has filled its queue. */
	receive(SINT_CONTROL, &m);
	VNR_EXPECT_EQ(m.header.message_type, MSG_FLOOD_DONE);
	VNR_EXPECT(m.header.port_id == 2);
	check_flood(&m);
	for (seq = 0; seq < count; seq++) {
		receive(SINT_DATA, &m);
		if (m.header.message_type != MSG_PING || !body_valid(&m, seq) ||
		    m.header.port_id != 1)
			bad++;
		while (vnr_post_message(1, MSG_PONG, m.payload,
					m.header.payload_size) ==
		       VNR_STATUS_INSUFFICIENT_BUFFERS)
			vnr_vp_yield();
	}
	VNR_EXPECT_EQ(bad, 0);
	vnr_test_note("answered %u pings", count);
	return vnr_test_done();
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 role = vnr_cmdline_u64("role", 0);
	vnr_u32 count = (vnr_u32)vnr_cmdline_u64("count", 10000);

	(void)si;
	vnr_test_begin(role == 1 ? "ping" : "pong");
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(SINT_DATA, VECTOR_BASE + SINT_DATA,
					on_sint, NULL, VNR_SINT_AUTO_EOI)) ||
	    !VNR_EXPECT(vnr_sint_enable(SINT_CONTROL,
					VECTOR_BASE + SINT_CONTROL, on_sint,
					NULL, 0)))
		return vnr_test_done();
	return role == 1 ? ping(count) : pong(count);
}
