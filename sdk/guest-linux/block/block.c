// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * veneer_blk.ko: the block class driver.  Each block channel
 * (docs/spec/block.md) becomes the disk /dev/vnrblkN, a blk-mq device with
 * one hardware queue.  Data travels through a data area of this
 * partition's pages, granted to the provider once at set-up: each tag of
 * the queue owns one slot of the area, and the tag is the request's id.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * -Wshadow (the project's): blk-mq.h names parameters complete, which is
 * also completion.h's function.
 */
__diag_push();
__diag_ignore_all("-Wshadow", "blk-mq.h's parameters named complete");
#include <linux/blk-mq.h>
__diag_pop();
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include <veneer/ipc.h>
#include <vnr_block/protocol.h>

#include "veneer_bus.h"

/*
 * A request takes 64 bytes of its ring, a response 40: eight pages hold
 * hundreds of either, many more than the requests in flight.
 */
#define VENEER_BLK_SEND_PAGES 8
#define VENEER_BLK_RECV_PAGES 8
/*
 * The data area: a slot of 64 KiB per request in flight, 31 of them in
 * one grant (at most VNR_GRANT_MAX_PAGES pages).
 */
#define VENEER_BLK_SLOT_PAGES 16
#define VENEER_BLK_SLOTS      31
#define VENEER_BLK_AREA_PAGES (VENEER_BLK_SLOTS * VENEER_BLK_SLOT_PAGES)
#define VENEER_BLK_SLOT_SIZE  (VENEER_BLK_SLOT_PAGES * PAGE_SIZE)
/* How long the provider may take to answer SETUP. */
#define VENEER_BLK_INFO_WAIT (5 * HZ)
/* How long it may leave a request unanswered (veneer_blk_timeout()). */
#define VENEER_BLK_TIMEOUT (30 * HZ)
/* block.md's least max_sectors, a page: also blk-mq's least. */
#define VENEER_BLK_MIN_SECTORS 8
/* The most sectors a disk can have: its size in bytes is an loff_t. */
#define VENEER_BLK_MAX_CAPACITY ((u64)LLONG_MAX >> SECTOR_SHIFT)

enum veneer_blk_state {
	VENEER_BLK_SETUP, /* SETUP sent: only INFO may come */
	VENEER_BLK_READY, /* INFO came: responses to requests in flight */
	VENEER_BLK_DEAD,  /* the channel ended: every request fails */
};

struct veneer_blk {
	struct veneer_device *vdev;
	void *area; /* the data area, VENEER_BLK_AREA_PAGES pages */
	u64 grant;  /* the area's */
	struct completion info_came;
	struct vnr_block_info info; /* as INFO said */
	/*
	 * lock: state, depth, stopped and inflight, with interrupts disabled
	 * as the bus's send is.  Requests are ended outside it: ending one
	 * may submit more I/O, and so call queue_rq.
	 */
	spinlock_t lock;
	enum veneer_blk_state state;
	u32 depth;    /* ids the provider may answer: the tags, 0 before */
	bool stopped; /* queue_rq stopped the queue: the ring was full */
	struct request *inflight[VENEER_BLK_SLOTS]; /* by id */
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	int index; /* N of vnrblkN */
};

/* What the provider sends, copied out of the ring. */
union veneer_blk_packet {
	struct vnr_block_info info;
	struct vnr_block_response response;
};

static DEFINE_IDA(veneer_blk_ida);

static const blk_status_t veneer_blk_status[] = {
	[VNR_BLOCK_S_OK] = BLK_STS_OK,
	[VNR_BLOCK_S_IO_ERROR] = BLK_STS_IOERR,
	[VNR_BLOCK_S_UNSUPPORTED] = BLK_STS_NOTSUPP,
	[VNR_BLOCK_S_BAD_REQUEST] = BLK_STS_IOERR,
};

static void *veneer_blk_slot(struct veneer_blk *blk, struct request *rq)
{
	return blk->area + (size_t)rq->tag * VENEER_BLK_SLOT_SIZE;
}

/*
 * The bytes of rq's segments into or out of its slot.  The copy is the
 * price of the data area: the provider reaches the area and nothing else
 * of this partition, whereas a bio's pages can be anywhere in its RAM.
 */
static void veneer_blk_copy(struct veneer_blk *blk, struct request *rq,
			    bool to_slot)
{
	char *pos = veneer_blk_slot(blk, rq);
	struct req_iterator iter;
	struct bio_vec bvec;

	rq_for_each_segment(bvec, rq, iter) {
		if (to_slot)
			memcpy_from_bvec(pos, &bvec);
		else
			memcpy_to_bvec(&bvec, pos);
		pos += bvec.bv_len;
	}
}

/* A stopped queue runs again: the ring has room, or the channel ended. */
static void veneer_blk_restart(struct veneer_blk *blk)
{
	unsigned long flags;
	bool stopped;

	spin_lock_irqsave(&blk->lock, flags);
	stopped = blk->stopped;
	blk->stopped = false;
	spin_unlock_irqrestore(&blk->lock, flags);
	if (stopped)
		blk_mq_start_stopped_hw_queues(blk->disk->queue, true);
}

/* The request in flight with this id, taken out of flight, or NULL. */
static struct request *veneer_blk_take(struct veneer_blk *blk, u64 id)
{
	struct request *rq = NULL;
	unsigned long flags;

	spin_lock_irqsave(&blk->lock, flags);
	if (id < blk->depth) {
		id = array_index_nospec(id, blk->depth);
		rq = blk->inflight[id];
		blk->inflight[id] = NULL;
	}
	spin_unlock_irqrestore(&blk->lock, flags);
	return rq;
}

/*
 * The channel ended, or must (corrupt: the provider broke the protocol,
 * or left a request unanswered): the requests in flight fail, and so
 * does every later one, without touching the data area again.
 */
static void veneer_blk_fail(struct veneer_blk *blk, bool corrupt)
{
	enum veneer_blk_state was;
	struct request *rq;
	unsigned long flags;
	u32 id;

	spin_lock_irqsave(&blk->lock, flags);
	was = blk->state;
	WRITE_ONCE(blk->state, VENEER_BLK_DEAD);
	spin_unlock_irqrestore(&blk->lock, flags);
	if (corrupt)
		veneer_channel_fail(blk->vdev);
	/* A probe waiting for INFO learns at once that none will do. */
	if (was == VENEER_BLK_SETUP)
		complete(&blk->info_came);
	if (was != VENEER_BLK_DEAD)
		dev_err(&blk->vdev->dev, "channel %s: every request fails\n",
			corrupt ? "failed" : "closed");
	for (id = 0; id < VENEER_BLK_SLOTS; id++) {
		rq = veneer_blk_take(blk, id);
		if (rq)
			blk_mq_end_request(rq, BLK_STS_IOERR);
	}
	veneer_blk_restart(blk);
}

/* INFO is the answer to SETUP, and comes once. */
static bool veneer_blk_info(struct veneer_blk *blk,
			    const struct vnr_block_info *info)
{
	unsigned long flags;
	bool expected;

	spin_lock_irqsave(&blk->lock, flags);
	expected = blk->state == VENEER_BLK_SETUP;
	if (expected) {
		blk->info = *info;
		blk->state = VENEER_BLK_READY;
	}
	spin_unlock_irqrestore(&blk->lock, flags);
	if (expected)
		complete(&blk->info_came);
	return expected;
}

/* A read's data is in its slot once its response has come. */
static bool veneer_blk_response(struct veneer_blk *blk,
				const struct vnr_block_response *resp)
{
	u32 status = resp->status;
	struct request *rq;

	if (status >= ARRAY_SIZE(veneer_blk_status))
		return false;
	rq = veneer_blk_take(blk, resp->id);
	if (!rq)
		return false;
	status = array_index_nospec(status, ARRAY_SIZE(veneer_blk_status));
	if (status == VNR_BLOCK_S_OK && req_op(rq) == REQ_OP_READ)
		veneer_blk_copy(blk, rq, false);
	blk_mq_end_request(rq, veneer_blk_status[status]);
	return true;
}

/* One packet of the provider's: false if it breaks the protocol. */
static bool veneer_blk_packet(struct veneer_blk *blk, u16 type,
			      const union veneer_blk_packet *pkt, u32 len)
{
	switch (type) {
	case VNR_BLOCK_PKT_INFO:
		return len == sizeof(pkt->info) &&
		       veneer_blk_info(blk, &pkt->info);
	case VNR_BLOCK_PKT_RESPONSE:
		return len == sizeof(pkt->response) &&
		       veneer_blk_response(blk, &pkt->response);
	default:
		return false;
	}
}

/*
 * The channel's notification, on the bus's work queue: every packet that
 * came, then the queue restarted if a full ring had stopped it (the same
 * signal says that the provider made room).
 */
static void veneer_blk_notify(struct veneer_device *vdev)
{
	struct veneer_blk *blk = dev_get_drvdata(&vdev->dev);
	union veneer_blk_packet pkt;
	u16 type;
	u32 len;
	int err;

	for (;;) {
		err = veneer_channel_recv(vdev, &type, &pkt, sizeof(pkt), &len);
		if (err)
			break;
		if (!veneer_blk_packet(blk, type, &pkt, len)) {
			err = -EPROTO;
			break;
		}
	}
	if (err != -EAGAIN)
		veneer_blk_fail(blk, err != -EPIPE);
	veneer_blk_restart(blk);
}

static u32 veneer_blk_op(struct request *rq)
{
	switch (req_op(rq)) {
	case REQ_OP_READ:
		return VNR_BLOCK_OP_READ;
	case REQ_OP_WRITE:
		return VNR_BLOCK_OP_WRITE;
	case REQ_OP_FLUSH:
		return VNR_BLOCK_OP_FLUSH;
	case REQ_OP_DISCARD:
		return VNR_BLOCK_OP_DISCARD;
	default:
		return 0;
	}
}

/*
 * The REQUEST for rq, a write's data copied into its slot.  The queue's
 * limits let through only what INFO offers: flushes and FUA writes with
 * a write cache (F_FLUSH), discards with F_DISCARD, at most max_sectors.
 */
static blk_status_t veneer_blk_prepare(struct veneer_blk *blk,
				       struct request *rq,
				       struct vnr_block_request *req)
{
	req->id = rq->tag;
	req->op = veneer_blk_op(rq);
	if (!req->op)
		return BLK_STS_NOTSUPP;
	if (req->op == VNR_BLOCK_OP_FLUSH)
		return BLK_STS_OK;
	req->sector = blk_rq_pos(rq);
	req->sectors = blk_rq_sectors(rq);
	if (req->op == VNR_BLOCK_OP_DISCARD)
		return BLK_STS_OK;
	/* max_hw_sectors keeps it within the slot; the area must not overflow. */
	if (WARN_ON_ONCE(blk_rq_bytes(rq) > VENEER_BLK_SLOT_SIZE))
		return BLK_STS_IOERR;
	req->data_offset = (u64)rq->tag * VENEER_BLK_SLOT_SIZE;
	if (req->op == VNR_BLOCK_OP_WRITE) {
		if (rq->cmd_flags & REQ_FUA)
			req->flags = VNR_BLOCK_REQ_FUA;
		veneer_blk_copy(blk, rq, true);
	}
	return BLK_STS_OK;
}

/*
 * rq goes in flight and out to the provider under the lock its response
 * is looked up with, so that a quick response finds it.  A full ring
 * stops the queue until the notification restarts it, as virtio_blk does.
 */
static blk_status_t veneer_blk_send(struct veneer_blk *blk,
				    struct blk_mq_hw_ctx *hctx,
				    struct request *rq,
				    const struct vnr_block_request *req)
{
	unsigned long flags;
	int err = -EPIPE;

	spin_lock_irqsave(&blk->lock, flags);
	if (blk->state == VENEER_BLK_READY) {
		blk->inflight[rq->tag] = rq;
		err = veneer_channel_send(blk->vdev, VNR_BLOCK_PKT_REQUEST, req,
					  sizeof(*req));
		if (err)
			blk->inflight[rq->tag] = NULL;
	}
	if (err == -EAGAIN) {
		blk_mq_stop_hw_queue(hctx);
		blk->stopped = true;
	}
	spin_unlock_irqrestore(&blk->lock, flags);
	if (err == -EAGAIN)
		return BLK_STS_DEV_RESOURCE;
	return err ? BLK_STS_IOERR : BLK_STS_OK;
}

/* blk-mq calls it where it may not sleep; nothing here does. */
static blk_status_t veneer_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
					const struct blk_mq_queue_data *bd)
{
	struct veneer_blk *blk = hctx->queue->queuedata;
	struct vnr_block_request req = {};
	blk_status_t status;

	if (READ_ONCE(blk->state) == VENEER_BLK_DEAD)
		return BLK_STS_IOERR;
	status = veneer_blk_prepare(blk, bd->rq, &req);
	if (status)
		return status;
	blk_mq_start_request(bd->rq);
	return veneer_blk_send(blk, hctx, bd->rq, &req);
}

/*
 * The protocol cannot abort a request, and its slot is the provider's
 * until it answers: a provider that leaves one unanswered this long is
 * given up on, so that nothing (del_gendisk() at removal, above all)
 * waits for it for ever.
 */
static enum blk_eh_timer_return veneer_blk_timeout(struct request *rq)
{
	struct veneer_blk *blk = rq->q->queuedata;

	dev_err(&blk->vdev->dev, "request %d unanswered for %d s\n", rq->tag,
		VENEER_BLK_TIMEOUT / HZ);
	veneer_blk_fail(blk, true);
	return BLK_EH_DONE;
}

static const struct blk_mq_ops veneer_blk_mq_ops = {
	.queue_rq = veneer_blk_queue_rq,
	.timeout = veneer_blk_timeout,
};

static const struct block_device_operations veneer_blk_fops = {
	.owner = THIS_MODULE,
};

/*
 * The data area, zeroed (the provider is shown nothing but what requests
 * put there), and its grant.
 */
static int veneer_blk_area_create(struct veneer_blk *blk)
{
	struct page **pages;
	int err = -ENOMEM;
	u32 i;

	BUILD_BUG_ON(VENEER_BLK_AREA_PAGES > VNR_GRANT_MAX_PAGES);
	blk->area = vzalloc(VENEER_BLK_AREA_PAGES * PAGE_SIZE);
	pages = kmalloc_array(VENEER_BLK_AREA_PAGES, sizeof(*pages),
			      GFP_KERNEL);
	if (blk->area && pages) {
		for (i = 0; i < VENEER_BLK_AREA_PAGES; i++)
			pages[i] = vmalloc_to_page(blk->area + i * PAGE_SIZE);
		err = veneer_grant_create(blk->vdev, pages,
					  VENEER_BLK_AREA_PAGES, &blk->grant);
	}
	kfree(pages);
	if (err)
		vfree(blk->area);
	return err;
}

/* After the channel is closed: the provider has let go of the area. */
static void veneer_blk_area_destroy(struct veneer_blk *blk)
{
	int err = veneer_grant_revoke(blk->vdev, blk->grant);

	if (err) {
		/* The provider may still reach them: they are never reused. */
		dev_err(&blk->vdev->dev,
			"data area grant %#llx not revoked (%d), %u pages leaked\n",
			blk->grant, err, VENEER_BLK_AREA_PAGES);
		return;
	}
	vfree(blk->area);
}

/* SETUP, and an INFO whose disk this driver can drive. */
static int veneer_blk_setup(struct veneer_blk *blk)
{
	struct vnr_block_setup setup = {
		.version = VNR_BLOCK_VERSION,
		.data_pages = VENEER_BLK_AREA_PAGES,
		.data_grant = blk->grant,
	};
	const struct vnr_block_info *info = &blk->info;
	int err;

	err = veneer_channel_send(blk->vdev, VNR_BLOCK_PKT_SETUP, &setup,
				  sizeof(setup));
	if (err)
		return err;
	if (!wait_for_completion_timeout(&blk->info_came,
					 VENEER_BLK_INFO_WAIT))
		return -ETIMEDOUT;
	/* The channel ended, or INFO broke the protocol, before or after. */
	if (READ_ONCE(blk->state) != VENEER_BLK_READY)
		return -EPROTO;
	if (info->status != VNR_BLOCK_SETUP_OK) {
		dev_err(&blk->vdev->dev, "set-up refused: status %u\n",
			info->status);
		return -ECONNREFUSED;
	}
	if (info->version != VNR_BLOCK_VERSION || info->max_sectors < VENEER_BLK_MIN_SECTORS ||
	    !info->max_requests || info->sectors > VENEER_BLK_MAX_CAPACITY) {
		dev_err(&blk->vdev->dev,
			"unusable INFO: version %u, %llu sectors, %u per request, %u in flight\n",
			info->version, (u64)info->sectors, info->max_sectors,
			info->max_requests);
		return -EPROTO;
	}
	return 0;
}

/* The queue's limits, from INFO; a sector is the protocol's 512 bytes. */
static void veneer_blk_limits(struct veneer_blk *blk, struct gendisk *disk)
{
	const struct vnr_block_info *info = &blk->info;
	struct request_queue *q = disk->queue;

	blk_queue_logical_block_size(q, VNR_BLOCK_SECTOR_SIZE);
	blk_queue_max_hw_sectors(q, min_t(u32, info->max_sectors,
					  VENEER_BLK_SLOT_SIZE >> SECTOR_SHIFT));
	/* Without a write cache, no flush and no FUA reach queue_rq. */
	if (info->features & VNR_BLOCK_F_FLUSH)
		blk_queue_write_cache(q, true, true);
	if (info->features & VNR_BLOCK_F_DISCARD) {
		blk_queue_max_discard_sectors(q, info->max_sectors);
		q->limits.discard_granularity = VNR_BLOCK_SECTOR_SIZE;
	}
	if (info->features & VNR_BLOCK_F_READ_ONLY)
		set_disk_ro(disk, true);
	set_capacity(disk, info->sectors);
}

static int veneer_blk_tag_set(struct veneer_blk *blk)
{
	struct blk_mq_tag_set *set = &blk->tag_set;
	unsigned long flags;

	/* Each tag a slot, and never more in flight than the provider takes. */
	spin_lock_irqsave(&blk->lock, flags);
	blk->depth = min_t(u32, blk->info.max_requests, VENEER_BLK_SLOTS);
	spin_unlock_irqrestore(&blk->lock, flags);
	set->ops = &veneer_blk_mq_ops;
	set->nr_hw_queues = 1;
	set->queue_depth = blk->depth;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->timeout = VENEER_BLK_TIMEOUT;
	return blk_mq_alloc_tag_set(set);
}

/* The disk, not added yet; blk->disk stays NULL on failure. */
static int veneer_blk_disk_alloc(struct veneer_blk *blk)
{
	struct gendisk *disk;
	int err = veneer_blk_tag_set(blk);

	if (err)
		return err;
	disk = blk_mq_alloc_disk(&blk->tag_set, blk);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto free_tags;
	}
	blk->index = ida_alloc(&veneer_blk_ida, GFP_KERNEL);
	if (blk->index < 0) {
		err = blk->index;
		goto put_disk;
	}
	snprintf(disk->disk_name, DISK_NAME_LEN, "vnrblk%d", blk->index);
	disk->fops = &veneer_blk_fops;
	disk->private_data = blk;
	veneer_blk_limits(blk, disk);
	blk->disk = disk;
	return 0;

put_disk:
	put_disk(disk);
free_tags:
	blk_mq_free_tag_set(&blk->tag_set);
	return err;
}

/* Once the channel is closed: no notification may restart the queue. */
static void veneer_blk_disk_free(struct veneer_blk *blk)
{
	ida_free(&veneer_blk_ida, blk->index);
	put_disk(blk->disk);
	blk_mq_free_tag_set(&blk->tag_set);
}

static int veneer_blk_probe(struct veneer_device *vdev)
{
	struct veneer_blk *blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	int err;

	if (!blk)
		return -ENOMEM;
	blk->vdev = vdev;
	blk->state = VENEER_BLK_SETUP;
	spin_lock_init(&blk->lock);
	init_completion(&blk->info_came);
	dev_set_drvdata(&vdev->dev, blk);
	err = veneer_blk_area_create(blk);
	if (err)
		goto free;
	err = veneer_channel_open(vdev, VENEER_BLK_SEND_PAGES,
				  VENEER_BLK_RECV_PAGES, veneer_blk_notify);
	if (err)
		goto area;
	err = veneer_blk_setup(blk);
	if (!err)
		err = veneer_blk_disk_alloc(blk);
	if (!err)
		err = add_disk(blk->disk);
	if (!err)
		return 0;
	veneer_channel_close(vdev);
	if (blk->disk)
		veneer_blk_disk_free(blk);
area:
	veneer_blk_area_destroy(blk);
free:
	kfree(blk);
	dev_err(&vdev->dev, "no disk: %d\n", err);
	return err;
}

/*
 * del_gendisk() waits for the requests in flight, which a response, the
 * channel's end or the timeout ends.  Once the channel is closed no
 * notification runs, and the provider has let go of the data area.
 */
static void veneer_blk_remove(struct veneer_device *vdev)
{
	struct veneer_blk *blk = dev_get_drvdata(&vdev->dev);

	del_gendisk(blk->disk);
	veneer_channel_close(vdev);
	veneer_blk_disk_free(blk);
	veneer_blk_area_destroy(blk);
	kfree(blk);
}

static struct veneer_driver veneer_blk_driver = {
	.driver.name = KBUILD_MODNAME,
	.class_id = VNR_BLOCK_CLASS,
	.probe = veneer_blk_probe,
	.remove = veneer_blk_remove,
};

static int __init veneer_blk_init(void)
{
	return veneer_driver_register(&veneer_blk_driver);
}
module_init(veneer_blk_init);

static void __exit veneer_blk_exit(void)
{
	veneer_driver_unregister(&veneer_blk_driver);
}
module_exit(veneer_blk_exit);

/* VNR_BLOCK_CLASS, as the bus's uevent spells it. */
MODULE_ALIAS("veneer:3c1f8a527d644b09b2e618a9f04c5d11");
MODULE_DESCRIPTION("Veneer partition: block channel as a disk");
MODULE_LICENSE("Dual MIT/GPL");
