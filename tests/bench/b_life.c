// SPDX-License-Identifier: MIT
/*
 * The life cycle of a partition, from a root partition: create and build
 * a 16 MiB, one-VP child from an image this partition carries
 * (vnr_child_build(): PARTITION_CREATE, MAP_GPA_PAGES, the image and boot
 * region with WRITE_PARTITION_MEMORY, VP_CREATE, SET_VP_REGISTERS), start
 * it, wait for its exit message (the child exits at once), destroy it.
 * The memory is deposited once, before the measurement.  Each step and
 * the whole cycle are measured in emulated instructions (bench.h).
 *
 * Command line: cycles=N (measured), warmup=N, child_mib=N, next=C,
 * wait_ms, settle_ms.  Needs root = yes; gate on SINT 5.
 */
#include "bench.h"
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define SINT_NOTIFY 3
#define SINT_GATE   5
#define MAX_CYCLES  201
#define MIB	    (1ull << 20)
#define EXIT_WAIT   (20 * VNR_TICKS_PER_SEC)

extern const char vnr_image_child_start[], vnr_image_child_end[];

enum step { BUILD, RUN, DESTROY, TOTAL, STEPS };

static const char *const step_names[STEPS] = {"life_create_build",
					      "life_start_to_exit",
					      "life_destroy", "life_total"};

static vnr_u64 samples[STEPS][MAX_CYCLES];

/* One cycle; false (after saying why) if a step failed. */
static bool cycle(const struct vnr_child_config *cfg,
		  const struct vnr_memory_info *before, vnr_u64 t[STEPS])
{
	struct vnr_partition_exit_message m;
	struct vnr_memory_info mi;
	enum vnr_status st;
	vnr_u64 t0, t1, t2, t3;
	vnr_u32 id = 0;
	char err[96];
	bool got;

	t0 = vnr_rdtsc();
	st = vnr_child_build(cfg, &id, NULL, err, sizeof(err));
	t1 = vnr_rdtsc();
	if (st != VNR_STATUS_SUCCESS) {
		vnr_printf("bench: building the child: %s\n", err);
		return false;
	}
	st = vnr_partition_start(id);
	got = st == VNR_STATUS_SUCCESS &&
	      vnr_wait_partition_exit(SINT_NOTIFY, &m, EXIT_WAIT);
	t2 = vnr_rdtsc();
	st = vnr_partition_destroy(id);
	t3 = vnr_rdtsc();
	if (!got || m.partition_id != id || m.exit_reason != VNR_EXIT_CLEAN ||
	    m.exit_status != 0 || st != VNR_STATUS_SUCCESS) {
		vnr_printf("bench: child %u: %s exit message, destroy %s\n", id,
			   got ? "unexpected" : "no", vnr_status_name(st));
		return false;
	}
	if (vnr_memory_info(&mi) != VNR_STATUS_SUCCESS ||
	    memcmp(&mi, before, sizeof(mi))) {
		vnr_printf("bench: the deposit did not come back whole\n");
		return false;
	}
	t[BUILD] = t1 - t0;
	t[RUN] = t2 - t1;
	t[DESTROY] = t3 - t2;
	t[TOTAL] = t3 - t0;
	return true;
}

static const char *measure(const struct vnr_start_info *si)
{
	vnr_u32 cycles = (vnr_u32)vnr_cmdline_u64("cycles", 21);
	vnr_u32 warmup = (vnr_u32)vnr_cmdline_u64("warmup", 1);
	vnr_u64 bytes = vnr_cmdline_u64("child_mib", 16) * MIB;
	struct vnr_child_config cfg = {
		.name = "bench-child",
		.privileges = 0,
		.notify_sint = SINT_NOTIFY,
		.memory_size = bytes,
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	struct vnr_memory_info before;
	vnr_u64 gpa, overhead, t[STEPS];
	vnr_u32 i;

	if (cycles > MAX_CYCLES)
		cycles = MAX_CYCLES;
	if (!vnr_has_features(VNR_FEATURE_MASK(PARTITION_MANAGEMENT)))
		return "no partition management (needs root = yes)";
	if (!vnr_find_deposit_range(si, bytes, &gpa))
		return "no free RAM to deposit";
	if (vnr_memory_deposit(gpa, bytes / VNR_PAGE_SIZE) !=
		    VNR_STATUS_SUCCESS ||
	    vnr_memory_info(&before) != VNR_STATUS_SUCCESS)
		return "MEMORY_DEPOSIT failed";
	overhead = bench_rdtsc_overhead();
	for (i = 0; i < warmup + cycles; i++) {
		if (!cycle(&cfg, &before, t))
			break;
		if (i >= warmup)
			for (int s = 0; s < STEPS; s++)
				samples[s][i - warmup] = t[s];
	}
	vnr_memory_withdraw(gpa, bytes / VNR_PAGE_SIZE);
	if (i < warmup + cycles)
		return "a cycle failed (see above)";
	bench_value("life_child_bytes", bytes);
	for (int s = 0; s < STEPS; s++)
		bench_report(step_names[s], samples[s], cycles, overhead);
	return NULL;
}

int vnr_main(const struct vnr_start_info *si)
{
	const char *why = "no SynIC";

	if (vnr_synic_init()) {
		bench_gate_wait(SINT_GATE, vnr_cmdline_u64("wait_ms", 60000),
				vnr_cmdline_u64("settle_ms", 5));
		why = measure(si);
	}
	if (why)
		bench_unmeasured("life_total", why);
	bench_gate_open((vnr_u32)vnr_cmdline_u64("next", 0));
	return why ? 1 : 0;
}
