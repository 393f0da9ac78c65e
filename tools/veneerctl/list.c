// SPDX-License-Identifier: MIT
/* veneerctl list: the partitions veneer.ko holds, one line each. */
#include "veneerctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_entry(const struct veneer_partition_entry *e)
{
	const struct vnr_partition_status *s = &e->status;

	printf("%4u  %-31.31s  %-8s  %3u  %8llu  %10.2f  %7lld",
	       s->partition_id, e->name, ctl_state_name(s->state), s->vp_count,
	       (unsigned long long)(s->memory_pages * VNR_PAGE_SIZE >> 20),
	       s->run_time_100ns / 1e7, (long long)e->owner_pid);
	if (s->state == VNR_PARTITION_STOPPED &&
	    s->exit_reason == VNR_EXIT_CLEAN)
		printf("  exited, status %llu",
		       (unsigned long long)s->exit_status);
	else if (s->state == VNR_PARTITION_STOPPED)
		printf("  %s", ctl_exit_reason_name(s->exit_reason));
	putchar('\n');
}

static int wanted(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], name, VNR_NAME_MAX))
			return 1;
	return argc == 1;
}

/* veneerctl list [NAME...]: exits 1 if a NAME given is not there. */
int ctl_verb_list(int argc, char **argv)
{
	struct veneer_partition_entry *entries;
	vnr_u32 count, shown = 0;
	int dev = ctl_open_device();

	if (dev < 0)
		return CTL_EXIT_FAILED;
	entries = ctl_list(dev, &count, NULL);
	close(dev);
	if (!entries)
		return CTL_EXIT_FAILED;
	printf("  ID  %-31s  %-8s  VPS  %8s  %10s  %7s\n", "NAME", "STATE",
	       "MEM(MiB)", "TIME(s)", "PID");
	for (vnr_u32 i = 0; i < count; i++) {
		if (wanted(argc, argv, entries[i].name)) {
			print_entry(&entries[i]);
			shown++;
		}
	}
	free(entries);
	return argc > 1 && shown < (vnr_u32)argc - 1 ? CTL_EXIT_FAILED
						     : CTL_EXIT_OK;
}
