/* SPDX-License-Identifier: MIT */
/* Instructions emulated for partitions: CPUID and MSR accesses. */
#ifndef X86_GUEST_H
#define X86_GUEST_H

#include <hv/partition.h>
#include "vendor.h"

void guest_cpuid(struct hv_vp *vp);
/* false: the access raises #GP in the guest. */
bool guest_rdmsr(struct hv_vp *vp, u32 msr, u64 *value);
bool guest_wrmsr(struct hv_vp *vp, u32 msr, u64 value);

#endif /* X86_GUEST_H */
