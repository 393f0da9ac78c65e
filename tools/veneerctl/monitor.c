// SPDX-License-Identifier: MIT
/*
 * A partition's monitor: the process that holds its descriptors.
 *
 * The VP thread loops on VENEER_RUN and serves what comes out to user
 * space: console bytes go to the partition's log file, to a scrollback
 * buffer and to every attached console; a port no device serves reads
 * all-ones and drops writes, as on a bus with nothing behind the port;
 * when the partition stops, the reason is written to the console.
 *
 * The main thread takes requests on CTL_RUN_DIR/NAME.sock, one line each:
 *   pause, unpause   suspend and resume the partition
 *   shutdown         stop it; it stays listed, holding its memory
 *   destroy          stop it and close its descriptors, then exit
 *   console          "ok", the scrollback, then the console as it comes
 * and answers "ok" or "error: why".  SIGTERM, SIGINT and SIGHUP destroy.
 */
#include "veneerctl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONSOLES   8
#define SCROLLBACK     8192
#define REQUEST_MAX    32
#define STOP_WAIT_SECS 5

struct monitor {
	struct ctl_child child;
	char name[VNR_NAME_MAX];
	char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd, log_fd;
	pthread_t vp_thread;
	pthread_mutex_t lock; /* everything below */
	bool vp_thread_done;
	int consoles[MAX_CONSOLES]; /* -1: free */
	char scrollback[SCROLLBACK];
	size_t scrollback_len;
	bool port_reported;
};

static volatile sig_atomic_t end_requested;

static void on_end_signal(int sig)
{
	(void)sig;
	end_requested = 1;
}

/* As the hypervisor's console shows partition bytes (hv/core/console.c). */
static size_t console_filter(const char *in, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '\r')
			continue;
		out[len++] = (c >= 0x20 && c <= 0x7E) || c == '\t' || c == '\n'
				     ? (char)c
				     : '?';
	}
	return len;
}

static void scrollback_add(struct monitor *m, const char *s, size_t n)
{
	if (n >= SCROLLBACK) {
		memcpy(m->scrollback, s + n - SCROLLBACK, SCROLLBACK);
		m->scrollback_len = SCROLLBACK;
		return;
	}
	if (m->scrollback_len + n > SCROLLBACK) {
		size_t drop = m->scrollback_len + n - SCROLLBACK;

		memmove(m->scrollback, m->scrollback + drop,
			m->scrollback_len - drop);
		m->scrollback_len -= drop;
	}
	memcpy(m->scrollback + m->scrollback_len, s, n);
	m->scrollback_len += n;
}

/*
 * A console that cannot take the bytes at once is dropped: a slow reader
 * must not stall the partition, and the log file has everything.
 */
static void consoles_send(struct monitor *m, const char *s, size_t n)
{
	for (int i = 0; i < MAX_CONSOLES; i++) {
		int fd = m->consoles[i];

		if (fd >= 0 &&
		    send(fd, s, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n) {
			close(fd);
			m->consoles[i] = -1;
		}
	}
}

/* Bytes already filtered: to the log, the scrollback and the consoles. */
static void console_emit(struct monitor *m, const char *s, size_t n)
{
	pthread_mutex_lock(&m->lock);
	if (m->log_fd >= 0 && write(m->log_fd, s, n) < 0)
		m->log_fd = -1; /* a full disk must not stop the partition */
	scrollback_add(m, s, n);
	consoles_send(m, s, n);
	pthread_mutex_unlock(&m->lock);
}

/* One line of veneerctl's own about the partition, on its console. */
static void monitor_note(struct monitor *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void monitor_note(struct monitor *m, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n = snprintf(line, sizeof(line), "[veneerctl] ");

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	console_emit(m, line, n);
}

static void console_output(struct monitor *m, const struct vnr_run_exit *e)
{
	char out[VNR_DEBUG_WRITE_MAX];
	size_t n = e->length < VNR_DEBUG_WRITE_MAX ? e->length
						   : VNR_DEBUG_WRITE_MAX;

	console_emit(m, out, console_filter(e->data, n, out));
}

/* No device is behind any port of a partition of the root. */
static vnr_u32 unserved_port(struct monitor *m, const struct vnr_run_io *io)
{
	if (!m->port_reported) {
		m->port_reported = true;
		monitor_note(m,
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
		monitor_note(m, "partition stopped: %s: %s",
			     ctl_exit_reason_name(i->exit_reason),
			     st.diagnostic);
		return;
	}
	monitor_note(m, "partition stopped: %s, status %llu",
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
			monitor_note(m, "running VP 0 failed: %s",
				     strerror(errno));
			break;
		}
		run.io_value = 0;
		if (e->reason == VNR_RUN_EXIT_CONSOLE)
			console_output(m, e);
		else if (e->reason == VNR_RUN_EXIT_IO)
			run.io_value = unserved_port(m, &e->info.io);
		else if (e->reason == VNR_RUN_EXIT_STOPPED)
			break;
	}
	if (e->reason == VNR_RUN_EXIT_STOPPED)
		report_stop(m, &e->info);
	pthread_mutex_lock(&m->lock);
	m->vp_thread_done = true;
	for (int i = 0; i < MAX_CONSOLES; i++) {
		if (m->consoles[i] >= 0)
			close(m->consoles[i]);
		m->consoles[i] = -1;
	}
	pthread_mutex_unlock(&m->lock);
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
	ctl_child_close(&m->child);
	unlink(m->socket_path);
	if (reply_fd >= 0)
		send(reply_fd, "ok\n", 3, MSG_NOSIGNAL);
	_exit(0);
}

static void attach_console(struct monitor *m, int fd)
{
	int slot = -1;

	pthread_mutex_lock(&m->lock);
	for (int i = 0; i < MAX_CONSOLES && slot < 0; i++)
		if (m->consoles[i] < 0)
			slot = i;
	if (slot < 0) {
		send(fd, "error: too many consoles attached\n", 34,
		     MSG_NOSIGNAL);
	} else {
		send(fd, "ok\n", 3, MSG_NOSIGNAL);
		send(fd, m->scrollback, m->scrollback_len, MSG_NOSIGNAL);
	}
	if (slot >= 0 && !m->vp_thread_done)
		m->consoles[slot] = fd;
	else
		close(fd);
	pthread_mutex_unlock(&m->lock);
}

static void reply(int fd, int e)
{
	char line[128];
	int n = e ? snprintf(line, sizeof(line), "error: %s\n", strerror(e))
		  : snprintf(line, sizeof(line), "ok\n");

	send(fd, line, n, MSG_NOSIGNAL);
	close(fd);
}

static bool read_request(int fd, char *req)
{
	struct timeval timeout = {.tv_sec = 2};
	size_t n = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	while (n < REQUEST_MAX - 1 && read(fd, req + n, 1) == 1) {
		if (req[n] == '\n') {
			req[n] = '\0';
			return true;
		}
		n++;
	}
	return false;
}

static void handle(struct monitor *m, int fd)
{
	char req[REQUEST_MAX];

	if (!read_request(fd, req)) {
		close(fd);
		return;
	}
	if (!strcmp(req, "console"))
		attach_console(m, fd);
	else if (!strcmp(req, "pause"))
		reply(fd, set_state(m, VENEER_SUSPEND));
	else if (!strcmp(req, "unpause"))
		reply(fd, set_state(m, VENEER_RESUME));
	else if (!strcmp(req, "shutdown"))
		reply(fd, stop_partition(m));
	else if (!strcmp(req, "destroy"))
		destroy_and_exit(m, fd);
	else
		reply(fd, EINVAL);
}

/* The end signals are blocked but while the main thread waits here. */
static void __attribute__((noreturn)) serve(struct monitor *m)
{
	struct pollfd wait = {.fd = m->listen_fd, .events = POLLIN};
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		int n = ppoll(&wait, 1, NULL, &none);

		if (end_requested)
			destroy_and_exit(m, -1);
		if (n == 1) {
			int fd =
				accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);

			if (fd >= 0)
				handle(m, fd);
		}
	}
}

static int bind_to(int fd, const struct sockaddr_un *addr)
{
	return bind(fd, (const struct sockaddr *)addr, sizeof(*addr));
}

/* A socket file no monitor listens on is left over from a killed one. */
static bool socket_is_stale(const struct sockaddr_un *addr)
{
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool stale =
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
	if (r || listen(fd, 8)) {
		close(fd);
		return -1;
	}
	m->listen_fd = fd;
	return 0;
}

/* mkdir -p: the parents 0755, path itself mode. */
static int make_dirs(const char *path, mode_t mode)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strchr(dir + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	return mkdir(dir, mode) && errno != EEXIST ? -1 : 0;
}

static int open_log(struct monitor *m)
{
	char path[PATH_MAX];

	if (make_dirs(CTL_LOG_DIR, 0750))
		return -1;
	snprintf(path, sizeof(path), CTL_LOG_DIR "/%s.log", m->name);
	m->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	return m->log_fd < 0 ? -1 : 0;
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
	const char *step = "creating " CTL_RUN_DIR;

	snprintf(m->socket_path, sizeof(m->socket_path), CTL_RUN_DIR "/%s.sock",
		 m->name);
	if (make_dirs(CTL_RUN_DIR, 0700))
		goto fail;
	step = "listening on its socket";
	if (listen_socket(m))
		goto fail;
	step = "opening its log in " CTL_LOG_DIR;
	if (open_log(m))
		goto fail;
	monitor_note(m, "partition '%s' (id %u) starting", m->name,
		     m->child.id);
	catch_end_signals();
	step = "starting it";
	errno = set_state(m, VENEER_START);
	if (errno)
		goto fail;
	step = "starting its VP thread";
	errno = pthread_create(&m->vp_thread, NULL, vp_loop, m);
	if (errno)
		goto fail;
	return 0;
fail:
	snprintf(err, size, "partition '%s': %s: %s", m->name, step,
		 strerror(errno));
	return -1;
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
	m.listen_fd = m.log_fd = -1;
	for (int i = 0; i < MAX_CONSOLES; i++)
		m.consoles[i] = -1;
	pthread_mutex_init(&m.lock, NULL);
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
