/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own page pool (page tables, control blocks).  The
 * platform hands it one region at boot; guest RAM never comes from here.
 */
#ifndef HV_PAGE_ALLOC_H
#define HV_PAGE_ALLOC_H

#include <hv/types.h>

void page_pool_init(void *base, u64 size);
/* A zeroed 4 KiB page, or NULL when the pool is exhausted. */
void *page_alloc(void);
/* count physically contiguous zeroed pages, or NULL. */
void *page_alloc_contiguous(u32 count);
void page_free(void *page);
u64 page_pool_used(void);
u64 page_pool_size(void);

#endif /* HV_PAGE_ALLOC_H */
