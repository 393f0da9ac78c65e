/* SPDX-License-Identifier: MIT */
/*
 * veneerctl: the root's command-line tool for partitions (docs/veneerctl.md).
 *
 * Every partition veneerctl creates is held by a monitor process of its
 * own: the monitor holds the partition's descriptors of /dev/veneer, runs
 * its VP, serves its console to a log file and to attached consoles, and
 * takes requests on a control socket.  Killing the monitor destroys the
 * partition, because the kernel closes its descriptors.
 */
#ifndef VENEERCTL_H
#define VENEERCTL_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <libvnr/gpa_writer.h>
#include <veneer/channel.h>
#include <veneer/ioctl.h>
#include <liburing.h>
#include <vnr_block/protocol.h>
#include <vnr_ring.h>

/* Exit codes of every verb. */
enum ctl_exit {
	CTL_EXIT_OK = 0,
	CTL_EXIT_FAILED = 1, /* the operation failed */
	CTL_EXIT_USAGE = 2,  /* bad arguments or a bad configuration file */
};

#define CTL_ERROR_MAX 512

/*
 * Where monitors keep their sockets and partitions their console logs,
 * and the most access their modes may give.
 */
#define CTL_RUN_DIR	 "/run/veneer"
#define CTL_RUN_DIR_MODE 0700
#define CTL_LOG_DIR	 "/var/log/veneer"
#define CTL_LOG_DIR_MODE 0750

/*
 * Checks that path is a directory (not a symbolic link) owned by the
 * effective user, writable by no one else and giving no more access than
 * mode; with create, first makes it (and missing parents) if it is
 * missing.  Returns 0, or -1 with the reason in err.
 */
int ctl_trusted_dir(const char *path, mode_t mode, int create, char *err,
		    size_t err_size);

/* Formats the error into err (size bytes) and returns -1. */
int ctl_fail(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Disks a partition file may give (HV_CONFIG_DISKS_MAX). */
#define CTL_DISKS_MAX 4

/* A partition as its configuration file describes it. */
struct ctl_config {
	char name[VNR_NAME_MAX];
	/* Paths resolved against the file's directory; "" if not given. */
	char image[PATH_MAX];
	char kernel[PATH_MAX]; /* a Linux bzImage, instead of image */
	char initrd[PATH_MAX];
	vnr_u64 memory_size;
	vnr_u32 vp_count;
	vnr_u64 privileges;
	char cmdline[VNR_CMDLINE_MAX];
	unsigned int disk_count; /* disk = PATH [ro] */
	struct {
		char path[PATH_MAX];
		int read_only;
	} disks[CTL_DISKS_MAX];
};

/*
 * Reads the partition file at path (the syntax and keys of veneer.cfg's
 * [partition NAME] section, exactly one such section and nothing else).
 * On failure returns -1 with "path:line: problem" (or "path: problem")
 * in err.
 */
int ctl_config_load(const char *path, struct ctl_config *cfg, char *err,
		    size_t err_size);

/* A partition's descriptors and its VP's mapped exit record. */
struct ctl_child {
	int partition, vp;
	vnr_u32 id;
	const struct vnr_run_exit *exit;
};

/*
 * Builds cfg's partition through the device descriptor dev as the boot
 * protocol says (image, boot region, start info, VP 0's registers) and
 * leaves it CREATED.  On failure returns -1 with the reason in err; what
 * was made is gone (its descriptors are closed).
 */
int ctl_child_build(int dev, const struct ctl_config *cfg, struct ctl_child *c,
		    char *err, size_t err_size);

/* Closes what ctl_child_build() made, which destroys the partition. */
void ctl_child_close(struct ctl_child *c);

/* What ctl_child_build() uses for both kinds of partition (build.c). */
struct ctl_file {
	void *data; /* malloc'd */
	size_t size;
};

/*
 * Reads the regular file at path, of at most max bytes, into *f; on
 * failure -1 with "what path: problem" in err.
 */
int ctl_file_read(const char *what, const char *path, vnr_u64 max,
		  struct ctl_file *f, char *err, size_t size);
/* libvnr's writer into c's memory (VENEER_WRITE_MEMORY). */
struct vnr_gpa_writer ctl_child_writer(struct ctl_child *c);
/*
 * Creates cfg's partition for platform (VNR_PLATFORM_*) with its memory
 * mapped into c; -1 with the reason in err.
 */
int ctl_child_create(int dev, const struct ctl_config *cfg, vnr_u32 platform,
		     struct ctl_child *c, char *err, size_t size);
/* Creates VP 0, maps its exit record and sets the count regs; or -1. */
int ctl_child_create_vp(struct ctl_child *c,
			const struct vnr_register_value *regs, vnr_u32 count,
			char *err, size_t size);
/* ctl_child_build() for cfg->kernel: the Linux boot protocol. */
int ctl_linux_build(int dev, const struct ctl_config *cfg, struct ctl_child *c,
		    char *err, size_t err_size);

/*
 * Starts a monitor process for cfg's partition, which builds it through
 * the device descriptor dev (ctl_child_build()) and runs it, so that the
 * monitor is the partition's owner; returns once the partition runs (0,
 * its id in *id) or failed (-1, reason in err).
 */
int ctl_monitor_spawn(int dev, const struct ctl_config *cfg, vnr_u32 *id,
		      char *err, size_t err_size);

/* A partition's console, as its monitor serves it (console_log.c). */
#define CTL_CONSOLES_MAX 8
#define CTL_SCROLLBACK	 8192
#define CTL_LOG_MAX	 (1 << 20) /* bytes of NAME.log before it rotates */

struct ctl_console {
	pthread_mutex_t lock; /* all below */
	char log_path[PATH_MAX];
	int log_fd; /* -1 after a failed write, until log_retry */
	off_t log_size;
	time_t log_retry;
	int log_errno;		       /* why the last write failed */
	int clients[CTL_CONSOLES_MAX]; /* attached consoles' sockets, or -1 */
	char scrollback[CTL_SCROLLBACK];
	size_t scrollback_len;
	int ended; /* the partition stopped: no more attaches */
};

/*
 * Opens CTL_LOG_DIR/name.log for appending (CTL_LOG_DIR must be trusted:
 * ctl_trusted_dir(); the log must be a regular file, never followed
 * through a symbolic link).  Returns 0, or -1 with the reason in err.
 */
int ctl_console_open(struct ctl_console *c, const char *name, char *err,
		     size_t err_size);

/*
 * n bytes the partition wrote, shown as the hypervisor's console shows
 * them (printable ASCII, tab and line feed; CR dropped; others '?'), to
 * the log, the scrollback and each attached console.
 */
void ctl_console_guest(struct ctl_console *c, const char *bytes, size_t n);

/* One line "[veneerctl] ..." of veneerctl's own, likewise. */
void ctl_console_note(struct ctl_console *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Answers a console request on fd: "ok" and the scrollback, then (unless
 * the partition ended or CTL_CONSOLES_MAX are attached) every byte to
 * come; takes fd over.
 */
void ctl_console_attach(struct ctl_console *c, int fd);

/* The partition stopped: closes every attached console. */
void ctl_console_end(struct ctl_console *c);

/*
 * Channels the monitor provides to its partition (channel.c): the root is
 * the provider of each (docs/spec/root-stack.md, "Channels").
 */
enum ctl_chstate {
	CTL_CH_NEW,	/* to be offered (again) */
	CTL_CH_OFFERED, /* offered; waits for the client's OPEN */
	CTL_CH_OPEN,
};

struct ctl_channels;
struct ctl_channel {
	/* Set by the device before ctl_channel_add(). */
	struct vnr_guid device_class, instance;
	/*
	 * Reads what the client sent (rx) and answers (tx); the thread's.
	 * Returns nonzero if it left packets in rx on purpose (it has no
	 * room for them now): rx then stays masked until completed() ran.
	 * It reads a bounded number of packets per call: the thread calls
	 * it again while rx has more.
	 */
	int (*serve)(struct ctl_channel *ch);
	/* A descriptor the thread also waits on (-1: none), and what it
	 * calls when it is readable, before serve(). */
	int wait_fd;
	void (*completed)(struct ctl_channel *ch);
	/* Before the rings are unmapped (closing rule 1), or NULL. */
	void (*release)(struct ctl_channel *ch);
	/* The channel closed (VNR_CHANNEL_CLOSE_*), or NULL. */
	void (*closed)(struct ctl_channel *ch, vnr_u32 reason);
	/* The channel layer's. */
	struct ctl_channels *set;
	vnr_u32 id;
	enum ctl_chstate state;
	int grant_fd;
	void *rings;
	size_t ring_bytes;
	struct vnr_ring rx, tx; /* client to provider, provider to client */
	bool more;		/* serve() ran out of rounds with rx masked */
};

#define CTL_CHANNELS_MAX VENEER_CHANNELS_PER_PARTITION
struct ctl_channels {
	int partition; /* the partition's descriptor */
	struct ctl_channel *list[CTL_CHANNELS_MAX];
	unsigned int count;
	pthread_t thread;
	int stop_fd; /* -1: no thread */
};

/* Takes a channel id for ch and adds it to set: 0, or -1 with err. */
int ctl_channel_add(struct ctl_channels *set, struct ctl_channel *ch, char *err,
		    size_t size);
/*
 * Starts the thread that offers set's channels and serves them: 0, or -1
 * with err.  ctl_channels_stop() ends it and unmaps every grant.
 */
int ctl_channels_start(struct ctl_channels *set, char *err, size_t size);
void ctl_channels_stop(struct ctl_channels *set);
/* From serve(): wakes the client (after the ring rules said so). */
void ctl_channel_signal(struct ctl_channel *ch);
/* Closes ch (VNR_CHANNEL_CLOSE_*) and offers it again. */
void ctl_channel_close(struct ctl_channel *ch, vnr_u32 reason);

/*
 * The console channel (console_channel.c): what the partition writes to it
 * is its console, as DEBUG_WRITE bytes are.
 */
struct ctl_console_channel {
	struct ctl_channel ch;
	struct ctl_console *console;
	int mid_line; /* the last byte shown was not a line feed */
};
/* Adds cc, writing to console, to set: 0, or -1 with err. */
int ctl_console_channel_add(struct ctl_console_channel *cc,
			    struct ctl_channels *set,
			    struct ctl_console *console, char *err,
			    size_t size);

/*
 * A disk of the partition (block_channel.c, docs/spec/block.md): an image
 * file or block device of the root, served with io_uring.
 */
enum ctl_slot_state {
	CTL_SLOT_FREE,
	CTL_SLOT_IO,   /* submitted */
	CTL_SLOT_DONE, /* its response waits for room in the ring */
};

struct ctl_block_slot {
	enum ctl_slot_state state;
	struct vnr_block_request request; /* the backend's own copy */
	struct vnr_block_response response;
	void *bounce; /* the request's data, page aligned */
};

struct ctl_block_channel {
	struct ctl_channel ch;
	struct ctl_console *console;
	char path[PATH_MAX];
	int fd;
	vnr_u64 sectors;
	vnr_u32 features;
	int area_fd; /* the data area's grant, mapped at area */
	vnr_u8 *area;
	size_t area_bytes;
	int set_up, failed, refused;
	int broken; /* io_uring failed: no opening is served again */
	struct io_uring ring;
	int ring_ready, event_fd;
	unsigned int submitted; /* prepared, not yet submitted */
	vnr_u32 generation;	/* of the opening, in each request's data */
	struct ctl_block_slot slots[32];
	vnr_u64 requests, bad, io_errors;
};
/*
 * Opens the disk at path (read-only if read_only) and adds its channel,
 * of instance instance, to set: 0, or -1 with err.
 */
int ctl_block_channel_add(struct ctl_block_channel *b, struct ctl_channels *set,
			  struct ctl_console *console, const char *path,
			  int read_only, vnr_u8 instance, char *err,
			  size_t size);

/* Sends line and a line feed to a client of the monitor (monitor.c). */
void ctl_reply(int fd, const char *line);

/*
 * Sends request (one word, see monitor.c) to the monitor of partition
 * name.  Returns a descriptor on which the monitor accepted it (the
 * console streams on it), or -1 after printing why on stderr.
 */
int ctl_request(const char *name, const char *request);

/* Copies the console stream on fd to standard output until it ends. */
int ctl_console_follow(int fd);

/* The device, opened read-write; prints why on stderr when it cannot. */
int ctl_open_device(void);

/*
 * The device's VENEER_LIST: *count entries in a buffer to free(); the
 * VENEER_INFO it sized the buffer by goes to *info unless info is NULL.
 */
struct veneer_partition_entry *ctl_list(int dev, vnr_u32 *count,
					struct veneer_info *info);

/* Lower-case names of states and exit reasons, for tables and logs. */
const char *ctl_state_name(vnr_u32 state);
const char *ctl_exit_reason_name(vnr_u32 reason);

/* The verbs; argv[0] is the verb. */
int ctl_verb_create(int argc, char **argv);
int ctl_verb_list(int argc, char **argv);
int ctl_verb_console(int argc, char **argv);
int ctl_verb_control(int argc, char **argv); /* pause, unpause, ... */
int ctl_verb_top(int argc, char **argv);
int ctl_verb_info(int argc, char **argv);

#endif /* VENEERCTL_H */
