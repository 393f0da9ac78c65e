/* SPDX-License-Identifier: MIT */
/* Deposited memory and its calls: deposit, withdraw, accounting. */
#include <hv/deposit.h>
#include <hv/hypercall_calls.h>
#include <hv/page_alloc.h>
#include <hv/partition.h>
#include <hv/string.h>

#define BITS_PER_PAGE (PAGE_SIZE * 8)

static bool page_msr_in(u64 msr, u64 gpa, u64 size)
{
	u64 page = msr & VNR_PAGE_MSR_GPA_MASK;

	return (msr & VNR_PAGE_MSR_ENABLE) && page >= gpa && page - gpa < size;
}

/* Pages the hypervisor writes on its own must stay where they are. */
static bool holds_hypervisor_pages(struct hv_partition *p, u64 gpa, u64 size)
{
	bool found = page_msr_in(p->hypercall_msr, gpa, size) ||
		     page_msr_in(p->reference_tsc_msr, gpa, size);

	for (u32 i = 0; i < p->vp_count; i++)
		found |= page_msr_in(p->vps[i].synic.simp, gpa, size) ||
			 page_msr_in(p->vps[i].synic.siefp, gpa, size);
	return found;
}

/* Charged to the depositor: the bitmap grows with what it deposits. */
static u64 *alloc_bitmap(struct hv_partition *p, u32 pages)
{
	return page_alloc_charged(&p->pool, pages);
}

static void free_bitmap(struct hv_partition *p, u64 *bitmap, u32 pages)
{
	for (u32 i = 0; i < pages; i++)
		page_free_charged(&p->pool, (u8 *)bitmap + (u64)i * PAGE_SIZE);
}

/*
 * A page of p that a peer has mapped through a grant cannot change owner:
 * the peer would go on reading and writing it in its new owner's hands.
 */
static bool holds_mapped_grant(struct hv_partition *p, u64 gpa, u64 size)
{
	for (u32 s = 0; s < VNR_MAX_GRANTS; s++) {
		const struct hv_grant *g = &p->grants.slot[s];

		for (u32 i = 0; g->handle && g->mapped && i < g->page_count;
		     i++)
			if (g->gpas[i] >= gpa && g->gpas[i] - gpa < size)
				return true;
	}
	return false;
}

enum vnr_status deposit_add(struct hv_partition *p, u64 gpa, u64 pages)
{
	struct hv_deposit *d;
	u64 size = pages * PAGE_SIZE;
	enum vnr_status st;
	u8 *host;

	if (pages == 0 || pages > (1ull << 40) / PAGE_SIZE)
		return VNR_STATUS_INVALID_PARAMETER;
	if (!IS_ALIGNED(gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	host = partition_gpa_to_host(p, gpa, size);
	if (!host)
		return VNR_STATUS_INVALID_GPA;
	if (holds_hypervisor_pages(p, gpa, size))
		return VNR_STATUS_INVALID_PARAMETER;
	if (holds_mapped_grant(p, gpa, size))
		return VNR_STATUS_GPA_IN_USE;
	if (p->deposits.count == HV_MAX_DEPOSITS)
		return VNR_STATUS_QUOTA_EXCEEDED;
	d = &p->deposits.list[p->deposits.count];
	d->bitmap_pages = (u32)((pages + BITS_PER_PAGE - 1) / BITS_PER_PAGE);
	d->used = alloc_bitmap(p, d->bitmap_pages);
	if (!d->used)
		return VNR_STATUS_INSUFFICIENT_MEMORY;
	st = partition_unmap_ram(p, gpa, size);
	if (st != VNR_STATUS_SUCCESS) {
		free_bitmap(p, d->used, d->bitmap_pages);
		return st;
	}
	d->gpa = gpa;
	d->host = host;
	d->pages = pages;
	p->deposits.count++;
	return VNR_STATUS_SUCCESS;
}

/* Set bits of a word (no libgcc: __builtin_popcount would call it). */
static u64 bits_set(u64 w)
{
	u64 n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}

static u64 used_pages(const struct hv_deposit *d)
{
	u64 n = 0;

	for (u64 w = 0; w < (d->pages + 63) / 64; w++)
		n += bits_set(d->used[w]);
	return n;
}

/* Only a whole deposit, with none of its pages in a child, comes back. */
enum vnr_status deposit_withdraw(struct hv_partition *p, u64 gpa, u64 pages)
{
	for (u32 i = 0; i < p->deposits.count; i++) {
		struct hv_deposit *d = &p->deposits.list[i];
		enum vnr_status st;

		if (d->gpa != gpa || d->pages != pages)
			continue;
		if (used_pages(d))
			return VNR_STATUS_INVALID_PARAMETER;
		st = partition_map_ram(p, gpa, d->host, pages * PAGE_SIZE);
		if (st != VNR_STATUS_SUCCESS)
			return st;
		free_bitmap(p, d->used, d->bitmap_pages);
		*d = p->deposits.list[--p->deposits.count];
		return VNR_STATUS_SUCCESS;
	}
	return VNR_STATUS_INVALID_PARAMETER;
}

bool deposit_overlaps(const struct hv_partition *p, u64 gpa, u64 size)
{
	for (u32 i = 0; i < p->deposits.count; i++) {
		const struct hv_deposit *d = &p->deposits.list[i];

		if (gpa < d->gpa + d->pages * PAGE_SIZE && d->gpa < gpa + size)
			return true;
	}
	return false;
}

u8 *deposit_take_page(struct hv_partition *p)
{
	for (u32 i = 0; i < p->deposits.count; i++) {
		struct hv_deposit *d = &p->deposits.list[i];

		for (u64 page = 0; page < d->pages; page++) {
			u64 *word = &d->used[page / 64],
			    bit = 1ull << (page % 64);

			if (*word == ~0ull) {
				page |= 63; /* skip a full word */
				continue;
			}
			if (!(*word & bit)) {
				*word |= bit;
				return d->host + page * PAGE_SIZE;
			}
		}
	}
	return NULL;
}

void deposit_return_page(struct hv_partition *p, u8 *page)
{
	for (u32 i = 0; i < p->deposits.count; i++) {
		struct hv_deposit *d = &p->deposits.list[i];
		u64 index = (u64)(page - d->host) / PAGE_SIZE;

		if (page >= d->host && index < d->pages) {
			d->used[index / 64] &= ~(1ull << (index % 64));
			return;
		}
	}
}

void deposit_info(struct hv_partition *p, struct vnr_memory_info *info)
{
	memset(info, 0, sizeof(*info));
	for (u32 i = 0; i < p->deposits.count; i++) {
		info->deposited += p->deposits.list[i].pages;
		info->used += used_pages(&p->deposits.list[i]);
	}
	info->free = info->deposited - info->used;
}

enum vnr_status call_memory_deposit(struct hv_call *call)
{
	const struct vnr_memory_range_input *in = call->input;

	return deposit_add(call->vp->partition, in->gpa, in->page_count);
}

enum vnr_status call_memory_withdraw(struct hv_call *call)
{
	const struct vnr_memory_range_input *in = call->input;

	return deposit_withdraw(call->vp->partition, in->gpa, in->page_count);
}

enum vnr_status call_memory_info(struct hv_call *call)
{
	struct vnr_memory_info info;

	deposit_info(call->vp->partition, &info);
	memcpy(call->output, &info, sizeof(info));
	return VNR_STATUS_SUCCESS;
}
