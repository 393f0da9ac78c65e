/* SPDX-License-Identifier: MIT */
#ifndef X86_PAGING_H
#define X86_PAGING_H

#include <hv/types.h>

/* Switches to the hypervisor's identity map of [0, phys_top). */
int paging_init(u64 phys_top);

#endif /* X86_PAGING_H */
