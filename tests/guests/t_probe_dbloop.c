// SPDX-License-Identifier: MIT
/*
 * A root beside a child that sets up a #DB delivery loop
 * (t_probe_dbloop_child): the hypervisor intercepts #DB, sees that the
 * delivery could never complete and stops the child with a diagnostic
 * instead of letting the CPU spin in it; the root is told, destroys the
 * child and does it again.
 *
 * Command line: rounds=N (default 1).
 */
#include <vnr_test.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define SINT	      3
#define DEPOSIT_PAGES 2048u /* 8 MiB */
#define CHILD_BYTES   (4ull << 20)
#define MS(n)	      ((vnr_u64)(n)*10000ull)

extern const char vnr_image_child_start[], vnr_image_child_end[];

static void one_round(void)
{
	struct vnr_child_config cfg = {
		.name = "dbloop",
		.notify_sint = SINT,
		.memory_size = CHILD_BYTES,
		.cmdline = "",
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	struct vnr_child_layout layout;
	struct vnr_partition_exit_message m;
	char err[96];
	vnr_u32 id = 0;

	if (!VNR_EXPECT_EQ(
		    vnr_child_build(&cfg, &id, &layout, err, sizeof(err)),
		    VNR_STATUS_SUCCESS)) {
		vnr_test_note("building the child: %s", err);
		return;
	}
	VNR_EXPECT_EQ(vnr_partition_start(id), VNR_STATUS_SUCCESS);
	if (VNR_EXPECT(vnr_wait_partition_exit(SINT, &m, MS(2000)))) {
		VNR_EXPECT_EQ(m.partition_id, id);
		VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_FAULT);
		VNR_EXPECT(strstr(m.diagnostic, "#DB delivery loops") != NULL);
	}
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 rounds = vnr_cmdline_u64("rounds", 1), gpa;
	struct vnr_memory_info mi;

	vnr_test_begin("dbloop");
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_find_deposit_range(
		    si, (vnr_u64)DEPOSIT_PAGES * VNR_PAGE_SIZE, &gpa)) ||
	    !VNR_EXPECT_EQ(vnr_memory_deposit(gpa, DEPOSIT_PAGES),
			   VNR_STATUS_SUCCESS))
		return vnr_test_done();
	for (vnr_u64 r = 0; r < rounds; r++)
		one_round();
	VNR_EXPECT_EQ(vnr_memory_info(&mi), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(mi.used, 0);
	VNR_EXPECT_EQ(vnr_memory_withdraw(gpa, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	vnr_test_note("rounds=%lu: each child was stopped for its #DB loop",
		      rounds);
	return vnr_test_done();
}
