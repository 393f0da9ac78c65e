/* SPDX-License-Identifier: MIT */
/*
 * A partition's guest RAM: the host memory behind each GPA range, and the
 * memory map its boot protocol describes.
 */
#ifndef HV_MEMORY_H
#define HV_MEMORY_H

#include <hv/types.h>

struct hv_partition;

#define HV_MAX_MEMMAP	   VNR_START_INFO_MEMMAP_MAX
#define HV_MAX_RAM_EXTENTS 32

struct hv_ram_extent {
	u64 gpa;
	u64 size;
	u8 *host;
};

struct hv_partition_memory {
	u32 extent_count; /* where each GPA range lives in the host */
	struct hv_ram_extent extents[HV_MAX_RAM_EXTENTS];
	u64 ram_size; /* bytes of RAM in all extents */
	/* Changes whenever an extent is added or cut, and for the root of
	 * root mode whenever a deposit takes or returns its RAM. */
	u64 ram_generation;
	u32 memmap_count;
	struct vnr_memmap_entry memmap[HV_MAX_MEMMAP];
};

/*
 * Maps host memory as RAM of p at gpa (page granular, no overlap), or
 * changes nothing: INVALID_PARAMETER for a bad range, QUOTA_EXCEEDED when
 * p has HV_MAX_RAM_EXTENTS extents, GPA_IN_USE when a page is mapped,
 * INSUFFICIENT_MEMORY when its tables do not fit.
 */
enum vnr_status partition_map_ram(struct hv_partition *p, u64 gpa, void *host,
				  u64 size);
/*
 * Takes [gpa, gpa + size) of p's RAM away again, or changes nothing:
 * INVALID_GPA unless it is all RAM of one extent, QUOTA_EXCEEDED when the
 * cut needs an extent more, INSUFFICIENT_MEMORY when a large page cannot
 * be split.
 */
enum vnr_status partition_unmap_ram(struct hv_partition *p, u64 gpa, u64 size);
/*
 * Appends an entry to the memory map p's start info reports: 0, or -1
 * when HV_MAX_MEMMAP entries exist.  An empty range adds nothing.
 * Describes, maps nothing.
 */
int partition_add_memmap(struct hv_partition *p, u64 base, u64 length,
			 enum vnr_mem_type type);
/* Host pointer to [gpa, gpa + size) if it is all RAM of p, else NULL. */
void *partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size);
/* VNR_GPA_ATTR_* of the page at gpa as p sees it, 0 if unmapped. */
u64 partition_gpa_attributes(struct hv_partition *p, u64 gpa);

#endif /* HV_MEMORY_H */
