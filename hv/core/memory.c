/* SPDX-License-Identifier: MIT */
/*
 * A partition's guest RAM and the calls on it: mapping deposited pages
 * into a child, writing a child's memory while it does not run, and
 * querying the attributes of GPAs.
 */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>
#include <hv/partition.h>
#include <hv/root.h>
#include <hv/string.h>

#define CHILD_GPA_LIMIT GiB(4)
/* Architectural limit of guest physical addresses (52 bits). */
#define GPA_LIMIT (1ull << 52)

int partition_add_memmap(struct hv_partition *p, u64 base, u64 length,
			 enum vnr_mem_type type)
{
	struct vnr_memmap_entry *e;

	if (length == 0)
		return 0; /* the boot protocol omits empty entries */
	if (p->mem.memmap_count == HV_MAX_MEMMAP)
		return -1;
	e = &p->mem.memmap[p->mem.memmap_count++];
	e->base = base;
	e->length = length;
	e->type = type;
	e->reserved = 0;
	return 0;
}

static bool continues(const struct hv_ram_extent *a,
		      const struct hv_ram_extent *b)
{
	return a->gpa + a->size == b->gpa && a->host + a->size == b->host;
}

/* Joins extents that continue each other in both spaces. */
static void coalesce(struct hv_partition *p)
{
	for (u32 i = 0; i < p->mem.extent_count; i++)
		for (u32 j = 0; j < p->mem.extent_count; j++) {
			if (i == j ||
			    !continues(&p->mem.extents[i], &p->mem.extents[j]))
				continue;
			p->mem.extents[i].size += p->mem.extents[j].size;
			p->mem.extents[j] =
				p->mem.extents[--p->mem.extent_count];
			i = (u32)-1; /* rescan: indices moved */
			break;
		}
}

static void add_extent(struct hv_partition *p, u64 gpa, u8 *host, u64 size)
{
	p->mem.extents[p->mem.extent_count++] =
		(struct hv_ram_extent){.gpa = gpa, .size = size, .host = host};
	coalesce(p);
}

static enum vnr_status map_status(int arch_error)
{
	return arch_error == HV_MAP_NO_MEMORY ? VNR_STATUS_INSUFFICIENT_MEMORY
					      : VNR_STATUS_GPA_IN_USE;
}

enum vnr_status partition_map_ram(struct hv_partition *p, u64 gpa, void *host,
				  u64 size)
{
	int err;

	if (!IS_ALIGNED(gpa | size | (uintptr_t)host, PAGE_SIZE) || size == 0 ||
	    gpa + size < gpa)
		return VNR_STATUS_INVALID_PARAMETER;
	if (p->owns_machine) {
		p->mem.ram_generation++;
		return root_map_ram(p, gpa, size);
	}
	if (p->mem.extent_count == HV_MAX_RAM_EXTENTS)
		return VNR_STATUS_QUOTA_EXCEEDED;
	err = arch_map_gpa(p, gpa, (u64)(uintptr_t)host, size, true);
	if (err)
		return map_status(err);
	add_extent(p, gpa, host, size);
	p->mem.ram_size += size;
	p->mem.ram_generation++;
	return VNR_STATUS_SUCCESS;
}

static struct hv_ram_extent *extent_of(struct hv_partition *p, u64 gpa,
				       u64 size)
{
	for (u32 i = 0; i < p->mem.extent_count; i++) {
		struct hv_ram_extent *e = &p->mem.extents[i];

		if (gpa >= e->gpa && gpa - e->gpa < e->size &&
		    size <= e->size - (gpa - e->gpa))
			return e;
	}
	return NULL;
}

/* Cutting [gpa, gpa + size) out of e leaves a piece on both sides. */
static bool cut_makes_two(const struct hv_ram_extent *e, u64 gpa, u64 size)
{
	return gpa != e->gpa && gpa + size != e->gpa + e->size;
}

/* Cuts [gpa, gpa + size) out of extent e, leaving up to two pieces. */
static void cut_extent(struct hv_partition *p, struct hv_ram_extent *e, u64 gpa,
		       u64 size)
{
	struct hv_ram_extent tail = {
		.gpa = gpa + size,
		.size = e->gpa + e->size - (gpa + size),
		.host = e->host + (gpa + size - e->gpa),
	};

	e->size = gpa - e->gpa;
	if (!e->size)
		*e = p->mem.extents[--p->mem.extent_count];
	if (tail.size)
		p->mem.extents[p->mem.extent_count++] = tail;
}

/* The address space changes first: it is the step that can fail. */
enum vnr_status partition_unmap_ram(struct hv_partition *p, u64 gpa, u64 size)
{
	struct hv_ram_extent *e = extent_of(p, gpa, size);
	int err;

	if (p->owns_machine) {
		p->mem.ram_generation++;
		return root_unmap_ram(p, gpa, size);
	}
	if (!e || !IS_ALIGNED(gpa | size, PAGE_SIZE) || size == 0)
		return VNR_STATUS_INVALID_GPA;
	if (cut_makes_two(e, gpa, size) &&
	    p->mem.extent_count == HV_MAX_RAM_EXTENTS)
		return VNR_STATUS_QUOTA_EXCEEDED;
	err = arch_unmap_gpa(p, gpa, size);
	if (err)
		return map_status(err);
	cut_extent(p, e, gpa, size);
	p->mem.ram_size -= size;
	p->mem.ram_generation++;
	return VNR_STATUS_SUCCESS;
}

void *partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size)
{
	struct hv_ram_extent *e;

	if (p->owns_machine)
		return root_gpa_to_host(gpa, size);
	e = extent_of(p, gpa, size);

	return e ? e->host + (gpa - e->gpa) : NULL;
}

u64 partition_gpa_attributes(struct hv_partition *p, u64 gpa)
{
	u32 type = VNR_MEM_RAM; /* partitions built at run time have no map */

	if (!extent_of(p, gpa, 1))
		return grant_attributes_at(p, gpa);
	/* Later entries are more specific (image, boot region over RAM). */
	for (u32 i = 0; i < p->mem.memmap_count; i++) {
		const struct vnr_memmap_entry *e = &p->mem.memmap[i];

		if (gpa >= e->base && gpa - e->base < e->length)
			type = e->type;
	}
	return VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ | VNR_GPA_ATTR_WRITE |
	       VNR_GPA_ATTR_EXECUTE | ((u64)type << VNR_GPA_ATTR_TYPE_SHIFT);
}

enum vnr_status call_map_gpa_pages(struct hv_call *call)
{
	const struct vnr_map_gpa_input *in = call->input;
	struct hv_partition *self = call->vp->partition, *p;
	enum vnr_status st;
	u32 end;

	if (in->reserved)
		return VNR_STATUS_INVALID_PARAMETER;
	st = partition_child_being_built(call->vp->partition, in->partition_id,
					 &p);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (!IS_ALIGNED(in->base_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->base_gpa >= CHILD_GPA_LIMIT ||
	    call->rep_count > (CHILD_GPA_LIMIT - in->base_gpa) / PAGE_SIZE)
		return VNR_STATUS_INVALID_GPA;
	call->validated = true;
	end = MIN(call->rep_count, call->rep_next + HV_REP_BATCH);
	for (; call->rep_next < end; call->rep_next++) {
		u64 gpa = in->base_gpa + (u64)call->rep_next * PAGE_SIZE;
		u8 *page = deposit_take_page(self);

		if (!page)
			return VNR_STATUS_INSUFFICIENT_MEMORY;
		memset(page, 0, PAGE_SIZE); /* nothing of the parent leaks */
		st = partition_map_ram(p, gpa, page, PAGE_SIZE);
		if (st != VNR_STATUS_SUCCESS) {
			deposit_return_page(self, page);
			return st;
		}
	}
	return call->rep_next < call->rep_count ? HV_STATUS_CONTINUE
						: VNR_STATUS_SUCCESS;
}

/*
 * Bytes of [gpa, gpa + size) that lie in the extent holding gpa, and in
 * *host where they are: 0 when gpa is not RAM of p.  A child's pages come
 * from wherever the deposit had free ones, so a range its parent sees as
 * one may span extents.
 */
static u64 piece_at(struct hv_partition *p, u64 gpa, u64 size, u8 **host)
{
	const struct hv_ram_extent *e = extent_of(p, gpa, 1);

	if (!e)
		return 0;
	*host = e->host + (gpa - e->gpa);
	return MIN(size, e->gpa + e->size - gpa);
}

/* Every byte of [gpa, gpa + size) is RAM of p, in however many extents. */
static bool child_range_mapped(struct hv_partition *p, u64 gpa, u64 size)
{
	while (size) {
		u8 *host = NULL;
		u64 n = piece_at(p, gpa, size, &host);

		if (!n)
			return false;
		gpa += n;
		size -= n;
	}
	return true;
}

/* Copies into a range child_range_mapped() accepted, extent by extent. */
static void copy_to_child(struct hv_partition *p, u64 gpa, const u8 *data,
			  u64 size)
{
	while (size) {
		u8 *host = NULL;
		u64 n = piece_at(p, gpa, size, &host);

		memcpy(host, data, n);
		gpa += n;
		data += n;
		size -= n;
	}
}

enum vnr_status call_write_partition_memory(struct hv_call *call)
{
	const struct vnr_write_memory_input *in = call->input;
	struct hv_partition *p;
	enum vnr_status st;
	const void *data;

	/* The whole structure lives in one page: it must start one. */
	if (!IS_ALIGNED(call->input_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->length > VNR_WRITE_MEMORY_MAX)
		return VNR_STATUS_INVALID_PARAMETER;
	st = partition_child_being_built(call->vp->partition, in->partition_id,
					 &p);
	if (st != VNR_STATUS_SUCCESS)
		return st;
	if (in->length == 0)
		return VNR_STATUS_SUCCESS;
	if (!child_range_mapped(p, in->gpa, in->length))
		return VNR_STATUS_INVALID_GPA;
	data = partition_gpa_to_host(
		call->vp->partition,
		call->input_gpa + IN_WRITE_PARTITION_MEMORY, in->length);
	copy_to_child(p, in->gpa, data, in->length);
	return VNR_STATUS_SUCCESS;
}

enum vnr_status call_query_gpa_attributes(struct hv_call *call)
{
	const struct vnr_gpa_query_input *in = call->input;
	u64 *out = call->output;
	u32 end;

	if (!IS_ALIGNED(in->base_gpa, PAGE_SIZE))
		return VNR_STATUS_INVALID_ALIGNMENT;
	if (in->base_gpa >= GPA_LIMIT ||
	    call->rep_count > (GPA_LIMIT - in->base_gpa) / PAGE_SIZE)
		return VNR_STATUS_INVALID_GPA;
	end = MIN(call->rep_count, call->rep_next + HV_REP_BATCH);
	for (; call->rep_next < end; call->rep_next++)
		out[call->rep_next] = partition_gpa_attributes(
			call->vp->partition,
			in->base_gpa + (u64)call->rep_next * PAGE_SIZE);
	return call->rep_next < call->rep_count ? HV_STATUS_CONTINUE
						: VNR_STATUS_SUCCESS;
}
