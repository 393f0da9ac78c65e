// SPDX-License-Identifier: MIT
/*
 * veneerctl info [-l]: the hypervisor's version, features, limits and
 * memory, and its log: the last lines, or all of it kept with -l.
 */
#include "veneerctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <veneer/version.h>

#define LOG_TAIL_LINES 20
#define LOG_CHUNK      4096

static void print_features(vnr_u32 features)
{
	static const struct {
		const char *name;
		unsigned bit;
	} known[] = {
#define VNR_FEATURE(name, bit) {#name, bit},
#include <veneer/features.def>
#undef VNR_FEATURE
	};
	vnr_u32 unknown = features;

	printf("features:   ");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!(features & (1u << known[i].bit)))
			continue;
		putchar(' ');
		for (const char *c = known[i].name; *c; c++)
			putchar(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		unknown &= ~(1u << known[i].bit);
	}
	if (unknown)
		printf(" (unknown bits 0x%x)", unknown);
	putchar('\n');
}

static void print_memory(const struct vnr_memory_info *m)
{
	printf("memory:      deposited %llu MiB, used %llu MiB, free %llu "
	       "MiB (%llu, %llu, %llu pages)\n",
	       (unsigned long long)(m->deposited >> 8),
	       (unsigned long long)(m->used >> 8),
	       (unsigned long long)(m->free >> 8),
	       (unsigned long long)m->deposited, (unsigned long long)m->used,
	       (unsigned long long)m->free);
}

/* All the log the hypervisor still holds, in a buffer to free(). */
static char *read_log(int dev, size_t *len)
{
	size_t size = 0;
	char *text = NULL;
	vnr_u64 offset = 0;

	*len = 0;
	for (;;) {
		struct veneer_log_read r = {.offset = offset,
					    .size = LOG_CHUNK};
		char *bigger = realloc(text, size + LOG_CHUNK);

		if (!bigger)
			break;
		text = bigger;
		size += LOG_CHUNK;
		r.buffer = (uintptr_t)(text + *len);
		if (ioctl(dev, VENEER_READ_LOG, &r) || r.length == 0)
			break;
		*len += r.length;
		offset = r.offset + r.length;
	}
	return text;
}

static void print_log(int dev, int all)
{
	size_t len, start = 0;
	char *text = read_log(dev, &len);
	int lines = 0;

	if (!text)
		return;
	for (size_t i = len; i > 0 && !all; i--) {
		if (text[i - 1] == '\n' && i != len &&
		    ++lines == LOG_TAIL_LINES) {
			start = i;
			break;
		}
	}
	printf("log%s:\n",
	       all ? "" : " (the last lines; all: veneerctl info -l)");
	fwrite(text + start, 1, len - start, stdout);
	if (len && text[len - 1] != '\n')
		putchar('\n');
	free(text);
}

int ctl_verb_info(int argc, char **argv)
{
	int all = argc == 2 && !strcmp(argv[1], "-l"), dev;
	struct veneer_info info;

	if (argc != 1 + all) {
		fprintf(stderr, "usage: veneerctl info [-l]\n");
		return CTL_EXIT_USAGE;
	}
	dev = ctl_open_device();
	if (dev < 0)
		return CTL_EXIT_FAILED;
	if (ioctl(dev, VENEER_INFO, &info)) {
		fprintf(stderr, "veneerctl: VENEER_INFO: %s\n",
			strerror(errno));
		close(dev);
		return CTL_EXIT_FAILED;
	}
	printf("hypervisor:  Veneer, ABI %u.%u (veneerctl built for %u.%u)\n",
	       info.abi_version >> 16, info.abi_version & 0xFFFF, VNR_ABI_MAJOR,
	       VNR_ABI_MINOR);
	print_features(info.features);
	printf("limits:      %u partitions, %u VPs\n", info.max_partitions,
	       info.max_vps);
	printf("partitions:  %u held by veneer.ko\n", info.partitions);
	print_memory(&info.memory);
	print_log(dev, all);
	close(dev);
	return CTL_EXIT_OK;
}
