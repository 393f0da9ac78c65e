// SPDX-License-Identifier: MIT
/*
 * vnr-io: what a child VP's exits cost on Veneer's root stack, measured
 * from the root's user space through /dev/veneer (veneer/ioctl.h), for
 * comparison with KVM (tests/bench/kvm/kvm-io.c runs the same guest).
 *
 * A 2 MiB child runs the exit benchmarks' guest
 * (tests/bench/exit-bench/guest.h) with its hypercall page: its port-I/O
 * loop, each OUT an exit that VENEER_RUN brings to user space, which runs
 * the VP again; then its VP_YIELD loop, whose exits veneer.ko handles
 * without leaving the kernel (each sample comes out in one OUT); then
 * PARTITION_EXIT.  Then LIFE_CYCLES times a 16 MiB child is built, started,
 * run to its first exit and destroyed by closing its descriptors.  Prints
 *
 *   veneer-io-roundtrip N      median TSC delta in the child around its OUT
 *   veneer-yield-roundtrip N   median TSC delta in the child around VP_YIELD
 *   veneer-io-run-ioctl N      median TSC delta in user space around
 *                              VENEER_RUN, one port-I/O round trip
 *   veneer-create-start-destroy-16m N
 *                              median TSC delta in user space of a 16 MiB
 *                              child's create, map, write, VP create, set
 *                              registers, start, run to the first exit and
 *                              close
 *
 * over GUEST_ROUND_TRIPS (LIFE_CYCLES) samples.  Exits 0, or 1 after
 * saying on stderr what failed.
 */
#include "guest.h"
#include "samples.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <veneer/hypercall.h>
#include <veneer/ioctl.h>
#include <x86intrin.h>

#define LIFE_MEMORY (16ull << 20)
#define LIFE_CYCLES 9

struct child {
	int partition, vp;
	const struct vnr_run_exit *exit; /* the VP's mapped exit record */
};

static unsigned char image[GUEST_IMAGE_END - GUEST_IMAGE_BASE];
static uint64_t io_deltas[GUEST_ROUND_TRIPS];
static uint64_t yield_deltas[GUEST_ROUND_TRIPS];
static uint64_t run_deltas[GUEST_ROUND_TRIPS];
static uint64_t life_deltas[LIFE_CYCLES];

static int fail(const char *what)
{
	fprintf(stderr, "vnr-io: %s: %s\n", what, strerror(errno));
	return -1;
}

/*
 * A VENEER_IOW(nr, vnr_u32) request.  As the encoding says (a write of 4
 * bytes), the argument points to the value, which the module copies in.
 */
static int ioctl_u32(int fd, unsigned long request, vnr_u32 value)
{
	return ioctl(fd, request, &value);
}

/* The registers guest.h wants at entry. */
static int vp_set_registers(int vp)
{
	struct vnr_register_value values[] = {
		{.name = VNR_REG_RIP, .value = GUEST_CODE},
		{.name = VNR_REG_RSP, .value = GUEST_STACK_TOP},
		{.name = VNR_REG_CR3, .value = GUEST_PML4},
		{.name = VNR_REG_GDTR_BASE, .value = GUEST_GDT},
		{.name = VNR_REG_GDTR_LIMIT, .value = GUEST_GDT_LIMIT},
		{.name = VNR_REG_RBX, .value = GUEST_HYPERCALL_PAGE},
		{.name = VNR_REG_R12,
		 .value = vnr_hc_control(VNR_CALL_VP_YIELD, 1, 0, 0)},
		{.name = VNR_REG_R13,
		 .value = vnr_hc_control(VNR_CALL_PARTITION_EXIT, 1, 0, 0)},
	};
	struct veneer_registers set = {
		.count = sizeof(values) / sizeof(values[0]),
		.registers = (uintptr_t)values,
	};

	return ioctl(vp, VENEER_SET_REGISTERS, &set)
		       ? fail("VENEER_SET_REGISTERS")
		       : 0;
}

/* The partition with its memory and the guest image, not yet started. */
static int partition_build(struct child *c, int dev, const char *name,
			   vnr_u64 memory_size)
{
	struct veneer_create_partition create = {.vp_count = 1};
	struct veneer_memory map = {.gpa = 0, .size = memory_size};
	struct veneer_write_memory write = {
		.gpa = GUEST_IMAGE_BASE,
		.size = sizeof(image),
		.data = (uintptr_t)image,
	};

	snprintf(create.name, sizeof(create.name), "%s", name);
	c->partition = ioctl(dev, VENEER_CREATE_PARTITION, &create);
	if (c->partition < 0)
		return fail("VENEER_CREATE_PARTITION");
	if (ioctl(c->partition, VENEER_MAP_MEMORY, &map))
		return fail("VENEER_MAP_MEMORY");
	if (ioctl(c->partition, VENEER_WRITE_MEMORY, &write))
		return fail("VENEER_WRITE_MEMORY");
	return 0;
}

/*
 * Builds and starts a child of memory_size bytes running the guest.  On
 * failure the caller still closes it (child_close), whatever was made.
 */
static int child_start(struct child *c, int dev, const char *name,
		       vnr_u64 memory_size)
{
	void *page;

	*c = (struct child){.partition = -1, .vp = -1};
	if (partition_build(c, dev, name, memory_size))
		return -1;
	c->vp = ioctl_u32(c->partition, VENEER_CREATE_VP, 0);
	if (c->vp < 0)
		return fail("VENEER_CREATE_VP");
	page = mmap(NULL, VNR_PAGE_SIZE, PROT_READ, MAP_SHARED, c->vp, 0);
	if (page == MAP_FAILED)
		return fail("mmap the VP's exit record");
	c->exit = page;
	if (vp_set_registers(c->vp))
		return -1;
	if (ioctl_u32(c->partition, VENEER_SET_STATE, VENEER_START))
		return fail("VENEER_SET_STATE start");
	return 0;
}

/* Closing the last descriptor destroys the child (veneer/ioctl.h). */
static void child_close(struct child *c)
{
	if (c->exit)
		munmap((void *)c->exit, VNR_PAGE_SIZE);
	if (c->vp >= 0)
		close(c->vp);
	if (c->partition >= 0)
		close(c->partition);
}

static int vp_run(const struct child *c)
{
	struct veneer_run run = {.io_value = 0};
	int r;

	do {
		r = ioctl(c->vp, VENEER_RUN, &run);
	} while (r && errno == EINTR);
	return r ? fail("VENEER_RUN") : 0;
}

static void describe_stop(const struct child *c)
{
	struct vnr_partition_status status;

	fprintf(stderr, " (the child stopped: reason %u, status %llu",
		c->exit->info.exit_reason,
		(unsigned long long)c->exit->info.exit_status);
	if (ioctl(c->partition, VENEER_QUERY, &status) == 0)
		fprintf(stderr, ", \"%.*s\"", (int)sizeof(status.diagnostic),
			status.diagnostic);
	fputc(')', stderr);
}

static int unexpected_exit(const struct child *c, const char *wanted)
{
	const struct vnr_run_exit *e = c->exit;

	fprintf(stderr, "vnr-io: wanted %s, got exit reason %u", wanted,
		e->reason);
	if (e->reason == VNR_RUN_EXIT_IO &&
	    e->info.io.port == GUEST_PORT_FAILED)
		fprintf(stderr, " (the child's hypercall failed: result 0x%x)",
			e->info.io.value);
	else if (e->reason == VNR_RUN_EXIT_IO)
		fprintf(stderr, " (%s of %u bytes at port 0x%x)",
			e->info.io.write ? "OUT" : "IN", e->info.io.size,
			e->info.io.port);
	else if (e->reason == VNR_RUN_EXIT_STOPPED)
		describe_stop(c);
	fputc('\n', stderr);
	return -1;
}

/* The value of the 4-byte OUT to port that the last exit was. */
static int out_value(const struct child *c, vnr_u16 port, uint32_t *value)
{
	const struct vnr_run_exit *e = c->exit;

	if (e->reason != VNR_RUN_EXIT_IO || !e->info.io.write ||
	    e->info.io.size != 4 || e->info.io.port != port)
		return unexpected_exit(c, "a 4-byte OUT to the benchmark port");
	*value = e->info.io.value;
	return 0;
}

/*
 * The port-I/O loop, as in kvm-io: OUT i (from 0) carries the child's
 * delta of OUT i - 1's round trip, and the VENEER_RUN that ends in OUT i
 * completes OUT i - 1.
 */
static int measure_io(const struct child *c)
{
	for (int i = 0; i <= GUEST_ROUND_TRIPS; i++) {
		uint64_t t0 = __rdtsc(), t1;
		uint32_t value = 0;

		if (vp_run(c))
			return -1;
		t1 = __rdtsc();
		if (out_value(c, GUEST_PORT_IO, &value))
			return -1;
		if (i == 0)
			continue;
		io_deltas[i - 1] = value;
		run_deltas[i - 1] = t1 - t0;
	}
	return 0;
}

/* The VP_YIELD loop, one OUT per sample, then PARTITION_EXIT(0). */
static int measure_yield(const struct child *c)
{
	const struct vnr_run_exit_info *info = &c->exit->info;

	for (int i = 0; i < GUEST_ROUND_TRIPS; i++) {
		uint32_t value = 0;

		if (vp_run(c) || out_value(c, GUEST_PORT_YIELD, &value))
			return -1;
		yield_deltas[i] = value;
	}
	if (vp_run(c))
		return -1;
	if (c->exit->reason != VNR_RUN_EXIT_STOPPED ||
	    info->exit_reason != VNR_EXIT_CLEAN || info->exit_status != 0)
		return unexpected_exit(c, "PARTITION_EXIT with status 0");
	return 0;
}

static int bench_exits(int dev)
{
	struct child c;
	int err;

	err = child_start(&c, dev, "vnr-io", GUEST_MEMORY_SIZE) ||
	      measure_io(&c) || measure_yield(&c);
	child_close(&c);
	if (err)
		return -1;
	printf("veneer-io-roundtrip %llu\n",
	       (unsigned long long)samples_median(io_deltas,
						  GUEST_ROUND_TRIPS));
	printf("veneer-yield-roundtrip %llu\n",
	       (unsigned long long)samples_median(yield_deltas,
						  GUEST_ROUND_TRIPS));
	printf("veneer-io-run-ioctl %llu\n",
	       (unsigned long long)samples_median(run_deltas,
						  GUEST_ROUND_TRIPS));
	return 0;
}

/* One 16 MiB child from nothing to its first exit and gone again. */
static int life_cycle(int dev, int n, uint64_t *delta)
{
	char name[VNR_NAME_MAX];
	struct child c;
	uint64_t t0;
	uint32_t value = 0;
	int err;

	snprintf(name, sizeof(name), "vnr-io-life-%d", n);
	t0 = __rdtsc();
	err = child_start(&c, dev, name, LIFE_MEMORY) || vp_run(&c) ||
	      out_value(&c, GUEST_PORT_IO, &value);
	child_close(&c);
	*delta = __rdtsc() - t0;
	return err ? -1 : 0;
}

static int bench_life_cycle(int dev)
{
	for (int i = 0; i < LIFE_CYCLES; i++)
		if (life_cycle(dev, i, &life_deltas[i]))
			return -1;
	printf("veneer-create-start-destroy-16m %llu\n",
	       (unsigned long long)samples_median(life_deltas, LIFE_CYCLES));
	return 0;
}

int main(void)
{
	int dev;

	if (guest_image_build(image)) {
		fprintf(stderr, "vnr-io: the guest's code exceeds its page\n");
		return 1;
	}
	dev = open(VENEER_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fail("open " VENEER_DEVICE);
		return 1;
	}
	return bench_exits(dev) || bench_life_cycle(dev) ? 1 : 0;
}
