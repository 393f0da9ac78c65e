/* SPDX-License-Identifier: MIT */
/*
 * A bump allocator with a free list of single pages: the hypervisor
 * allocates at boot and when partitions are built, and frees little, so
 * nothing more elaborate pays for itself yet.
 */
#include <hv/page_alloc.h>
#include <hv/string.h>

struct free_page {
	struct free_page *next;
};

static u8 *pool_next, *pool_end;
static u64 pool_size, pool_used;
static struct free_page *free_list;

void page_pool_init(void *base, u64 size)
{
	u8 *start = (u8 *)ALIGN_UP((uintptr_t)base, PAGE_SIZE);

	pool_next = start;
	pool_end = (u8 *)base + size;
	pool_size = (u64)(pool_end - start);
	pool_used = 0;
	free_list = NULL;
}

void *page_alloc_contiguous(u32 count)
{
	u64 bytes = (u64)count * PAGE_SIZE;
	void *page;

	if (count == 0 || (u64)(pool_end - pool_next) < bytes)
		return NULL;
	page = pool_next;
	pool_next += bytes;
	pool_used += bytes;
	return memset(page, 0, bytes);
}

void *page_alloc(void)
{
	struct free_page *page = free_list;

	if (!page)
		return page_alloc_contiguous(1);
	free_list = page->next;
	pool_used += PAGE_SIZE;
	return memset(page, 0, PAGE_SIZE);
}

void page_free(void *page)
{
	struct free_page *fp = page;

	fp->next = free_list;
	free_list = fp;
	pool_used -= PAGE_SIZE;
}

u64 page_pool_used(void)
{
	return pool_used;
}

u64 page_pool_size(void)
{
	return pool_size;
}
