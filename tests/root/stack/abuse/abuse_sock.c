// SPDX-License-Identifier: MIT
/*
 * Control-socket abuse for veneerctl's monitors (tests/root/stack/abuse.sh):
 *   abuse_sock send PATH TEXT [SECS]  write TEXT (escapes \n, \0), keep the
 *                                     connection SECS, print what came back
 *   abuse_sock trickle PATH SECS TEXT one byte of TEXT every SECS seconds
 *   abuse_sock hold PATH N SECS       N connections that never write, held
 *                                     SECS seconds
 *   abuse_sock console PATH N SECS    N console requests that never read,
 *                                     held SECS seconds; prints each reply
 *   abuse_sock rcvbuf PATH BYTES SECS one console with SO_RCVBUF BYTES that
 *                                     never reads
 *   abuse_sock listen PATH SECS       listens at PATH (another program's
 *                                     socket), answers "ok" to each request
 *                                     and prints it
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int dial(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		printf("connect %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in++;
		} else if (in[0] == '\\' && in[1] == '0') {
			out[n++] = '\0';
			in++;
		} else {
			out[n++] = *in;
		}
	}
	return n;
}

static void show_reply(int fd, int i)
{
	char buf[256];
	struct timeval tv = {.tv_sec = 3};
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		printf("reply %d: none (%s)\n", i, strerror(errno));
	else {
		buf[n] = '\0';
		for (ssize_t k = 0; k < n; k++)
			if (buf[k] == '\n' && k == n - 1)
				buf[k] = '\0';
		printf("reply %d: %zd bytes '%.60s'\n", i, n, buf);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "send") && argc >= 4) {
		char *buf = malloc(strlen(argv[3]) + 1);
		size_t n = unescape(argv[3], buf);
		int fd = dial(argv[2]);

		if (write(fd, buf, n) != (ssize_t)n)
			printf("write: %s\n", strerror(errno));
		if (argc > 4)
			sleep(atoi(argv[4]));
		show_reply(fd, 0);
		return 0;
	}
	if (!strcmp(argv[1], "trickle") && argc == 5) {
		int fd = dial(argv[2]);

		for (const char *p = argv[4]; *p; p++) {
			if (write(fd, p, 1) != 1)
				printf("write: %s\n", strerror(errno));
			sleep(atoi(argv[3]));
		}
		show_reply(fd, 0);
		return 0;
	}
	if ((!strcmp(argv[1], "hold") || !strcmp(argv[1], "console")) &&
	    argc == 5) {
		int n = atoi(argv[3]);
		int *fds = calloc(n, sizeof(int));

		for (int i = 0; i < n; i++) {
			fds[i] = dial(argv[2]);
			if (argv[1][0] == 'c') {
				if (write(fds[i], "console\n", 8) != 8)
					printf("write: %s\n", strerror(errno));
				show_reply(fds[i], i);
			}
		}
		sleep(atoi(argv[4]));
		return 0;
	}
	if (!strcmp(argv[1], "rcvbuf") && argc == 5) {
		int fd, size = atoi(argv[3]);
		struct sockaddr_un a = {.sun_family = AF_UNIX};

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[2]);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return 1;
		if (write(fd, "console\n", 8) != 8)
			return 1;
		sleep(atoi(argv[4]));
		return 0;
	}
	if (!strcmp(argv[1], "listen") && argc == 4) {
		struct sockaddr_un a = {.sun_family = AF_UNIX};
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[2]);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
		    listen(fd, 8)) {
			printf("listen %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		alarm(atoi(argv[3]));
		for (;;) {
			int c = accept(fd, NULL, NULL);
			char buf[64];
			ssize_t n;

			if (c < 0)
				continue;
			n = read(c, buf, sizeof(buf) - 1);
			buf[n > 0 ? n : 0] = '\0';
			printf("intercepted '%s'\n",
			       strtok(buf, "\n") ? buf : "");
			fflush(stdout);
			if (write(c, "ok\n", 3) != 3)
				printf("write: %s\n", strerror(errno));
			close(c);
		}
	}
	return 2;
}
