// SPDX-License-Identifier: MIT
/* veneerctl VERB [ARGS]: the verbs, as docs/veneerctl.md describes them. */
#include "veneerctl.h"

#include <stdio.h>
#include <string.h>

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct verb verbs[] = {
	{"create", ctl_verb_create,
	 "create [-c] FILE    create and start the partition FILE describes\n"
	 "                          (-c: then attach to its console)"},
	{"list", ctl_verb_list,
	 "list [NAME...]      id, name, state, VPs, memory, run time, monitor"},
	{"console", ctl_verb_console,
	 "console NAME        the partition's console on this terminal "
	 "(Ctrl-C leaves)"},
	{"pause", ctl_verb_control, "pause NAME...       suspend its VPs"},
	{"unpause", ctl_verb_control, "unpause NAME...     resume them"},
	{"shutdown", ctl_verb_control,
	 "shutdown NAME...    stop it; it stays listed until destroyed"},
	{"destroy", ctl_verb_control,
	 "destroy NAME...     stop it and return its memory"},
	{"top", ctl_verb_top,
	 "top [-b] [-d S] [-n N]  CPU, exits and hypercalls per partition"},
	{"info", ctl_verb_info,
	 "info [-l]           the hypervisor: version, features, memory, log"},
};

static int usage(FILE *to, int status)
{
	fprintf(to, "usage: veneerctl VERB [ARGS]\n\n"
		    "Partitions of Veneer's root, through " VENEER_DEVICE
		    ". Verbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(to, "  %s\n", verbs[i].usage);
	fprintf(to, "\nExit status: 0 done, 1 failed, 2 bad usage or a bad "
		    "partition file.\nSee veneerctl(8).\n");
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr, CTL_EXIT_USAGE);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return usage(stdout, CTL_EXIT_OK);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(argc - 1, argv + 1);
	fprintf(stderr, "veneerctl: unknown verb '%s'\n", argv[1]);
	return usage(stderr, CTL_EXIT_USAGE);
}
