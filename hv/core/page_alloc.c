/* SPDX-License-Identifier: MIT */
/*
 * The pool keeps one bit per page, at its start.  A run of pages freed
 * page by page is whole again at once, so multi-page allocations (deposit
 * bitmaps, I/O permission maps) never fragment the pool for good; a
 * linear scan of a few thousand bits is cheap next to what allocates.
 */
#include <hv/page_alloc.h>
#include <hv/string.h>

#define BITS_PER_PAGE (PAGE_SIZE * 8)

static u64 *in_use; /* bit i: page i of the pool is allocated */
static u8 *pool_base;
static u64 pool_pages, pages_used;
static u64 lowest_free; /* no free page below it */
static u64 share_pages;

void page_pool_init(void *base, u64 size)
{
	u8 *start = (u8 *)ALIGN_UP((uintptr_t)base, PAGE_SIZE);
	u64 pages = (u64)((u8 *)base + size - start) / PAGE_SIZE;
	u64 map_pages = (pages + BITS_PER_PAGE) / (BITS_PER_PAGE + 1);

	in_use = (u64 *)start;
	memset(in_use, 0, map_pages * PAGE_SIZE);
	pool_base = start + map_pages * PAGE_SIZE;
	pool_pages = pages - map_pages;
	pages_used = 0;
	lowest_free = 0;
	share_pages = 0;
}

void page_pool_divide(u32 count)
{
	share_pages = (pool_pages - pages_used) / count;
}

u64 page_pool_share(void)
{
	return share_pages;
}

static bool page_used(u64 i)
{
	return in_use[i / 64] & (1ull << (i % 64));
}

/* The first page of count free pages in a row, or pool_pages. */
static u64 find_run(u32 count)
{
	u64 run = 0;

	for (u64 i = lowest_free; i < pool_pages; i++) {
		if (i % 64 == 0 && in_use[i / 64] == ~0ull) {
			run = 0;
			i += 63; /* a full word */
			continue;
		}
		run = page_used(i) ? 0 : run + 1;
		if (run == count)
			return i + 1 - count;
	}
	return pool_pages;
}

void *page_alloc_contiguous(u32 count)
{
	u64 first = count ? find_run(count) : pool_pages;

	if (first == pool_pages)
		return NULL;
	for (u64 i = first; i < first + count; i++)
		in_use[i / 64] |= 1ull << (i % 64);
	if (first == lowest_free)
		lowest_free += count;
	pages_used += count;
	return memset(pool_base + first * PAGE_SIZE, 0,
		      (size_t)count * PAGE_SIZE);
}

void *page_alloc(void)
{
	return page_alloc_contiguous(1);
}

void page_free(void *page)
{
	u64 i = (u64)((u8 *)page - pool_base) / PAGE_SIZE;

	in_use[i / 64] &= ~(1ull << (i % 64));
	lowest_free = MIN(lowest_free, i);
	pages_used--;
}

void *page_alloc_charged(struct hv_pool_account *a, u32 count)
{
	void *pages;

	if (count > a->limit - a->pages)
		return NULL;
	pages = page_alloc_contiguous(count);
	if (pages)
		a->pages += count;
	return pages;
}

void page_free_charged(struct hv_pool_account *a, void *page)
{
	page_free(page);
	a->pages--;
}

u64 page_pool_used(void)
{
	return pages_used * PAGE_SIZE;
}

u64 page_pool_size(void)
{
	return pool_pages * PAGE_SIZE;
}
