/* SPDX-License-Identifier: MIT */
/*
 * Input and output structures of the v0 hypercalls.  Each lives in one
 * 4 KiB page at an 8-byte aligned GPA (docs/spec/conventions.md).
 */
#ifndef VENEER_INFO_H
#define VENEER_INFO_H

#include "types.h"
#include "boot.h"

/* VNR_CALL_DEBUG_WRITE input. */
#define VNR_DEBUG_WRITE_MAX 4088u
struct vnr_debug_write_input {
	vnr_u32 length; /* bytes in data, at most VNR_DEBUG_WRITE_MAX */
	vnr_u32 reserved;
	char data[VNR_DEBUG_WRITE_MAX];
};
VNR_ABI_SIZE(struct vnr_debug_write_input, 4096);

/* VNR_CALL_PARTITION_INFO output. */
struct vnr_partition_info {
	vnr_u32 partition_id;
	vnr_u32 vp_count;
	vnr_u64 memory_size;
	vnr_u64 privileges; /* VNR_PRIV_MASK() bits */
	char name[VNR_NAME_MAX];
	vnr_u64 reserved[4];
};
VNR_ABI_OFFSET(struct vnr_partition_info, privileges, 16);
VNR_ABI_OFFSET(struct vnr_partition_info, name, 24);
VNR_ABI_SIZE(struct vnr_partition_info, 88);

/* VNR_CALL_VP_INFO input (RDX page) and output (R8 page). */
struct vnr_vp_info_input {
	vnr_u32 vp_index;
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_vp_info_input, 8);

struct vnr_vp_info {
	vnr_u32 vp_index;
	vnr_u32 partition_id;
	vnr_u64 run_time_100ns; /* time this VP has spent in the guest */
	vnr_u64 exits;		/* VM exits taken by this VP */
	vnr_u64 hypercalls;	/* hypercalls made by this VP */
};
VNR_ABI_SIZE(struct vnr_vp_info, 32);

/*
 * VNR_CALL_QUERY_GPA_ATTRIBUTES: input is the base GPA (page aligned); rep i
 * describes the page at base + i * 4096 and is written to output[i].
 */
struct vnr_gpa_query_input {
	vnr_u64 base_gpa;
};
VNR_ABI_SIZE(struct vnr_gpa_query_input, 8);

#define VNR_GPA_ATTR_PRESENT	(1ull << 0)
#define VNR_GPA_ATTR_READ	(1ull << 1)
#define VNR_GPA_ATTR_WRITE	(1ull << 2)
#define VNR_GPA_ATTR_EXECUTE	(1ull << 3)
#define VNR_GPA_ATTR_TYPE_SHIFT 8 /* enum vnr_mem_type, 0 when absent */
#define VNR_GPA_ATTR_TYPE_MASK	(0xFFull << VNR_GPA_ATTR_TYPE_SHIFT)
#define VNR_GPA_QUERY_MAX	(VNR_PAGE_SIZE / 8u)

#endif /* VENEER_INFO_H */
