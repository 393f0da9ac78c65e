// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A load-time check of the shared channel ring (sdk/ring) as built into
 * this module: a packet goes through a ring in kernel memory and must come
 * back unchanged, and a corrupted index must be refused.  The rings of
 * real channels use the same code.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "ring_check.h"
#include "vnr_ring.h"

#define RING_BYTES (2 * PAGE_SIZE)

static int ring_round_trip(void *mem)
{
	static const char msg[] = "veneer ring check";
	struct vnr_ring writer, reader;
	struct vnr_ring_pkt_hdr hdr;
	char buf[sizeof(msg)];

	if (vnr_ring_format(mem, RING_BYTES) != VNR_RING_OK ||
	    vnr_ring_init(&writer, mem, RING_BYTES, VNR_RING_WRITER) !=
		    VNR_RING_OK ||
	    vnr_ring_init(&reader, mem, RING_BYTES, VNR_RING_READER) !=
		    VNR_RING_OK)
		return -EINVAL;
	if (vnr_ring_write(&writer, VNR_RING_PKT_DATA_INBAND, 0, 7, msg,
			   sizeof(msg)) != VNR_RING_OK)
		return -EIO;
	if (vnr_ring_read(&reader, &hdr, buf, sizeof(buf)) != VNR_RING_OK ||
	    hdr.txid != 7 || memcmp(buf, msg, sizeof(msg)))
		return -EIO;
	/* A peer's index outside the ring must be caught, not followed. */
	((struct vnr_ring_control *)mem)->write_index = RING_BYTES * 4;
	if (vnr_ring_read(&reader, &hdr, buf, sizeof(buf)) !=
	    VNR_RING_CORRUPTED)
		return -EIO;
	return 0;
}

int veneer_ring_check(void)
{
	void *mem = kzalloc(RING_BYTES, GFP_KERNEL);
	int ret;

	if (!mem)
		return -ENOMEM;
	ret = ring_round_trip(mem);
	kfree(mem);
	return ret;
}
