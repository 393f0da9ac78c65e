/* SPDX-License-Identifier: MIT */
/*
 * Deposited memory: pages a managing partition handed to the hypervisor.
 * They leave the depositor's address space and become the only memory its
 * children's RAM is made of; a child's pages return to the pool when it is
 * destroyed, and the depositor can withdraw free deposits.
 */
#ifndef HV_DEPOSIT_H
#define HV_DEPOSIT_H

#include <hv/types.h>

struct hv_partition;

#define HV_MAX_DEPOSITS 16

struct hv_deposit {
	u64 gpa; /* where the pages were in the depositor */
	u8 *host;
	u64 pages;
	u64 *used; /* one bit per page, pool pages */
	u32 bitmap_pages;
};

/* The deposits a partition has made. */
struct hv_deposits {
	u32 count;
	struct hv_deposit list[HV_MAX_DEPOSITS];
};

/* Each either succeeds or returns its status with nothing changed. */
enum vnr_status deposit_add(struct hv_partition *p, u64 gpa, u64 pages);
enum vnr_status deposit_withdraw(struct hv_partition *p, u64 gpa, u64 pages);
/* A page of [gpa, gpa + size) lies in one of p's deposits (a hole in its
 * GPA space that only a withdraw may fill). */
bool deposit_overlaps(const struct hv_partition *p, u64 gpa, u64 size);
/* The lowest free deposited page of p, now in use; NULL if none. */
u8 *deposit_take_page(struct hv_partition *p);
/* Returns a page taken with deposit_take_page. */
void deposit_return_page(struct hv_partition *p, u8 *page);
void deposit_info(struct hv_partition *p, struct vnr_memory_info *info);

#endif /* HV_DEPOSIT_H */
