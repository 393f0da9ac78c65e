// SPDX-License-Identifier: MIT
/*
 * Channel rings (docs/spec/ring.md): one writer, one reader, a hostile peer.
 *
 * Every access to a control field of the shared area is an __atomic
 * operation.  Acquire/release is what orders the packet bytes against the
 * indices; a full barrier is what the two store-then-load handshakes need
 * (write_index then interrupt_mask on the writer against interrupt_mask then
 * write_index on the reader, and pending_send_size then read_index against
 * read_index then pending_send_size), without which a signal could be lost.
 *
 * The index stores are release stores; the barrier and the load that
 * follows it are made when the caller asks whether to signal
 * (vnr_ring_*_needs_signal), once for every packet since it last asked
 * (docs/spec/ring.md, Writing and Reading: several packets).  A side that never
 * signals, such as a peer that polls, pays no barrier per packet; one that asks
 * after every packet follows the per-packet rules exactly.  The other two
 * handshake stores, a writer's request and a reader's unmask, are
 * publish(): a sequentially consistent store (XCHG on x86).  A store no
 * handshake depends on (masking, withdrawing a request, the creator's
 * features) is shared_set(), a plain store.
 *
 * Indices and lengths read from shared memory are validated before any use;
 * packet headers are copied out once and only the copy is used.  All
 * arithmetic stays below 2^31: the data area is at most VNR_RING_DATA_MAX
 * bytes and every offset is reduced below it before it is added to.
 */
#include "vnr_ring.h"

#define RING_HDR	 VNR_RING_PKT_HDR_SIZE

#define shared_load(p)	 __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define publish(p, v)	 __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define shared_set(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

typedef __UINTPTR_TYPE__ ring_uptr;
typedef vnr_u64 __attribute__((may_alias)) ring_word;
#define RING_HDR_WORDS (RING_HDR / 8)

/* The format is little-endian; so is every machine this library targets. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "packet header words assume a little-endian host");

#if __STDC_HOSTED__ || defined(__KERNEL__)
/* The C library's or the kernel's memcpy/memset. */
static inline void ring_copy(void *dst, const void *src, vnr_u32 n)
{
	__builtin_memcpy(dst, src, n);
}

static inline void ring_zero(void *dst, vnr_u32 n)
{
	__builtin_memset(dst, 0, n);
}
#else
/*
 * Freestanding: no function to call.  GCC would turn these loops back into
 * memcpy/memset calls; the attribute keeps them loops.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define RING_NO_LIBCALL \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RING_NO_LIBCALL
#endif

static RING_NO_LIBCALL void ring_copy(void *dst, const void *src, vnr_u32 n)
{
	vnr_u8 *d = dst;
	const vnr_u8 *s = src;

	if ((((ring_uptr)d | (ring_uptr)s) & 7) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(ring_word *)d = *(const ring_word *)s;
	}
	for (; n; n--)
		*d++ = *s++;
}

static RING_NO_LIBCALL void ring_zero(void *dst, vnr_u32 n)
{
	vnr_u8 *d = dst;

	for (; n; n--)
		*d++ = 0;
}
#endif

static inline vnr_u32 align8(vnr_u32 n)
{
	return (n + (VNR_RING_ALIGN - 1)) & ~(VNR_RING_ALIGN - 1);
}

/* Offset off (< size) advanced by n (<= size), wrapped. */
static inline vnr_u32 wrap_add(vnr_u32 off, vnr_u32 n, vnr_u32 size)
{
	off += n;
	return off >= size ? off - size : off;
}

static inline vnr_u32 ring_advance(const struct vnr_ring *r, vnr_u32 off,
				   vnr_u32 n)
{
	return wrap_add(off, n, r->size);
}

/* Bytes of packets between read and write (both valid indices). */
static inline vnr_u32 ring_used(const struct vnr_ring *r, vnr_u32 write,
				vnr_u32 read)
{
	return write >= read ? write - read : r->size - read + write;
}

static inline vnr_u32 ring_free(const struct vnr_ring *r)
{
	return r->size - VNR_RING_GAP - ring_used(r, r->write, r->read);
}

static inline int index_valid(const struct vnr_ring *r, vnr_u32 idx)
{
	return idx < r->size && (idx & (VNR_RING_ALIGN - 1)) == 0;
}

static enum vnr_ring_status ring_corrupt(struct vnr_ring *r)
{
	r->corrupted = 1;
	return VNR_RING_CORRUPTED;
}

/* Copy n bytes (<= size) at offset off of the data area out, wrapping. */
static void copy_out(const struct vnr_ring *r, vnr_u32 off, void *dst,
		     vnr_u32 n)
{
	vnr_u32 first = r->size - off;

	if (first > n)
		first = n;
	ring_copy(dst, r->data + off, first);
	if (n > first)
		ring_copy((vnr_u8 *)dst + first, r->data, n - first);
}

static void copy_in(struct vnr_ring *r, vnr_u32 off, const void *src, vnr_u32 n)
{
	vnr_u32 first = r->size - off;

	if (first > n)
		first = n;
	ring_copy(r->data + off, src, first);
	if (n > first)
		ring_copy(r->data, (const vnr_u8 *)src + first, n - first);
}

/*
 * The header is three 8-byte words at 8-byte offsets, so a wrap can only
 * fall between two of them: moving it word by word needs no split copy and
 * no call.  The words are packed and unpacked in registers: a header built
 * field by field in memory and then loaded as words would stall on store
 * forwarding on every packet.
 */
static void header_in(struct vnr_ring *r, vnr_u32 off,
		      const vnr_u64 word[RING_HDR_WORDS])
{
	/* Locals: a may_alias store could otherwise change *r. */
	vnr_u8 *data = r->data;
	vnr_u32 size = r->size;

	if (off + RING_HDR <= size) {
		ring_word *p = (ring_word *)(data + off);

		p[0] = word[0];
		p[1] = word[1];
		p[2] = word[2];
		return;
	}
	for (unsigned int i = 0; i < RING_HDR_WORDS; i++) {
		*(ring_word *)(data + off) = word[i];
		off = wrap_add(off, 8, size);
	}
}

/*
 * The loads are volatile so that the compiler cannot replace the private
 * copy by a second read of the shared bytes.
 */
static void header_out(const struct vnr_ring *r, vnr_u32 off,
		       vnr_u64 word[RING_HDR_WORDS])
{
	const volatile ring_word *p =
		(const volatile ring_word *)(r->data + off);

	if (off + RING_HDR <= r->size) {
		word[0] = p[0];
		word[1] = p[1];
		word[2] = p[2];
		return;
	}
	for (unsigned int i = 0; i < RING_HDR_WORDS; i++) {
		word[i] = *(const volatile ring_word *)(r->data + off);
		off = ring_advance(r, off, 8);
	}
}

static void pack_header(vnr_u64 word[RING_HDR_WORDS], vnr_u16 type,
			vnr_u16 flags, vnr_u32 total_len, vnr_u64 txid)
{
	word[0] = type | (vnr_u64)RING_HDR << 16 | (vnr_u64)total_len << 32;
	word[1] = flags; /* the reserved fields are 0 */
	word[2] = txid;
}

static void unpack_header(const vnr_u64 word[RING_HDR_WORDS],
			  struct vnr_ring_pkt_hdr *h)
{
	h->type = (vnr_u16)word[0];
	h->header_len = (vnr_u16)(word[0] >> 16);
	h->total_len = (vnr_u32)(word[0] >> 32);
	h->flags = (vnr_u16)word[1];
	h->reserved = (vnr_u16)(word[1] >> 16);
	h->reserved2 = (vnr_u32)(word[1] >> 32);
	h->txid = word[2];
}

/* The data area size of a grant, or 0 if the grant cannot hold a ring. */
static vnr_u32 grant_data_size(const void *mem, __SIZE_TYPE__ bytes)
{
	__SIZE_TYPE__ size;

	if (!mem || ((ring_uptr)mem & (VNR_RING_ALIGN - 1)))
		return 0;
	if (bytes < VNR_RING_CONTROL_SIZE + VNR_RING_DATA_MIN)
		return 0;
	size = bytes - VNR_RING_CONTROL_SIZE;
	if (size > VNR_RING_DATA_MAX || (size & (VNR_RING_ALIGN - 1)))
		return 0;
	return (vnr_u32)size;
}

enum vnr_ring_status vnr_ring_format(void *mem, __SIZE_TYPE__ bytes)
{
	struct vnr_ring_control *ctl = mem;

	if (!grant_data_size(mem, bytes))
		return VNR_RING_INVALID;
	ring_zero(ctl, sizeof(*ctl));
	shared_set(&ctl->features, VNR_RING_FEAT_PENDING_SEND_SIZE);
	return VNR_RING_OK;
}

enum vnr_ring_status vnr_ring_init(struct vnr_ring *r, void *mem,
				   __SIZE_TYPE__ bytes, enum vnr_ring_role role)
{
	vnr_u32 size = grant_data_size(mem, bytes);

	if (!r)
		return VNR_RING_INVALID;
	ring_zero(r, sizeof(*r));
	if (!size || (role != VNR_RING_WRITER && role != VNR_RING_READER))
		return VNR_RING_INVALID;
	r->ctl = mem;
	r->data = (vnr_u8 *)mem + VNR_RING_CONTROL_SIZE;
	r->size = size;
	r->role = role;
	r->features = shared_load(&r->ctl->features);
	/* Any two valid indices describe a consistent ring. */
	r->write = shared_load(&r->ctl->write_index);
	r->read = shared_load(&r->ctl->read_index);
	if (!index_valid(r, r->write) || !index_valid(r, r->read))
		return ring_corrupt(r);
	if (role == VNR_RING_WRITER)
		shared_set(&r->ctl->pending_send_size, 0u);
	return VNR_RING_OK;
}

/*
 * Writer: load the reader's index.  It may only have moved forward, and
 * not past the write index.
 */
static int refresh_read(struct vnr_ring *r)
{
	vnr_u32 read = shared_load(&r->ctl->read_index);

	if (!index_valid(r, read) ||
	    ring_used(r, read, r->read) > ring_used(r, r->write, r->read)) {
		ring_corrupt(r);
		return 0;
	}
	r->read = read;
	return 1;
}

/*
 * Reader: load the writer's index.  It may only have moved forward, and
 * never so far that fewer than VNR_RING_GAP bytes are free (which any
 * valid index guarantees, the data area size being a multiple of 8).
 */
static int refresh_write(struct vnr_ring *r)
{
	vnr_u32 write = shared_load(&r->ctl->write_index);

	if (!index_valid(r, write) ||
	    ring_used(r, write, r->read) < ring_used(r, r->write, r->read)) {
		ring_corrupt(r);
		return 0;
	}
	r->write = write;
	return 1;
}

vnr_u32 vnr_ring_max_payload(const struct vnr_ring *r)
{
	if (!r || !r->size)
		return 0;
	return r->size - VNR_RING_GAP - RING_HDR;
}

/*
 * Bytes moved since the signal rule last ran, counted up to the data area
 * size: a side that moved a whole ring's worth may have passed the peer
 * anywhere.
 */
static void count_unchecked(struct vnr_ring *r, vnr_u32 space)
{
	r->unchecked += space;
	if (r->unchecked > r->size)
		r->unchecked = r->size;
}

/*
 * Writer: make sure space bytes are free, asking the reader for a signal if
 * they are not.  Returns VNR_RING_OK, VNR_RING_NO_ROOM or
 * VNR_RING_CORRUPTED.
 */
static enum vnr_ring_status reserve(struct vnr_ring *r, vnr_u32 space)
{
	if (!refresh_read(r))
		return VNR_RING_CORRUPTED;
	if (ring_free(r) >= space)
		return VNR_RING_OK;
	/*
	 * Ask for a signal, then look again: the reader may have made room
	 * before it could see the request.  A writer that polls asks once;
	 * storing the same request again on every attempt would only pull
	 * the line away from the reader, which loads it after every packet.
	 */
	if (r->pending != space) {
		r->pending = space;
		publish(&r->ctl->pending_send_size, space);
	}
	if (!refresh_read(r))
		return VNR_RING_CORRUPTED;
	return ring_free(r) >= space ? VNR_RING_OK : VNR_RING_NO_ROOM;
}

/*
 * Writer: header, payload and padding at the write index.  The last word
 * is zeroed before the payload is copied over its start, so the padding is
 * one store, not a second copy.
 */
static void put_packet(struct vnr_ring *r, const vnr_u64 h[RING_HDR_WORDS],
		       const void *data, vnr_u32 len, vnr_u32 space)
{
	vnr_u32 off = r->write;

	header_in(r, off, h);
	if (space > RING_HDR + len)
		*(ring_word *)(r->data + ring_advance(r, off, space - 8)) = 0;
	if (len)
		copy_in(r, ring_advance(r, off, RING_HDR), data, len);
}

enum vnr_ring_status vnr_ring_write(struct vnr_ring *r, vnr_u16 type,
				    vnr_u16 flags, vnr_u64 txid,
				    const void *data, vnr_u32 len)
{
	vnr_u64 h[RING_HDR_WORDS];
	enum vnr_ring_status st;
	vnr_u32 space, old;

	if (!r || r->role != VNR_RING_WRITER)
		return VNR_RING_INVALID;
	if (r->corrupted)
		return VNR_RING_CORRUPTED;
	if (!type || (!data && len))
		return VNR_RING_INVALID;
	if (len > vnr_ring_max_payload(r))
		return VNR_RING_TOO_BIG;
	space = align8(RING_HDR + len);

	if (ring_free(r) < space) {
		st = reserve(r, space);
		if (st != VNR_RING_OK)
			return st;
	}
	/* Withdrawing a request needs no barrier: no handshake reads it. */
	if (r->pending) {
		r->pending = 0;
		shared_set(&r->ctl->pending_send_size, 0u);
	}

	pack_header(h, type, flags, RING_HDR + len, txid);
	old = r->write;
	put_packet(r, h, data, len, space);
	r->write = ring_advance(r, old, space);
	count_unchecked(r, space);
	/*
	 * Release only: the barrier and the signal rule wait for
	 * vnr_ring_write_needs_signal(), once for all the packets written
	 * since it was last asked.
	 */
	__atomic_store_n(&r->ctl->write_index, r->write, __ATOMIC_RELEASE);
	return VNR_RING_OK;
}

int vnr_ring_write_needs_signal(struct vnr_ring *r)
{
	vnr_u32 written, used;

	if (!r || r->role != VNR_RING_WRITER || r->corrupted || !r->unchecked)
		return 0;
	written = r->unchecked;
	r->unchecked = 0;
	/* Storing the index again is the barrier (and what TSan models). */
	publish(&r->ctl->write_index, r->write);
	if (shared_load(&r->ctl->interrupt_mask) != VNR_RING_UNMASKED)
		return 0;
	if (!refresh_read(r))
		return 0;
	/*
	 * A reader that stopped at any of these packets may be waiting for
	 * the next one: fewer bytes than were written are left.  One that
	 * has read them all, or has not reached them yet, is not waiting.
	 */
	used = ring_used(r, r->write, r->read);
	return used && used <= written;
}

vnr_u32 vnr_ring_write_space(struct vnr_ring *r)
{
	if (!r || r->role != VNR_RING_WRITER || r->corrupted)
		return 0;
	if (!refresh_read(r))
		return 0;
	return ring_free(r);
}

/*
 * Reader: copy the next packet's header (and payload if buf) out and
 * validate the copy.  *space is the packet's size in the data area.
 */
static enum vnr_ring_status fetch(struct vnr_ring *r,
				  struct vnr_ring_pkt_hdr *out, void *buf,
				  vnr_u32 buflen, int payload, vnr_u32 *space)
{
	vnr_u64 copy[RING_HDR_WORDS];
	struct vnr_ring_pkt_hdr hdr;
	vnr_u32 avail, len;

	if (!r || r->role != VNR_RING_READER || (payload && !out))
		return VNR_RING_INVALID;
	if (r->corrupted)
		return VNR_RING_CORRUPTED;
	avail = ring_used(r, r->write, r->read);
	if (!avail) {
		if (!refresh_write(r))
			return VNR_RING_CORRUPTED;
		avail = ring_used(r, r->write, r->read);
		if (!avail)
			return VNR_RING_EMPTY;
	}
	if (avail < RING_HDR)
		return ring_corrupt(r);
	header_out(r, r->read, copy);
	/* From here on only the copy is used. */
	unpack_header(copy, &hdr);
	if (!hdr.type || hdr.header_len < RING_HDR ||
	    (hdr.header_len & (VNR_RING_ALIGN - 1)) ||
	    hdr.total_len < hdr.header_len || hdr.total_len > avail ||
	    align8(hdr.total_len) > avail)
		return ring_corrupt(r);
	*space = align8(hdr.total_len);
	if (out)
		*out = hdr;
	if (!payload)
		return VNR_RING_OK;
	len = hdr.total_len - hdr.header_len;
	if (len > buflen)
		return VNR_RING_BUF_TOO_SMALL;
	if (len) {
		if (!buf)
			return VNR_RING_INVALID;
		copy_out(r, ring_advance(r, r->read, hdr.header_len), buf, len);
	}
	return VNR_RING_OK;
}

/*
 * Reader: free the space bytes of the packet at the read index.  Release
 * only: the barrier and the flow-control rule wait for
 * vnr_ring_read_needs_signal(), as for the writer.
 */
static void consume(struct vnr_ring *r, vnr_u32 space)
{
	r->read = ring_advance(r, r->read, space);
	count_unchecked(r, space);
	__atomic_store_n(&r->ctl->read_index, r->read, __ATOMIC_RELEASE);
}

enum vnr_ring_status vnr_ring_peek(struct vnr_ring *r,
				   struct vnr_ring_pkt_hdr *hdr, void *buf,
				   vnr_u32 buflen)
{
	vnr_u32 space;

	return fetch(r, hdr, buf, buflen, 1, &space);
}

enum vnr_ring_status vnr_ring_read(struct vnr_ring *r,
				   struct vnr_ring_pkt_hdr *hdr, void *buf,
				   vnr_u32 buflen)
{
	enum vnr_ring_status st;
	vnr_u32 space;

	st = fetch(r, hdr, buf, buflen, 1, &space);
	if (st == VNR_RING_OK)
		consume(r, space);
	return st;
}

enum vnr_ring_status vnr_ring_skip(struct vnr_ring *r)
{
	enum vnr_ring_status st;
	vnr_u32 space;

	st = fetch(r, 0, 0, 0, 0, &space);
	if (st == VNR_RING_OK)
		consume(r, space);
	return st;
}

int vnr_ring_read_needs_signal(struct vnr_ring *r)
{
	vnr_u32 freed, pending, after;

	if (!r || r->role != VNR_RING_READER || r->corrupted || !r->unchecked)
		return 0;
	freed = r->unchecked;
	r->unchecked = 0;
	publish(&r->ctl->read_index, r->read);
	pending = shared_load(&r->ctl->pending_send_size);
	if (!pending || !refresh_write(r))
		return 0;
	/*
	 * A writer waiting for pending bytes has stopped writing: with its
	 * current index, signal if these packets made the free space reach
	 * pending when it was below before.
	 */
	after = ring_free(r);
	return after >= pending && (vnr_s64)after - freed < (vnr_s64)pending;
}

void vnr_ring_mask_interrupts(struct vnr_ring *r)
{
	if (!r || r->role != VNR_RING_READER || r->corrupted)
		return;
	/* Late or lost, a mask only costs a spurious signal. */
	shared_set(&r->ctl->interrupt_mask, VNR_RING_MASKED);
}

int vnr_ring_unmask_interrupts(struct vnr_ring *r)
{
	if (!r || r->role != VNR_RING_READER)
		return 0;
	if (r->corrupted)
		return 1;
	publish(&r->ctl->interrupt_mask, VNR_RING_UNMASKED);
	/* A packet written before the writer could see the unmask. */
	if (!refresh_write(r))
		return 1;
	return r->write != r->read;
}

vnr_u32 vnr_ring_read_avail(struct vnr_ring *r)
{
	if (!r || r->role != VNR_RING_READER || r->corrupted)
		return 0;
	if (!refresh_write(r))
		return 0;
	return ring_used(r, r->write, r->read);
}
