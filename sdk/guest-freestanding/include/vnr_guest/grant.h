/* SPDX-License-Identifier: MIT */
/*
 * Grants (docs/spec/hypercalls.md): sharing pages of this partition's RAM
 * with one peer, and mapping a peer's grant into this partition.
 *
 * The boot page tables identity-map only guest RAM, so a grant mapped above
 * RAM is reachable only after vnr_map_identity() adds it to the page tables
 * (GVA == GPA, 4 KiB pages, tables from a small pool in .bss).
 */
#ifndef VNR_GUEST_GRANT_H
#define VNR_GUEST_GRANT_H

#include <stdbool.h>
#include <veneer/abi.h>

/* Each returns the call's status; *handle is written on success. */
enum vnr_status vnr_grant_create(vnr_u32 peer, const vnr_u64 *gpas,
				 vnr_u32 count, vnr_u64 flags, vnr_u64 *handle);
/* The pages [base, base + pages * 4096) of RAM, base page aligned. */
enum vnr_status vnr_grant_create_range(vnr_u32 peer, const void *base,
				       vnr_u32 pages, vnr_u64 flags,
				       vnr_u64 *handle);
enum vnr_status vnr_grant_map(vnr_u32 owner, vnr_u64 handle, vnr_u64 gpa);
enum vnr_status vnr_grant_unmap(vnr_u32 owner, vnr_u64 handle);
enum vnr_status vnr_grant_revoke(vnr_u64 handle);

/*
 * Whether each of the `pages` pages (1 to VNR_GPA_QUERY_MAX) from gpa is a
 * writable VNR_MEM_GRANT page (QUERY_GPA_ATTRIBUTES).  A provider checks a
 * grant it mapped this way before it touches it: the owner may claim more
 * pages than it granted, or grant them read-only.
 */
bool vnr_grant_range_writable(vnr_u64 gpa, vnr_u32 pages);

/*
 * A fresh page-aligned GPA range of `pages` pages above RAM (from 64 GiB
 * up, never handed out twice), for mapping grants.
 */
vnr_u64 vnr_gpa_window_alloc(vnr_u32 pages);

/*
 * Makes [gpa, gpa + bytes) accessible at the same virtual address, or
 * removes it again (with a TLB flush).  vnr_map_identity() returns false
 * when the range overlaps RAM's own mapping or the table pool is used up.
 */
bool vnr_map_identity(vnr_u64 gpa, vnr_u64 bytes);
void vnr_unmap_identity(vnr_u64 gpa, vnr_u64 bytes);

#endif /* VNR_GUEST_GRANT_H */
