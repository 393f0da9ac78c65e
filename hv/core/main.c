/* SPDX-License-Identifier: MIT */
/* The hypervisor proper: from the platform's hand-over to power-off. */
#include <hv/boot.h>
#include <hv/log.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/reftime.h>
#include <hv/sched.h>
#include <hv/summary.h>

static int build_partitions(struct hv_boot_info *bi)
{
	int built = 0;

	for (u32 i = 0; i < bi->cfg->partition_count; i++)
		if (boot_build_partition(&bi->parts[i]) == 0)
			built++;
	return built;
}

void hv_main(struct hv_boot_info *bi)
{
	int built, failures;

	page_pool_init(bi->pool, bi->pool_size);
	reftime_init(arch_read_tsc(), bi->tsc_hz);
	reftime_set_wall_clock(bi->wall_clock_s, bi->wall_clock_tsc);
	if (arch_init(bi)) {
		hv_log("cannot start: CPU setup failed\n");
		arch_power_off(1);
	}
	page_pool_divide(HV_MAX_PARTITIONS);
	hv_log("TSC %llu kHz, hypervisor image %llu KiB at 0x%llx, pool %llu "
	       "KiB, %llu KiB per partition\n",
	       (unsigned long long)(bi->tsc_hz / 1000),
	       (unsigned long long)(bi->image_size >> 10),
	       (unsigned long long)bi->image_base,
	       (unsigned long long)(bi->pool_size >> 10),
	       (unsigned long long)(page_pool_share() * PAGE_SIZE >> 10));
	if (bi->cfg->root.present)
		root_main(bi);
	built = build_partitions(bi);
	if (built == 0)
		hv_log("no partition could be built\n");
	boot_connect_and_start(bi->cfg);
	hv_log("pool in use after boot: %llu KiB\n",
	       (unsigned long long)(page_pool_used() >> 10));
	if (bi->cfg->crash_test)
		arch_crash_test();
	sched_init(bi->cfg->timeslice_ms);
	sched_run();
	/* A partition that could not be built has failed as well. */
	failures = summary_print() + (int)bi->cfg->partition_count - built;
	arch_power_off(failures);
}
