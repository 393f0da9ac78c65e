// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The root's deposit pool (docs/spec/management.md, memory model): blocks
 * of the kernel's RAM the module allocates and deposits with the
 * hypervisor, and withdraws once no child uses them.  The root's
 * guest-physical addresses are the physical ones, so a block's GPA is its
 * physical address.  A deposited block has left the kernel's address
 * space: it is never touched, and never freed, until it is withdrawn.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "veneer.h"

/*
 * 4 MiB blocks, physically contiguous and aligned to their size (as the
 * buddy allocator's blocks are); down to 2 MiB when no 4 MiB block is
 * free.
 */
#define VENEER_BLOCK_ORDER     10
#define VENEER_BLOCK_ORDER_MIN 9

struct veneer_block {
	struct page *page;
	unsigned int order;
};

/*
 * One MEMORY_DEPOSIT: a run of physically adjacent blocks.  The
 * hypervisor takes few deposits per partition, so adjacent blocks go in
 * as one range.
 */
struct veneer_deposit {
	struct list_head node;
	u64 gpa;
	u64 pages;
	unsigned int count;
	struct veneer_block blocks[];
};

DEFINE_MUTEX(veneer_pool_lock);
static LIST_HEAD(veneer_deposits);

static u64 veneer_block_pages(const struct veneer_block *block)
{
	return 1ull << block->order;
}

static void veneer_free_blocks(const struct veneer_block *blocks,
			       unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		__free_pages(blocks[i].page, blocks[i].order);
}

/* No retry to the point of the OOM killer: a failed block is -ENOMEM. */
static int veneer_alloc_block(struct veneer_block *block)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	int order;

	for (order = VENEER_BLOCK_ORDER; order >= VENEER_BLOCK_ORDER_MIN;
	     order--) {
		block->page = alloc_pages(gfp, order);
		if (block->page) {
			block->order = order;
			return 0;
		}
	}
	return -ENOMEM;
}

static int veneer_block_cmp(const void *a, const void *b)
{
	unsigned long pa = page_to_pfn(((const struct veneer_block *)a)->page);
	unsigned long pb = page_to_pfn(((const struct veneer_block *)b)->page);

	return pa < pb ? -1 : pa > pb;
}

/* The number of blocks from the first on that follow each other. */
static unsigned int veneer_run_length(const struct veneer_block *blocks,
				      unsigned int count)
{
	unsigned int n = 1;

	while (n < count &&
	       page_to_pfn(blocks[n - 1].page) +
			       veneer_block_pages(&blocks[n - 1]) ==
		       page_to_pfn(blocks[n].page))
		n++;
	return n;
}

/* Deposits the run; on failure the blocks are still the caller's. */
static int veneer_deposit_run(const struct veneer_block *blocks,
			      unsigned int count)
{
	struct veneer_deposit *deposit;
	unsigned int i;
	int err;

	deposit = kmalloc(struct_size(deposit, blocks, count), GFP_KERNEL);
	if (!deposit)
		return -ENOMEM;
	deposit->gpa = page_to_phys(blocks[0].page);
	deposit->pages = 0;
	deposit->count = count;
	for (i = 0; i < count; i++) {
		deposit->blocks[i] = blocks[i];
		deposit->pages += veneer_block_pages(&blocks[i]);
	}
	err = veneer_call_memory_range(VNR_CALL_MEMORY_DEPOSIT, deposit->gpa,
				       deposit->pages);
	if (err) {
		kfree(deposit);
		return err;
	}
	list_add_tail(&deposit->node, &veneer_deposits);
	return 0;
}

/*
 * Allocates blocks for at least pages pages, then deposits each run of
 * adjacent ones.  What is not deposited (a failed deposit leaves its range
 * in the kernel's RAM) is freed again.
 */
static int veneer_deposit_pages(u64 pages)
{
	unsigned int max = DIV_ROUND_UP(pages, 1u << VENEER_BLOCK_ORDER_MIN);
	struct veneer_block *blocks;
	unsigned int count = 0, done = 0;
	u64 allocated = 0;
	int err = 0;

	blocks = kvmalloc_array(max, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;
	while (!err && allocated < pages) {
		if (fatal_signal_pending(current))
			err = -EINTR;
		else
			err = veneer_alloc_block(&blocks[count]);
		if (!err)
			allocated += veneer_block_pages(&blocks[count++]);
	}
	sort(blocks, count, sizeof(*blocks), veneer_block_cmp, NULL);
	while (!err && done < count) {
		unsigned int run = veneer_run_length(&blocks[done], count - done);

		err = veneer_deposit_run(&blocks[done], run);
		if (!err)
			done += run;
	}
	veneer_free_blocks(&blocks[done], count - done);
	kvfree(blocks);
	return err;
}

int veneer_pool_reserve(u64 pages)
{
	struct vnr_memory_info info;
	int err;

	lockdep_assert_held(&veneer_pool_lock);
	err = veneer_call_memory_info(&info);
	if (err || info.free >= pages)
		return err;
	return veneer_deposit_pages(pages - info.free);
}

/* Returns the number of deposits still held. */
static unsigned int veneer_withdraw_unused(void)
{
	struct veneer_deposit *deposit, *next;
	unsigned int held = 0;

	list_for_each_entry_safe(deposit, next, &veneer_deposits, node) {
		/* A deposit with pages a child uses refuses: it stays. */
		if (veneer_call_memory_range(VNR_CALL_MEMORY_WITHDRAW,
					     deposit->gpa, deposit->pages)) {
			held++;
			continue;
		}
		list_del(&deposit->node);
		veneer_free_blocks(deposit->blocks, deposit->count);
		kfree(deposit);
	}
	return held;
}

void veneer_pool_shrink(void)
{
	mutex_lock(&veneer_pool_lock);
	veneer_withdraw_unused();
	mutex_unlock(&veneer_pool_lock);
}

void veneer_pool_exit(void)
{
	struct veneer_deposit *deposit, *next;
	unsigned int held;

	mutex_lock(&veneer_pool_lock);
	held = veneer_withdraw_unused();
	/* The hypervisor still owns these pages: they must never be freed. */
	if (held)
		pr_err("%u deposits could not be withdrawn; their memory is lost until reboot\n",
		       held);
	list_for_each_entry_safe(deposit, next, &veneer_deposits, node) {
		list_del(&deposit->node);
		kfree(deposit);
	}
	mutex_unlock(&veneer_pool_lock);
}
