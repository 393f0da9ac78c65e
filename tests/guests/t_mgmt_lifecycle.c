// SPDX-License-Identifier: MIT
/*
 * A root partition takes children through their whole life cycle with
 * exact memory accounting: deposit, create, map, load, start, clean exit
 * and fault exit (with the notification and its diagnostic), destroy and
 * create again, suspend, resume, stop, withdraw; then `cycles`
 * create/start/destroy rounds must leave MEMORY_INFO exactly as before.
 *
 * Command line: cycles=N (default 100).
 */
#include <vnr_test.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define SINT	      3
#define DEPOSIT_PAGES 4096u /* 16 MiB */
#define CHILD_BYTES   (4ull << 20)
#define CHILD_PAGES   (CHILD_BYTES / VNR_PAGE_SIZE)
#define SECONDS(n)    ((vnr_u64)(n)*10000000ull)
#define MS(n)	      ((vnr_u64)(n)*10000ull)

extern const char vnr_image_child_start[], vnr_image_child_end[];

static struct vnr_child_layout layout;

static vnr_u32 build(const char *name, const char *cmdline, bool quiet)
{
	struct vnr_child_config cfg = {
		.name = name,
		.privileges = VNR_PRIV_MASK(DEBUG_CONSOLE),
		.notify_sint = SINT,
		.memory_size = CHILD_BYTES,
		.cmdline = cmdline,
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	char err[96];
	vnr_u32 id = 0;
	enum vnr_status st =
		vnr_child_build(&cfg, &id, &layout, err, sizeof(err));

	if (st != VNR_STATUS_SUCCESS)
		vnr_test_note("building '%s': %s", name, err);
	if (quiet)
		vnr_test_check_quiet(st == VNR_STATUS_SUCCESS, __FILE_NAME__,
				     __LINE__, "child built", st, 0);
	else
		VNR_EXPECT_EQ_AS("child built", st, VNR_STATUS_SUCCESS);
	return id;
}

static void expect_memory(vnr_u64 deposited, vnr_u64 used, vnr_u64 free)
{
	struct vnr_memory_info mi;

	VNR_EXPECT_EQ(vnr_memory_info(&mi), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(mi.deposited, deposited);
	VNR_EXPECT_EQ(mi.used, used);
	VNR_EXPECT_EQ(mi.free, free);
}

static bool wait_exit(vnr_u32 id, struct vnr_partition_exit_message *m)
{
	bool got = vnr_wait_partition_exit(SINT, m, SECONDS(20));

	VNR_EXPECT(got);
	if (!got)
		return false;
	VNR_EXPECT_EQ(m->partition_id, id);
	vnr_test_note("partition %u exited: %s, status %lu, '%s'",
		      m->partition_id, vnr_exit_reason_name(m->exit_reason),
		      m->exit_status, m->diagnostic);
	return true;
}

static void check_boot_registers(vnr_u32 id)
{
	static const vnr_u32 names[] = {
		VNR_REG_RIP,	    VNR_REG_RSP,    VNR_REG_RDI,
		VNR_REG_CR3,	    VNR_REG_CR0,    VNR_REG_CR4,
		VNR_REG_EFER,	    VNR_REG_RFLAGS, VNR_REG_RAX,
		VNR_REG_R15,	    VNR_REG_CR2,    VNR_REG_GDTR_BASE,
		VNR_REG_GDTR_LIMIT,
	};
	vnr_u64 v[sizeof(names) / sizeof(names[0])];
	vnr_u32 done;

	VNR_EXPECT_EQ(
		vnr_get_vp_registers(id, 0, sizeof(names) / 4, names, v, &done),
		VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(done, sizeof(names) / 4);
	VNR_EXPECT_EQ(v[0], layout.entry);
	VNR_EXPECT_EQ(v[1], CHILD_BYTES);
	VNR_EXPECT_EQ(v[2], layout.start_info);
	VNR_EXPECT_EQ(v[3], layout.pml4);
	VNR_EXPECT_EQ(v[4], 0x80010033ull);
	VNR_EXPECT_EQ(v[5], 0x20ull);
	VNR_EXPECT_EQ(v[6], 0xD00ull);
	VNR_EXPECT_EQ(v[7], 0x2ull);
	VNR_EXPECT_EQ(v[8], 0);
	VNR_EXPECT_EQ(v[9], 0);
	VNR_EXPECT_EQ(v[10], 0);
	VNR_EXPECT_EQ(v[11], layout.gdt);
	VNR_EXPECT_EQ(v[12], 23);
}

static void clean_and_fault(void)
{
	struct vnr_partition_exit_message m;
	struct vnr_partition_status s;
	vnr_u32 a, b, b2;

	/* A clean exit with a status. */
	a = build("child-a", "exit=7", false);
	expect_memory(DEPOSIT_PAGES, CHILD_PAGES, DEPOSIT_PAGES - CHILD_PAGES);
	VNR_EXPECT_EQ(vnr_partition_query(a, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.partition_id, a);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_CREATED);
	VNR_EXPECT_EQ(s.exit_reason, VNR_EXIT_NONE);
	VNR_EXPECT_EQ(s.vp_count, 1);
	VNR_EXPECT_EQ(s.memory_pages, CHILD_PAGES);
	check_boot_registers(a);
	VNR_EXPECT_EQ(vnr_partition_start(a), VNR_STATUS_SUCCESS);
	if (wait_exit(a, &m)) {
		VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_CLEAN);
		VNR_EXPECT_EQ(m.exit_status, 7);
	}
	VNR_EXPECT_EQ(vnr_partition_query(a, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_STOPPED);
	VNR_EXPECT_EQ(s.exit_reason, VNR_EXIT_CLEAN);
	VNR_EXPECT_EQ(s.exit_status, 7);
	VNR_EXPECT_EQ(s.memory_pages, CHILD_PAGES);
	VNR_EXPECT(s.hypercalls > 0);
	VNR_EXPECT(s.exits >= s.hypercalls);
	VNR_EXPECT(s.run_time_100ns > 0);
	vnr_test_note("child-a: ran %lu us, %lu exits, %lu hypercalls",
		      s.run_time_100ns / 10, s.exits, s.hypercalls);
	/* A stopped child keeps its memory until it is destroyed. */
	expect_memory(DEPOSIT_PAGES, CHILD_PAGES, DEPOSIT_PAGES - CHILD_PAGES);

	/* A crash: the hypervisor stops it and says why. */
	b = build("child-b", "crash=1", false);
	expect_memory(DEPOSIT_PAGES, 2 * CHILD_PAGES,
		      DEPOSIT_PAGES - 2 * CHILD_PAGES);
	VNR_EXPECT_EQ(vnr_partition_start(b), VNR_STATUS_SUCCESS);
	if (wait_exit(b, &m)) {
		VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_FAULT);
		VNR_EXPECT(strstr(m.diagnostic, "triple fault") != NULL);
	}
	VNR_EXPECT_EQ(vnr_partition_query(b, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_STOPPED);
	VNR_EXPECT_EQ(s.exit_reason, VNR_EXIT_FAULT);
	VNR_EXPECT(strstr(s.diagnostic, "triple fault") != NULL);
	vnr_test_note("child-b diagnostic: %s", s.diagnostic);

	/* Destroy and create again: a new id, the memory comes back. */
	VNR_EXPECT_EQ(vnr_partition_destroy(b), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_destroy(b),
		      VNR_STATUS_INVALID_PARTITION_ID);
	VNR_EXPECT_EQ(vnr_partition_query(b, &s),
		      VNR_STATUS_INVALID_PARTITION_ID);
	expect_memory(DEPOSIT_PAGES, CHILD_PAGES, DEPOSIT_PAGES - CHILD_PAGES);
	b2 = build("child-b", "exit=0", false);
	VNR_EXPECT(b2 > b);
	VNR_EXPECT_EQ(vnr_partition_start(b2), VNR_STATUS_SUCCESS);
	if (wait_exit(b2, &m)) {
		VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_CLEAN);
		VNR_EXPECT_EQ(m.exit_status, 0);
	}
	VNR_EXPECT_EQ(vnr_partition_destroy(b2), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_destroy(a), VNR_STATUS_SUCCESS);
	expect_memory(DEPOSIT_PAGES, 0, DEPOSIT_PAGES);
}

static void suspend_resume_stop(void)
{
	struct vnr_partition_exit_message m;
	struct vnr_partition_status s;
	vnr_u64 rip;
	vnr_u32 c = build("child-c", "spin=1", false);

	VNR_EXPECT_EQ(vnr_partition_start(c), VNR_STATUS_SUCCESS);
	vnr_vp_halt(MS(20));
	VNR_EXPECT_EQ(vnr_partition_query(c, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_RUNNING);
	VNR_EXPECT_EQ(vnr_partition_suspend(c), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_query(c, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_SUSPENDED);
	/* Its registers can be read while it is suspended. */
	VNR_EXPECT_EQ(vnr_get_vp_register(c, 0, VNR_REG_RIP, &rip),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT(rip >= 0x200000 && rip < CHILD_BYTES);
	VNR_EXPECT_EQ(vnr_partition_resume(c), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_query(c, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_RUNNING);
	vnr_vp_halt(MS(20));
	VNR_EXPECT_EQ(vnr_partition_stop(c), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_query(c, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_STOPPED);
	VNR_EXPECT_EQ(s.exit_reason, VNR_EXIT_STOPPED);
	/* A stop by the parent sends no message. */
	VNR_EXPECT(!vnr_wait_partition_exit(SINT, &m, MS(100)));
	VNR_EXPECT_EQ(vnr_partition_destroy(c), VNR_STATUS_SUCCESS);
	expect_memory(DEPOSIT_PAGES, 0, DEPOSIT_PAGES);
}

static void cycles(vnr_u64 n)
{
	struct vnr_partition_exit_message m;
	struct vnr_memory_info before, mi;
	vnr_u32 first = 0, last = 0, id;
	vnr_u64 i, start = vnr_reference_time();

	VNR_EXPECT_EQ(vnr_memory_info(&before), VNR_STATUS_SUCCESS);
	for (i = 0; i < n; i++) {
		id = build("cycle", "exit=3 quiet=1", true);
		if (!id)
			break;
		vnr_test_check_quiet(id > last, __FILE_NAME__, __LINE__,
				     "ids grow", id, last + 1);
		if (!first)
			first = id;
		last = id;
		vnr_test_check_quiet(vnr_partition_start(id) ==
					     VNR_STATUS_SUCCESS,
				     __FILE_NAME__, __LINE__, "start", id, 0);
		if (!vnr_test_check_quiet(
			    vnr_wait_partition_exit(SINT, &m, SECONDS(20)),
			    __FILE_NAME__, __LINE__, "exit message", i, n))
			break;
		vnr_test_check_quiet(m.partition_id == id &&
					     m.exit_reason == VNR_EXIT_CLEAN &&
					     m.exit_status == 3,
				     __FILE_NAME__, __LINE__, "clean exit 3",
				     m.exit_status, 3);
		vnr_test_check_quiet(vnr_partition_destroy(id) ==
					     VNR_STATUS_SUCCESS,
				     __FILE_NAME__, __LINE__, "destroy", id, 0);
		vnr_memory_info(&mi);
		vnr_test_check_quiet(!memcmp(&mi, &before, sizeof(mi)),
				     __FILE_NAME__, __LINE__,
				     "memory info unchanged", mi.free,
				     before.free);
	}
	VNR_EXPECT_EQ(i, n);
	VNR_EXPECT_EQ(vnr_memory_info(&mi), VNR_STATUS_SUCCESS);
	VNR_EXPECT(!memcmp(&mi, &before, sizeof(mi)));
	vnr_test_note("cycles=%lu ids %u..%u in %lu ms, memory deposited %lu "
		      "used %lu free %lu",
		      i, first, last, (vnr_reference_time() - start) / 10000,
		      mi.deposited, mi.used, mi.free);
}

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_partition_info info;
	vnr_u64 all = VNR_PRIV_MASK(DEBUG_CONSOLE) |
		      VNR_PRIV_MASK(CREATE_PARTITIONS) |
		      VNR_PRIV_MASK(MANAGE_MEMORY) | VNR_PRIV_MASK(OWN_DEVICES);
	vnr_u64 gpa;

	vnr_test_begin("t_mgmt_lifecycle");
	VNR_EXPECT(vnr_has_features(VNR_FEATURE_MASK(PARTITION_MANAGEMENT)));
	VNR_EXPECT_EQ(vnr_get_partition_info(&info), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(info.privileges & all, all);
	if (!VNR_EXPECT(vnr_synic_init()))
		return vnr_test_done();

	expect_memory(0, 0, 0);
	if (!VNR_EXPECT(vnr_find_deposit_range(
		    si, (vnr_u64)DEPOSIT_PAGES * VNR_PAGE_SIZE, &gpa)))
		return vnr_test_done();
	VNR_EXPECT_EQ(vnr_memory_deposit(gpa, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	expect_memory(DEPOSIT_PAGES, 0, DEPOSIT_PAGES);

	clean_and_fault();
	suspend_resume_stop();
	cycles(vnr_cmdline_u64("cycles", 100));

	if (!VNR_EXPECT_EQ(vnr_memory_withdraw(gpa, DEPOSIT_PAGES),
			   VNR_STATUS_SUCCESS))
		return vnr_test_done(); /* touching it would stop us */
	expect_memory(0, 0, 0);
	/* The RAM is the root's again. */
	memset((void *)(uintptr_t)gpa, 0x5A, DEPOSIT_PAGES * VNR_PAGE_SIZE);
	VNR_EXPECT_EQ(*(volatile vnr_u8 *)(uintptr_t)(gpa + 12345), 0x5A);
	return vnr_test_done();
}
