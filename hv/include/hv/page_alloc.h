/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own page pool (page tables, control blocks).  The
 * platform hands it one region at boot; guest RAM never comes from here.
 */
#ifndef HV_PAGE_ALLOC_H
#define HV_PAGE_ALLOC_H

#include <hv/types.h>

/*
 * Pages of the pool held on behalf of one partition, and how many it may
 * hold: what a partition can make the hypervisor allocate is charged here,
 * so that no partition can take the pool from the others.
 */
struct hv_pool_account {
	u64 pages;
	u64 limit;
};

/*
 * Hands the pool [base, base + size) (page aligned, owned by the pool from
 * now on); called once by the platform before any allocation.
 */
void page_pool_init(void *base, u64 size);
/* A zeroed 4 KiB page, or NULL when the pool is exhausted. */
void *page_alloc(void);
/* count physically contiguous zeroed pages, or NULL.  Freed page by page. */
void *page_alloc_contiguous(u32 count);
/* Returns one page of the pool (NULL is ignored); it must not be in use. */
void page_free(void *page);
/* Like page_alloc_contiguous, charged to a; NULL also at a's limit. */
void *page_alloc_charged(struct hv_pool_account *a, u32 count);
/* Frees one page allocated with page_alloc_charged. */
void page_free_charged(struct hv_pool_account *a, void *page);
/*
 * Divides what is free of the pool now into count equal shares, once the
 * hypervisor's own structures are allocated: every allocation made later
 * is charged to a partition's account, whose limit is one share, so the
 * shares of all partitions together always fit what is left.
 */
void page_pool_divide(u32 count);
/* Pages in one share (0 before page_pool_divide). */
u64 page_pool_share(void);
u64 page_pool_used(void);
u64 page_pool_size(void);

#endif /* HV_PAGE_ALLOC_H */
