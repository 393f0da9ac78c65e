// SPDX-License-Identifier: MIT
/*
 * A root builds t_entry_refused, a child whose state VMRUN refuses (on
 * QEMU), and checks the exit message: a fault whose diagnostic says the
 * processor refused the state and names a RIP inside the child's image,
 * never an address of the hypervisor.  First SET_VP_REGISTERS must refuse
 * the values VMRUN would refuse, so that a parent cannot get there itself.
 */
#include <vnr_test.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define SINT		  3
#define DEPOSIT_PAGES	  1024u /* 4 MiB */
#define CHILD_BYTES	  (4ull << 20)
#define SECONDS(n)	  ((vnr_u64)(n)*10000000ull)
#define ENTRY_NOT_REFUSED 0x41

extern const char vnr_image_child_start[], vnr_image_child_end[];

/* The hex number after "at RIP 0x" in a diagnostic, or ~0 for none. */
static vnr_u64 diagnostic_rip(const char *d)
{
	const char *at = strstr(d, "at RIP 0x");
	vnr_u64 v = 0;

	if (!at)
		return ~0ull;
	for (at += 9;; at++) {
		unsigned int digit;

		if (*at >= '0' && *at <= '9')
			digit = (unsigned int)(*at - '0');
		else if (*at >= 'a' && *at <= 'f')
			digit = (unsigned int)(*at - 'a' + 10);
		else
			return v;
		v = v << 4 | digit;
	}
}

#define CR0_NW (1ull << 29)
#define CR4_KL (1ull << 19) /* reserved on AMD */

static void expect_refused(vnr_u32 id, vnr_u32 name, vnr_u64 value)
{
	vnr_u64 before = 0, after = 0;

	vnr_get_vp_register(id, 0, name, &before);
	VNR_EXPECT_EQ_AS("VMRUN-invalid value refused",
			 vnr_set_vp_register(id, 0, name, before | value),
			 VNR_STATUS_INVALID_PARAMETER);
	vnr_get_vp_register(id, 0, name, &after);
	VNR_EXPECT_EQ(after, before);
}

static void set_refuses_what_vmrun_refuses(vnr_u32 id)
{
	vnr_u32 maxphys = vnr_cpuid(0x80000008, 0).eax & 0xFF;

	expect_refused(id, VNR_REG_CR0, CR0_NW);
	expect_refused(id, VNR_REG_CR4, CR4_KL);
	expect_refused(id, VNR_REG_CR3, 1ull << maxphys);
}

static void run_child(void)
{
	struct vnr_child_config cfg = {
		.name = "refused",
		.notify_sint = SINT,
		.memory_size = CHILD_BYTES,
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	struct vnr_partition_exit_message m;
	char err[96];
	vnr_u32 id = 0;
	vnr_u64 rip;

	if (!VNR_EXPECT_EQ(vnr_child_build(&cfg, &id, NULL, err, sizeof(err)),
			   VNR_STATUS_SUCCESS))
		return;
	set_refuses_what_vmrun_refuses(id);
	if (!VNR_EXPECT_EQ(vnr_partition_start(id), VNR_STATUS_SUCCESS) ||
	    !VNR_EXPECT(vnr_wait_partition_exit(SINT, &m, SECONDS(20))))
		return;
	vnr_test_note("child: %s, status 0x%lx, '%s'",
		      vnr_exit_reason_name(m.exit_reason), m.exit_status,
		      m.diagnostic);
	VNR_EXPECT(m.exit_status != ENTRY_NOT_REFUSED);
	VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_FAULT);
	VNR_EXPECT(strstr(m.diagnostic,
			  "the processor refused its state on entry") != NULL);
	rip = diagnostic_rip(m.diagnostic);
	VNR_EXPECT(rip >= VNR_IMAGE_MIN_GPA && rip < CHILD_BYTES);
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 gpa;

	vnr_test_begin("t_entry_refused_root");
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_find_deposit_range(
		    si, (vnr_u64)DEPOSIT_PAGES * VNR_PAGE_SIZE, &gpa)) ||
	    !VNR_EXPECT_EQ(vnr_memory_deposit(gpa, DEPOSIT_PAGES),
			   VNR_STATUS_SUCCESS))
		return vnr_test_done();
	run_child();
	VNR_EXPECT_EQ(vnr_memory_withdraw(gpa, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	return vnr_test_done();
}
