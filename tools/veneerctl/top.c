// SPDX-License-Identifier: MIT
/*
 * veneerctl top [-b] [-d SECONDS] [-n FRAMES]: the partitions' use of the
 * machine, like xentop: every SECONDS (default 1) a frame with each
 * partition's share of a CPU and its exits and hypercalls per second
 * over the last interval.  -b writes frames one after the other instead
 * of redrawing the terminal; -n stops after FRAMES frames.
 */
#include "veneerctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct sample {
	struct veneer_partition_entry *entries;
	vnr_u32 count;
	struct veneer_info info; /* the hypervisor's memory with them */
	double when;		 /* seconds, CLOCK_MONOTONIC */
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int take(int dev, struct sample *s)
{
	s->entries = ctl_list(dev, &s->count, &s->info);
	s->when = now();
	return s->entries ? 0 : -1;
}

/* The same partition in the earlier sample, by id (names are reused). */
static const struct vnr_partition_status *
before(const struct sample *old, const struct vnr_partition_status *st)
{
	for (vnr_u32 i = 0; i < old->count; i++)
		if (old->entries[i].status.partition_id == st->partition_id)
			return &old->entries[i].status;
	return NULL;
}

static void print_row(const struct veneer_partition_entry *e,
		      const struct vnr_partition_status *was, double secs)
{
	const struct vnr_partition_status *s = &e->status;
	double cpu = 0, exits = 0, calls = 0;

	if (was && secs > 0) {
		cpu = (s->run_time_100ns - was->run_time_100ns) / 1e5 / secs;
		exits = (s->exits - was->exits) / secs;
		calls = (s->hypercalls - was->hypercalls) / secs;
	}
	printf("%-20.20s %-8s %6.1f %10.0f %10.0f %12llu %12llu %8llu\n",
	       e->name, ctl_state_name(s->state), cpu, exits, calls,
	       (unsigned long long)s->exits, (unsigned long long)s->hypercalls,
	       (unsigned long long)(s->memory_pages * VNR_PAGE_SIZE >> 20));
}

static void print_frame(const struct sample *old, const struct sample *cur,
			int redraw)
{
	const struct vnr_memory_info *m = &cur->info.memory;

	if (redraw)
		fputs("\033[H\033[2J", stdout);
	printf("veneerctl top: %u partitions; memory deposited %llu MiB, used "
	       "%llu MiB, free %llu MiB\n",
	       cur->count, (unsigned long long)(m->deposited >> 8),
	       (unsigned long long)(m->used >> 8),
	       (unsigned long long)(m->free >> 8));
	printf("%-20s %-8s %6s %10s %10s %12s %12s %8s\n", "NAME", "STATE",
	       "CPU(%)", "EXITS/s", "HCALLS/s", "EXITS", "HCALLS", "MEM(MiB)");
	for (vnr_u32 i = 0; i < cur->count; i++)
		print_row(&cur->entries[i],
			  before(old, &cur->entries[i].status),
			  cur->when - old->when);
	fflush(stdout);
}

static int parse_options(int argc, char **argv, int *batch, double *delay,
			 long *frames)
{
	int opt;
	char *end;

	optind = 1;
	while ((opt = getopt(argc, argv, "bd:n:")) != -1) {
		errno = 0;
		if (opt == 'b')
			*batch = 1;
		else if (opt == 'd' && (*delay = strtod(optarg, &end)) >= 0.1 &&
			 *delay <= 3600 && !*end)
			continue;
		else if (opt == 'n' &&
			 (*frames = strtol(optarg, &end, 10)) > 0 && !*end &&
			 !errno)
			continue;
		else
			return -1;
	}
	return optind == argc ? 0 : -1;
}

int ctl_verb_top(int argc, char **argv)
{
	struct sample old, cur;
	double delay = 1;
	long frames = -1;
	int batch = !isatty(1), dev;

	if (parse_options(argc, argv, &batch, &delay, &frames)) {
		fprintf(stderr, "usage: veneerctl top [-b] [-d SECONDS "
				"(0.1..3600)] [-n FRAMES]\n");
		return CTL_EXIT_USAGE;
	}
	dev = ctl_open_device();
	if (dev < 0 || take(dev, &old))
		return CTL_EXIT_FAILED;
	for (long f = 0; frames < 0 || f < frames; f++) {
		usleep((useconds_t)(delay * 1e6));
		if (take(dev, &cur))
			return CTL_EXIT_FAILED;
		print_frame(&old, &cur, !batch);
		free(old.entries);
		old = cur;
		if (batch && (frames < 0 || f + 1 < frames))
			putchar('\n');
	}
	free(old.entries);
	close(dev);
	return CTL_EXIT_OK;
}
