/* SPDX-License-Identifier: MIT */
#ifndef X86_XAPIC_MMIO_H
#define X86_XAPIC_MMIO_H

#include <hv/partition.h>

struct x86_exit;

/*
 * A nested page fault of a PC-platform VP on its local APIC's page while
 * the APIC is in xAPIC mode: completes the access and returns true, or
 * returns false (not the APIC's page, or an access it does not decode).
 */
bool xapic_mmio(struct hv_vp *vp, const struct x86_exit *e);

#endif /* X86_XAPIC_MMIO_H */
