// SPDX-License-Identifier: MIT
/* What several verbs ask /dev/veneer, and the names they print. */
#include "veneerctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int ctl_open_device(void)
{
	int fd = open(VENEER_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		fprintf(stderr,
			"veneerctl: " VENEER_DEVICE ": no such device (is this "
			"the root partition of Veneer, with veneer.ko "
			"loaded?)\n");
	else if (fd < 0)
		fprintf(stderr, "veneerctl: " VENEER_DEVICE ": %s\n",
			strerror(errno));
	return fd;
}

struct veneer_partition_entry *ctl_list(int dev, vnr_u32 *count,
					struct veneer_info *info_out)
{
	struct veneer_info info;
	struct veneer_list list = {0};
	struct veneer_partition_entry *entries;

	if (ioctl(dev, VENEER_INFO, &info)) {
		fprintf(stderr, "veneerctl: VENEER_INFO: %s\n",
			strerror(errno));
		return NULL;
	}
	/* A partition created meanwhile beyond the count is not listed. */
	list.capacity = info.partitions + 1;
	entries = calloc(list.capacity, sizeof(*entries));
	list.entries = (uintptr_t)entries;
	if (!entries || ioctl(dev, VENEER_LIST, &list)) {
		fprintf(stderr, "veneerctl: VENEER_LIST: %s\n",
			entries ? strerror(errno) : "out of memory");
		free(entries);
		return NULL;
	}
	*count = list.count;
	if (info_out)
		*info_out = info;
	return entries;
}

const char *ctl_state_name(vnr_u32 state)
{
	switch (state) {
	case VNR_PARTITION_CREATED:
		return "created";
	case VNR_PARTITION_RUNNING:
		return "running";
	case VNR_PARTITION_SUSPENDED:
		return "paused";
	case VNR_PARTITION_STOPPED:
		return "stopped";
	}
	return "unknown";
}

const char *ctl_exit_reason_name(vnr_u32 reason)
{
	switch (reason) {
	case VNR_EXIT_NONE:
		return "none";
	case VNR_EXIT_CLEAN:
		return "exited";
	case VNR_EXIT_FAULT:
		return "stopped by the hypervisor";
	case VNR_EXIT_STOPPED:
		return "stopped by the root";
	}
	return "unknown reason";
}
