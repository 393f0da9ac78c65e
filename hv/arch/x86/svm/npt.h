/* SPDX-License-Identifier: MIT */
#ifndef SVM_NPT_H
#define SVM_NPT_H

#include <hv/types.h>

/* Maps [gpa, gpa + size) to host physical hpa; fails on any overlap. */
int npt_map(u64 *pml4, u64 gpa, u64 hpa, u64 size, bool writable);
/* Clears the 4 KiB mappings in [gpa, gpa + size); the caller flushes. */
void npt_unmap(u64 *pml4, u64 gpa, u64 size);
void npt_free(u64 *pml4);

#endif /* SVM_NPT_H */
