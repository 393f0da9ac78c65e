// SPDX-License-Identifier: MIT
/*
 * A root program that misuses a partition's channel ioctls and grant
 * windows (tests/root/stack/chan_abuse.sh): it takes the descriptor of a
 * running partition from its veneerctl monitor (pidfd_getfd) and tries
 * what the module must refuse, or survive.
 *
 *   chan_abuse ioctls PID RO RW  the channel ioctls' and VENEER_MAP_GRANT's
 *                                refusals, then the read-only grant RO (2
 *                                pages of 0xa5) and the writable RW (4
 *                                pages) of the partition, mapped and
 *                                misused; prints "ok N" or "FAIL what"
 *   chan_abuse hold PID RW       maps RW, writes to it and holds the
 *                                mapping until killed
 *   chan_abuse ids PID           takes channel ids until refused, prints
 *                                how many
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <veneer/ioctl.h>
#include <veneer/ipc.h>

#define PAGE 4096ul

static int failures, checks;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		failures++;
		printf("FAIL %s (errno %d %s)\n", what, errno, strerror(errno));
	}
}

/* The monitor's partition descriptor, duplicated into this process. */
static int partition_of(pid_t pid)
{
	char dir[64], path[320], link[64];
	struct dirent *e;
	int pidfd, fd = -1;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (!d || pidfd < 0) {
		printf("FAIL no process %d: %s\n", pid, strerror(errno));
		exit(1);
	}
	while ((e = readdir(d)) && fd < 0) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = 0;
		if (!strcmp(link, "anon_inode:veneer-partition"))
			fd = (int)syscall(SYS_pidfd_getfd, pidfd,
					  atoi(e->d_name), 0);
	}
	closedir(d);
	close(pidfd);
	if (fd < 0) {
		printf("FAIL no partition descriptor in %d\n", pid);
		exit(1);
	}
	return fd;
}

static int map_grant(int p, vnr_u64 handle, vnr_u32 pages, vnr_u32 flags)
{
	struct veneer_grant_map g = {
		.handle = handle, .page_count = pages, .flags = flags};

	return ioctl(p, VENEER_MAP_GRANT, &g);
}

static int refused(int ret, int err)
{
	return ret < 0 && errno == err;
}

static void channel_ioctls(int p)
{
	struct veneer_message m = {.type = 0x7777, .size = 4};
	vnr_u32 id;
	vnr_u64 events;

	id = 0;
	check(refused(ioctl(p, VENEER_SIGNAL, &id), EINVAL), "signal id 0");
	id = 64;
	check(refused(ioctl(p, VENEER_SIGNAL, &id), EINVAL), "signal id 64");
	id = 0xffffffffu;
	check(refused(ioctl(p, VENEER_SIGNAL, &id), EINVAL), "signal id ~0");
	check(refused(ioctl(p, VENEER_SIGNAL, (void *)8), EFAULT),
	      "signal bad pointer");
	m.type = 0;
	check(refused(ioctl(p, VENEER_POST_MESSAGE, &m), EINVAL),
	      "post type 0");
	m.type = 0x80000000u;
	check(refused(ioctl(p, VENEER_POST_MESSAGE, &m), EINVAL),
	      "post a hypervisor type");
	m.type = 0x7777;
	m.size = VNR_MESSAGE_PAYLOAD_MAX + 1;
	check(refused(ioctl(p, VENEER_POST_MESSAGE, &m), EINVAL),
	      "post 241 bytes");
	m.size = 0xffffffffu;
	check(refused(ioctl(p, VENEER_POST_MESSAGE, &m), EINVAL),
	      "post ~0 bytes");
	check(refused(ioctl(p, VENEER_RECV_MESSAGE, (void *)8), EFAULT) ||
		      refused(ioctl(p, VENEER_RECV_MESSAGE, (void *)8), EAGAIN),
	      "recv to a bad pointer");
	check(ioctl(p, VENEER_TAKE_EVENTS, &events) == 0, "take events");
	check(refused(map_grant(p, 1, 0, VENEER_GRANT_WRITABLE), EINVAL),
	      "map 0 pages");
	check(refused(map_grant(p, 1, VNR_GRANT_MAX_PAGES + 1, 0), EINVAL),
	      "map 511 pages");
	check(refused(map_grant(p, 1, 1, 2), EINVAL), "map with flag 2");
	check(map_grant(p, 0, 1, 0) < 0, "map handle 0");
	check(map_grant(p, 0xdead0001ull, 1, 0) < 0, "map a made-up handle");
}

static sigjmp_buf fault_jump;

static void on_fault(int sig)
{
	(void)sig;
	siglongjmp(fault_jump, 1);
}

/* Whether reading byte 0 of p faults. */
static int read_faults(const volatile unsigned char *p)
{
	struct sigaction sa = {.sa_handler = on_fault}, old;
	int faulted = 0;

	sigaction(SIGSEGV, &sa, &old);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(fault_jump, 1))
		faulted = 1;
	else
		(void)*p;
	sigaction(SIGSEGV, &old, NULL);
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

static void read_only_grant(int p, vnr_u64 ro)
{
	unsigned char *a, *b;
	struct iovec local, remote;
	char byte = 0x11;
	int fd, mem, pipefd[2];
	pid_t child;
	int status;

	check(refused(map_grant(p, ro, 2, VENEER_GRANT_WRITABLE), EINVAL),
	      "a read-only grant mapped writable");
	check(refused(map_grant(p, ro, 3, 0), EINVAL),
	      "a 2-page grant mapped as 3");
	fd = map_grant(p, ro, 2, 0);
	check(fd >= 0, "the read-only grant mapped");
	if (fd < 0)
		return;
	check(refused(map_grant(p, ro, 2, 0), EBUSY),
	      "a mapped grant mapped again");
	check(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
		      MAP_FAILED,
	      "a writable mapping of a read-only grant");
	check(mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED,
	      "a private mapping");
	check(mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED,
	      "a mapping larger than the grant");
	check(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE) == MAP_FAILED,
	      "a mapping at an offset");
	a = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	check(a != MAP_FAILED, "a read-only mapping");
	if (a == MAP_FAILED)
		return;
	check(a[0] == 0xa5 && a[2 * PAGE - 1] == 0xa5, "the grant's pattern");
	check(refused(mprotect(a, 2 * PAGE, PROT_READ | PROT_WRITE), EACCES),
	      "mprotect to writable");
	check(madvise(a, 2 * PAGE, MADV_DOFORK) < 0, "MADV_DOFORK");
	b = mremap(a, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
	check(b == MAP_FAILED, "mremap to 4 pages");
	mem = open("/proc/self/mem", O_RDWR);
	check(mem >= 0 && pwrite(mem, &byte, 1, (off_t)(uintptr_t)a) != 1,
	      "a write through /proc/self/mem");
	if (mem >= 0)
		close(mem);
	local = (struct iovec){&byte, 1};
	remote = (struct iovec){a, 1};
	check(process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != 1,
	      "a write through process_vm_writev");
	/* read(2) into the mapping: the kernel's copy faults, not the root. */
	if (!pipe(pipefd)) {
		check(write(pipefd[1], "x", 1) == 1, "pipe");
		check(read(pipefd[0], a, 1) < 0 && errno == EFAULT,
		      "read(2) into the read-only mapping");
		close(pipefd[0]);
		close(pipefd[1]);
	}
	check(a[0] == 0xa5, "the pattern is unchanged");
	/* A forked process has no mapping, but its own mmap of the fd. */
	child = fork();
	if (child == 0) {
		unsigned char *c;

		if (!read_faults(a))
			_exit(2);
		c = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
		_exit(c != MAP_FAILED && c[0] == 0xa5 ? 0 : 3);
	}
	check(child > 0 && waitpid(child, &status, 0) == child &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a forked process");
	/* The descriptor closed first, the mapping holds the window. */
	close(fd);
	check(a[PAGE] == 0xa5, "the mapping outlives its descriptor");
	munmap(a, 2 * PAGE);
	fd = map_grant(p, ro, 2, 0);
	check(fd >= 0, "mapped again after the last unmap");
	close(fd);
}

static void writable_grant(int p, vnr_u64 rw)
{
	unsigned char *a;
	int fd = map_grant(p, rw, 4, VENEER_GRANT_WRITABLE);

	check(fd >= 0, "the writable grant mapped");
	if (fd < 0)
		return;
	a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(a != MAP_FAILED, "a writable mapping");
	if (a != MAP_FAILED) {
		a[1] = 0x77;
		__atomic_store_n(&a[0], 0x5a, __ATOMIC_RELEASE);
		munmap(a, 4 * PAGE);
	}
	close(fd);
}

static int take_ids(int p)
{
	int n = 0;

	while (ioctl(p, VENEER_CHANNEL_ID) > 0)
		n++;
	return n;
}

int main(int argc, char **argv)
{
	int p;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 5 && !strcmp(argv[1], "ioctls")) {
		p = partition_of(atoi(argv[2]));
		channel_ioctls(p);
		read_only_grant(p, strtoull(argv[3], NULL, 0));
		writable_grant(p, strtoull(argv[4], NULL, 0));
		printf("%s %d\n", failures ? "failed" : "ok", checks);
		return failures != 0;
	}
	if (argc == 4 && !strcmp(argv[1], "hold")) {
		unsigned char *a;
		int fd;

		p = partition_of(atoi(argv[2]));
		fd = map_grant(p, strtoull(argv[3], NULL, 0), 4,
			       VENEER_GRANT_WRITABLE);
		a = fd < 0 ? MAP_FAILED
			   : mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
				  MAP_SHARED, fd, 0);
		if (a == MAP_FAILED) {
			printf("FAIL hold: %s\n", strerror(errno));
			return 1;
		}
		/* Only the mapping holds the partition now. */
		close(fd);
		close(p);
		printf("holding\n");
		for (;;) {
			a[8]++;
			usleep(10000);
		}
	}
	if (argc == 3 && !strcmp(argv[1], "ids")) {
		p = partition_of(atoi(argv[2]));
		printf("%d ids\n", take_ids(p));
		return 0;
	}
	fprintf(stderr, "usage: chan_abuse ioctls|hold|ids PID ...\n");
	return 2;
}
