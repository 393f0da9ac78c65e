// SPDX-License-Identifier: MIT
/*
 * The verbs that go through a partition's monitor (monitor.c): console,
 * pause, unpause, shutdown and destroy.
 */
#include "veneerctl.h"

#include <errno.h>
#include <libvnr/name.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define REPLY_MAX 160
/*
 * How long a monitor may take to answer: at once, but for shutdown and
 * destroy, which wait up to 5 s for the VP thread to end.
 */
#define REPLY_SECS	5
#define STOP_REPLY_SECS 15

/* Only a monitor of veneerctl's own user may answer. */
static int peer_is_ours(int fd)
{
	struct ucred peer;
	socklen_t len = sizeof(peer);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) &&
	       peer.uid == geteuid();
}

static void set_timeout(int fd, int which, int seconds)
{
	struct timeval t = {.tv_sec = seconds};

	setsockopt(fd, SOL_SOCKET, which, &t, sizeof(t));
}

static int connect_monitor(const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char err[CTL_ERROR_MAX];
	int fd;

	if (!vnr_name_valid(name)) {
		fprintf(stderr, "veneerctl: '%s' is not a partition name\n",
			name);
		return -1;
	}
	/* Missing, it holds no socket: connect() says so below. */
	if (!access(CTL_RUN_DIR, F_OK) &&
	    ctl_trusted_dir(CTL_RUN_DIR, CTL_RUN_DIR_MODE, 0, err,
			    sizeof(err))) {
		fprintf(stderr, "veneerctl: %s\n", err);
		return -1;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), CTL_RUN_DIR "/%s.sock",
		 name);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* connect() waits while the monitor's backlog is full: not forever. */
	if (fd >= 0)
		set_timeout(fd, SO_SNDTIMEO, REPLY_SECS);
	if (fd >= 0 &&
	    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		if (peer_is_ours(fd))
			return fd;
		fprintf(stderr, "veneerctl: %s is not a monitor's\n",
			addr.sun_path);
		close(fd);
		return -1;
	}
	if (errno == EAGAIN)
		fprintf(stderr,
			"veneerctl: the monitor of '%s' accepts no connection "
			"within %d s\n",
			name, REPLY_SECS);
	else if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr,
			"veneerctl: no partition '%s' runs under veneerctl\n",
			name);
	else
		fprintf(stderr, "veneerctl: %s: %s\n", addr.sun_path,
			strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The monitor's one-line answer, without its line feed. */
static int read_reply(int fd, char *line)
{
	size_t n = 0;

	while (n < REPLY_MAX - 1 && read(fd, line + n, 1) == 1) {
		if (line[n] == '\n') {
			line[n] = '\0';
			return 0;
		}
		n++;
	}
	line[n] = '\0';
	return -1;
}

int ctl_request(const char *name, const char *request)
{
	char line[REPLY_MAX], buf[REPLY_MAX];
	int fd = connect_monitor(name), secs;

	if (fd < 0)
		return -1;
	secs = strcmp(request, "shutdown") && strcmp(request, "destroy")
		       ? REPLY_SECS
		       : STOP_REPLY_SECS;
	set_timeout(fd, SO_RCVTIMEO, secs);
	/*
	 * A monitor that refuses the request has answered and closed: the
	 * send may fail (without SIGPIPE) but the answer is there to read.
	 */
	send(fd, buf, (size_t)snprintf(buf, sizeof(buf), "%s\n", request),
	     MSG_NOSIGNAL);
	if (read_reply(fd, line)) {
		fprintf(stderr,
			"veneerctl: %s: the monitor of '%s' did not answer "
			"within %d s\n",
			request, name, secs);
	} else if (strcmp(line, "ok") != 0) {
		fprintf(stderr, "veneerctl: %s %s: %s\n", request, name,
			strncmp(line, "error: ", 7) ? line : line + 7);
	} else {
		set_timeout(fd, SO_RCVTIMEO,
			    0); /* a console streams for as long */
		return fd;
	}
	close(fd);
	return -1;
}

int ctl_console_follow(int fd)
{
	char buf[4096];
	ssize_t n;

	/* write(2), not stdio: what came is out even if a signal ends us. */
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0 && write(1, buf, (size_t)n) != n)
			break;
	close(fd);
	return n < 0 ? -1 : 0;
}

int ctl_verb_console(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: veneerctl console NAME\n");
		return CTL_EXIT_USAGE;
	}
	fd = ctl_request(argv[1], "console");
	if (fd < 0)
		return CTL_EXIT_FAILED;
	return ctl_console_follow(fd) ? CTL_EXIT_FAILED : CTL_EXIT_OK;
}

/* pause, unpause, shutdown, destroy NAME... */
int ctl_verb_control(int argc, char **argv)
{
	int status = CTL_EXIT_OK;

	if (argc < 2) {
		fprintf(stderr, "usage: veneerctl %s NAME...\n", argv[0]);
		return CTL_EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		int fd = ctl_request(argv[i], argv[0]);

		if (fd < 0)
			status = CTL_EXIT_FAILED;
		else
			close(fd);
	}
	return status;
}
