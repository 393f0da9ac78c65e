// SPDX-License-Identifier: MIT
/*
 * A partition's monitor: the process that holds its descriptors.
 *
 * The VP thread loops on VENEER_RUN and serves what comes out to user
 * space: console bytes go to the console (console_log.c); a port no device
 * serves reads all-ones and drops writes, as on a bus with nothing behind
 * the port; when the partition stops, the reason goes to the console.
 * The channel thread (channel.c) provides the partition's channels: its
 * console channel writes to the same console.
 *
 * The main thread takes requests on CTL_RUN_DIR/NAME.sock, one line each:
 *   pause, unpause   suspend and resume the partition
 *   shutdown         stop it; it stays listed, holding its memory
 *   destroy          stop it and close its descriptors, then exit
 *   console          "ok", the scrollback, then the console as it comes
 * and answers "ok" or "error: why".  Up to PENDING_MAX clients may be
 * sending their request at once, each within REQUEST_SECS: a slow or
 * silent one delays no other.  SIGTERM, SIGINT and SIGHUP destroy.
 */
#include "veneerctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_MAX    32
#define PENDING_MAX    16
#define REQUEST_SECS   2
#define STOP_WAIT_SECS 5

/* A client whose request line has not all come yet. */
struct pending {
	int fd; /* -1: free */
	char line[REQUEST_MAX];
	size_t len;
	struct timespec deadline;
};

struct monitor {
	struct ctl_child child;
	char name[VNR_NAME_MAX];
	char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd;
	pthread_t vp_thread; /* 0 once joined */
	struct ctl_console console;
	struct ctl_channels channels;
	struct ctl_console_channel console_channel;
	struct ctl_block_channel disks[CTL_DISKS_MAX];
	const struct ctl_config *cfg;
	bool port_reported; /* the VP thread's */
	struct pending pending[PENDING_MAX];
};

static volatile sig_atomic_t end_requested;

static void on_end_signal(int sig)
{
	(void)sig;
	end_requested = 1;
}

void ctl_reply(int fd, const char *line)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf), "%s\n", line);

	send(fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1,
	     MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* No device is behind any port of a partition of the root. */
static vnr_u32 unserved_port(struct monitor *m, const struct vnr_run_io *io)
{
	if (!m->port_reported) {
		m->port_reported = true;
		ctl_console_note(&m->console,
				 "port 0x%x has no device: ports read all-ones "
				 "and drop writes (reported once)",
				 io->port);
	}
	return io->write ? 0 : 0xFFFFFFFFu >> (32 - 8 * io->size);
}

static void report_stop(struct monitor *m, const struct vnr_run_exit_info *i)
{
	struct vnr_partition_status st;

	if (i->exit_reason == VNR_EXIT_FAULT &&
	    !ioctl(m->child.partition, VENEER_QUERY, &st)) {
		st.diagnostic[sizeof(st.diagnostic) - 1] = '\0';
		ctl_console_note(&m->console, "partition stopped: %s: %s",
				 ctl_exit_reason_name(i->exit_reason),
				 st.diagnostic);
		return;
	}
	ctl_console_note(&m->console, "partition stopped: %s, status %llu",
			 ctl_exit_reason_name(i->exit_reason),
			 (unsigned long long)i->exit_status);
}

static void *vp_loop(void *arg)
{
	struct monitor *m = arg;
	const struct vnr_run_exit *e = m->child.exit;
	struct veneer_run run = {.io_value = 0};

	for (;;) {
		if (ioctl(m->child.vp, VENEER_RUN, &run)) {
			if (errno == EINTR)
				continue;
			ctl_console_note(&m->console, "running VP 0 failed: %s",
					 strerror(errno));
			break;
		}
		run.io_value = 0;
		if (e->reason == VNR_RUN_EXIT_CONSOLE)
			ctl_console_guest(&m->console, e->data, e->length);
		else if (e->reason == VNR_RUN_EXIT_IO)
			run.io_value = unserved_port(m, &e->info.io);
		else if (e->reason == VNR_RUN_EXIT_STOPPED)
			break;
	}
	if (e->reason == VNR_RUN_EXIT_STOPPED)
		report_stop(m, &e->info);
	ctl_console_end(&m->console);
	return NULL;
}

static int set_state(struct monitor *m, vnr_u32 transition)
{
	return ioctl(m->child.partition, VENEER_SET_STATE, &transition) ? errno
									: 0;
}

/* Stops the partition if it runs and waits for the VP thread to end. */
static int stop_partition(struct monitor *m)
{
	struct timespec deadline;
	int e = set_state(m, VENEER_STOP);

	if (e == EBUSY)
		e = 0; /* it had stopped already */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += STOP_WAIT_SECS;
	if (m->vp_thread && pthread_timedjoin_np(m->vp_thread, NULL, &deadline))
		return ETIMEDOUT;
	m->vp_thread = 0;
	return e;
}

/* Ends the monitor: the kernel destroys the partition as it closes it. */
static void __attribute__((noreturn))
destroy_and_exit(struct monitor *m, int reply_fd)
{
	stop_partition(m);
	ctl_channels_stop(&m->channels);
	ctl_child_close(&m->child);
	unlink(m->socket_path);
	if (reply_fd >= 0)
		ctl_reply(reply_fd, "ok");
	_exit(0);
}

static void answer(int fd, int e)
{
	char line[128];

	if (e)
		snprintf(line, sizeof(line), "error: %s", strerror(e));
	ctl_reply(fd, e ? line : "ok");
	close(fd);
}

/* A whole request line (without its line feed) from client fd. */
static void handle(struct monitor *m, int fd, const char *req)
{
	if (!strcmp(req, "console"))
		ctl_console_attach(&m->console, fd);
	else if (!strcmp(req, "pause"))
		answer(fd, set_state(m, VENEER_SUSPEND));
	else if (!strcmp(req, "unpause"))
		answer(fd, set_state(m, VENEER_RESUME));
	else if (!strcmp(req, "shutdown"))
		answer(fd, stop_partition(m));
	else if (!strcmp(req, "destroy"))
		destroy_and_exit(m, fd);
	else
		answer(fd, EINVAL);
}

static void drop(struct pending *p)
{
	close(p->fd);
	p->fd = -1;
}

/* Reads what client p sent; a complete line is handled and p freed. */
static void receive(struct monitor *m, struct pending *p)
{
	ssize_t n = recv(p->fd, p->line + p->len, sizeof(p->line) - p->len,
			 MSG_DONTWAIT);
	char *end;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			drop(p);
		return;
	}
	p->len += (size_t)n;
	end = memchr(p->line, '\n', p->len);
	if (!end && p->len < sizeof(p->line))
		return;
	if (!end || memchr(p->line, '\0', (size_t)(end - p->line))) {
		ctl_reply(p->fd, end ? "error: not a request"
				     : "error: request too long");
		drop(p);
		return;
	}
	*end = '\0';
	handle(m, p->fd, p->line);
	p->fd = -1; /* handle() took the descriptor over */
}

static bool passed(const struct timespec *t, const struct timespec *now)
{
	return now->tv_sec > t->tv_sec ||
	       (now->tv_sec == t->tv_sec && now->tv_nsec >= t->tv_nsec);
}

static void accept_client(struct monitor *m, const struct timespec *now)
{
	int fd =
		accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	for (int i = 0; i < PENDING_MAX; i++) {
		struct pending *p = &m->pending[i];

		if (p->fd < 0) {
			*p = (struct pending){.fd = fd, .deadline = *now};
			p->deadline.tv_sec += REQUEST_SECS;
			return;
		}
	}
	ctl_reply(fd, "error: too many requests at once");
	close(fd);
}

/* The end signals are blocked but while the main thread waits here. */
static void __attribute__((noreturn)) serve(struct monitor *m)
{
	struct pollfd fds[1 + PENDING_MAX];
	struct timespec now, tick = {.tv_nsec = 200 * 1000 * 1000};
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		nfds_t n = 1;

		fds[0] = (struct pollfd){.fd = m->listen_fd, .events = POLLIN};
		for (int i = 0; i < PENDING_MAX; i++)
			if (m->pending[i].fd >= 0)
				fds[n++] =
					(struct pollfd){.fd = m->pending[i].fd,
							.events = POLLIN};
		ppoll(fds, n, &tick, &none);
		if (end_requested)
			destroy_and_exit(m, -1);
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (int i = 0; i < PENDING_MAX; i++) {
			struct pending *p = &m->pending[i];

			if (p->fd >= 0)
				receive(m, p);
			if (p->fd >= 0 && passed(&p->deadline, &now))
				drop(p);
		}
		if (fds[0].revents & POLLIN)
			accept_client(m, &now);
	}
}

static int bind_to(int fd, const struct sockaddr_un *addr)
{
	return bind(fd, (const struct sockaddr *)addr, sizeof(*addr));
}

/*
 * A socket no monitor listens on is left over from a killed monitor; a
 * file of another type there is not veneerctl's to remove.
 */
static bool socket_is_stale(const struct sockaddr_un *addr)
{
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct stat st;
	bool stale =
		!lstat(addr->sun_path, &st) && S_ISSOCK(st.st_mode) &&
		probe >= 0 &&
		connect(probe, (const struct sockaddr *)addr, sizeof(*addr)) &&
		errno == ECONNREFUSED;

	if (probe >= 0)
		close(probe);
	return stale;
}

static int listen_socket(struct monitor *m)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -1;
	memcpy(addr.sun_path, m->socket_path, sizeof(addr.sun_path));
	r = bind_to(fd, &addr);
	if (r && errno == EADDRINUSE && socket_is_stale(&addr)) {
		unlink(m->socket_path);
		r = bind_to(fd, &addr);
	}
	if (r || listen(fd, PENDING_MAX)) {
		close(fd);
		return -1;
	}
	m->listen_fd = fd;
	return 0;
}

static void catch_end_signals(void)
{
	struct sigaction end = {.sa_handler = on_end_signal};
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* the VP thread inherits it */
	sigaction(SIGTERM, &end, NULL);
	sigaction(SIGINT, &end, NULL);
	sigaction(SIGHUP, &end, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int monitor_setup(struct monitor *m, char *err, size_t size)
{
	const char *step = "listening on " CTL_RUN_DIR;

	snprintf(m->socket_path, sizeof(m->socket_path), CTL_RUN_DIR "/%s.sock",
		 m->name);
	if (ctl_trusted_dir(CTL_RUN_DIR, CTL_RUN_DIR_MODE, 1, err, size) ||
	    ctl_console_open(&m->console, m->name, err, size))
		return -1;
	if (listen_socket(m))
		goto fail;
	ctl_console_note(&m->console, "partition '%s' (id %u) starting",
			 m->name, m->child.id);
	catch_end_signals();
	m->channels.partition = m->child.partition;
	if (ctl_console_channel_add(&m->console_channel, &m->channels,
				    &m->console, err, size))
		return -1;
	for (unsigned int i = 0; i < m->cfg->disk_count; i++)
		if (ctl_block_channel_add(&m->disks[i], &m->channels,
					  &m->console, m->cfg->disks[i].path,
					  m->cfg->disks[i].read_only,
					  (vnr_u8)(i + 1), err, size))
			return -1;
	step = "starting it";
	errno = set_state(m, VENEER_START);
	if (errno)
		goto fail;
	if (ctl_channels_start(&m->channels, err, size))
		return -1;
	step = "starting its VP thread";
	errno = pthread_create(&m->vp_thread, NULL, vp_loop, m);
	if (errno)
		goto fail;
	return 0;
fail:
	return ctl_fail(err, size, "partition '%s': %s: %s", m->name, step,
			strerror(errno));
}

static void __attribute__((noreturn)) fail_start(int ready_fd, const char *err)
{
	if (write(ready_fd, err, strlen(err)) < 0)
		_exit(1);
	_exit(1);
}

static void __attribute__((noreturn))
monitor_main(int dev, const struct ctl_config *cfg, int ready_fd)
{
	static struct monitor m;
	char err[CTL_ERROR_MAX], comm[16];
	int null = open("/dev/null", O_RDWR);

	setsid();
	snprintf(comm, sizeof(comm), "vnr-%.11s", cfg->name);
	prctl(PR_SET_NAME, comm);
	memcpy(m.name, cfg->name, sizeof(m.name));
	m.cfg = cfg;
	m.listen_fd = -1;
	m.channels.stop_fd = -1;
	for (int i = 0; i < PENDING_MAX; i++)
		m.pending[i].fd = -1;
	if (ctl_child_build(dev, cfg, &m.child, err, sizeof(err)))
		fail_start(ready_fd, err);
	close(dev);
	if (monitor_setup(&m, err, sizeof(err)))
		fail_start(ready_fd, err);
	if (dprintf(ready_fd, "ok %u", m.child.id) < 0 || null < 0)
		destroy_and_exit(&m, -1);
	close(ready_fd);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	close(null);
	serve(&m);
}

int ctl_monitor_spawn(int dev, const struct ctl_config *cfg, vnr_u32 *id,
		      char *err, size_t err_size)
{
	int ready[2];
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC)) {
		snprintf(err, err_size, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		monitor_main(dev, cfg, ready[1]);
	}
	close(ready[1]);
	while (pid > 0 && (size_t)len < err_size - 1 &&
	       (n = read(ready[0], err + len, err_size - 1 - len)) > 0)
		len += n;
	close(ready[0]);
	err[len] = '\0';
	if (pid > 0 && sscanf(err, "ok %u", id) == 1)
		return 0;
	if (pid < 0)
		snprintf(err, err_size, "fork: %s", strerror(errno));
	else if (len == 0)
		snprintf(err, err_size,
			 "the monitor of '%s' ended before it started it",
			 cfg->name);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return -1;
}
