/* SPDX-License-Identifier: MIT */
/*
 * The checks every block backend makes of a request (docs/spec/block.md):
 * one implementation for the block service partition and the root's
 * backend.  block_check.c includes no system header and calls no
 * function, so it builds freestanding and hosted alike.
 */
#ifndef VNR_BLOCK_CHECK_H
#define VNR_BLOCK_CHECK_H

#include <vnr_block/protocol.h>

/* What a backend told the client in INFO, and its data area's size. */
struct vnr_block_limits {
	vnr_u64 sectors;
	vnr_u64 area_bytes;
	vnr_u32 features; /* VNR_BLOCK_F_* */
	vnr_u32 max_sectors;
};

/*
 * The status block.md gives request r, read once into the backend's own
 * memory: VNR_BLOCK_S_BAD_REQUEST for a malformed field (checked first),
 * VNR_BLOCK_S_UNSUPPORTED for what the features do not offer (or an
 * operation version 1 does not know), else VNR_BLOCK_S_OK: its sectors
 * and data lie within the disk and the area.
 */
vnr_u32 vnr_block_check(const struct vnr_block_request *r,
			const struct vnr_block_limits *l);

#endif /* VNR_BLOCK_CHECK_H */
