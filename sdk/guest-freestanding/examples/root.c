// SPDX-License-Identifier: MIT
/*
 * A root partition (docs/spec/management.md): carries the hello and counter
 * images in its own image, deposits part of its RAM with the hypervisor,
 * builds both as child partitions, starts them and prints their exit
 * notifications, restarts hello (destroy and create again), destroys both,
 * shows that all deposited memory is free again and withdraws it.
 *
 * Command line: deposit_mib=N (default 16), child_mib=N (default 4).
 */
#include <vnr_guest/guest.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define EXIT_SINT 3
#define TIMEOUT	  (30ull * 1000 * 1000 * VNR_TICKS_PER_US) /* 30 s */
#define MIB(n)	  ((vnr_u64)(n) << 20)

extern const char vnr_image_hello_start[], vnr_image_hello_end[];
extern const char vnr_image_counter_start[], vnr_image_counter_end[];

struct child {
	const char *name;
	const char *cmdline;
	const char *image;
	const char *image_end;
	vnr_u32 id;
};

static struct child children[] = {
	{"hello", "greeting=from-root", vnr_image_hello_start,
	 vnr_image_hello_end, 0},
	{"counter", "ticks=3 period_ms=100", vnr_image_counter_start,
	 vnr_image_counter_end, 0},
};

#define CHILD_COUNT (sizeof(children) / sizeof(children[0]))

static vnr_u64 child_bytes;

static void print_memory(const char *when)
{
	struct vnr_memory_info mi;
	enum vnr_status st = vnr_memory_info(&mi);

	if (st != VNR_STATUS_SUCCESS) {
		vnr_printf("root: MEMORY_INFO failed: %s\n",
			   vnr_status_name(st));
		return;
	}
	vnr_printf("root: memory %s: deposited %lu used %lu free %lu pages\n",
		   when, mi.deposited, mi.used, mi.free);
}

static bool build(struct child *c)
{
	struct vnr_child_config cfg = {
		.name = c->name,
		.privileges = VNR_PRIV_MASK(DEBUG_CONSOLE),
		.notify_sint = EXIT_SINT,
		.memory_size = child_bytes,
		.cmdline = c->cmdline,
		.image = c->image,
		.image_size = (size_t)(c->image_end - c->image),
	};
	char err[96];
	enum vnr_status st =
		vnr_child_build(&cfg, &c->id, NULL, err, sizeof(err));

	if (st != VNR_STATUS_SUCCESS) {
		vnr_printf("root: cannot build '%s': %s\n", c->name, err);
		return false;
	}
	vnr_printf("root: built '%s' as partition %u (%lu MiB, image %lu "
		   "bytes)\n",
		   c->name, c->id, child_bytes >> 20, cfg.image_size);
	return true;
}

static bool start(struct child *c)
{
	enum vnr_status st = vnr_partition_start(c->id);

	if (st != VNR_STATUS_SUCCESS)
		vnr_printf("root: cannot start '%s': %s\n", c->name,
			   vnr_status_name(st));
	return st == VNR_STATUS_SUCCESS;
}

static struct child *child_by_id(vnr_u32 id)
{
	vnr_u32 i;

	for (i = 0; i < CHILD_COUNT; i++)
		if (children[i].id == id)
			return &children[i];
	return NULL;
}

/* Waits for count exit messages and prints them. */
static bool wait_exits(unsigned int count)
{
	struct vnr_partition_exit_message m;

	while (count--) {
		struct child *c;

		if (!vnr_wait_partition_exit(EXIT_SINT, &m, TIMEOUT)) {
			vnr_printf("root: no exit message within 30 s\n");
			return false;
		}
		c = child_by_id(m.partition_id);
		vnr_printf("root: child '%s' (partition %u) exited: %s, "
			   "status %lu%s%s\n",
			   c ? c->name : "?", m.partition_id,
			   vnr_exit_reason_name(m.exit_reason), m.exit_status,
			   m.diagnostic[0] ? ", " : "", m.diagnostic);
	}
	return true;
}

static void print_status(const struct child *c)
{
	struct vnr_partition_status s;

	if (vnr_partition_query(c->id, &s) != VNR_STATUS_SUCCESS)
		return;
	vnr_printf("root: '%s' %s, %lu pages, ran %lu us, %lu exits, "
		   "%lu hypercalls\n",
		   c->name, vnr_partition_state_name(s.state), s.memory_pages,
		   s.run_time_100ns / VNR_TICKS_PER_US, s.exits, s.hypercalls);
}

static bool destroy(struct child *c)
{
	enum vnr_status st = vnr_partition_destroy(c->id);

	if (st != VNR_STATUS_SUCCESS) {
		vnr_printf("root: cannot destroy '%s': %s\n", c->name,
			   vnr_status_name(st));
		return false;
	}
	vnr_printf("root: destroyed '%s' (partition %u)\n", c->name, c->id);
	c->id = 0;
	return true;
}

static int run(const struct vnr_start_info *si)
{
	vnr_u64 deposit_bytes = MIB(vnr_cmdline_u64("deposit_mib", 16));
	struct vnr_memory_info mi;
	enum vnr_status st;
	vnr_u64 gpa;
	vnr_u32 i;

	child_bytes = MIB(vnr_cmdline_u64("child_mib", 4));
	if (!vnr_has_features(VNR_FEATURE_MASK(PARTITION_MANAGEMENT))) {
		vnr_printf("root: no partition management\n");
		return 1;
	}
	if (!vnr_synic_init()) {
		vnr_printf("root: no SynIC for exit messages\n");
		return 1;
	}
	if (!vnr_find_deposit_range(si, deposit_bytes, &gpa)) {
		vnr_printf("root: no free RAM region of %lu MiB\n",
			   deposit_bytes >> 20);
		return 1;
	}
	print_memory("before deposit");
	st = vnr_memory_deposit(gpa, deposit_bytes / VNR_PAGE_SIZE);
	if (st != VNR_STATUS_SUCCESS) {
		vnr_printf("root: MEMORY_DEPOSIT failed: %s\n",
			   vnr_status_name(st));
		return 1;
	}
	vnr_printf("root: deposited %lu MiB at 0x%lx\n", deposit_bytes >> 20,
		   gpa);
	print_memory("after deposit");

	for (i = 0; i < CHILD_COUNT; i++)
		if (!build(&children[i]))
			return 1;
	print_memory("with two children");
	for (i = 0; i < CHILD_COUNT; i++)
		if (!start(&children[i]))
			return 1;
	if (!wait_exits(CHILD_COUNT))
		return 1;
	for (i = 0; i < CHILD_COUNT; i++)
		print_status(&children[i]);

	vnr_printf("root: restarting '%s'\n", children[0].name);
	if (!destroy(&children[0]) || !build(&children[0]) ||
	    !start(&children[0]) || !wait_exits(1))
		return 1;
	print_status(&children[0]);

	for (i = 0; i < CHILD_COUNT; i++)
		if (!destroy(&children[i]))
			return 1;
	print_memory("after destroying both");
	if (vnr_memory_info(&mi) != VNR_STATUS_SUCCESS ||
	    mi.free != mi.deposited || mi.used != 0) {
		vnr_printf("root: deposited memory did not all come back\n");
		return 1;
	}
	st = vnr_memory_withdraw(gpa, deposit_bytes / VNR_PAGE_SIZE);
	if (st != VNR_STATUS_SUCCESS) {
		vnr_printf("root: MEMORY_WITHDRAW failed: %s\n",
			   vnr_status_name(st));
		return 1;
	}
	print_memory("after withdraw");
	/* The withdrawn RAM is the root's again. */
	memset((void *)(uintptr_t)gpa, 0xA5, VNR_PAGE_SIZE);
	vnr_printf("root: all children gone, memory back\n");
	return 0;
}

int vnr_main(const struct vnr_start_info *si)
{
	return run(si);
}
