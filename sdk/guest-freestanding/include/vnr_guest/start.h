/* SPDX-License-Identifier: MIT */
/*
 * Program entry.
 *
 * The start stub enables the hypercall page, installs the exception
 * handlers and calls vnr_main(), which every guest defines.  Its return
 * value becomes the partition's exit status (PARTITION_EXIT).
 */
#ifndef VNR_GUEST_START_H
#define VNR_GUEST_START_H

#include <veneer/boot.h>

/* Exit statuses the library itself uses; guests should stay below them. */
#define VNR_EXIT_BAD_START	   0xDFu /* start info magic or ABI wrong */
#define VNR_EXIT_EXCEPTION(vector) (0xE0u + (vector)) /* unhandled fault */

int vnr_main(const struct vnr_start_info *si);

/* The start info the partition was booted with. */
const struct vnr_start_info *vnr_boot_info(void);

#endif /* VNR_GUEST_START_H */
