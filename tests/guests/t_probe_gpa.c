// SPDX-License-Identifier: MIT
/*
 * Guest-physical address probes across the whole address space.  Each
 * access outside RAM stops the partition that makes it, so a root builds a
 * short-lived child (t_probe_gpa_child) per access: a read and a write at
 * every power of two from 2^0 to 2^51, at 2^52 - 1 (the last byte a page
 * table can name; 2^52 itself has no encoding) and at random addresses.
 * For each one it computes the only acceptable outcome and checks the
 * child's exit message:
 *
 *   below the child's RAM size  clean exit, status PROBE_IN_RAM
 *   at or above MAXPHYADDR      clean exit, status PROBE_RSVD_PF (the
 *                               guest's own page walk faults)
 *   otherwise                   stopped by the hypervisor (fault), the
 *                               diagnostic "<read|write> access to
 *                               unmapped GPA 0x<gpa>" naming the address
 *
 * A victim partition runs a checksummed workload beside it.
 *
 * Command line: random=N random addresses (default 8), seed=N.
 */
#include <vnr_test.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define SINT	      3
#define DEPOSIT_PAGES 4096u /* 16 MiB */
#define CHILD_BYTES   (4ull << 20)
#define SECONDS(n)    ((vnr_u64)(n)*10000000ull)

#define PROBE_IN_RAM  0x40
#define PROBE_RSVD_PF 0x50

extern const char vnr_image_child_start[], vnr_image_child_end[];

static struct vnr_child_layout layout;
static unsigned int maxphys;
static unsigned int probes, stopped, in_ram, rsvd;

static int format_into(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct sink {
	char *buf;
	size_t size, len;
};

static void put(char c, void *ctx)
{
	struct sink *s = ctx;

	if (s->len + 1 < s->size)
		s->buf[s->len++] = c;
}

static int format_into(char *buf, size_t size, const char *fmt, ...)
{
	struct sink s = {buf, size, 0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vnr_vformat(put, &s, fmt, ap);
	va_end(ap);
	buf[s.len] = 0;
	return n;
}

static void probe(vnr_u64 gpa, bool write)
{
	struct vnr_child_config cfg = {
		.name = "probe",
		.privileges = 0,
		.notify_sint = SINT,
		.memory_size = CHILD_BYTES,
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	struct vnr_partition_exit_message m;
	char cmdline[64], want[64], err[96];
	vnr_u32 id = 0;
	enum vnr_status st;
	bool ok;

	format_into(cmdline, sizeof(cmdline), "gpa=0x%lx write=%d", gpa, write);
	cfg.cmdline = cmdline;
	probes++;
	st = vnr_child_build(&cfg, &id, &layout, err, sizeof(err));
	if (!VNR_EXPECT_EQ_AS(cmdline, st, VNR_STATUS_SUCCESS)) {
		vnr_test_note("building probe %s: %s", cmdline, err);
		return;
	}
	vnr_test_check_quiet(vnr_partition_start(id) == VNR_STATUS_SUCCESS,
			     __FILE_NAME__, __LINE__, "start", id, 0);
	if (!vnr_test_check_quiet(
		    vnr_wait_partition_exit(SINT, &m, SECONDS(20)),
		    __FILE_NAME__, __LINE__, "exit message", gpa, write)) {
		vnr_test_note("probe %s: no exit message", cmdline);
		vnr_partition_stop(id);
		vnr_partition_destroy(id);
		return;
	}
	if (gpa < CHILD_BYTES) {
		ok = m.exit_reason == VNR_EXIT_CLEAN &&
		     m.exit_status == PROBE_IN_RAM;
		in_ram += ok;
	} else if (gpa >> maxphys) {
		ok = m.exit_reason == VNR_EXIT_CLEAN &&
		     m.exit_status == PROBE_RSVD_PF;
		rsvd += ok;
	} else {
		format_into(want, sizeof(want),
			    "%s access to unmapped GPA 0x%lx",
			    write ? "write" : "read", gpa);
		ok = m.exit_reason == VNR_EXIT_FAULT &&
		     strstr(m.diagnostic, want) != NULL;
		stopped += ok;
	}
	ok = ok && m.partition_id == id;
	if (!vnr_test_check_quiet(ok, __FILE_NAME__, __LINE__, cmdline,
				  m.exit_reason, m.exit_status))
		vnr_test_note("probe %s: %s, status 0x%lx, '%s'", cmdline,
			      vnr_exit_reason_name(m.exit_reason),
			      m.exit_status, m.diagnostic);
	vnr_test_check_quiet(vnr_partition_destroy(id) == VNR_STATUS_SUCCESS,
			     __FILE_NAME__, __LINE__, "destroy", id, 0);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 seed = vnr_cmdline_u64("seed", 0x9E3779B97F4A7C15ull);
	vnr_u64 nrandom = vnr_cmdline_u64("random", 8);
	struct vnr_memory_info mi;
	vnr_u64 gpa, i, t0;
	unsigned int bit;

	vnr_test_begin("t_probe_gpa");
	maxphys = vnr_cpuid(0x80000008, 0).eax & 0xFF;
	vnr_test_note("MAXPHYADDR %u, seed 0x%lx", maxphys, seed);
	if (!VNR_EXPECT(maxphys >= 32 && maxphys <= 52) ||
	    !VNR_EXPECT(vnr_synic_init()))
		return vnr_test_done();
	if (!VNR_EXPECT(vnr_find_deposit_range(
		    si, (vnr_u64)DEPOSIT_PAGES * VNR_PAGE_SIZE, &gpa)) ||
	    !VNR_EXPECT_EQ(vnr_memory_deposit(gpa, DEPOSIT_PAGES),
			   VNR_STATUS_SUCCESS))
		return vnr_test_done();

	t0 = vnr_reference_time();
	for (bit = 0; bit <= 52; bit++) {
		vnr_u64 a = bit == 52 ? (1ull << 52) - 1 : 1ull << bit;

		probe(a, false);
		probe(a, true);
	}
	for (i = 0; i < nrandom; i++) {
		/* Half anywhere below 2^52, half below 64 GiB. */
		vnr_u64 r = vnr_test_rand(&seed);
		vnr_u64 a =
			i & 1 ? r & ((1ull << 36) - 1) : r & ((1ull << 52) - 1);

		probe(a, r >> 63);
	}
	VNR_EXPECT_EQ(vnr_memory_info(&mi), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(mi.used, 0);
	VNR_EXPECT_EQ(vnr_memory_withdraw(gpa, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	vnr_test_note("probes=%u in RAM=%u stopped=%u reserved-bit #PF=%u "
		      "in %lu ms",
		      probes, in_ram, stopped, rsvd,
		      (vnr_reference_time() - t0) / 10000);
	VNR_EXPECT_EQ(in_ram + stopped + rsvd, probes);
	return vnr_test_done();
}
