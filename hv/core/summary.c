/* SPDX-License-Identifier: MIT */
/* The report printed when the last partition has ended. */
#include <hv/log.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/reftime.h>
#include <hv/summary.h>

static const char *const call_names[VNR_CALL_BOUND] = {
#define VNR_CALL(name, code, form, priv) [code] = #name,
#include <veneer/calls.def>
#undef VNR_CALL
};

/*
 * Host interrupts (the scheduler's timer, mostly) per second the partition
 * ran: about the time-slice rate unless something preempts it more often.
 */
static void print_interrupt_rate(const struct hv_partition *p, u64 run_us)
{
	u64 interrupts = p->stats.exits_by_reason[HV_EXIT_INTERRUPT];

	if (interrupts && run_us)
		hv_log("    host interrupts per second run %llu\n",
		       (unsigned long long)(interrupts * 1000000 / run_us));
}

void summary_print_partition(const struct hv_partition *p)
{
	u64 run_tsc = 0, run_us;

	for (u32 i = 0; i < p->vp_count; i++)
		run_tsc += p->vps[i].run_tsc;
	run_us = reftime_from_tsc_delta(run_tsc) / 10;
	hv_log("partition %u '%s': %s; ran %llu us\n", p->id, p->name,
	       p->stop_reason, (unsigned long long)run_us);
	print_interrupt_rate(p, run_us);
	for (u32 r = 0; r < HV_EXIT_COUNT; r++)
		if (p->stats.exits_by_reason[r])
			hv_log("    exits  %-28s %llu\n",
			       hv_exit_reason_name(r),
			       (unsigned long long)p->stats.exits_by_reason[r]);
	for (u32 c = 0; c < VNR_CALL_BOUND; c++)
		if (p->stats.hypercalls_by_code[c])
			hv_log("    calls  %-28s %llu\n", call_names[c],
			       (unsigned long long)
				       p->stats.hypercalls_by_code[c]);
}

int summary_print(void)
{
	int failures = 0;

	hv_log("summary: all partitions have ended\n");
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		const struct hv_partition *p = partition_at(i);

		if (p->state != HV_PARTITION_STOPPED)
			continue;
		summary_print_partition(p);
		/* A child's failure is its parent's to judge. */
		if (!p->parent && (!p->clean_exit || p->exit_status))
			failures++;
	}
	hv_log("summary: %d partition(s) failed; hypervisor pool in use %llu "
	       "KiB\n",
	       failures, (unsigned long long)(page_pool_used() >> 10));
	return failures;
}
