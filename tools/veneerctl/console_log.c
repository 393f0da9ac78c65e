// SPDX-License-Identifier: MIT
/*
 * A partition's console as its monitor serves it: the log file, the
 * scrollback and the attached consoles.  The VP thread writes, the main
 * thread attaches; c->lock orders them.
 */
#include "veneerctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_RETRY_SECS 1

/* As the hypervisor's console shows partition bytes (hv/core/console.c). */
static size_t filter(const char *in, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)in[i];

		if (b == '\r')
			continue;
		out[len++] = (b >= 0x20 && b <= 0x7E) || b == '\t' || b == '\n'
				     ? (char)b
				     : '?';
	}
	return len;
}

/* O_NOFOLLOW and the file type: the log is never another file. */
static int log_open(struct ctl_console *c, int flags)
{
	struct stat st;
	int fd = open(c->log_path,
		      O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC |
			      flags,
		      0640);

	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	c->log_size = fd >= 0 ? st.st_size : 0;
	return fd;
}

int ctl_console_open(struct ctl_console *c, const char *name, char *err,
		     size_t err_size)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	for (int i = 0; i < CTL_CONSOLES_MAX; i++)
		c->clients[i] = -1;
	snprintf(c->log_path, sizeof(c->log_path), CTL_LOG_DIR "/%s.log", name);
	if (ctl_trusted_dir(CTL_LOG_DIR, CTL_LOG_DIR_MODE, 1, err, err_size))
		return -1;
	c->log_fd = log_open(c, 0);
	if (c->log_fd < 0)
		return ctl_fail(err, err_size, "%s: %s (not a regular file?)",
				c->log_path, strerror(errno));
	return 0;
}

/* A line of veneerctl's own straight into the log (c->lock held). */
static void log_note(struct ctl_console *c, const char *what, int err)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "[veneerctl] %s%s%s\n", what,
			 err ? ": " : "", err ? strerror(err) : "");

	if (n > 0 && (size_t)n < sizeof(line) &&
	    write(c->log_fd, line, (size_t)n) == n)
		c->log_size += n;
}

/*
 * A full log becomes NAME.log.1 (replacing the one before) and a new one
 * starts: a partition writing without end fills no more than twice
 * CTL_LOG_MAX of the root's disk.  Where NAME.log.1 cannot be replaced,
 * the log starts again from its beginning instead.
 */
static void log_rotate(struct ctl_console *c)
{
	char old[PATH_MAX + 2];
	int fd, err;

	snprintf(old, sizeof(old), "%s.1", c->log_path);
	if (rename(c->log_path, old) == 0 && (fd = log_open(c, O_EXCL)) >= 0) {
		close(c->log_fd);
		c->log_fd = fd;
		return;
	}
	err = errno;
	if (ftruncate(c->log_fd, 0) == 0)
		c->log_size = 0;
	log_note(c, "the log starts again: its .1 could not be replaced", err);
}

/*
 * The log the operator removed or moved is opened anew; one that failed
 * (a full disk) is tried again at most every LOG_RETRY_SECS.  The
 * partition never waits for its log.
 */
static void log_check(struct ctl_console *c)
{
	struct stat st;
	time_t now;

	if (c->log_fd >= 0 && !fstat(c->log_fd, &st) && st.st_nlink > 0)
		return;
	now = time(NULL);
	if (c->log_fd < 0 && now < c->log_retry)
		return;
	if (c->log_fd >= 0)
		close(c->log_fd);
	c->log_fd = log_open(c, 0);
	c->log_retry = now + LOG_RETRY_SECS;
	if (c->log_fd >= 0)
		log_note(c,
			 c->log_errno ? "the log goes on after a failed write"
				      : "the log goes on in a new file: the "
					"last one was removed",
			 c->log_errno);
	c->log_errno = 0;
}

static void log_write(struct ctl_console *c, const char *s, size_t n)
{
	log_check(c);
	if (c->log_fd < 0)
		return;
	if (c->log_size + (off_t)n > CTL_LOG_MAX)
		log_rotate(c);
	if (write(c->log_fd, s, n) != (ssize_t)n) {
		c->log_errno = errno;
		close(c->log_fd);
		c->log_fd = -1;
		c->log_retry = time(NULL) + LOG_RETRY_SECS;
		return;
	}
	c->log_size += (off_t)n;
}

static void scrollback_add(struct ctl_console *c, const char *s, size_t n)
{
	if (n >= CTL_SCROLLBACK) {
		memcpy(c->scrollback, s + n - CTL_SCROLLBACK, CTL_SCROLLBACK);
		c->scrollback_len = CTL_SCROLLBACK;
		return;
	}
	if (c->scrollback_len + n > CTL_SCROLLBACK) {
		size_t drop = c->scrollback_len + n - CTL_SCROLLBACK;

		memmove(c->scrollback, c->scrollback + drop,
			c->scrollback_len - drop);
		c->scrollback_len -= drop;
	}
	memcpy(c->scrollback + c->scrollback_len, s, n);
	c->scrollback_len += n;
}

/*
 * A console that cannot take the bytes at once is dropped: a slow reader
 * must not stall the partition, and the log has what it missed.
 */
static void clients_send(struct ctl_console *c, const char *s, size_t n)
{
	for (int i = 0; i < CTL_CONSOLES_MAX; i++) {
		int fd = c->clients[i];

		if (fd >= 0 &&
		    send(fd, s, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n) {
			close(fd);
			c->clients[i] = -1;
		}
	}
}

static void emit(struct ctl_console *c, const char *s, size_t n)
{
	pthread_mutex_lock(&c->lock);
	log_write(c, s, n);
	scrollback_add(c, s, n);
	clients_send(c, s, n);
	pthread_mutex_unlock(&c->lock);
}

void ctl_console_guest(struct ctl_console *c, const char *bytes, size_t n)
{
	char out[VNR_DEBUG_WRITE_MAX];

	if (n > sizeof(out))
		n = sizeof(out);
	emit(c, out, filter(bytes, n, out));
}

void ctl_console_note(struct ctl_console *c, const char *fmt, ...)
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
	emit(c, line, (size_t)n);
}

/* Consoles whose reader has gone free their slots (c->lock held). */
static void reap_departed(struct ctl_console *c)
{
	for (int i = 0; i < CTL_CONSOLES_MAX; i++) {
		struct pollfd p = {.fd = c->clients[i], .events = POLLRDHUP};

		if (p.fd >= 0 && poll(&p, 1, 0) == 1 &&
		    (p.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
			close(p.fd);
			c->clients[i] = -1;
		}
	}
}

void ctl_console_attach(struct ctl_console *c, int fd)
{
	int slot = -1;

	pthread_mutex_lock(&c->lock);
	reap_departed(c);
	for (int i = 0; i < CTL_CONSOLES_MAX && slot < 0; i++)
		if (c->clients[i] < 0)
			slot = i;
	if (slot < 0) {
		ctl_reply(fd, "error: too many consoles attached");
	} else {
		ctl_reply(fd, "ok");
		send(fd, c->scrollback, c->scrollback_len, MSG_NOSIGNAL);
	}
	if (slot >= 0 && !c->ended)
		c->clients[slot] = fd;
	else
		close(fd);
	pthread_mutex_unlock(&c->lock);
}

void ctl_console_end(struct ctl_console *c)
{
	pthread_mutex_lock(&c->lock);
	c->ended = 1;
	for (int i = 0; i < CTL_CONSOLES_MAX; i++) {
		if (c->clients[i] >= 0)
			close(c->clients[i]);
		c->clients[i] = -1;
	}
	pthread_mutex_unlock(&c->lock);
}
