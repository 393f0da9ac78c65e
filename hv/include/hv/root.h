/* SPDX-License-Identifier: MIT */
/*
 * Root mode: the root partition owns the machine; its address space is
 * the identity map of the physical address space but the hypervisor's own
 * memory (docs/spec/root-mode.md).
 */
#ifndef HV_ROOT_H
#define HV_ROOT_H

#include <hv/partition.h>

enum root_fault {
	ROOT_FAULT_MAPPED,     /* now identity-mapped: the access is retried */
	ROOT_FAULT_HYPERVISOR, /* a write to the hypervisor's memory */
	ROOT_FAULT_UNMAPPABLE, /* the address space has no room for it */
	ROOT_FAULT_DEPOSITED,  /* memory the root deposited (its children's) */
};

/*
 * A nested page fault of the root at gpa: what it is.  Addresses the
 * initial map leaves out (MMIO above the RAM the firmware reports) are
 * mapped on first touch, in the largest aligned block that keeps clear of
 * the hypervisor's memory.
 */
enum root_fault root_nested_fault(struct hv_partition *root, u64 gpa,
				  bool write);
/*
 * A deposit of the root leaves its address space and a withdraw puts the
 * identity map back (memory.c's partition_unmap_ram/partition_map_ram for
 * the root, which has no RAM extents): the same statuses.
 */
enum vnr_status root_unmap_ram(struct hv_partition *root, u64 gpa, u64 size);
enum vnr_status root_map_ram(struct hv_partition *root, u64 gpa, u64 size);
/*
 * The root powers the machine off (ACPI sleep to S5 or another state):
 * the hypervisor's last lines about it, its exits by reason since the
 * take-over, before the write that does it.  Called once.
 */
void root_powering_off(struct hv_partition *root);

/*
 * The hypervisor's pointer to [gpa, gpa + size) of the root, which is the
 * same physical address, or NULL unless the range lies in one range of
 * the RAM the firmware's memory map lists (so never in the hypervisor's
 * memory, never MMIO, never a deposit of the root) and within what the
 * hypervisor itself maps.
 */
void *root_gpa_to_host(u64 gpa, u64 size);

#endif /* HV_ROOT_H */
