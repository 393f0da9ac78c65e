// SPDX-License-Identifier: MIT
/*
 * blkbench: what a read costs on a Linux partition's disk, for the block
 * benchmark (tests/bench/blk/blk-bench.sh), the same program on Veneer's
 * synthetic disk and on virtio-blk.  Under QEMU's -icount shift=0 the TSC
 * counts emulated instructions of the whole machine, so the TSC delta per
 * read is its cost in instructions, whatever runs it (the guest kernel,
 * the hypervisor, a backend partition, QEMU's device model being free).
 *
 *   blkbench DEVICE seq|rand BYTES COUNT [DEPTH]
 *
 * (a block device, or a file for trying it out) reads COUNT blocks of BYTES
 * with O_DIRECT through io_uring, DEPTH (32) in flight, sequentially from the
 * start or at random block offsets, and prints "blkbench MODE BYTES DEPTH
 * tsc-per-read N".  Exits 1 on any error (a short or failed read included),
 * saying what failed.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <x86intrin.h>

#define DEPTH_MAX 64

/* The marker insn-window.c counts between: xchg %bx,%bx does nothing. */
static void mark(void)
{
	__asm__ volatile(".byte 0x66, 0x87, 0xdb" ::: "memory");
}

static int fail(const char *what, int e)
{
	fprintf(stderr, "blkbench: %s: %s\n", what, strerror(e));
	return 1;
}

/* xorshift64: the same offsets on every platform measured. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct run {
	int fd, random;
	unsigned int bytes, depth;
	uint64_t blocks, issued, seed;
	struct io_uring ring;
	void *buf[DEPTH_MAX];
};

static void queue_read(struct run *r, unsigned int slot)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);
	uint64_t block = r->random ? next_random(&r->seed) % r->blocks
				   : r->issued % r->blocks;

	io_uring_prep_read(sqe, r->fd, r->buf[slot], r->bytes,
			   block * r->bytes);
	io_uring_sqe_set_data64(sqe, slot);
	r->issued++;
}

static int measure(struct run *r, uint64_t count, uint64_t *tsc)
{
	uint64_t done = 0, start;
	unsigned int k;
	int e;

	mark(); /* insn-window.c counts from here */
	start = __rdtsc();
	for (k = 0; k < r->depth && r->issued < count; k++)
		queue_read(r, k);
	while (done < count) {
		struct io_uring_cqe *cqe;

		e = io_uring_submit_and_wait(&r->ring, 1);
		if (e < 0)
			return fail("io_uring_submit_and_wait", -e);
		while (io_uring_peek_cqe(&r->ring, &cqe) == 0) {
			unsigned int slot = (unsigned int)cqe->user_data;

			if (cqe->res != (int)r->bytes)
				return fail("read",
					    cqe->res < 0 ? -cqe->res : EIO);
			io_uring_cqe_seen(&r->ring, cqe);
			done++;
			if (r->issued < count)
				queue_read(r, slot);
		}
	}
	*tsc = __rdtsc() - start;
	mark();
	return 0;
}

int main(int argc, char **argv)
{
	struct run r = {.seed = 0x9e3779b97f4a7c15ull, .depth = 32};
	uint64_t count, size, tsc = 0;
	struct stat st;
	int e;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: blkbench DEVICE seq|rand BYTES COUNT "
				"[DEPTH]\n");
		return 2;
	}
	r.random = !strcmp(argv[2], "rand");
	r.bytes = (unsigned int)strtoul(argv[3], NULL, 0);
	count = strtoull(argv[4], NULL, 0);
	if (argc == 6)
		r.depth = (unsigned int)strtoul(argv[5], NULL, 0);
	if (!r.bytes || r.bytes % 512 || !count || !r.depth ||
	    r.depth > DEPTH_MAX)
		return fail("arguments", EINVAL);
	r.fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (r.fd < 0 || (ioctl(r.fd, BLKGETSIZE64, &size) &&
			 (fstat(r.fd, &st) || !(size = (uint64_t)st.st_size))))
		return fail(argv[1], errno ? errno : EINVAL);
	r.blocks = size / r.bytes;
	if (!r.blocks)
		return fail("device smaller than a block", EINVAL);
	for (unsigned int k = 0; k < r.depth; k++)
		if (posix_memalign(&r.buf[k], 4096, r.bytes))
			return fail("memory", ENOMEM);
	e = io_uring_queue_init(r.depth, &r.ring, 0);
	if (e)
		return fail("io_uring_queue_init", -e);
	if (measure(&r, count, &tsc))
		return 1;
	printf("blkbench %s %u %u tsc-per-read %llu\n", argv[2], r.bytes,
	       r.depth, (unsigned long long)(tsc / count));
	return 0;
}
