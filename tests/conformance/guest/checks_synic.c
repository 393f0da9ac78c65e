/* SPDX-License-Identifier: MIT */
/*
 * Checks of the SynIC (synic.md) and of messages and events to the
 * partition's own ports (hypercalls.md).  The ports come from the
 * configuration; the command line names them: msg_conn and msg_port (a
 * message port on SINT msg_sint), event_conn (an event port on SINT
 * event_sint with event_flags flags).  Timers use SINT TIMER_SINT.
 */
#include "guest.h"

#define TIMER_SINT 1
#define MS	   10000ull /* reference time ticks */

static struct vnr_message_page simp __attribute__((aligned(4096)));
static struct vnr_event_flags_page siefp __attribute__((aligned(4096)));
static struct vnr_reference_tsc_page tsc_page __attribute__((aligned(4096)));

static int synic_ready(void)
{
	return (features() & VNR_FEATURE_MASK(SYNIC)) != 0;
}

static int timers_ready(void)
{
	return synic_ready() &&
	       (features() & VNR_FEATURE_MASK(SYNTHETIC_TIMERS)) != 0;
}

/* Enables the message page, the event flags page and the SynIC. */
static void synic_enable(void)
{
	wrmsr(VNR_MSR_SIMP, (u64)&simp | VNR_PAGE_MSR_ENABLE);
	wrmsr(VNR_MSR_SIEFP, (u64)&siefp | VNR_PAGE_MSR_ENABLE);
	wrmsr(VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE);
}

static volatile struct vnr_message *slot(int sint)
{
	return &simp.sint[sint];
}

/* Frees the slot of sint and tells the hypervisor (EOM). */
static void slot_free(int sint)
{
	slot(sint)->header.message_type = VNR_MSG_NONE;
	wrmsr(VNR_MSR_EOM, 0);
}

/* Frees the slot of sint until nothing more arrives in it. */
static void slot_drain(int sint)
{
	int i;

	for (i = 0; i < 16 && slot(sint)->header.message_type; i++)
		slot_free(sint);
}

/* The SynIC on, with the timers' slot empty. */
static void timer_sint_enable(void)
{
	synic_enable();
	slot_drain(TIMER_SINT);
}

static void halt(u64 timeout)
{
	hc(fast(VNR_CALL_VP_HALT), timeout, 0, 0, 0);
}

/* Waits, halting, until the slot of sint holds a message or the reference
 * time passes deadline; returns whether a message came. */
static int wait_message(int sint, u64 deadline)
{
	while (!slot(sint)->header.message_type) {
		if (now() > deadline)
			return 0;
		halt(MS);
	}
	__asm__ volatile("" : : : "memory");
	return 1;
}

/* Sets timer n, stopped first, to be due at the absolute time due on
 * TIMER_SINT, one-shot or periodic (then due is the period). */
static void timer_arm(int n, u64 due, int periodic)
{
	u32 config = VNR_MSR_STIMER0_CONFIG + 2 * (u32)n;

	wrmsr(config, 0);
	wrmsr(config + 1, due);
	wrmsr(config, VNR_STIMER_ENABLE | (periodic ? VNR_STIMER_PERIODIC : 0) |
			      ((u64)TIMER_SINT << VNR_STIMER_SINT_SHIFT));
}

static void timer_stop(int n)
{
	wrmsr(VNR_MSR_STIMER0_CONFIG + 2 * (u32)n, 0);
}

static enum vnr_status post(u32 connection, u32 type, u32 size, u32 reserved,
			    const char *payload)
{
	struct vnr_post_message_input *in = (void *)scratch[2];

	in->connection_id = connection;
	in->message_type = type;
	in->payload_size = size;
	in->reserved = reserved;
	memset(in->payload, 0, sizeof(in->payload));
	if (payload)
		memcpy(in->payload, payload, size);
	return vnr_hc_status(
		hc(memcall(VNR_CALL_POST_MESSAGE), (u64)in, 0, 0, 0));
}

static enum vnr_status signal(u64 connection, u64 flag)
{
	return vnr_hc_status(
		hc(fast(VNR_CALL_SIGNAL_EVENT), connection, flag, 0, 0));
}

enum result check_HC_012(void)
{
	u64 conn = cmdline_number("msg_conn", 0);
	int sint = (int)cmdline_number("msg_sint", 16);
	u32 port = (u32)cmdline_number("msg_port", 0);
	volatile struct vnr_message *m;
	enum vnr_status s;
	int i;

	if (!synic_ready() || !conn || sint > 15)
		return unsupported("no SynIC or no message port of its own");
	synic_enable();
	s = post((u32)conn, 7, 5, 0, "hello");
	if (s != VNR_STATUS_SUCCESS)
		return fail("status %x", s);
	if (!wait_message(sint, now() + 100 * MS))
		return fail("no message in the slot of SINT %d", sint);
	m = slot(sint);
	if (m->header.message_type != 7 || m->header.payload_size != 5 ||
	    m->header.sender_partition != start_info->partition_id ||
	    m->header.port_id != port || m->header.reserved)
		return fail("type %u size %u sender %u port %u",
			    m->header.message_type, m->header.payload_size,
			    m->header.sender_partition, m->header.port_id);
	if (memcmp((const void *)m->payload, "hello", 5))
		return fail("payload differs");
	for (i = 5; i < VNR_MESSAGE_PAYLOAD_MAX; i++)
		if (m->payload[i])
			return fail("payload byte %d is %u", i, m->payload[i]);
	slot_free(sint);
	return PASS;
}

enum result check_HC_013(void)
{
	u64 event = cmdline_number("event_conn", 0);
	enum vnr_status s;

	if (!synic_ready())
		return unsupported("no SynIC");
	if ((s = post(0xFFFF0000, 0, 0, 0, 0)) != VNR_STATUS_INVALID_PARAMETER)
		return fail("type 0: status %x", s);
	if ((s = post(0xFFFF0000, 1, VNR_MESSAGE_PAYLOAD_MAX + 1, 0, 0)) !=
	    VNR_STATUS_INVALID_PARAMETER)
		return fail("payload 241: status %x", s);
	if ((s = post(0xFFFF0000, 1, 0, 1, 0)) != VNR_STATUS_INVALID_PARAMETER)
		return fail("reserved 1: status %x", s);
	if ((s = post(0xFFFF0000, 1, 0, 0, 0)) !=
	    VNR_STATUS_INVALID_CONNECTION_ID)
		return fail("unknown connection: status %x", s);
	if (event && (s = post((u32)event, 1, 0, 0, 0)) !=
			     VNR_STATUS_INVALID_CONNECTION_ID)
		return fail("event connection: status %x", s);
	return PASS;
}

enum result check_HC_014(void)
{
	u64 conn = cmdline_number("event_conn", 0);
	int sint = (int)cmdline_number("event_sint", 16);
	u64 flags = cmdline_number("event_flags", 0);
	enum vnr_status s;

	if (!synic_ready() || !conn || sint > 15 || flags < 4)
		return unsupported("no SynIC or no event port of its own");
	synic_enable();
	wrmsr(VNR_MSR_SIEFP, 0);
	if ((s = signal(conn, 3)) != VNR_STATUS_PORT_NOT_READY)
		return fail("SIEFP disabled: status %x", s);
	memset(&siefp, 0, sizeof(siefp));
	synic_enable();
	if ((s = signal(conn, 3)) != VNR_STATUS_SUCCESS)
		return fail("status %x", s);
	if (siefp.sint[sint][0] != 1u << 3)
		return fail("flags word %lx", siefp.sint[sint][0]);
	siefp.sint[sint][0] = 0;
	if ((s = signal(conn, flags)) != VNR_STATUS_INVALID_PARAMETER)
		return fail("flag %lu: status %x", flags, s);
	if ((s = signal(conn | (1ull << 32), 0)) !=
	    VNR_STATUS_INVALID_CONNECTION_ID)
		return fail("connection above 32 bits: status %x", s);
	return PASS;
}

enum result check_SYNIC_001(void)
{
	static const u32 msrs[] = {VNR_MSR_SIMP, VNR_MSR_SIEFP};
	u8 *page = scratch[3];
	unsigned i;

	if (!synic_ready())
		return unsupported("no SynIC");
	for (i = 0; i < 2; i++) {
		u64 before = rdmsr(msrs[i]), back;
		int j, kept = 1;

		/* A pattern the hypervisor must leave, every slot free. */
		for (j = 0; j < 4096; j++)
			page[j] = (j % 256) < 4 ? 0 : (u8)(j * 7 + 1);
		back = wrmsr_probe(msrs[i], (u64)page | VNR_PAGE_MSR_ENABLE)
			       ? 0
			       : rdmsr(msrs[i]);
		for (j = 0; j < 4096; j++)
			if (page[j] != ((j % 256) < 4 ? 0 : (u8)(j * 7 + 1)))
				kept = 0;
		wrmsr(msrs[i], before);
		if (back != ((u64)page | VNR_PAGE_MSR_ENABLE))
			return fail("MSR %x reads %lx", msrs[i], back);
		if (!kept)
			return fail("MSR %x: the page changed", msrs[i]);
	}
	return PASS;
}

static int timer_seen;
static u64 timer_config_after;

enum result check_SYNIC_002(void)
{
	volatile struct vnr_message *m = slot(TIMER_SINT);
	const struct vnr_timer_message *t;
	u64 due;
	int i;

	if (!timers_ready())
		return unsupported("no synthetic timers");
	timer_sint_enable();
	due = now() + MS;
	timer_arm(0, due, 0);
	if (!wait_message(TIMER_SINT, due + 1000 * MS))
		return fail("no message within 1 s");
	timer_seen = 1;
	timer_config_after = rdmsr(VNR_MSR_STIMER0_CONFIG);
	t = (const struct vnr_timer_message *)(const void *)m->payload;
	if (m->header.message_type != VNR_MSG_TIMER_EXPIRED ||
	    m->header.payload_size != sizeof(*t) ||
	    m->header.sender_partition || m->header.port_id)
		return fail("type %x size %u sender %u port %u",
			    m->header.message_type, m->header.payload_size,
			    m->header.sender_partition, m->header.port_id);
	if (t->timer_index || t->reserved || t->expiration_time != due ||
	    t->delivery_time < t->expiration_time)
		return fail("index %u, due %lu, expiration %lu, delivery "
			    "%lu",
			    t->timer_index, due, t->expiration_time,
			    t->delivery_time);
	for (i = sizeof(*t); i < VNR_MESSAGE_PAYLOAD_MAX; i++)
		if (m->payload[i])
			return fail("payload byte %d is %u", i, m->payload[i]);
	slot_free(TIMER_SINT);
	return PASS;
}

enum result check_SYNIC_003(void)
{
	if (!timers_ready())
		return unsupported("no synthetic timers");
	if (!timer_seen)
		return fail("no timer message (SYNIC-002)");
	if (timer_config_after & VNR_STIMER_ENABLE)
		return fail("CONFIG %lx after expiry", timer_config_after);
	return PASS;
}

enum result check_SYNIC_004(void)
{
	u64 expiration[3];
	int i;

	if (!timers_ready())
		return unsupported("no synthetic timers");
	timer_sint_enable();
	timer_arm(1, 1, 1); /* a period of 100 ns */
	for (i = 0; i < 3; i++) {
		const struct vnr_timer_message *t =
			(const void *)slot(TIMER_SINT)->payload;

		if (!wait_message(TIMER_SINT, now() + 1000 * MS)) {
			timer_stop(1);
			return fail("message %d did not come", i);
		}
		expiration[i] = t->expiration_time;
		slot_free(TIMER_SINT);
	}
	timer_stop(1);
	slot_drain(TIMER_SINT);
	for (i = 1; i < 3; i++)
		if (expiration[i] < expiration[i - 1] + VNR_STIMER_MIN_PERIOD)
			return fail("expirations %lu and %lu",
				    expiration[i - 1], expiration[i]);
	return PASS;
}

enum result check_SYNIC_005(void)
{
	const u32 sint = VNR_MSR_SINT0 + TIMER_SINT;
	u64 deadline;

	if (!timers_ready())
		return unsupported("no synthetic timers");
	timer_sint_enable();
	sint_interrupts = 0;
	wrmsr(sint, SINT_VECTOR);
	timer_arm(0, now() + MS, 0);
	deadline = now() + 1000 * MS;
	__asm__ volatile("sti" : : : "memory");
	while (!sint_interrupts && now() < deadline)
		halt(MS);
	__asm__ volatile("cli" : : : "memory");
	wrmsr(sint, VNR_SINT_MASKED);
	slot_drain(TIMER_SINT);
	if (!sint_interrupts)
		return fail("no interrupt at vector %x", SINT_VECTOR);
	return PASS;
}

enum result check_SYNIC_006(void)
{
	u64 start, elapsed;

	if (!timers_ready())
		return unsupported("no synthetic timers");
	timer_sint_enable();
	start = now();
	timer_arm(0, start + MS, 0);
	while (!slot(TIMER_SINT)->header.message_type &&
	       now() - start < 3000 * MS)
		halt(1000 * MS);
	elapsed = now() - start;
	slot_drain(TIMER_SINT);
	if (elapsed >= 500 * MS)
		return fail("woken after %lu ticks", elapsed);
	return PASS;
}

enum result check_SYNIC_007(void)
{
	u64 conn = cmdline_number("msg_conn", 0);
	int sint = (int)cmdline_number("msg_sint", 16);
	volatile struct vnr_message *m;

	if (!synic_ready() || !conn || sint > 15)
		return unsupported("no SynIC or no message port of its own");
	synic_enable();
	slot_drain(sint);
	if (post((u32)conn, 1, 0, 0, 0) || post((u32)conn, 2, 0, 0, 0))
		return fail("POST_MESSAGE failed");
	if (!wait_message(sint, now() + 100 * MS))
		return fail("no message");
	m = slot(sint);
	if (m->header.message_type != 1 ||
	    !(m->header.flags & VNR_MSG_FLAG_PENDING))
		return fail("first: type %u flags %x", m->header.message_type,
			    m->header.flags);
	slot_free(sint);
	if (m->header.message_type != 2 ||
	    (m->header.flags & VNR_MSG_FLAG_PENDING))
		return fail("after EOM: type %u flags %x",
			    m->header.message_type, m->header.flags);
	slot_drain(sint);
	return PASS;
}

enum result check_SYNIC_008(void)
{
	volatile struct vnr_reference_tsc_page *p = &tsc_page;
	u64 before, after, tsc, time;
	u32 sequence;

	if (!(features() & VNR_FEATURE_MASK(REFERENCE_TSC_PAGE)))
		return unsupported("no reference TSC page");
	wrmsr(VNR_MSR_REFERENCE_TSC_PAGE, (u64)p | VNR_PAGE_MSR_ENABLE);
	sequence = p->sequence;
	before = now();
	tsc = rdtsc();
	after = now();
	time = (u64)(((unsigned __int128)tsc * p->tsc_scale) >> 64) +
	       (u64)p->tsc_offset;
	wrmsr(VNR_MSR_REFERENCE_TSC_PAGE, 0);
	if (!sequence || p->reserved)
		return fail("sequence %u, reserved %u", sequence, p->reserved);
	if (time < before || time > after)
		return fail("page gives %lu, the MSR %lu..%lu", time, before,
			    after);
	return PASS;
}

enum result check_SYNIC_009(void)
{
	int i;

	if (!timers_ready())
		return unsupported("no synthetic timers");
	timer_sint_enable();
	timer_arm(0, now() + MS, 0);
	/* HLT may return at once for an event remembered from before. */
	for (i = 0; i < 1000 && !slot(TIMER_SINT)->header.message_type; i++)
		__asm__ volatile("hlt" : : : "memory");
	if (!slot(TIMER_SINT)->header.message_type)
		return fail("1000 HLTs returned without the message");
	slot_drain(TIMER_SINT);
	return PASS;
}
