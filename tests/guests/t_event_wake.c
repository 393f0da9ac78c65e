// SPDX-License-Identifier: MIT
/*
 * SIGNAL_EVENT: a halted VP is woken by its peer's signal, first through
 * the SINT's interrupt (STI; HLT), then with the SINT masked (CLI; HLT):
 * the flag is set and no interrupt is taken.  The signaller checks the
 * failure statuses: unknown connection, a connection to a message port, a
 * flag beyond the port's count, and a port whose owner has no SIEF page.
 *
 * Command line: role=1 (sleeper), 2 (waker) or 3 (lazy: messages only).
 * sleeper: port 1 event SINT 3 flags=8, port 2 message SINT 2;
 *          connection 1 = waker:1.
 * waker:   port 1 message SINT 2; connections 1 = sleeper:1 (event),
 *          2 = sleeper:2 (message), 3 = lazy:1 (event), 4 = lazy:2.
 * lazy:    port 1 event SINT 3 flags=4, port 2 message SINT 2, no SIEF.
 */
#include <vnr_test.h>

#define SINT_MSG   2
#define SINT_EVENT 3
#define VECTOR	   0x70
#define FLAG	   5
#define FLAGS	   8

enum msg_type {
	MSG_SLEEPING = 1, /* sleeper -> waker: about to halt (payload: phase) */
	MSG_DONE = 2,	  /* sleeper -> waker, waker -> lazy */
};

static volatile vnr_u64 interrupts;

static void on_sint(unsigned int sint, void *ctx)
{
	(void)sint;
	(void)ctx;
	interrupts++;
}

static void receive(struct vnr_message *m)
{
	vnr_irq_disable();
	while (!vnr_message_take(SINT_MSG, m))
		vnr_wait_for_interrupt();
	vnr_irq_enable();
}

static void spin_for(vnr_u64 ticks)
{
	vnr_u64 end = vnr_reftime_fast() + ticks;

	while (vnr_reftime_fast() < end)
		asm volatile("pause");
}

static void sleeper_phase(vnr_u32 phase, bool masked)
{
	vnr_u64 before = interrupts, halts = 0;
	bool woke;

	if (masked)
		vnr_sint_mask(SINT_EVENT);
	vnr_post_message(1, MSG_SLEEPING, &phase, sizeof(phase));
	vnr_irq_disable();
	while (!(woke = vnr_event_flag_take(SINT_EVENT, FLAG))) {
		halts++;
		if (masked)
			asm volatile("hlt" : : : "memory");
		else
			vnr_wait_for_interrupt();
	}
	vnr_irq_enable();
	VNR_EXPECT(woke);
	VNR_EXPECT(halts >= 1);
	if (masked)
		VNR_EXPECT_EQ(interrupts, before);
	else
		VNR_EXPECT_EQ(interrupts, before + 1);
	VNR_EXPECT_EQ(vnr_synic_event_page()->sint[SINT_EVENT][0], 0);
}

static int sleeper(void)
{
	if (!VNR_EXPECT(vnr_sint_enable(SINT_EVENT, VECTOR, on_sint, NULL,
					VNR_SINT_AUTO_EOI)))
		return vnr_test_done();
	sleeper_phase(1, false);
	sleeper_phase(2, true);
	vnr_post_message(1, MSG_DONE, NULL, 0);
	return vnr_test_done();
}

static void check_signal_errors(void)
{
	VNR_EXPECT_EQ(vnr_signal_event(9, 0), VNR_STATUS_INVALID_CONNECTION_ID);
	VNR_EXPECT_EQ(vnr_signal_event(0, 0), VNR_STATUS_INVALID_CONNECTION_ID);
	VNR_EXPECT_EQ(vnr_signal_event(2, 0), VNR_STATUS_INVALID_CONNECTION_ID);
	VNR_EXPECT_EQ(vnr_signal_event(1, FLAGS), VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_signal_event(1, 1u << 31),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_signal_event(3, 0), VNR_STATUS_PORT_NOT_READY);
	VNR_EXPECT_EQ(vnr_post_message(1, 1, NULL, 0),
		      VNR_STATUS_INVALID_CONNECTION_ID);
}

static int waker(void)
{
	struct vnr_message m;
	vnr_u32 phase;

	for (phase = 1; phase <= 2; phase++) {
		receive(&m);
		VNR_EXPECT_EQ(m.header.message_type, MSG_SLEEPING);
		/* While the sleeper is surely alive; no error sets a flag. */
		if (phase == 1)
			check_signal_errors();
		/* Give the sleeper time to reach its HLT. */
		spin_for(20 * VNR_TICKS_PER_MS);
		VNR_EXPECT_EQ(vnr_signal_event(1, FLAG), VNR_STATUS_SUCCESS);
	}
	receive(&m);
	VNR_EXPECT_EQ(m.header.message_type, MSG_DONE);
	VNR_EXPECT_EQ(vnr_post_message(4, MSG_DONE, NULL, 0),
		      VNR_STATUS_SUCCESS);
	return vnr_test_done();
}

/* Has a message page but no event-flags page, until told to stop. */
static int lazy(void)
{
	struct vnr_message m;

	VNR_EXPECT(vnr_sint_enable(SINT_MSG, VECTOR, NULL, NULL,
				   VNR_SINT_AUTO_EOI));
	receive(&m);
	VNR_EXPECT_EQ(m.header.message_type, MSG_DONE);
	return vnr_test_done();
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 role = vnr_cmdline_u64("role", 0);
	static const char *const names[] = {"?", "sleeper", "waker", "lazy"};

	(void)si;
	vnr_test_begin(names[role < 4 ? role : 0]);
	vnr_reftime_init();
	if (role == 3) {
		/* SCONTROL and SIMP only: leave SIEFP disabled. */
		vnr_wrmsr(VNR_MSR_SIMP, vnr_gpa(vnr_synic_message_page()) |
						VNR_PAGE_MSR_ENABLE);
		vnr_wrmsr(VNR_MSR_SCONTROL, VNR_SCONTROL_ENABLE);
		return lazy();
	}
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(SINT_MSG, VECTOR + 1, NULL, NULL,
					VNR_SINT_AUTO_EOI)))
		return vnr_test_done();
	return role == 1 ? sleeper() : waker();
}
