// SPDX-License-Identifier: MIT
/* Grant calls and the page-table entries that reach mapped grants. */
#include <vnr_guest/guest.h>

#define PTE_PRESENT   0x1ull
#define PTE_WRITABLE  0x2ull
#define PTE_LARGE     0x80ull
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull
#define TABLE_POOL    32
#define WINDOW_BASE   (64ull << 30)

static vnr_u64 table_pool[TABLE_POOL][512]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static unsigned int tables_used;
static vnr_u64 window_next = WINDOW_BASE;

enum vnr_status vnr_grant_create(vnr_u32 peer, const vnr_u64 *gpas,
				 vnr_u32 count, vnr_u64 flags, vnr_u64 *handle)
{
	struct vnr_grant_create_input *in = vnr_hc_input_page();
	struct vnr_grant_create_output *out = vnr_hc_output_page();
	enum vnr_status st;

	if (count > VNR_GRANT_MAX_PAGES)
		return VNR_STATUS_INVALID_PARAMETER;
	in->peer_partition_id = peer;
	in->page_count = count;
	in->flags = flags;
	memcpy(in->gpa, gpas, count * sizeof(*gpas));
	st = vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_GRANT_CREATE, in, out));
	if (st == VNR_STATUS_SUCCESS)
		*handle = out->handle;
	return st;
}

enum vnr_status vnr_grant_create_range(vnr_u32 peer, const void *base,
				       vnr_u32 pages, vnr_u64 flags,
				       vnr_u64 *handle)
{
	static vnr_u64 gpas[VNR_GRANT_MAX_PAGES];
	vnr_u32 i;

	if (pages > VNR_GRANT_MAX_PAGES)
		return VNR_STATUS_INVALID_PARAMETER;
	for (i = 0; i < pages; i++)
		gpas[i] = vnr_gpa(base) + (vnr_u64)i * VNR_PAGE_SIZE;
	return vnr_grant_create(peer, gpas, pages, flags, handle);
}

enum vnr_status vnr_grant_map(vnr_u32 owner, vnr_u64 handle, vnr_u64 gpa)
{
	struct vnr_grant_map_input *in = vnr_hc_input_page();

	*in = (struct vnr_grant_map_input){
		.owner_partition_id = owner, .handle = handle, .gpa = gpa};
	return vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_GRANT_MAP, in, NULL));
}

enum vnr_status vnr_grant_unmap(vnr_u32 owner, vnr_u64 handle)
{
	struct vnr_grant_unmap_input *in = vnr_hc_input_page();

	*in = (struct vnr_grant_unmap_input){.owner_partition_id = owner,
					     .handle = handle};
	return vnr_hc_status(
		vnr_hypercall_memory(VNR_CALL_GRANT_UNMAP, in, NULL));
}

enum vnr_status vnr_grant_revoke(vnr_u64 handle)
{
	return vnr_hc_status(vnr_hypercall_fast(VNR_CALL_GRANT_REVOKE, handle,
						0, NULL, NULL));
}

/* Every page of the mapped grant is there, so no access can fault. */
bool vnr_grant_range_writable(vnr_u64 gpa, vnr_u32 pages)
{
	static vnr_u64 attrs[VNR_GPA_QUERY_MAX];
	vnr_u32 done, i;

	if (vnr_query_gpa_attributes(gpa, pages, attrs, &done) !=
		    VNR_STATUS_SUCCESS ||
	    done != pages)
		return false;
	for (i = 0; i < pages; i++) {
		vnr_u64 a = attrs[i];

		if (!(a & VNR_GPA_ATTR_WRITE) ||
		    (a & VNR_GPA_ATTR_TYPE_MASK) >> VNR_GPA_ATTR_TYPE_SHIFT !=
			    VNR_MEM_GRANT)
			return false;
	}
	return true;
}

vnr_u64 vnr_gpa_window_alloc(vnr_u32 pages)
{
	vnr_u64 gpa = window_next;

	window_next += (vnr_u64)pages * VNR_PAGE_SIZE;
	return gpa;
}

/* The next-level table behind *entry, created empty if absent. */
static vnr_u64 *next_table(vnr_u64 *entry)
{
	vnr_u64 *table;

	if (*entry & PTE_LARGE)
		return NULL;
	if (*entry & PTE_PRESENT)
		return (vnr_u64 *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	if (tables_used == TABLE_POOL)
		return NULL;
	table = table_pool[tables_used++];
	*entry = vnr_gpa(table) | PTE_PRESENT | PTE_WRITABLE;
	return table;
}

/* The level-1 entry for va, creating the tables above it if needed. */
static vnr_u64 *pte_for(vnr_u64 va, bool create)
{
	vnr_u64 *table = (vnr_u64 *)(uintptr_t)(vnr_read_cr3() & PTE_ADDR_MASK);
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		vnr_u64 *entry = &table[(va >> shift) & 511];

		if (!create && !(*entry & PTE_PRESENT))
			return NULL;
		table = next_table(entry);
		if (!table)
			return NULL;
	}
	return &table[(va >> 12) & 511];
}

bool vnr_map_identity(vnr_u64 gpa, vnr_u64 bytes)
{
	vnr_u64 va;

	for (va = gpa; va < gpa + bytes; va += VNR_PAGE_SIZE) {
		vnr_u64 *pte = pte_for(va, true);

		if (!pte)
			return false;
		*pte = (va & PTE_ADDR_MASK) | PTE_PRESENT | PTE_WRITABLE;
	}
	return true;
}

void vnr_unmap_identity(vnr_u64 gpa, vnr_u64 bytes)
{
	vnr_u64 va;

	for (va = gpa; va < gpa + bytes; va += VNR_PAGE_SIZE) {
		vnr_u64 *pte = pte_for(va, false);

		if (pte) {
			*pte = 0;
			vnr_invlpg(va);
		}
	}
}
