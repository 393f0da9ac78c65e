// SPDX-License-Identifier: MIT
/*
 * Synthetic timers and the reference TSC page.
 *
 * The reference TSC page agrees with the REFERENCE_TIME MSR and never goes
 * backwards.  One-shot timers fire at their absolute time, never early:
 * the hypervisor queues the expiry message at most `tolerance_us` after the
 * expiration time (default one 10 ms time slice) and the guest sees it
 * within twice that; a stopped
 * timer never fires; a periodic timer's expirations are one period apart
 * and each is delivered within the tolerance.  A bystander partition may
 * spin meanwhile: the timer must preempt it.
 *
 * Command line: tolerance_us=N (default 10000), periods=N (default 20).
 */
#include <vnr_test.h>

#define SINT   2
#define VECTOR 0x60
#define TIMER  1
#define PERIOD (10 * VNR_TICKS_PER_MS)

static vnr_u64 tolerance;
static vnr_u64 worst_late, worst_delivery;
static volatile vnr_u64 interrupts;

static void on_sint(unsigned int sint, void *ctx)
{
	(void)sint;
	(void)ctx;
	interrupts++;
}

/* Waits for the next timer message; the reference time it was taken at. */
static vnr_u64 wait_expiry(struct vnr_timer_message *t)
{
	struct vnr_message m;
	vnr_u64 now;

	vnr_irq_disable();
	while (!vnr_message_take(SINT, &m))
		vnr_wait_for_interrupt();
	vnr_irq_enable();
	now = vnr_reftime_fast();
	VNR_EXPECT_EQ(m.header.message_type, VNR_MSG_TIMER_EXPIRED);
	VNR_EXPECT_EQ(m.header.sender_partition, 0);
	memcpy(t, m.payload, sizeof(*t));
	return now;
}

/* Due at `due`, seen at `seen`: on time within the tolerance. */
static void check_lateness(const char *what, vnr_u64 due, vnr_u64 seen,
			   const struct vnr_timer_message *t)
{
	vnr_u64 late = seen - due;

	VNR_EXPECT_EQ_AS(what, t->timer_index, TIMER);
	vnr_test_check(seen >= due, __FILE_NAME__, __LINE__, "not early", seen,
		       due);
	vnr_test_check(t->delivery_time >= t->expiration_time, __FILE_NAME__,
		       __LINE__, "delivered after expiration", t->delivery_time,
		       t->expiration_time);
	vnr_test_check(t->delivery_time - t->expiration_time <= tolerance,
		       __FILE_NAME__, __LINE__, what,
		       t->delivery_time - t->expiration_time, tolerance);
	/* Waking the guest adds a scheduling round and emulator noise. */
	vnr_test_check(late <= 2 * tolerance, __FILE_NAME__, __LINE__,
		       "seen within twice the tolerance", late, 2 * tolerance);
	if (late > worst_late)
		worst_late = late;
	if (t->delivery_time - t->expiration_time > worst_delivery)
		worst_delivery = t->delivery_time - t->expiration_time;
	vnr_test_note(
		"%s: hypervisor delivery %lu us after expiry, seen %lu us "
		"after",
		what,
		(t->delivery_time - t->expiration_time) / VNR_TICKS_PER_US,
		late / VNR_TICKS_PER_US);
}

static void check_reftime_page(void)
{
	vnr_u64 msr, fast, prev = 0, i, backwards = 0;

	if (!VNR_EXPECT(vnr_reftime_init()))
		return;
	fast = vnr_reftime_fast();
	msr = vnr_rdmsr(VNR_MSR_REFERENCE_TIME);
	/* Read in that order, the MSR is later by the cost of one exit. */
	VNR_EXPECT(msr >= fast && msr - fast < VNR_TICKS_PER_MS);
	for (i = 0; i < 100000; i++) {
		fast = vnr_reftime_fast();
		if (fast < prev)
			backwards++;
		prev = fast;
	}
	VNR_EXPECT_EQ(backwards, 0);
}

static void oneshot(vnr_u64 delay)
{
	struct vnr_timer_message t;
	vnr_u64 due = vnr_reftime_fast() + delay, seen;

	vnr_stimer_oneshot(TIMER, SINT, due);
	seen = wait_expiry(&t);
	VNR_EXPECT_EQ(t.expiration_time, due);
	check_lateness("one-shot delivery lateness (100 ns)", due, seen, &t);
}

static void stopped_timer_stays_quiet(void)
{
	struct vnr_message m;

	vnr_stimer_oneshot(TIMER, SINT, vnr_reftime_fast() + PERIOD);
	vnr_stimer_stop(TIMER);
	vnr_vp_halt(3 * PERIOD);
	VNR_EXPECT(!vnr_message_take(SINT, &m));
}

static void periodic(vnr_u32 periods)
{
	struct vnr_timer_message t;
	vnr_u64 start = vnr_reftime_fast(), prev = 0, seen;
	vnr_u32 i, off_period = 0;

	vnr_stimer_periodic(TIMER, SINT, PERIOD);
	for (i = 0; i < periods; i++) {
		seen = wait_expiry(&t);
		check_lateness("periodic delivery lateness (100 ns)",
			       t.expiration_time, seen, &t);
		if (i ? t.expiration_time - prev != PERIOD
		      : t.expiration_time - start > PERIOD + tolerance)
			off_period++;
		prev = t.expiration_time;
	}
	vnr_stimer_stop(TIMER);
	VNR_EXPECT_EQ(off_period, 0);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 delays[] = {1 * VNR_TICKS_PER_MS, 5 * VNR_TICKS_PER_MS,
			    20 * VNR_TICKS_PER_MS, 50 * VNR_TICKS_PER_MS};
	unsigned int i;

	(void)si;
	vnr_test_begin("t_timers");
	tolerance = vnr_cmdline_u64("tolerance_us", 10000) * VNR_TICKS_PER_US;
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(SINT, VECTOR, on_sint, NULL,
					VNR_SINT_AUTO_EOI)))
		return vnr_test_done();
	check_reftime_page();
	for (i = 0; i < sizeof(delays) / sizeof(delays[0]); i++)
		oneshot(delays[i]);
	stopped_timer_stays_quiet();
	periodic((vnr_u32)vnr_cmdline_u64("periods", 20));
	VNR_EXPECT(interrupts > 0);
	vnr_test_note("worst delivery lateness %lu us, worst seen %lu us "
		      "(tolerance %lu us), %lu interrupts",
		      worst_delivery / VNR_TICKS_PER_US,
		      worst_late / VNR_TICKS_PER_US,
		      tolerance / VNR_TICKS_PER_US, interrupts);
	return vnr_test_done();
}
