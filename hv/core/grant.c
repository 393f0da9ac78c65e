/* SPDX-License-Identifier: MIT */
/*
 * Memory grants.  The owner keeps the grant table; a handle encodes the
 * slot and a generation, so a stale or guessed handle names nothing.  A
 * peer that is not the grant's named peer gets the same status whether
 * the handle exists or not.
 */
#include <hv/grant_ops.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/string.h>

#define GPA_LIMIT (1ull << 40) /* highest GPA a grant may be mapped at */
#define SLOT_BITS 8

static struct hv_grant *lookup(struct hv_partition *owner, u64 handle)
{
	u64 slot = (handle & ((1u << SLOT_BITS) - 1)) - 1;

	if (!owner || slot >= VNR_MAX_GRANTS)
		return NULL;
	if (owner->grants[slot].handle != handle || handle == 0)
		return NULL;
	return &owner->grants[slot];
}

enum vnr_status grant_create(struct hv_partition *owner, u32 peer,
			     const u64 *gpas, u32 count, bool read_only,
			     u64 *handle)
{
	struct hv_grant *g = NULL;
	u32 slot;

	for (slot = 0; slot < VNR_MAX_GRANTS; slot++)
		if (!owner->grants[slot].handle) {
			g = &owner->grants[slot];
			break;
		}
	if (!g)
		return VNR_STATUS_QUOTA_EXCEEDED;
	g->gpas = page_alloc();
	if (!g->gpas)
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	memcpy(g->gpas, gpas, (size_t)count * sizeof(u64));
	g->peer = peer;
	g->page_count = count;
	g->read_only = read_only;
	g->mapped = false;
	g->handle = ((u64)++owner->grant_generation << SLOT_BITS) | (slot + 1);
	*handle = g->handle;
	return VNR_STATUS_SUCCESS;
}

static void unmap(struct hv_grant *g)
{
	struct hv_partition *peer = partition_by_id(g->peer);

	if (peer)
		arch_unmap_gpa(peer, g->mapped_gpa,
			       (u64)g->page_count * PAGE_SIZE);
	g->mapped = false;
}

/*
 * A revoke must not turn the peer's next access into a fatal fault: a
 * peer may be using the pages (a ring) when a hostile owner revokes them.
 * The range is backed by the peer's own scratch page instead, so reads see
 * zeros or what the peer itself wrote there, and nothing reaches the owner.
 */
static void back_with_scratch(struct hv_partition *peer, u64 gpa, u32 pages)
{
	if (!peer->grant_scratch)
		peer->grant_scratch = page_alloc();
	for (u32 i = 0; peer->grant_scratch && i < pages; i++)
		arch_map_gpa(peer, gpa + (u64)i * PAGE_SIZE,
			     (u64)(uintptr_t)peer->grant_scratch, PAGE_SIZE,
			     true);
}

enum vnr_status grant_map(struct hv_partition *peer, u32 owner_id, u64 handle,
			  u64 gpa)
{
	struct hv_partition *owner = partition_by_id(owner_id);
	struct hv_grant *g = lookup(owner, handle);
	u64 size;

	if (!g || g->peer != peer->id)
		return VNR_STATUS_INVALID_GRANT;
	if (!IS_ALIGNED(gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	size = (u64)g->page_count * PAGE_SIZE;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa)
		return VNR_STATUS_INVALID_GPA;
	if (g->mapped)
		return VNR_STATUS_GPA_IN_USE;
	for (u32 i = 0; i < g->page_count; i++) {
		u8 *page = partition_gpa_to_host(owner, g->gpas[i], PAGE_SIZE);
		u64 hpa = (u64)(uintptr_t)page;

		/* Owner pages deposited since the grant was made are refused.
		 */
		if (!page || arch_map_gpa(peer, gpa + (u64)i * PAGE_SIZE, hpa,
					  PAGE_SIZE, !g->read_only)) {
			arch_unmap_gpa(peer, gpa, (u64)i * PAGE_SIZE);
			return VNR_STATUS_GPA_IN_USE;
		}
	}
	g->mapped = true;
	g->mapped_gpa = gpa;
	return VNR_STATUS_SUCCESS;
}

enum vnr_status grant_unmap(struct hv_partition *peer, u32 owner_id, u64 handle)
{
	struct hv_partition *owner = partition_by_id(owner_id);
	struct hv_grant *g = lookup(owner, handle);

	if (!g || g->peer != peer->id || !g->mapped)
		return VNR_STATUS_INVALID_GRANT;
	unmap(g);
	return VNR_STATUS_SUCCESS;
}

enum vnr_status grant_revoke(struct hv_partition *owner, u64 handle)
{
	struct hv_grant *g = lookup(owner, handle);
	struct hv_partition *peer;

	if (!g)
		return VNR_STATUS_INVALID_GRANT;
	if (g->mapped) {
		unmap(g);
		peer = partition_by_id(g->peer);
		if (peer && peer->state != HV_PARTITION_STOPPED)
			back_with_scratch(peer, g->mapped_gpa, g->page_count);
	}
	page_free(g->gpas);
	memset(g, 0, sizeof(*g));
	return VNR_STATUS_SUCCESS;
}

u64 grant_attributes_at(struct hv_partition *p, u64 gpa)
{
	for (u32 i = 0; i < HV_MAX_PARTITIONS; i++) {
		struct hv_partition *owner = partition_at(i);

		if (owner->state == HV_PARTITION_FREE)
			continue;
		for (u32 s = 0; s < VNR_MAX_GRANTS; s++) {
			const struct hv_grant *g = &owner->grants[s];

			if (!g->handle || !g->mapped || g->peer != p->id ||
			    gpa < g->mapped_gpa ||
			    gpa - g->mapped_gpa >=
				    (u64)g->page_count * PAGE_SIZE)
				continue;
			return VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ |
			       (g->read_only ? 0 : VNR_GPA_ATTR_WRITE) |
			       VNR_GPA_ATTR_EXECUTE |
			       ((u64)VNR_MEM_GRANT << VNR_GPA_ATTR_TYPE_SHIFT);
		}
	}
	return 0;
}
