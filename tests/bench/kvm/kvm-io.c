// SPDX-License-Identifier: MIT
/*
 * kvm-io: what a guest's port-I/O exit to user space and back costs on
 * KVM, the figure Veneer's is compared with (tests/bench/root-stack/vnr-io.c
 * runs the same guest on Veneer).  One VM with one vCPU runs the exit
 * benchmarks' guest (tests/bench/exit-bench/guest.h) in 64-bit mode without
 * a hypercall page: its port-I/O loop, then HLT.  User space answers each
 * KVM_EXIT_IO by running the vCPU again and prints
 *
 *   kvm-io-roundtrip N   median TSC delta in the guest around its OUT
 *   kvm-io-run-ioctl N   median TSC delta in user space around KVM_RUN
 *
 * over GUEST_ROUND_TRIPS samples each.  Exits 0, or 1 after saying on
 * stderr what failed.
 */
#include "guest.h"
#include "samples.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <x86intrin.h>

#define CR0_LONG_MODE 0x80010033ull /* PE, MP, ET, NE, WP, PG */
#define CR4_PAE	      0x20ull
#define EFER_LME_LMA  0x500ull

struct vm {
	int kvm, vm, vcpu;
	unsigned char *memory;
	struct kvm_run *run;
};

static uint64_t guest_deltas[GUEST_ROUND_TRIPS];
static uint64_t run_deltas[GUEST_ROUND_TRIPS];

static int fail(const char *what)
{
	fprintf(stderr, "kvm-io: %s: %s\n", what, strerror(errno));
	return -1;
}

/* The VM with its memory, holding the guest image. */
static int vm_create(struct vm *vm)
{
	struct kvm_userspace_memory_region region = {
		.guest_phys_addr = 0,
		.memory_size = GUEST_MEMORY_SIZE,
	};

	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0)
		return fail("open /dev/kvm");
	if (ioctl(vm->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		errno = EPROTO;
		return fail("KVM_GET_API_VERSION");
	}
	vm->vm = ioctl(vm->kvm, KVM_CREATE_VM, 0);
	if (vm->vm < 0)
		return fail("KVM_CREATE_VM");
	vm->memory = mmap(NULL, GUEST_MEMORY_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->memory == MAP_FAILED)
		return fail("mmap guest memory");
	region.userspace_addr = (uintptr_t)vm->memory;
	if (ioctl(vm->vm, KVM_SET_USER_MEMORY_REGION, &region))
		return fail("KVM_SET_USER_MEMORY_REGION");
	if (guest_image_build(vm->memory + GUEST_IMAGE_BASE)) {
		errno = EFBIG;
		return fail("guest image");
	}
	return 0;
}

/*
 * A flat segment as the processor holds it once loaded from the GDT:
 * 64-bit code (execute/read) or data (read/write), accessed.
 */
static struct kvm_segment flat_segment(uint16_t selector, int code)
{
	return (struct kvm_segment){
		.limit = 0xFFFFFFFF,
		.selector = selector,
		.type = code ? 0xB : 0x3,
		.present = 1,
		.s = 1,
		.db = !code,
		.l = code,
		.g = 1,
	};
}

/* The guest's state at entry: 64-bit mode at GUEST_CODE (guest.h). */
static int vcpu_set_state(struct vm *vm)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = {
		.rip = GUEST_CODE,
		.rsp = GUEST_STACK_TOP,
		.rflags = 0x2,
		.rbx = 0, /* no hypercall page */
	};

	if (ioctl(vm->vcpu, KVM_GET_SREGS, &sregs))
		return fail("KVM_GET_SREGS");
	sregs.cs = flat_segment(GUEST_CODE_SELECTOR, 1);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
		flat_segment(GUEST_DATA_SELECTOR, 0);
	sregs.gdt.base = GUEST_GDT;
	sregs.gdt.limit = GUEST_GDT_LIMIT;
	sregs.cr0 = CR0_LONG_MODE;
	sregs.cr3 = GUEST_PML4;
	sregs.cr4 = CR4_PAE;
	sregs.efer = EFER_LME_LMA;
	if (ioctl(vm->vcpu, KVM_SET_SREGS, &sregs))
		return fail("KVM_SET_SREGS");
	if (ioctl(vm->vcpu, KVM_SET_REGS, &regs))
		return fail("KVM_SET_REGS");
	return 0;
}

static int vcpu_create(struct vm *vm)
{
	int run_size;

	vm->vcpu = ioctl(vm->vm, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	run_size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(*vm->run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		return fail("mmap kvm_run");
	return vcpu_set_state(vm);
}

static int vcpu_run(struct vm *vm)
{
	int r;

	do {
		r = ioctl(vm->vcpu, KVM_RUN, 0);
	} while (r && errno == EINTR);
	return r ? fail("KVM_RUN") : 0;
}

static int unexpected_exit(const struct kvm_run *run, const char *wanted)
{
	fprintf(stderr, "kvm-io: wanted %s, got exit reason %u", wanted,
		run->exit_reason);
	if (run->exit_reason == KVM_EXIT_IO)
		fprintf(stderr, " (%s of %u bytes at port 0x%x)",
			run->io.direction == KVM_EXIT_IO_OUT ? "OUT" : "IN",
			run->io.size, run->io.port);
	else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		fprintf(stderr, " (entry failure 0x%llx)",
			(unsigned long long)
				run->fail_entry.hardware_entry_failure_reason);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		fprintf(stderr, " (internal error %u)", run->internal.suberror);
	fputc('\n', stderr);
	return -1;
}

/* The value of the guest's 4-byte OUT to port that the last exit was. */
static int out_value(const struct kvm_run *run, uint16_t port, uint32_t *value)
{
	if (run->exit_reason != KVM_EXIT_IO ||
	    run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
	    run->io.port != port || run->io.count != 1)
		return unexpected_exit(run,
				       "a 4-byte OUT to the benchmark port");
	memcpy(value, (const char *)run + run->io.data_offset, sizeof(*value));
	return 0;
}

/*
 * The guest makes GUEST_ROUND_TRIPS + 1 OUTs.  OUT i (from 0) carries the
 * guest's delta of OUT i - 1's round trip; the KVM_RUN that ends in OUT i
 * completes OUT i - 1, so for i > 0 it is that round trip seen from user
 * space (with the few guest instructions between the two OUTs).
 */
static int measure(struct vm *vm)
{
	for (int i = 0; i <= GUEST_ROUND_TRIPS; i++) {
		uint64_t t0 = __rdtsc(), t1;
		uint32_t value = 0;

		if (vcpu_run(vm))
			return -1;
		t1 = __rdtsc();
		if (out_value(vm->run, GUEST_PORT_IO, &value))
			return -1;
		if (i == 0)
			continue;
		guest_deltas[i - 1] = value;
		run_deltas[i - 1] = t1 - t0;
	}
	if (vcpu_run(vm))
		return -1;
	if (vm->run->exit_reason != KVM_EXIT_HLT)
		return unexpected_exit(vm->run, "HLT after the last OUT");
	return 0;
}

int main(void)
{
	struct vm vm;

	if (vm_create(&vm) || vcpu_create(&vm) || measure(&vm))
		return 1;
	printf("kvm-io-roundtrip %llu\n",
	       (unsigned long long)samples_median(guest_deltas,
						  GUEST_ROUND_TRIPS));
	printf("kvm-io-run-ioctl %llu\n",
	       (unsigned long long)samples_median(run_deltas,
						  GUEST_ROUND_TRIPS));
	return 0;
}
