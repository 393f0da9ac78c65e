// SPDX-License-Identifier: MIT
/* veneerctl create [-c] FILE: a partition from its file, under a monitor. */
#include "veneerctl.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int ctl_verb_create(int argc, char **argv)
{
	char err[CTL_ERROR_MAX];
	struct ctl_config cfg;
	vnr_u32 id;
	int attach = argc == 3 && !strcmp(argv[1], "-c"), dev, fd;
	const char *file = argv[argc - 1];

	if (argc != 2 + attach || file[0] == '-') {
		fprintf(stderr, "usage: veneerctl create [-c] FILE\n");
		return CTL_EXIT_USAGE;
	}
	if (ctl_config_load(file, &cfg, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return CTL_EXIT_USAGE;
	}
	dev = ctl_open_device();
	if (dev < 0)
		return CTL_EXIT_FAILED;
	if (ctl_monitor_spawn(dev, &cfg, &id, err, sizeof(err))) {
		fprintf(stderr, "veneerctl: %s\n", err);
		close(dev);
		return CTL_EXIT_FAILED;
	}
	close(dev);
	printf("veneerctl: created '%s' (partition %u)\n", cfg.name, id);
	if (!attach)
		return CTL_EXIT_OK;
	fflush(stdout);
	fd = ctl_request(cfg.name, "console");
	return fd >= 0 && !ctl_console_follow(fd) ? CTL_EXIT_OK
						  : CTL_EXIT_FAILED;
}
