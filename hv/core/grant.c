/* SPDX-License-Identifier: MIT */
/*
 * Memory grants.  The owner keeps the grant table; a handle encodes the
 * slot and a generation, so a stale or guessed handle names nothing.  A
 * peer that is not the grant's named peer gets the same status whether
 * the handle exists or not.  GRANT_CREATE, GRANT_MAP, GRANT_UNMAP and
 * GRANT_REVOKE are the calls that reach them.
 */
#include <hv/grant_ops.h>
#include <hv/hypercall_calls.h>
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
	if (owner->grants.slot[slot].handle != handle || handle == 0)
		return NULL;
	return &owner->grants.slot[slot];
}

enum vnr_status grant_create(struct hv_partition *owner, u32 peer,
			     const u64 *gpas, u32 count, bool read_only,
			     u64 *handle)
{
	struct hv_grant *g = NULL;
	u32 slot;

	for (slot = 0; slot < VNR_MAX_GRANTS; slot++)
		if (!owner->grants.slot[slot].handle) {
			g = &owner->grants.slot[slot];
			break;
		}
	if (!g)
		return VNR_STATUS_QUOTA_EXCEEDED;
	g->gpas = page_alloc_charged(&owner->pool, 1);
	if (!g->gpas)
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	memcpy(g->gpas, gpas, (size_t)count * sizeof(u64));
	g->peer = peer;
	g->page_count = count;
	g->read_only = read_only;
	g->mapped = false;
	g->handle = ((u64)++owner->grants.generation << SLOT_BITS) | (slot + 1);
	*handle = g->handle;
	return VNR_STATUS_SUCCESS;
}

/* Mapped in 4 KiB pages: unmapping needs no memory and cannot fail. */
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
 * The scratch page exists since the peer's first map, and the mappings are
 * rewritten in place: a revoke needs no memory.  A range that is no longer
 * mapped in 4 KiB pages, as map_pages left it, is unmapped instead: the
 * owner's pages leave the peer either way.  Returns false, having changed
 * nothing, only if that unmap needs memory there is not.
 */
static bool back_with_scratch(struct hv_grant *g)
{
	struct hv_partition *peer = partition_by_id(g->peer);
	u64 size = (u64)g->page_count * PAGE_SIZE;

	if (peer &&
	    arch_back_gpa_with_page(peer, g->mapped_gpa, size,
				    (u64)(uintptr_t)peer->grants.scratch) &&
	    arch_unmap_gpa(peer, g->mapped_gpa, size))
		return false;
	g->mapped = false;
	return true;
}

/* What a revoke of any grant mapped in peer will need, taken now. */
static bool reserve_scratch(struct hv_partition *peer)
{
	if (!peer->grants.scratch)
		peer->grants.scratch = page_alloc_charged(&peer->pool, 1);
	return peer->grants.scratch;
}

/* The peer's RAM is mapped already; its deposits are holes to keep. */
static enum vnr_status check_target(struct hv_partition *peer, u64 gpa,
				    u64 size)
{
	if (!IS_ALIGNED(gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa)
		return VNR_STATUS_INVALID_GPA;
	if (deposit_overlaps(peer, gpa, size))
		return VNR_STATUS_GPA_IN_USE;
	return VNR_STATUS_SUCCESS;
}

/*
 * A revoke left pages of the peer's range backed by its scratch page
 * (back_with_scratch); a map over them takes them back, so that a peer
 * that maps and unmaps at the same places (a root serving channels) never
 * runs out of them.  4 KiB mappings: unmapping one needs no memory.
 */
static void release_scratch(struct hv_partition *peer, u64 gpa, u64 size)
{
	u64 scratch = (u64)(uintptr_t)peer->grants.scratch;

	for (u64 off = 0; off < size; off += PAGE_SIZE)
		if (arch_gpa_maps_page(peer, gpa + off, scratch))
			arch_unmap_gpa(peer, gpa + off, PAGE_SIZE);
}

/* Maps the owner's pages one by one, or none of them. */
static enum vnr_status map_pages(struct hv_partition *peer,
				 struct hv_partition *owner,
				 const struct hv_grant *g, u64 gpa)
{
	for (u32 i = 0; i < g->page_count; i++) {
		u8 *page = partition_gpa_to_host(owner, g->gpas[i], PAGE_SIZE);
		int err = HV_MAP_IN_USE;

		/* Owner pages deposited since the grant was made are refused.
		 */
		if (page)
			err = arch_map_gpa(peer, gpa + (u64)i * PAGE_SIZE,
					   (u64)(uintptr_t)page, PAGE_SIZE,
					   !g->read_only);
		if (err) {
			arch_unmap_gpa(peer, gpa, (u64)i * PAGE_SIZE);
			return err == HV_MAP_NO_MEMORY
				       ? VNR_STATUS_INSUFFICIENT_MEMORY
				       : VNR_STATUS_GPA_IN_USE;
		}
	}
	return VNR_STATUS_SUCCESS;
}

enum vnr_status grant_map(struct hv_partition *peer, u32 owner_id, u64 handle,
			  u64 gpa)
{
	struct hv_partition *owner = partition_by_id(owner_id);
	struct hv_grant *g = lookup(owner, handle);
	enum vnr_status st;

	if (!g || g->peer != peer->id)
		return VNR_STATUS_INVALID_GRANT;
	st = check_target(peer, gpa, (u64)g->page_count * PAGE_SIZE);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (g->mapped)
		return VNR_STATUS_GPA_IN_USE;
	if (!reserve_scratch(peer))
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	release_scratch(peer, gpa, (u64)g->page_count * PAGE_SIZE);
	st = map_pages(peer, owner, g, gpa);
	if (st != VNR_STATUS_SUCCESS)
		return st;
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

	if (!g)
		return VNR_STATUS_INVALID_GRANT;
	if (g->mapped && !back_with_scratch(g))
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	page_free_charged(&owner->pool, g->gpas);
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
			const struct hv_grant *g = &owner->grants.slot[s];

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

/* The GPA list lives here after its one fetch from guest memory. */
static u64 gpa_copy[VNR_GRANT_MAX_PAGES];

static enum vnr_status fetch_pages(struct hv_call *call, u32 count)
{
	struct hv_partition *p = call->vp->partition;
	const u64 *list = partition_gpa_to_host(
		p, call->input_gpa + IN_GRANT_CREATE, (u64)count * 8);

	memcpy(gpa_copy, list, (size_t)count * 8);
	for (u32 i = 0; i < count; i++) {
		if (!IS_ALIGNED(gpa_copy[i], PAGE_SIZE))
			return VNR_STATUS_INVALID_ALIGNMENT;
		if (!partition_gpa_to_host(p, gpa_copy[i], PAGE_SIZE))
			return VNR_STATUS_INVALID_GPA;
	}
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_grant_create(struct hv_call *call)
{
	const struct vnr_grant_create_input *in = call->input;
	struct hv_partition *self = call->vp->partition;
	struct vnr_grant_create_output out = {0};
	struct hv_partition *peer;
	enum vnr_status st;

	/* The whole structure lives in one page: it must start one. */
	if (!IS_ALIGNED(call->input_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->page_count == 0 || in->page_count > VNR_GRANT_MAX_PAGES ||
	    (in->flags & ~VNR_GRANT_READ_ONLY))
		return VNR_STATUS_INVALID_PARAMETER;
	peer = partition_by_id(in->peer_partition_id);
	/*
	 * Only a running partition can be a peer.  Any other is refused as
	 * no partition is: the call needs no privilege, and a status of its
	 * own would tell any partition the state of any other, another
	 * parent's children included (conventions.md).
	 */
	if (!peer || peer == self || peer->state != HV_PARTITION_RUNNING)
		return VNR_STATUS_INVALID_PARTITION_ID;
	st = fetch_pages(call, in->page_count);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	st = grant_create(self, peer->id, gpa_copy, in->page_count,
			  in->flags & VNR_GRANT_READ_ONLY, &out.handle);
	if (st == VNR_STATUS_SUCCESS)
		memcpy(call->output, &out, sizeof(out));
	return st;
}

enum vnr_status call_grant_map(struct hv_call *call)
{
	const struct vnr_grant_map_input *in = call->input;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	return grant_map(call->vp->partition, in->owner_partition_id,
			 in->handle, in->gpa);
}

enum vnr_status call_grant_unmap(struct hv_call *call)
{
	const struct vnr_grant_unmap_input *in = call->input;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	return grant_unmap(call->vp->partition, in->owner_partition_id,
			   in->handle);
}

enum vnr_status call_grant_revoke(struct hv_call *call)
{
	return grant_revoke(call->vp->partition, call->arg0);
}
