/* SPDX-License-Identifier: MIT */
#ifndef SVM_NPT_H
#define SVM_NPT_H

#include <hv/page_alloc.h>

/*
 * Every table of an address space is charged to its partition's account
 * a, and freed as soon as it maps nothing: what a partition maps and
 * unmaps again leaves no table behind.  The functions return 0 or an
 * HV_MAP_* code (hv/arch.h) and change nothing when they fail.
 */

/* Whether 1 GiB pages may be used (set once at boot from CPUID). */
extern bool npt_huge_pages;

/* Maps [gpa, gpa + size) to host physical hpa; fails on any overlap. */
int npt_map(struct hv_pool_account *a, u64 *pml4, u64 gpa, u64 hpa, u64 size,
	    bool writable);
/* Clears the mappings in [gpa, gpa + size); the caller flushes. */
int npt_unmap(struct hv_pool_account *a, u64 *pml4, u64 gpa, u64 size);
/* Points every 4 KiB mapping of [gpa, gpa + size) at page hpa, writable;
 * fails unless each page of the range has one.  Allocates nothing. */
int npt_back_with_page(u64 *pml4, u64 gpa, u64 size, u64 hpa);
/* Whether gpa is mapped by a 4 KiB entry to the page hpa. */
bool npt_maps_small_page(u64 *pml4, u64 gpa, u64 hpa);
void npt_free(struct hv_pool_account *a, u64 *pml4);

#endif /* SVM_NPT_H */
