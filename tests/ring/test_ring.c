// SPDX-License-Identifier: MIT
/*
 * Unit tests of the channel ring (sdk/ring/vnr_ring.c).
 *
 * Every ring lives in an allocation of exactly the grant size, so that the
 * AddressSanitizer build of this test (ring.unit-asan) catches any access
 * outside it.  The hostile peer is simulated by writing the shared control
 * area and data area directly.
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vnr_ring.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HDR	      VNR_RING_PKT_HDR_SIZE

struct fixture {
	void *mem;
	size_t bytes;
	vnr_u32 size; /* data area */
	struct vnr_ring_control *ctl;
	vnr_u8 *data;
	struct vnr_ring w, r;
};

static vnr_u32 space_of(vnr_u32 len)
{
	return (HDR + len + 7) & ~7u;
}

/* A formatted ring of size data bytes with both indices at start. */
static void ring_open(struct fixture *f, vnr_u32 size, vnr_u32 start)
{
	f->size = size;
	f->bytes = VNR_RING_CONTROL_SIZE + (size_t)size;
	f->mem = malloc(f->bytes);
	ck_assert_ptr_nonnull(f->mem);
	memset(f->mem, 0xA5, f->bytes);
	ck_assert_int_eq(vnr_ring_format(f->mem, f->bytes), VNR_RING_OK);
	f->ctl = f->mem;
	f->data = (vnr_u8 *)f->mem + VNR_RING_CONTROL_SIZE;
	f->ctl->write_index = start;
	f->ctl->read_index = start;
	ck_assert_int_eq(
		vnr_ring_init(&f->w, f->mem, f->bytes, VNR_RING_WRITER),
		VNR_RING_OK);
	ck_assert_int_eq(
		vnr_ring_init(&f->r, f->mem, f->bytes, VNR_RING_READER),
		VNR_RING_OK);
}

static void ring_close(struct fixture *f)
{
	free(f->mem);
	f->mem = NULL;
}

static void fill(vnr_u8 *buf, vnr_u32 len, vnr_u32 seed)
{
	for (vnr_u32 i = 0; i < len; i++)
		buf[i] = (vnr_u8)(seed * 31u + i * 7u + (i >> 8));
}

/* Write one packet of len bytes and read it back, checking everything. */
static void roundtrip(struct fixture *f, vnr_u32 len, vnr_u32 seed)
{
	vnr_u8 *in = malloc(len ? len : 1), *out = malloc(len ? len : 1);
	struct vnr_ring_pkt_hdr h;
	vnr_u32 before = f->w.write;

	fill(in, len, seed);
	ck_assert_int_eq(vnr_ring_write(&f->w, VNR_RING_PKT_DATA_INBAND,
					VNR_RING_PKT_F_COMPLETION_REQUESTED,
					0x1122334455667788ull + seed, in, len),
			 VNR_RING_OK);
	ck_assert_uint_eq(f->ctl->write_index,
			  (before + space_of(len)) % f->size);
	memset(out, 0, len ? len : 1);
	ck_assert_int_eq(vnr_ring_read(&f->r, &h, out, len), VNR_RING_OK);
	ck_assert_uint_eq(h.type, VNR_RING_PKT_DATA_INBAND);
	ck_assert_uint_eq(h.header_len, HDR);
	ck_assert_uint_eq(h.total_len, HDR + len);
	ck_assert_uint_eq(h.flags, VNR_RING_PKT_F_COMPLETION_REQUESTED);
	ck_assert_uint_eq(h.reserved, 0);
	ck_assert(h.txid == 0x1122334455667788ull + seed);
	ck_assert_uint_eq(vnr_ring_payload_len(&h), len);
	ck_assert(memcmp(in, out, len) == 0);
	ck_assert_uint_eq(f->ctl->read_index, f->ctl->write_index);
	free(in);
	free(out);
}

/* Layout and arguments. */

START_TEST(layout)
{
	ck_assert_uint_eq(sizeof(struct vnr_ring_control), 4096);
	ck_assert_uint_eq(offsetof(struct vnr_ring_control, write_index), 0);
	ck_assert_uint_eq(offsetof(struct vnr_ring_control, read_index), 64);
	ck_assert_uint_eq(offsetof(struct vnr_ring_control, interrupt_mask),
			  128);
	ck_assert_uint_eq(offsetof(struct vnr_ring_control, pending_send_size),
			  192);
	ck_assert_uint_eq(offsetof(struct vnr_ring_control, features), 256);
	ck_assert_uint_eq(sizeof(struct vnr_ring_pkt_hdr), HDR);
	ck_assert_uint_eq(offsetof(struct vnr_ring_pkt_hdr, txid), 16);
}
END_TEST

START_TEST(format_and_init_arguments)
{
	static const size_t bad[] = {
		0,	    1,		 4096,
		4096 + 8,   4096 + 24,	 4096 + 36,
		4096 + 100, 4096 + 4095, (size_t)4096 + 0x40000008u};
	struct vnr_ring r;
	void *mem = aligned_alloc(64, 8192);
	struct vnr_ring_control *ctl = mem;

	memset(mem, 0xFF, 8192);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(vnr_ring_format(mem, bad[i]),
				 VNR_RING_INVALID);
		ck_assert_int_eq(
			vnr_ring_init(&r, mem, bad[i], VNR_RING_READER),
			VNR_RING_INVALID);
		/* A view that failed to initialise refuses everything. */
		ck_assert_int_eq(vnr_ring_read(&r, NULL, NULL, 0),
				 VNR_RING_INVALID);
	}
	ck_assert_int_eq(vnr_ring_format(NULL, 8192), VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_format((char *)mem + 4, 4096 + 64),
			 VNR_RING_INVALID);
	ck_assert_int_eq(
		vnr_ring_init(&r, (char *)mem + 4, 4096 + 64, VNR_RING_READER),
		VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_init(NULL, mem, 8192, VNR_RING_READER),
			 VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_init(&r, mem, 8192, (enum vnr_ring_role)0),
			 VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_init(&r, mem, 8192, (enum vnr_ring_role)3),
			 VNR_RING_INVALID);

	ck_assert_int_eq(vnr_ring_format(mem, 8192), VNR_RING_OK);
	for (size_t i = 0; i < sizeof(*ctl); i++)
		ck_assert_uint_eq(
			((vnr_u8 *)mem)[i],
			i == offsetof(struct vnr_ring_control, features)
				? VNR_RING_FEAT_PENDING_SEND_SIZE
				: 0);
	ck_assert_uint_eq(ctl->features, VNR_RING_FEAT_PENDING_SEND_SIZE);
	ck_assert_uint_eq(((vnr_u8 *)mem)[4096], 0xFF); /* data untouched */
	ck_assert_int_eq(vnr_ring_init(&r, mem, 4096 + 32, VNR_RING_WRITER),
			 VNR_RING_OK);
	ck_assert_uint_eq(vnr_ring_max_payload(&r), 32 - 8 - HDR);

	/* Wrong role for each call. */
	ck_assert_int_eq(vnr_ring_read(&r, NULL, NULL, 0), VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_peek(&r, NULL, NULL, 0), VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_skip(&r), VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&r), 0);
	ck_assert_int_eq(vnr_ring_unmask_interrupts(&r), 0);
	ck_assert_uint_eq(vnr_ring_read_avail(&r), 0);
	ck_assert_int_eq(vnr_ring_init(&r, mem, 8192, VNR_RING_READER),
			 VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&r, 1, 0, 0, NULL, 0),
			 VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&r), 0);
	ck_assert_uint_eq(vnr_ring_write_space(&r), 0);
	free(mem);
}
END_TEST

START_TEST(write_arguments)
{
	struct fixture f;
	vnr_u8 buf[8] = {0};

	ring_open(&f, 256, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 0, 0, 0, buf, 8),
			 VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, NULL, 8),
			 VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, NULL, 0), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 0xFFFFFFFFu),
			 VNR_RING_TOO_BIG);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 0xFFFFFFE8u),
			 VNR_RING_TOO_BIG);
	ck_assert_int_eq(vnr_ring_read(&f.r, NULL, buf, 8), VNR_RING_INVALID);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ring_close(&f);
}
END_TEST

/* Packets. */

START_TEST(roundtrip_sizes)
{
	struct fixture f;

	ring_open(&f, 4096, 0);
	for (vnr_u32 len = 0; len <= 600; len++)
		roundtrip(&f, len, len);
	roundtrip(&f, vnr_ring_max_payload(&f.w), 7);
	ring_close(&f);
}
END_TEST

START_TEST(padding_is_zero)
{
	struct fixture f;
	vnr_u8 in[5] = {1, 2, 3, 4, 5};

	ring_open(&f, 256, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 2, 0, 9, in, 5), VNR_RING_OK);
	ck_assert_uint_eq(f.ctl->write_index, 32);
	for (int i = HDR + 5; i < 32; i++)
		ck_assert_uint_eq(f.data[i], 0);
	ck_assert_uint_eq(f.data[32], 0xA5); /* nothing written beyond */
	ring_close(&f);
}
END_TEST

/*
 * Every 8-aligned start position with packets that wrap in the header, in
 * the payload and at the boundary between them, on a data area whose size
 * is not a power of two.
 */
START_TEST(wrap_around_every_offset)
{
	static const vnr_u32 lens[] = {0, 1, 7, 8, 9, 15, 16, 17, 40, 100, 150};
	const vnr_u32 size = 200;

	for (vnr_u32 start = 0; start < size; start += 8) {
		for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
			struct fixture f;

			ring_open(&f, size, start);
			roundtrip(&f, lens[i], start + (vnr_u32)i);
			/* A second packet from wherever the first ended. */
			roundtrip(&f, lens[ARRAY_SIZE(lens) - 1 - i], start);
			ring_close(&f);
		}
	}
}
END_TEST

START_TEST(wrap_around_stream)
{
	struct fixture f;
	vnr_u32 seed = 1;

	ring_open(&f, 1000, 0);
	for (int i = 0; i < 5000; i++) {
		seed = seed * 1103515245u + 12345u;
		roundtrip(&f, (seed >> 16) % (vnr_ring_max_payload(&f.w) + 1),
			  seed);
	}
	ring_close(&f);
}
END_TEST

/* A packet exactly as large as the free space, from every offset. */
START_TEST(exact_fit)
{
	const vnr_u32 size = 256;
	const vnr_u32 max = size - 8 - HDR;

	for (vnr_u32 start = 0; start < size; start += 8) {
		struct fixture f;
		vnr_u8 small[16] = {0};

		ring_open(&f, size, start);
		ck_assert_uint_eq(vnr_ring_max_payload(&f.w), max);
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, small, max + 1),
				 VNR_RING_TOO_BIG);
		ck_assert_uint_eq(vnr_ring_write_space(&f.w), size - 8);
		roundtrip(&f, max, start);
		roundtrip(&f, max - 7, start + 1); /* same space, padded */

		/* Fill with a small packet, then the rest exactly. */
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, small, 16),
				 VNR_RING_OK);
		ck_assert_uint_eq(vnr_ring_write_space(&f.w), size - 8 - 40);
		vnr_u8 *big = malloc(size);
		fill(big, size, start);
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, big,
						size - 8 - 40 - HDR + 1),
				 VNR_RING_NO_ROOM);
		ck_assert_int_eq(
			vnr_ring_write(&f.w, 1, 0, 0, big, size - 8 - 40 - HDR),
			VNR_RING_OK);
		ck_assert_uint_eq(vnr_ring_write_space(&f.w), 0);
		ck_assert_uint_eq((f.ctl->write_index + 8) % size,
				  f.ctl->read_index);
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, NULL, 0),
				 VNR_RING_NO_ROOM);
		ck_assert_uint_eq(vnr_ring_read_avail(&f.r), size - 8);

		struct vnr_ring_pkt_hdr h;
		vnr_u8 *out = malloc(size);
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, out, size),
				 VNR_RING_OK);
		ck_assert_uint_eq(h.total_len, HDR + 16);
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, out, size),
				 VNR_RING_OK);
		ck_assert_uint_eq(vnr_ring_payload_len(&h),
				  size - 8 - 40 - HDR);
		ck_assert(memcmp(out, big, size - 8 - 40 - HDR) == 0);
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, out, size),
				 VNR_RING_EMPTY);
		ck_assert_uint_eq(vnr_ring_write_space(&f.w), size - 8);
		free(big);
		free(out);
		ring_close(&f);
	}
}
END_TEST

START_TEST(empty_and_full)
{
	struct fixture f;
	struct vnr_ring_pkt_hdr h;
	vnr_u8 buf[64];
	vnr_u32 n = 0;

	ring_open(&f, 512, 0);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_EMPTY);
	ck_assert_int_eq(vnr_ring_peek(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_EMPTY);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_EMPTY);
	ck_assert_uint_eq(vnr_ring_read_avail(&f.r), 0);
	/* 40-byte packets: 12 fit in 504 usable bytes, with 24 left. */
	fill(buf, 16, 3);
	while (vnr_ring_write(&f.w, 1, 0, n, buf, 16) == VNR_RING_OK)
		n++;
	ck_assert_uint_eq(n, 12);
	ck_assert_uint_eq(vnr_ring_write_space(&f.w), 24);
	ck_assert_uint_eq(f.ctl->pending_send_size, 40);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 0), VNR_RING_OK);
	ck_assert_uint_eq(f.ctl->pending_send_size, 0);
	ck_assert_uint_eq(vnr_ring_write_space(&f.w), 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, NULL, 0),
			 VNR_RING_NO_ROOM);
	ck_assert_uint_eq(f.ctl->pending_send_size, 24);
	ck_assert_uint_eq(vnr_ring_read_avail(&f.r), 504);

	/* Peek does not consume; read does. */
	ck_assert_int_eq(vnr_ring_peek(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_OK);
	ck_assert(h.txid == 0);
	ck_assert_int_eq(vnr_ring_peek(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_OK);
	ck_assert(h.txid == 0);
	for (vnr_u32 i = 0; i < n; i++) {
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
				 VNR_RING_OK);
		ck_assert(h.txid == i);
	}
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_OK);
	ck_assert_uint_eq(vnr_ring_payload_len(&h), 0);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_EMPTY);
	ck_assert_uint_eq(vnr_ring_write_space(&f.w), 504);
	ring_close(&f);
}
END_TEST

START_TEST(buffer_too_small_and_skip)
{
	struct fixture f;
	struct vnr_ring_pkt_hdr h;
	vnr_u8 in[100], out[100];

	ring_open(&f, 512, 0);
	fill(in, 100, 5);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 1, in, 100), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 2, 0, 2, in, 10), VNR_RING_OK);
	memset(out, 0x5A, sizeof(out));
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, out, 99),
			 VNR_RING_BUF_TOO_SMALL);
	ck_assert_uint_eq(vnr_ring_payload_len(&h), 100);
	ck_assert_uint_eq(out[0], 0x5A); /* nothing copied */
	ck_assert_int_eq(vnr_ring_peek(&f.r, &h, out, 100), VNR_RING_OK);
	ck_assert(memcmp(in, out, 100) == 0);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, out, 10), VNR_RING_OK);
	ck_assert_uint_eq(h.type, VNR_RING_PKT_COMPLETION);
	ck_assert(h.txid == 2);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, NULL, 0), VNR_RING_EMPTY);
	ring_close(&f);
}
END_TEST

/* A reader of this version skips a longer header (an extension). */
START_TEST(longer_header_skipped)
{
	struct fixture f;
	struct vnr_ring_pkt_hdr h = {
		.type = 1, .header_len = 40, .total_len = 45, .txid = 77};
	vnr_u8 out[8];

	ring_open(&f, 256, 0);
	memcpy(f.data, &h, HDR);
	memset(f.data + HDR, 0xEE, 16);
	memcpy(f.data + 40, "hello", 5);
	f.ctl->write_index = 48;
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, out, sizeof(out)),
			 VNR_RING_OK);
	ck_assert_uint_eq(vnr_ring_payload_len(&h), 5);
	ck_assert(memcmp(out, "hello", 5) == 0);
	ck_assert_uint_eq(f.ctl->read_index, 48);
	ring_close(&f);
}
END_TEST

/* A ring attached again after use keeps its indices. */
START_TEST(reattach)
{
	struct fixture f;
	struct vnr_ring r2;
	vnr_u8 buf[32];

	ring_open(&f, 256, 0);
	fill(buf, 32, 1);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 5, buf, 32), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_init(&r2, f.mem, f.bytes, VNR_RING_READER),
			 VNR_RING_OK);
	ck_assert_uint_eq(vnr_ring_read_avail(&r2), 56);
	ck_assert_int_eq(vnr_ring_skip(&r2), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_skip(&r2), VNR_RING_EMPTY);
	ring_close(&f);
}
END_TEST

/* Signal rules. */

START_TEST(writer_signals_on_empty_to_non_empty)
{
	struct fixture f;
	vnr_u8 buf[16] = {0};

	ring_open(&f, 512, 0);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 1);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0); /* cleared */
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0); /* not empty */
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0); /* not empty */
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_EMPTY);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	/* One signal for a batch that started on an empty ring. */
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 1);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	/* No signal for a failed write. */
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 1000),
			 VNR_RING_TOO_BIG);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	ring_close(&f);
}
END_TEST

START_TEST(writer_no_signal_when_masked)
{
	struct fixture f;
	vnr_u8 buf[16] = {0};

	ring_open(&f, 512, 0);
	vnr_ring_mask_interrupts(&f.r);
	ck_assert_uint_eq(f.ctl->interrupt_mask, VNR_RING_MASKED);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	/* Unmasking finds the packet the writer did not signal. */
	ck_assert_int_eq(vnr_ring_unmask_interrupts(&f.r), 1);
	ck_assert_uint_eq(f.ctl->interrupt_mask, VNR_RING_UNMASKED);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_unmask_interrupts(&f.r), 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 1);
	/* Any non-zero mask value written by the reader masks. */
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	f.ctl->interrupt_mask = 0x80000000u;
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	ring_close(&f);
}
END_TEST

START_TEST(reader_signals_when_pending_size_reached)
{
	struct fixture f;
	vnr_u8 buf[200] = {0};
	int signals = 0;

	ring_open(&f, 1024, 0);
	/* Reads with no writer waiting never signal. */
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 0);
	/* 25 packets of 40 bytes: 1000 of 1016 usable bytes. */
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
	ck_assert_uint_eq(vnr_ring_write_space(&f.w), 16);
	/* Needs 24 + 100 -> 128 bytes. */
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 100),
			 VNR_RING_NO_ROOM);
	ck_assert_uint_eq(f.ctl->pending_send_size, 128);
	/* Free: 16 -> 56 -> 96 -> 136: the third read crosses 128. */
	for (int i = 0; i < 25; i++) {
		struct vnr_ring_pkt_hdr h;

		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
				 VNR_RING_OK);
		if (vnr_ring_read_needs_signal(&f.r)) {
			ck_assert_int_eq(i, 2);
			signals++;
		}
	}
	ck_assert_int_eq(signals, 1);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 100), VNR_RING_OK);
	ck_assert_uint_eq(f.ctl->pending_send_size, 0);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 0);
	ring_close(&f);
}
END_TEST

/* One read that frees more than enough at once signals too. */
START_TEST(reader_signals_on_big_jump)
{
	struct fixture f;
	vnr_u8 buf[512] = {0};

	ring_open(&f, 1024, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 500), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 400), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 200),
			 VNR_RING_NO_ROOM);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 1);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 0);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 0); /* crossed */
	ring_close(&f);
}
END_TEST

/* A full-looking ring makes the writer load the read index again. */
START_TEST(writer_reloads_read_index)
{
	struct fixture f;
	vnr_u8 buf[512] = {0};

	ring_open(&f, 1024, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 500), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 400), VNR_RING_OK);
	/* The reader consumes after the writer last looked. */
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 200), VNR_RING_OK);
	ck_assert_uint_eq(f.ctl->pending_send_size, 0);
	ring_close(&f);
}
END_TEST

/* A hostile pending_send_size is harmless. */
START_TEST(hostile_pending_send_size)
{
	static const vnr_u32 values[] = {1,    7,	   8,	      1016,
					 1024, 0x7FFFFFFF, 0xFFFFFFFF};
	vnr_u8 buf[16] = {0};

	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		struct fixture f;

		ring_open(&f, 1024, 0);
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16),
				 VNR_RING_OK);
		f.ctl->pending_send_size = values[i];
		ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
		ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r),
				 values[i] > 976 && values[i] <= 1016);
		ck_assert(!vnr_ring_is_corrupted(&f.r));
		ring_close(&f);
	}
}
END_TEST

/* Hostile indices and lengths. */

static void assert_reader_dead(struct fixture *f)
{
	struct vnr_ring_pkt_hdr h;
	vnr_u8 buf[8];

	ck_assert(vnr_ring_is_corrupted(&f->r));
	ck_assert_int_eq(vnr_ring_read(&f->r, &h, buf, 8), VNR_RING_CORRUPTED);
	ck_assert_int_eq(vnr_ring_peek(&f->r, &h, buf, 8), VNR_RING_CORRUPTED);
	ck_assert_int_eq(vnr_ring_skip(&f->r), VNR_RING_CORRUPTED);
	ck_assert_int_eq(vnr_ring_unmask_interrupts(&f->r), 1);
	ck_assert_uint_eq(vnr_ring_read_avail(&f->r), 0);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f->r), 0);
}

static void assert_writer_dead(struct fixture *f)
{
	vnr_u8 buf[8] = {0};

	ck_assert(vnr_ring_is_corrupted(&f->w));
	ck_assert_int_eq(vnr_ring_write(&f->w, 1, 0, 0, buf, 8),
			 VNR_RING_CORRUPTED);
	ck_assert_uint_eq(vnr_ring_write_space(&f->w), 0);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f->w), 0);
}

static const vnr_u32 hostile_indices[] = {
	1,	     4,		  7,	       9,	    196,	 199,
	200,	     201,	  204,	       208,	    256,	 4096,
	0x7FFFFFF8u, 0x80000000u, 0xFFFFFFF8u, 0xFFFFFFFCu, 0xFFFFFFFFu,
};

/* size 200: indices >= 200 or not a multiple of 8 are out of range. */
START_TEST(init_rejects_bad_indices)
{
	for (size_t i = 0; i < ARRAY_SIZE(hostile_indices); i++) {
		for (int which = 0; which < 2; which++) {
			struct vnr_ring v;
			struct fixture f;

			ring_open(&f, 200, 0);
			if (which)
				f.ctl->read_index = hostile_indices[i];
			else
				f.ctl->write_index = hostile_indices[i];
			ck_assert_int_eq(vnr_ring_init(&v, f.mem, f.bytes,
						       VNR_RING_READER),
					 VNR_RING_CORRUPTED);
			f.r = v;
			assert_reader_dead(&f);
			ck_assert_int_eq(vnr_ring_init(&v, f.mem, f.bytes,
						       VNR_RING_WRITER),
					 VNR_RING_CORRUPTED);
			f.w = v;
			assert_writer_dead(&f);
			ring_close(&f);
		}
	}
}
END_TEST

/* The writer publishes an out-of-range write index. */
START_TEST(reader_rejects_bad_write_index)
{
	for (size_t i = 0; i < ARRAY_SIZE(hostile_indices); i++) {
		struct fixture f;
		struct vnr_ring_pkt_hdr h;
		vnr_u8 buf[8];

		ring_open(&f, 200, 0);
		f.ctl->write_index = hostile_indices[i];
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 8),
				 VNR_RING_CORRUPTED);
		assert_reader_dead(&f);
		ring_close(&f);

		ring_open(&f, 200, 0);
		f.ctl->write_index = hostile_indices[i];
		ck_assert_int_eq(vnr_ring_unmask_interrupts(&f.r), 1);
		assert_reader_dead(&f);
		ring_close(&f);
	}
}
END_TEST

/* The write index moves backwards while packets are pending. */
START_TEST(reader_rejects_write_index_going_back)
{
	struct fixture f;
	vnr_u8 buf[16] = {0};

	ring_open(&f, 200, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_uint_eq(vnr_ring_read_avail(&f.r), 80);
	f.ctl->write_index = 40;
	ck_assert_uint_eq(vnr_ring_read_avail(&f.r), 0);
	assert_reader_dead(&f);
	ring_close(&f);
}
END_TEST

/* The reader publishes an out-of-range read index. */
START_TEST(writer_rejects_bad_read_index)
{
	for (size_t i = 0; i < ARRAY_SIZE(hostile_indices); i++) {
		struct fixture f;
		vnr_u8 buf[16] = {0};

		ring_open(&f, 200, 0);
		f.ctl->read_index = hostile_indices[i];
		/* Seen by the signal check that follows the first write. */
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16),
				 VNR_RING_OK);
		ck_assert(!vnr_ring_write_needs_signal(&f.w));
		assert_writer_dead(&f);
		ring_close(&f);

		/* Masked: seen when the ring looks full. */
		ring_open(&f, 200, 0);
		vnr_ring_mask_interrupts(&f.r);
		f.ctl->read_index = hostile_indices[i];
		for (int n = 0; n < 4; n++)
			ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16),
					 VNR_RING_OK);
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16),
				 VNR_RING_CORRUPTED);
		assert_writer_dead(&f);
		ring_close(&f);
	}
}
END_TEST

/* The read index moves past the write index, or backwards. */
START_TEST(writer_rejects_read_index_past_write)
{
	static const vnr_u32 bad[] = {32, 88, 120, 192};
	vnr_u8 buf[16] = {0};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct fixture f;

		ring_open(&f, 200, 40);
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16),
				 VNR_RING_OK);
		ck_assert_uint_eq(f.ctl->write_index, 80);
		f.ctl->read_index = bad[i];
		ck_assert_uint_eq(vnr_ring_write_space(&f.w), 0);
		assert_writer_dead(&f);
		ring_close(&f);
	}
}
END_TEST

/*
 * Every combination of hostile header fields, at every read offset of a
 * ring with a given number of bytes published: the reader accepts exactly
 * the packets the format allows and copies nothing outside the ring.
 */
static const vnr_u32 hostile_header_lens[] = {
	0, 8, 16, 20, 23, 24, 25, 28, 32, 40, 0x100, 0xFFF8, 0xFFFF};

static int header_valid(vnr_u16 type, vnr_u32 hl, vnr_u32 tl, vnr_u32 avail)
{
	uint64_t space = ((uint64_t)tl + 7) & ~(uint64_t)7;

	return type != 0 && hl >= HDR && hl % 8 == 0 && tl >= hl &&
	       space <= avail;
}

static void try_header(vnr_u32 start, vnr_u32 avail, vnr_u16 type, vnr_u32 hl,
		       vnr_u32 tl)
{
	const vnr_u32 size = 200;
	struct vnr_ring_pkt_hdr h = {.type = type,
				     .header_len = (vnr_u16)hl,
				     .total_len = tl,
				     .txid = 42};
	struct vnr_ring_pkt_hdr out;
	struct fixture f;
	vnr_u8 *buf = malloc(size);
	int valid = header_valid(type, hl, tl, avail);
	enum vnr_ring_status st;

	ring_open(&f, size, start);
	/* The header at start, wrapping if it must. */
	for (vnr_u32 i = 0; i < HDR; i++)
		f.data[(start + i) % size] = ((vnr_u8 *)&h)[i];
	f.ctl->write_index = (start + avail) % size;

	st = vnr_ring_peek(&f.r, &out, buf, size);
	ck_assert_msg(st == (valid ? VNR_RING_OK : VNR_RING_CORRUPTED),
		      "start %u avail %u type %u hl %u tl %u: status %d", start,
		      avail, type, hl, tl, st);
	if (valid) {
		ck_assert_uint_eq(out.total_len, tl);
		ck_assert_int_eq(vnr_ring_read(&f.r, &out, buf, size),
				 VNR_RING_OK);
		ck_assert_uint_eq(f.ctl->read_index,
				  (start + ((tl + 7) & ~7u)) % size);
	} else {
		assert_reader_dead(&f);
		/* And a read or skip on a fresh view says the same. */
		ck_assert_int_eq(
			vnr_ring_init(&f.r, f.mem, f.bytes, VNR_RING_READER),
			VNR_RING_OK);
		ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_CORRUPTED);
		assert_reader_dead(&f);
	}
	free(buf);
	ring_close(&f);
}

START_TEST(reader_rejects_bad_headers)
{
	const vnr_u32 size = 200;
	static const vnr_u32 avails[] = {8, 16, 24, 32, 48, 184, 192};
	static const vnr_u32 starts[] = {0, 8, 176, 184, 192};
	unsigned int cases = 0;

	for (size_t s = 0; s < ARRAY_SIZE(starts); s++) {
		for (size_t a = 0; a < ARRAY_SIZE(avails); a++) {
			vnr_u32 avail = avails[a];
			vnr_u32 tls[] = {0,	      1,	   8,
					 16,	      23,	   24,
					 25,	      32,	   avail - 1,
					 avail,	      avail + 1,   avail + 8,
					 size,	      size + 8,	   0x7FFFFFFFu,
					 0x80000000u, 0xFFFFFFF0u, 0xFFFFFFF8u,
					 0xFFFFFFF9u, 0xFFFFFFFFu};

			for (size_t h = 0; h < ARRAY_SIZE(hostile_header_lens);
			     h++) {
				for (size_t t = 0; t < ARRAY_SIZE(tls); t++) {
					try_header(starts[s], avail, 0,
						   hostile_header_lens[h],
						   tls[t]);
					try_header(starts[s], avail,
						   VNR_RING_PKT_DATA_INBAND,
						   hostile_header_lens[h],
						   tls[t]);
					cases += 2;
				}
			}
		}
	}
	ck_assert_uint_gt(cases, 9000);
}
END_TEST

/* A header that claims a payload after a short publication. */
START_TEST(reader_rejects_truncated_packets)
{
	struct fixture f;
	vnr_u8 buf[64] = {0};

	/* Only 8 bytes published: not even a header. */
	ring_open(&f, 200, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	f.ctl->write_index = 8;
	ck_assert_int_eq(vnr_ring_init(&f.r, f.mem, f.bytes, VNR_RING_READER),
			 VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_CORRUPTED);
	assert_reader_dead(&f);
	ring_close(&f);

	/* Writer rewrites a published header afterwards: checked on read. */
	ring_open(&f, 200, 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_peek(&f.r, NULL, buf, 64), VNR_RING_INVALID);
	((struct vnr_ring_pkt_hdr *)f.data)->total_len = 48;
	ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_CORRUPTED);
	assert_reader_dead(&f);
	ring_close(&f);
}
END_TEST

/* The writer never reads packet bytes; a scribbled data area is harmless. */
START_TEST(writer_ignores_data_area)
{
	struct fixture f;
	vnr_u8 buf[16] = {0};

	ring_open(&f, 200, 0);
	memset(f.data, 0xFF, f.size);
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 16),
				 VNR_RING_OK);
		ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
		memset(f.data, 0xFF, f.size);
	}
	ring_close(&f);
}
END_TEST

/*
 * A writer that polls asks for room once: storing the same request again on
 * every attempt would pull the line away from the reader, which loads it
 * after every packet it consumes.
 */
START_TEST(polling_writer_asks_once)
{
	struct fixture f;
	vnr_u8 buf[200] = {0};

	ring_open(&f, 1024, 0);
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 100),
			 VNR_RING_NO_ROOM);
	ck_assert_uint_eq(f.ctl->pending_send_size, 128);
	/* Cleared behind the writer's back: a second store would show. */
	f.ctl->pending_send_size = 0;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 100),
				 VNR_RING_NO_ROOM);
	ck_assert_uint_eq(f.ctl->pending_send_size, 0);
	/* Another size is another request. */
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 180),
			 VNR_RING_NO_ROOM);
	ck_assert_uint_eq(f.ctl->pending_send_size, 208);
	/* Room made: the write goes through and withdraws the request. */
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(vnr_ring_skip(&f.r), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 180), VNR_RING_OK);
	ck_assert_uint_eq(f.ctl->pending_send_size, 0);
	ring_close(&f);
}
END_TEST

/*
 * Writing and reading touch the indices only; the signal rules, with their
 * barrier and the loads of the peer's fields, run when the caller asks.  A
 * hostile index published meanwhile is found then.
 */
START_TEST(reader_loads_write_index_when_asked)
{
	struct fixture f;
	struct vnr_ring_pkt_hdr h;
	vnr_u8 buf[200] = {0};

	ring_open(&f, 1024, 0);
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 100),
			 VNR_RING_NO_ROOM);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_OK);
	/* A write index off the 8-byte grid while the writer waits. */
	f.ctl->write_index = 1001;
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, sizeof(buf)),
			 VNR_RING_OK);
	ck_assert(!vnr_ring_is_corrupted(&f.r));
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 0);
	assert_reader_dead(&f);
	ring_close(&f);
}
END_TEST

/* One decision for several packets: the reader may wait at any of them. */
START_TEST(writer_decides_once_per_batch)
{
	struct fixture f;
	struct vnr_ring_pkt_hdr h;
	vnr_u8 buf[16] = {0};

	ring_open(&f, 1024, 0);
	/* The reader took the first of three and waits: one signal. */
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 1, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_unmask_interrupts(&f.r), 0);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 2, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 3, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 1);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	/* The reader has not reached the next batch: no signal. */
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 4, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 5, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	/* It read them all before the writer asked: no signal either. */
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 6, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 0);
	ring_close(&f);

	/*
	 * More than a ring's worth between two decisions: the reader waits
	 * at an index the write index has since passed again.
	 */
	ring_open(&f, 1024, 0);
	for (int i = 0; i < 20; i++) {
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 16), VNR_RING_OK);
	}
	ck_assert_int_eq(vnr_ring_unmask_interrupts(&f.r), 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
	ck_assert_uint_eq(f.ctl->write_index, 1200 - 1024);
	ck_assert_int_eq(vnr_ring_write_needs_signal(&f.w), 1);
	ring_close(&f);
}
END_TEST

/*
 * The reader's flow-control rule for several packets, among them more than
 * a ring's worth: the free space crossed the writer's request somewhere.
 */
START_TEST(reader_decides_once_per_batch)
{
	struct fixture f;
	struct vnr_ring_pkt_hdr h;
	vnr_u8 buf[100] = {0};

	ring_open(&f, 1024, 0);
	for (int i = 0; i < 20; i++) {
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 16), VNR_RING_OK);
	}
	/* 25 packets of 40 bytes leave 16 free; 128 are asked for. */
	for (int i = 0; i < 25; i++)
		ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, i, buf, 16),
				 VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_write(&f.w, 1, 0, 0, buf, 100),
			 VNR_RING_NO_ROOM);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(vnr_ring_read(&f.r, &h, buf, 16), VNR_RING_OK);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 1);
	ck_assert_int_eq(vnr_ring_read_needs_signal(&f.r), 0);
	ring_close(&f);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *api = tcase_create("api");
	TCase *signal = tcase_create("signal");
	TCase *hostile = tcase_create("hostile");

	tcase_add_test(api, layout);
	tcase_add_test(api, format_and_init_arguments);
	tcase_add_test(api, write_arguments);
	tcase_add_test(api, roundtrip_sizes);
	tcase_add_test(api, padding_is_zero);
	tcase_add_test(api, wrap_around_every_offset);
	tcase_add_test(api, wrap_around_stream);
	tcase_add_test(api, exact_fit);
	tcase_add_test(api, empty_and_full);
	tcase_add_test(api, buffer_too_small_and_skip);
	tcase_add_test(api, longer_header_skipped);
	tcase_add_test(api, reattach);
	suite_add_tcase(s, api);

	tcase_add_test(signal, writer_signals_on_empty_to_non_empty);
	tcase_add_test(signal, writer_no_signal_when_masked);
	tcase_add_test(signal, reader_signals_when_pending_size_reached);
	tcase_add_test(signal, reader_signals_on_big_jump);
	tcase_add_test(signal, writer_reloads_read_index);
	tcase_add_test(signal, hostile_pending_send_size);
	tcase_add_test(signal, polling_writer_asks_once);
	tcase_add_test(signal, writer_decides_once_per_batch);
	tcase_add_test(signal, reader_decides_once_per_batch);
	suite_add_tcase(s, signal);

	tcase_add_test(hostile, init_rejects_bad_indices);
	tcase_add_test(hostile, reader_rejects_bad_write_index);
	tcase_add_test(hostile, reader_rejects_write_index_going_back);
	tcase_add_test(hostile, writer_rejects_bad_read_index);
	tcase_add_test(hostile, writer_rejects_read_index_past_write);
	tcase_add_test(hostile, reader_loads_write_index_when_asked);
	tcase_add_test(hostile, reader_rejects_bad_headers);
	tcase_add_test(hostile, reader_rejects_truncated_packets);
	tcase_add_test(hostile, writer_ignores_data_area);
	tcase_set_timeout(hostile, 60);
	suite_add_tcase(s, hostile);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ring_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
