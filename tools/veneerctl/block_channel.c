// SPDX-License-Identifier: MIT
/*
 * The block device's backend in the monitor (docs/spec/block.md): a disk
 * image of the root (a file or a block device) served on a block channel
 * with io_uring, up to SLOTS requests in flight.
 *
 * Each request is read once from the ring into a slot of the backend's
 * own, and checked there (vnr_block_check(), shared with the block service
 * partition).  A read lands in the slot's bounce buffer and is copied into
 * the data area when it completes; a write's data is copied out of the
 * area before it is submitted.  So the partition can change neither a
 * request nor its data in flight, and no I/O targets the area itself: it
 * is a mapping of the partition's grant, which direct I/O cannot pin.
 */
#include "veneerctl.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <veneer/ipc.h>
#include "block_check.h"

#define SLOTS                                                   \
	((int)(sizeof(((struct ctl_block_channel *)0)->slots) / \
	       sizeof(struct ctl_block_slot)))
#define MAX_SECTORS  128 /* 64 KiB per request */
#define SECTOR	     VNR_BLOCK_SECTOR_SIZE
#define BOUNCE	     (MAX_SECTORS * SECTOR)
#define SUBMIT_TRIES 8 /* of a submission io_uring refused for now */

static struct ctl_block_channel *of(struct ctl_channel *ch)
{
	return (struct ctl_block_channel *)((char *)ch -
					    offsetof(struct ctl_block_channel,
						     ch));
}

/* Queues the response of slot s; the next flush sends it. */
static void respond(struct ctl_block_slot *s, vnr_u32 status)
{
	s->response = (struct vnr_block_response){.id = s->request.id,
						  .status = status};
	s->state = CTL_SLOT_DONE;
}

/* Sends every queued response the ring has room for. */
static void flush_responses(struct ctl_block_channel *b)
{
	for (int i = 0; i < SLOTS; i++) {
		struct ctl_block_slot *s = &b->slots[i];

		if (s->state != CTL_SLOT_DONE)
			continue;
		if (vnr_ring_write(&b->ch.tx, VNR_BLOCK_PKT_RESPONSE, 0, 0,
				   &s->response,
				   sizeof(s->response)) != VNR_RING_OK)
			break;
		s->state = CTL_SLOT_FREE;
	}
	if (vnr_ring_write_needs_signal(&b->ch.tx))
		ctl_channel_signal(&b->ch);
}

static void release_area(struct ctl_block_channel *b)
{
	if (b->area)
		munmap(b->area, b->area_bytes);
	if (b->area_fd >= 0)
		close(b->area_fd);
	b->area = NULL;
	b->area_fd = -1;
}

static vnr_u32 map_area(struct ctl_block_channel *b,
			const struct vnr_block_setup *s)
{
	struct veneer_grant_map g = {.handle = s->data_grant,
				     .page_count = s->data_pages,
				     .flags = VENEER_GRANT_WRITABLE};
	void *area;

	if (!s->data_pages || s->data_pages > VNR_GRANT_MAX_PAGES)
		return VNR_BLOCK_SETUP_BAD_AREA;
	b->area_bytes = (size_t)s->data_pages * VNR_PAGE_SIZE;
	b->area_fd = ioctl(b->ch.set->partition, VENEER_MAP_GRANT, &g);
	area = b->area_fd < 0
		       ? MAP_FAILED
		       : mmap(NULL, b->area_bytes, PROT_READ | PROT_WRITE,
			      MAP_SHARED, b->area_fd, 0);
	if (area == MAP_FAILED) {
		release_area(b);
		return VNR_BLOCK_SETUP_BAD_AREA;
	}
	b->area = area;
	return VNR_BLOCK_SETUP_OK;
}

/* SETUP: the first packet, and only once (else a protocol error). */
static void setup(struct ctl_block_channel *b, const void *p, vnr_u32 len)
{
	struct vnr_block_setup s;
	struct vnr_block_info info = {0};

	if (b->set_up || len < sizeof(s)) {
		b->failed = 1;
		return;
	}
	memcpy(&s, p, sizeof(s));
	b->set_up = 1;
	info.status = s.version ? map_area(b, &s) : VNR_BLOCK_SETUP_BAD_VERSION;
	if (info.status == VNR_BLOCK_SETUP_OK)
		info = (struct vnr_block_info){.version = VNR_BLOCK_VERSION,
					       .sectors = b->sectors,
					       .features = b->features,
					       .max_sectors = MAX_SECTORS,
					       .max_requests = SLOTS};
	/* The first packet always fits the empty ring of a valid channel. */
	if (vnr_ring_write(&b->ch.tx, VNR_BLOCK_PKT_INFO, 0, 0, &info,
			   sizeof(info)) != VNR_RING_OK)
		b->failed = 1;
	else if (vnr_ring_write_needs_signal(&b->ch.tx))
		ctl_channel_signal(&b->ch);
	if (info.status != VNR_BLOCK_SETUP_OK)
		b->refused = 1;
}

static vnr_u64 offset_of(const struct vnr_block_request *r)
{
	return r->sector * SECTOR;
}

/* Prepares the I/O of a checked request; its data is the slot's own. */
static void submit(struct ctl_block_channel *b, struct ctl_block_slot *s)
{
	const struct vnr_block_request *r = &s->request;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
	unsigned int bytes = r->sectors * SECTOR;

	/* SLOTS entries: a free slot always finds a free entry. */
	switch (r->op) {
	case VNR_BLOCK_OP_READ:
		io_uring_prep_read(sqe, b->fd, s->bounce, bytes, offset_of(r));
		break;
	case VNR_BLOCK_OP_WRITE:
		memcpy(s->bounce, b->area + r->data_offset, bytes);
		io_uring_prep_write(sqe, b->fd, s->bounce, bytes, offset_of(r));
		if (r->flags & VNR_BLOCK_REQ_FUA)
			sqe->rw_flags = RWF_DSYNC;
		break;
	case VNR_BLOCK_OP_FLUSH:
		io_uring_prep_fsync(sqe, b->fd, IORING_FSYNC_DATASYNC);
		break;
	default: /* DISCARD, offered for regular files only */
		io_uring_prep_fallocate(
			sqe, b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			offset_of(r), bytes);
		break;
	}
	io_uring_sqe_set_data64(sqe, (vnr_u64)(s - b->slots) |
					     (vnr_u64)b->generation << 32);
	s->state = CTL_SLOT_IO;
	b->submitted++;
}

static void request(struct ctl_block_channel *b, struct ctl_block_slot *s,
		    const void *p, vnr_u32 len)
{
	struct vnr_block_limits limits = {.sectors = b->sectors,
					  .area_bytes = b->area_bytes,
					  .features = b->features,
					  .max_sectors = MAX_SECTORS};
	vnr_u32 status;

	if (!b->set_up || len < sizeof(s->request)) {
		b->failed = 1;
		return;
	}
	memcpy(&s->request, p, sizeof(s->request));
	b->requests++;
	status = vnr_block_check(&s->request, &limits);
	if (status == VNR_BLOCK_S_OK) {
		submit(b, s);
		return;
	}
	if (status == VNR_BLOCK_S_BAD_REQUEST)
		b->bad++;
	respond(s, status);
}

static struct ctl_block_slot *free_slot(struct ctl_block_channel *b)
{
	for (int i = 0; i < SLOTS; i++)
		if (b->slots[i].state == CTL_SLOT_FREE)
			return &b->slots[i];
	return NULL;
}

static bool in_flight(const struct ctl_block_channel *b)
{
	for (int i = 0; i < SLOTS; i++)
		if (b->slots[i].state == CTL_SLOT_IO)
			return true;
	return false;
}

/*
 * Hands io_uring what request() prepared.  What it does not take stays in
 * its ring for the next call; EINTR, EAGAIN and EBUSY are tried again a
 * few times.  A submission that still fails ends the disk's service for
 * good (the channel closes normally, the requests count as I/O errors):
 * no completion would come back for them, and what io_uring kept must
 * never be submitted in a later opening.
 */
static void submit_prepared(struct ctl_block_channel *b)
{
	for (int tries = 0; b->submitted && tries < SUBMIT_TRIES; tries++) {
		int ret = io_uring_submit(&b->ring);

		if (ret >= 0) {
			b->submitted =
				(unsigned int)ret < b->submitted
					? b->submitted - (unsigned int)ret
					: 0;
			continue;
		}
		if (ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
			break;
		sched_yield();
	}
	if (!b->submitted)
		return;
	fprintf(stderr, "veneerctl: disk %s: io_uring takes no requests\n",
		b->path);
	b->io_errors += b->submitted;
	b->submitted = 0;
	b->broken = 1;
}

/*
 * Reads requests while a slot is free: a client with more in flight than
 * max_requests waits in its own ring.  A packet the client may not send,
 * or one too short, is a protocol error that closes the channel.
 */
static int serve(struct ctl_channel *ch)
{
	struct ctl_block_channel *b = of(ch);
	vnr_u8 packet[sizeof(struct vnr_block_request)];
	struct vnr_ring_pkt_hdr hdr;
	struct ctl_block_slot *s = NULL;

	flush_responses(b);
	while (!b->failed && !b->refused && !b->broken && (s = free_slot(b))) {
		enum vnr_ring_status st =
			vnr_ring_read(&ch->rx, &hdr, packet, sizeof(packet));

		if (st == VNR_RING_BUF_TOO_SMALL)
			b->failed = 1;
		if (st != VNR_RING_OK)
			break;
		if (hdr.type == VNR_BLOCK_PKT_SETUP)
			setup(b, packet, vnr_ring_payload_len(&hdr));
		else if (hdr.type == VNR_BLOCK_PKT_REQUEST)
			request(b, s, packet, vnr_ring_payload_len(&hdr));
		else
			b->failed = 1;
	}
	submit_prepared(b);
	flush_responses(b);
	if (vnr_ring_read_needs_signal(&ch->rx))
		ctl_channel_signal(ch);
	if (b->failed || b->refused || b->broken) {
		ctl_channel_close(ch, b->failed ? VNR_CHANNEL_CLOSE_CORRUPTED
						: VNR_CHANNEL_CLOSE_NORMAL);
		return 0;
	}
	/*
	 * While requests are in flight the ring stays masked: their
	 * completions come back to read what the client writes meanwhile,
	 * so it need not signal each request (at depth 32 it would, every
	 * time this thread went idle).  With none in flight, stalled only if
	 * no slot is free: requests answered at once (bad ones) freed theirs
	 * in the flush, and no completion would come back for them.
	 */
	return in_flight(b) || !free_slot(b);
}

/* A short transfer is an error too: the disk ends at sectors. */
static void complete(struct ctl_block_channel *b, struct ctl_block_slot *s,
		     int res)
{
	const struct vnr_block_request *r = &s->request;
	unsigned int bytes = r->sectors * SECTOR;
	int moves = r->op == VNR_BLOCK_OP_READ || r->op == VNR_BLOCK_OP_WRITE;

	if (res < 0 || (moves && (unsigned int)res != bytes)) {
		b->io_errors++;
		respond(s, VNR_BLOCK_S_IO_ERROR);
		return;
	}
	if (r->op == VNR_BLOCK_OP_READ)
		memcpy(b->area + r->data_offset, s->bounce, bytes);
	respond(s, VNR_BLOCK_S_OK);
}

/*
 * The ring's eventfd: completions.  One of an earlier opening of the
 * channel (closed while it was in flight) only frees its slot.
 */
static void completed(struct ctl_channel *ch)
{
	struct ctl_block_channel *b = of(ch);
	struct io_uring_cqe *cqe;
	eventfd_t count;

	(void)eventfd_read(b->event_fd, &count);
	while (io_uring_peek_cqe(&b->ring, &cqe) == 0) {
		vnr_u64 data = io_uring_cqe_get_data64(cqe);
		struct ctl_block_slot *s = &b->slots[(vnr_u32)data % SLOTS];

		if (data >> 32 == b->generation && ch->state == CTL_CH_OPEN)
			complete(b, s, cqe->res);
		else
			s->state = CTL_SLOT_FREE;
		io_uring_cqe_seen(&b->ring, cqe);
	}
}

/*
 * Before the rings go (closing rule 1): the area too, and what is in
 * flight will find nobody to answer.
 */
static void release(struct ctl_channel *ch)
{
	struct ctl_block_channel *b = of(ch);

	release_area(b);
	b->generation++;
	b->set_up = 0;
	b->failed = 0;
	b->refused = 0; /* the next opening may send a SETUP that works */
	for (int i = 0; i < SLOTS; i++)
		if (b->slots[i].state == CTL_SLOT_DONE)
			b->slots[i].state = CTL_SLOT_FREE;
}

static void closed(struct ctl_channel *ch, vnr_u32 reason)
{
	struct ctl_block_channel *b = of(ch);

	ctl_console_note(
		b->console,
		"disk %s closed (%s): %llu requests, %llu bad, %llu "
		"I/O errors",
		b->path,
		reason == VNR_CHANNEL_CLOSE_NORMAL ? "normal" : "corrupted",
		(unsigned long long)b->requests, (unsigned long long)b->bad,
		(unsigned long long)b->io_errors);
}

/*
 * Direct I/O where the file system or device takes it (not tmpfs, not a
 * device with sectors above 512 bytes), buffered I/O otherwise.  A disk
 * is locked against a second partition: shared if read-only.
 */
static int open_disk(struct ctl_block_channel *b, int read_only, char *err,
		     size_t size)
{
	int mode = read_only ? O_RDONLY : O_RDWR, sector = SECTOR;
	struct stat st;
	vnr_u64 bytes;

	/*
	 * O_NONBLOCK: opening a FIFO read-only would wait for a writer (and
	 * the monitor with it) before fstat() can refuse it.  It is cleared
	 * at once: io_uring would fail I/O on such a file with EAGAIN
	 * instead of waiting for it.
	 */
	mode |= O_NONBLOCK | O_CLOEXEC;
	b->fd = open(b->path, mode | O_DIRECT);
	if (b->fd < 0 && errno == EINVAL)
		b->fd = open(b->path, mode);
	if (b->fd < 0 || fstat(b->fd, &st))
		return ctl_fail(err, size, "disk %s: %s", b->path,
				strerror(errno));
	if (fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) & ~O_NONBLOCK))
		return ctl_fail(err, size, "disk %s: %s", b->path,
				strerror(errno));
	if (flock(b->fd, (read_only ? LOCK_SH : LOCK_EX) | LOCK_NB))
		return ctl_fail(err, size, "disk %s: %s", b->path,
				errno == EWOULDBLOCK
					? "in use by another partition"
					: strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(b->fd, BLKGETSIZE64, &bytes) ||
		    ioctl(b->fd, BLKSSZGET, &sector))
			return ctl_fail(err, size, "disk %s: %s", b->path,
					strerror(errno));
	} else if (S_ISREG(st.st_mode)) {
		bytes = (vnr_u64)st.st_size;
		b->features |= read_only ? 0 : VNR_BLOCK_F_DISCARD;
	} else {
		return ctl_fail(err, size,
				"disk %s: not a regular file or block device",
				b->path);
	}
	if (sector != SECTOR)
		return ctl_fail(err, size,
				"disk %s: %d-byte sectors; only 512 are served",
				b->path, sector);
	b->sectors = bytes / SECTOR;
	if (!b->sectors)
		return ctl_fail(err, size, "disk %s: smaller than a sector",
				b->path);
	/* A read-only disk has nothing to flush. */
	b->features |= read_only ? VNR_BLOCK_F_READ_ONLY : VNR_BLOCK_F_FLUSH;
	return 0;
}

static int start_ring(struct ctl_block_channel *b, char *err, size_t size)
{
	int e = io_uring_queue_init(SLOTS, &b->ring, 0);

	if (e)
		return ctl_fail(err, size, "disk %s: io_uring: %s", b->path,
				strerror(-e));
	b->ring_ready = 1;
	b->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e = b->event_fd < 0 ? errno
			    : -io_uring_register_eventfd(&b->ring, b->event_fd);
	if (e)
		return ctl_fail(err, size, "disk %s: eventfd: %s", b->path,
				strerror(e));
	for (int i = 0; i < SLOTS; i++)
		if (posix_memalign(&b->slots[i].bounce, VNR_PAGE_SIZE, BOUNCE))
			return ctl_fail(err, size, "disk %s: out of memory",
					b->path);
	return 0;
}

int ctl_block_channel_add(struct ctl_block_channel *b, struct ctl_channels *set,
			  struct ctl_console *console, const char *path,
			  int read_only, vnr_u8 instance, char *err,
			  size_t size)
{
	static const struct vnr_guid block_class = VNR_BLOCK_CLASS;

	*b = (struct ctl_block_channel){
		.ch = {.device_class = block_class,
		       .instance = {{instance}},
		       .serve = serve,
		       .completed = completed,
		       .release = release,
		       .closed = closed},
		.ch.wait_fd = -1,
		.console = console,
		.fd = -1,
		.area_fd = -1,
		.event_fd = -1,
	};
	snprintf(b->path, sizeof(b->path), "%s", path);
	if (open_disk(b, read_only, err, size) || start_ring(b, err, size) ||
	    ctl_channel_add(set, &b->ch, err, size))
		return -1;
	b->ch.wait_fd = b->event_fd;
	return 0;
}
