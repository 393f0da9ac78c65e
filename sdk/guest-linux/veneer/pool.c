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
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "veneer.h"

/*
 * 4 MiB blocks, physically contiguous and aligned to their size (as the
 * buddy allocator's blocks are), so each deposit is one large range; down
 * to 2 MiB when no 4 MiB block is free.
 */
#define VENEER_BLOCK_ORDER     10
#define VENEER_BLOCK_ORDER_MIN 9

struct veneer_deposit {
	struct list_head node;
	struct page *block;
	unsigned int order;
};

DEFINE_MUTEX(veneer_pool_lock);
static LIST_HEAD(veneer_deposits);

static u64 veneer_deposit_gpa(const struct veneer_deposit *deposit)
{
	return page_to_phys(deposit->block);
}

static u64 veneer_deposit_pages(const struct veneer_deposit *deposit)
{
	return 1ull << deposit->order;
}

/* No retry to the point of the OOM killer: a failed block is -ENOMEM. */
static struct page *veneer_alloc_block(unsigned int *order)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	int o;

	for (o = VENEER_BLOCK_ORDER; o >= VENEER_BLOCK_ORDER_MIN; o--) {
		struct page *block = alloc_pages(gfp, o);

		if (block) {
			*order = o;
			return block;
		}
	}
	return NULL;
}

static int veneer_deposit_block(void)
{
	struct veneer_deposit *deposit = kmalloc(sizeof(*deposit), GFP_KERNEL);
	int err;

	if (!deposit)
		return -ENOMEM;
	deposit->block = veneer_alloc_block(&deposit->order);
	if (!deposit->block) {
		kfree(deposit);
		return -ENOMEM;
	}
	err = veneer_call_memory_range(VNR_CALL_MEMORY_DEPOSIT,
				       veneer_deposit_gpa(deposit),
				       veneer_deposit_pages(deposit));
	if (err) {
		/* A failed deposit leaves the range in the kernel's RAM. */
		__free_pages(deposit->block, deposit->order);
		kfree(deposit);
		return err;
	}
	list_add_tail(&deposit->node, &veneer_deposits);
	return 0;
}

int veneer_pool_reserve(u64 pages)
{
	struct vnr_memory_info info;
	int err;

	lockdep_assert_held(&veneer_pool_lock);
	for (;;) {
		err = veneer_call_memory_info(&info);
		if (err || info.free >= pages)
			return err;
		if (fatal_signal_pending(current))
			return -EINTR;
		err = veneer_deposit_block();
		if (err)
			return err;
	}
}

/* Returns the number of deposits still held. */
static unsigned int veneer_withdraw_unused(void)
{
	struct veneer_deposit *deposit, *next;
	unsigned int held = 0;

	list_for_each_entry_safe(deposit, next, &veneer_deposits, node) {
		/* A deposit with pages a child uses refuses: it stays. */
		if (veneer_call_memory_range(VNR_CALL_MEMORY_WITHDRAW,
					     veneer_deposit_gpa(deposit),
					     veneer_deposit_pages(deposit))) {
			held++;
			continue;
		}
		list_del(&deposit->node);
		__free_pages(deposit->block, deposit->order);
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
