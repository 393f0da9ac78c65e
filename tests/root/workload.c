/*
 * The root-mode workload: times three kinds of kernel work with the TSC
 * and prints "VENEER-ROOT: work <phase> <tsc-delta>" for each.  Under
 * QEMU's -icount shift=0 the TSC counts emulated instructions, so the
 * numbers compare a bare run with a run under the hypervisor.
 *
 *   syscall    100000 getppid system calls
 *   pagefault  a first touch of every 4 KiB page of a fresh 64 MiB mapping
 *   copy       writing a 64 MiB file on tmpfs, then copying it with
 *              64 KiB reads and writes
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#define SYSCALLS  100000
#define AREA_SIZE (64UL << 20)
#define PAGE	  4096UL
#define CHUNK	  (64UL << 10)
#define SOURCE	  "/tmp/workload.src"
#define COPY	  "/tmp/workload.dst"

static char chunk[CHUNK];

static int phase_syscall(void)
{
	for (int i = 0; i < SYSCALLS; i++)
		syscall(SYS_getppid);
	return 0;
}

static int phase_pagefault(void)
{
	volatile char *area = mmap(NULL, AREA_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (area == MAP_FAILED)
		return -1;
	for (unsigned long off = 0; off < AREA_SIZE; off += PAGE)
		area[off] = 1;
	return munmap((void *)area, AREA_SIZE);
}

static int write_source(void)
{
	int fd = open(SOURCE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int err = fd < 0;

	memset(chunk, 0x5a, sizeof(chunk));
	for (unsigned long done = 0; !err && done < AREA_SIZE; done += CHUNK)
		err = write(fd, chunk, CHUNK) != (ssize_t)CHUNK;
	return (fd >= 0 && close(fd)) || err ? -1 : 0;
}

static int copy_source(void)
{
	int in = open(SOURCE, O_RDONLY);
	int out = open(COPY, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t got = 0;
	int err = in < 0 || out < 0;

	while (!err && (got = read(in, chunk, CHUNK)) > 0)
		err = write(out, chunk, got) != got;
	err |= got < 0;
	if (in >= 0)
		close(in);
	if (out >= 0)
		err |= close(out) != 0;
	return err ? -1 : 0;
}

static int phase_copy(void)
{
	int err = write_source() || copy_source();

	unlink(SOURCE);
	unlink(COPY);
	return err ? -1 : 0;
}

/* Runs one phase between two TSC reads; reports its delta or FAIL. */
static int timed(const char *name, int (*phase)(void))
{
	uint64_t start = __rdtsc();
	int err = phase();
	uint64_t delta = __rdtsc() - start;

	if (err)
		printf("VENEER-ROOT: FAIL work %s\n", name);
	else
		printf("VENEER-ROOT: work %s %llu\n", name,
		       (unsigned long long)delta);
	fflush(stdout);
	return err;
}

int main(void)
{
	int err = 0;

	err |= timed("syscall", phase_syscall);
	err |= timed("pagefault", phase_pagefault);
	err |= timed("copy", phase_copy);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
