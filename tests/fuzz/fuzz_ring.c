// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the channel ring library (sdk/ring/vnr_ring.c).
 *
 * The input is a script.  A correct writer and a correct reader share one
 * exact-size allocation (control area + data area, so AddressSanitizer
 * sees any access past the grant), and between their operations the
 * fuzzer plays the hostile peer: it stores arbitrary indices, masks,
 * pending sizes and features into the control area and arbitrary bytes
 * into the data area, or attaches a view again.
 *
 * Checked:
 *   - no out-of-bounds access (ASan, UBSan), in the ring or in the
 *     exact-size payload and receive buffers;
 *   - CORRUPTED is sticky: once a view reports it, every later call on
 *     that view returns CORRUPTED (or 0 / nothing) and leaves the shared
 *     memory unchanged;
 *   - until the hostile peer has touched the ring, the pair round-trips
 *     data exactly: every packet read is the oldest one written (type,
 *     flags, txid, payload), none is lost or duplicated, and statuses
 *     agree with a model of the ring's space.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include "vnr_ring.h"

#define MAX_DATA  4096u
#define MAX_QUEUE 256u

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct input *in)
{
	uint8_t v = 0;

	if (in->n) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

static uint32_t take32(struct input *in)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)take8(in) << (8 * i);
	return v;
}

struct pkt {
	uint16_t type, flags;
	uint64_t txid;
	uint32_t len;
	uint8_t data[MAX_DATA];
};

/*
 * Exact-size buffers without a heap allocation per operation (ASan's
 * malloc and free, which record stacks, took most of the time): len bytes
 * at an aligned offset of a static area whose other bytes are poisoned, so
 * any access outside them is reported as it would be for malloc(len).
 */
#define ARENA_REDZONE 64u
enum arena { ARENA_PAYLOAD, ARENA_RECEIVE, ARENAS };
static uint8_t arenas[ARENAS][ARENA_REDZONE + 2 * MAX_DATA + ARENA_REDZONE]
	__attribute__((aligned(64)));

static uint8_t *exact_buf(enum arena a, uint32_t len)
{
	uint8_t *buf = arenas[a] + ARENA_REDZONE;

	if (len > sizeof(arenas[a]) - 2 * ARENA_REDZONE)
		__builtin_trap();
	ASAN_POISON_MEMORY_REGION(arenas[a], sizeof(arenas[a]));
	ASAN_UNPOISON_MEMORY_REGION(buf, len);
	return buf;
}

/* The packets written and not yet read, oldest first. */
static struct pkt queue[MAX_QUEUE];
static unsigned int q_head, q_count;

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static uint32_t align8(uint32_t n)
{
	return (n + 7) & ~7u;
}

/* A call on a corrupted view: CORRUPTED, and shared memory untouched. */
struct snap {
	uint8_t *mem, *copy;
	size_t bytes;
};

static void snap_take(struct snap *s)
{
	memcpy(s->copy, s->mem, s->bytes);
}

static void snap_same(const struct snap *s)
{
	check(memcmp(s->copy, s->mem, s->bytes) == 0);
}

static void sticky(struct vnr_ring *w, struct vnr_ring *r, struct snap *s)
{
	struct vnr_ring_pkt_hdr hdr;
	uint8_t buf[8];

	/* The copy of the ring is needed only to check a corrupted view. */
	if (!vnr_ring_is_corrupted(w) && !vnr_ring_is_corrupted(r))
		return;
	snap_take(s);
	if (vnr_ring_is_corrupted(w)) {
		check(vnr_ring_write(w, 1, 0, 0, buf, 8) == VNR_RING_CORRUPTED);
		check(vnr_ring_write_space(w) == 0);
		check(!vnr_ring_write_needs_signal(w));
	}
	if (vnr_ring_is_corrupted(r)) {
		check(vnr_ring_read(r, &hdr, buf, 8) == VNR_RING_CORRUPTED);
		check(vnr_ring_peek(r, &hdr, buf, 8) == VNR_RING_CORRUPTED);
		check(vnr_ring_skip(r) == VNR_RING_CORRUPTED);
		check(vnr_ring_read_avail(r) == 0);
		check(!vnr_ring_read_needs_signal(r));
		vnr_ring_mask_interrupts(r);
		check(vnr_ring_unmask_interrupts(r) == 1);
	}
	snap_same(s);
}

static void do_write(struct vnr_ring *w, struct input *in, int tampered,
		     uint32_t size)
{
	uint16_t type = (uint16_t)(take8(in) % 4); /* 0 is invalid */
	uint16_t flags = take8(in);
	uint64_t txid = take32(in);
	uint32_t len = take32(in) % (size + 16);
	uint8_t *data = len ? exact_buf(ARENA_PAYLOAD, len) : NULL;
	uint32_t free_before = tampered ? 0 : vnr_ring_write_space(w);
	enum vnr_ring_status st;
	uint32_t i;

	for (i = 0; i < len; i++)
		data[i] = take8(in);
	st = vnr_ring_write(w, type, flags, txid, data, len);
	if (!tampered) {
		if (!type)
			check(st == VNR_RING_INVALID);
		else if (len > vnr_ring_max_payload(w))
			check(st == VNR_RING_TOO_BIG);
		else if (align8(VNR_RING_PKT_HDR_SIZE + len) > free_before)
			check(st == VNR_RING_NO_ROOM);
		else
			check(st == VNR_RING_OK);
		if (st == VNR_RING_OK) {
			struct pkt *p;

			check(q_count < MAX_QUEUE);
			p = &queue[(q_head + q_count++) % MAX_QUEUE];
			p->type = type;
			p->flags = flags;
			p->txid = txid;
			p->len = len;
			if (len)
				memcpy(p->data, data, len);
		}
	}
}

static void do_read(struct vnr_ring *r, struct input *in, int tampered,
		    uint32_t size, int mode)
{
	struct vnr_ring_pkt_hdr hdr;
	uint32_t buflen = take32(in) % (size + 16);
	uint8_t *buf = exact_buf(ARENA_RECEIVE, buflen ? buflen : 1);
	enum vnr_ring_status st;
	const struct pkt *p = q_count ? &queue[q_head] : NULL;

	if (mode == 2)
		st = vnr_ring_skip(r);
	else if (mode == 1)
		st = vnr_ring_peek(r, &hdr, buf, buflen);
	else
		st = vnr_ring_read(r, &hdr, buf, buflen);
	if (!tampered) {
		if (!p) {
			check(st == VNR_RING_EMPTY);
		} else if (mode != 2 && p->len > buflen) {
			check(st == VNR_RING_BUF_TOO_SMALL);
			check(vnr_ring_payload_len(&hdr) == p->len);
		} else {
			check(st == VNR_RING_OK);
			if (mode != 2) {
				check(hdr.type == p->type &&
				      hdr.flags == p->flags &&
				      hdr.txid == p->txid &&
				      vnr_ring_payload_len(&hdr) == p->len);
				check(!p->len ||
				      memcmp(buf, p->data, p->len) == 0);
			}
			if (mode != 1) {
				q_head = (q_head + 1) % MAX_QUEUE;
				q_count--;
			}
		}
	}
	(void)size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct input in = {data, n};
	struct vnr_ring w, r;
	struct snap s;
	uint32_t sel = take8(&in) | (uint32_t)take8(&in) << 8;
	size_t bytes;
	uint32_t size;
	uint8_t *mem;
	int tampered = 0, ops = 0;

	/* Mostly valid sizes; sometimes any size, which must be refused. */
	if (sel & 0x8000)
		bytes = VNR_RING_CONTROL_SIZE + (sel & 0xFFF) - 64;
	else
		bytes = VNR_RING_CONTROL_SIZE + 32 + 8 * (sel % 509);
	mem = malloc(bytes);
	s.mem = mem;
	s.copy = malloc(bytes);
	s.bytes = bytes;
	memset(mem, 0xEE, bytes);
	size = (uint32_t)(bytes - VNR_RING_CONTROL_SIZE);
	if (bytes < VNR_RING_CONTROL_SIZE + VNR_RING_DATA_MIN || (size & 7)) {
		check(vnr_ring_format(mem, bytes) == VNR_RING_INVALID);
		check(vnr_ring_init(&w, mem, bytes, VNR_RING_WRITER) ==
		      VNR_RING_INVALID);
		goto out;
	}
	check(vnr_ring_format(mem, bytes) == VNR_RING_OK);
	check(vnr_ring_init(&w, mem, bytes, VNR_RING_WRITER) == VNR_RING_OK);
	check(vnr_ring_init(&r, mem, bytes, VNR_RING_READER) == VNR_RING_OK);
	check(vnr_ring_max_payload(&w) == size - 8 - VNR_RING_PKT_HDR_SIZE);
	q_head = q_count = 0;

	while (in.n && ops++ < 4096) {
		uint8_t op = take8(&in);
		uint32_t v;
		int wc = vnr_ring_is_corrupted(&w);
		int rc = vnr_ring_is_corrupted(&r);

		switch (op % 12) {
		case 0:
		case 1:
		case 2:
			do_write(&w, &in, tampered, size);
			break;
		case 3:
		case 4:
			do_read(&r, &in, tampered, size, 0);
			break;
		case 5:
			do_read(&r, &in, tampered, size, 1 + (op >> 7));
			break;
		case 6: /* hostile: a control field */
			v = take32(&in);
			switch (take8(&in) % 5) {
			case 0:
				__atomic_store_n(&w.ctl->write_index, v,
						 __ATOMIC_SEQ_CST);
				break;
			case 1:
				__atomic_store_n(&w.ctl->read_index, v,
						 __ATOMIC_SEQ_CST);
				break;
			case 2:
				w.ctl->interrupt_mask = v;
				break;
			case 3:
				w.ctl->pending_send_size = v;
				break;
			default:
				w.ctl->features = v;
				break;
			}
			tampered = 1;
			break;
		case 7: /* hostile: bytes of the data area */
			v = take32(&in) % size;
			for (unsigned int k = take8(&in) % 32; k && v < size;
			     k--, v++)
				mem[VNR_RING_CONTROL_SIZE + v] = take8(&in);
			tampered = 1;
			break;
		case 8: /* hostile: a small step of an index, often valid */
			v = (take8(&in) % 16) * 8;
			if (op & 0x80)
				w.ctl->write_index += v;
			else
				w.ctl->read_index += v;
			tampered = 1;
			break;
		case 9:
			vnr_ring_mask_interrupts(&r);
			(void)vnr_ring_unmask_interrupts(&r);
			(void)vnr_ring_write_needs_signal(&w);
			(void)vnr_ring_read_needs_signal(&r);
			break;
		case 10:
			v = vnr_ring_write_space(&w);
			if (!tampered)
				check(v <= size - 8);
			v = vnr_ring_read_avail(&r);
			if (!tampered)
				check(v <= size - 8);
			break;
		case 11: /* attach a view again (a restarted peer) */
			if (op & 0x80)
				(void)vnr_ring_init(&r, mem, bytes,
						    VNR_RING_READER);
			else
				(void)vnr_ring_init(&w, mem, bytes,
						    VNR_RING_WRITER);
			/* A fresh view has dropped its own state. */
			wc = rc = 0;
			break;
		}
		/* Sticky: a corrupted view stays corrupted. */
		if (wc)
			check(vnr_ring_is_corrupted(&w));
		if (rc)
			check(vnr_ring_is_corrupted(&r));
		if (!tampered)
			check(!vnr_ring_is_corrupted(&w) &&
			      !vnr_ring_is_corrupted(&r));
		sticky(&w, &r, &s);
	}
	/* Untouched by the hostile peer: drain and compare what is left. */
	if (!tampered) {
		struct vnr_ring_pkt_hdr hdr;
		static uint8_t buf[MAX_DATA];

		while (q_count) {
			const struct pkt *p = &queue[q_head];

			check(vnr_ring_read(&r, &hdr, buf, sizeof(buf)) ==
			      VNR_RING_OK);
			check(hdr.type == p->type && hdr.txid == p->txid &&
			      vnr_ring_payload_len(&hdr) == p->len &&
			      (!p->len || !memcmp(buf, p->data, p->len)));
			q_head = (q_head + 1) % MAX_QUEUE;
			q_count--;
		}
		check(vnr_ring_read(&r, &hdr, buf, sizeof(buf)) ==
		      VNR_RING_EMPTY);
	}
out:
	free(s.copy);
	free(mem);
	return 0;
}
