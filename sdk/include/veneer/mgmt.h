/* SPDX-License-Identifier: MIT */
/*
 * Partition management (docs/spec/management.md): a privileged partition
 * deposits memory with the hypervisor, creates child partitions from it,
 * loads them, starts, suspends, stops and destroys them, and is told by a
 * message when a child ends.
 */
#ifndef VENEER_MGMT_H
#define VENEER_MGMT_H

#include "types.h"
#include "boot.h"

/*
 * The platform a child finds besides Veneer's interface: none, or the
 * minimal PC platform of Linux kernels (docs/spec/pc-platform.md).
 */
#define VNR_PLATFORM_VENEER 0u
#define VNR_PLATFORM_PC	    1u

/* VNR_CALL_PARTITION_CREATE input and output. */
struct vnr_partition_create_input {
	char name[VNR_NAME_MAX]; /* NUL-terminated, [A-Za-z0-9_-] */
	vnr_u64 privileges;	 /* a subset of the caller's */
	vnr_u32 vp_count;	 /* 1 .. CPUID LIMITS EAX */
	vnr_u32 notify_sint;	 /* the caller's SINT for exit messages */
	vnr_u32 platform;	 /* VNR_PLATFORM_* */
	vnr_u32 reserved0;
	vnr_u64 reserved1;
};
VNR_ABI_SIZE(struct vnr_partition_create_input, 64);

struct vnr_partition_create_output {
	vnr_u32 partition_id;
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_partition_create_output, 8);

/* MEMORY_DEPOSIT and MEMORY_WITHDRAW input: a range of the caller's RAM. */
struct vnr_memory_range_input {
	vnr_u64 gpa; /* page aligned */
	vnr_u64 page_count;
};
VNR_ABI_SIZE(struct vnr_memory_range_input, 16);

/* MEMORY_INFO output, in pages of 4 KiB. */
struct vnr_memory_info {
	vnr_u64 deposited;
	vnr_u64 used; /* mapped into children */
	vnr_u64 free;
	vnr_u64 reserved;
};
VNR_ABI_SIZE(struct vnr_memory_info, 32);

/* MAP_GPA_PAGES input: rep i maps one deposited page at base_gpa + 4K*i. */
struct vnr_map_gpa_input {
	vnr_u32 partition_id;
	vnr_u32 reserved;
	vnr_u64 base_gpa;
};
VNR_ABI_SIZE(struct vnr_map_gpa_input, 16);

/* WRITE_PARTITION_MEMORY input: copies data to a child that is not running. */
#define VNR_WRITE_MEMORY_MAX 4080u
struct vnr_write_memory_input {
	vnr_u32 partition_id;
	vnr_u32 length; /* at most VNR_WRITE_MEMORY_MAX */
	vnr_u64 gpa;
	vnr_u8 data[VNR_WRITE_MEMORY_MAX];
};
VNR_ABI_SIZE(struct vnr_write_memory_input, 4096);

/* Register names for GET/SET_VP_REGISTERS, generated from registers.def. */
enum vnr_register {
#define VNR_REG(name, code, short_name) VNR_REG_##name = (code),
#include "registers.def"
#undef VNR_REG
	VNR_REG_COUNT
};

/* GET/SET_VP_REGISTERS input header; the rep elements follow it. */
struct vnr_vp_registers_input {
	vnr_u32 partition_id;
	vnr_u32 vp_index;
};
VNR_ABI_SIZE(struct vnr_vp_registers_input, 8);

/* GET: input header + vnr_u32 names[reps]; output vnr_u64 values[reps]. */
/* SET: input header + struct vnr_register_value[reps]. */
struct vnr_register_value {
	vnr_u32 name; /* enum vnr_register */
	vnr_u32 reserved;
	vnr_u64 value;
};
VNR_ABI_SIZE(struct vnr_register_value, 16);

enum vnr_partition_state {
	VNR_PARTITION_CREATED = 1, /* being built: memory, VPs, registers */
	VNR_PARTITION_RUNNING = 2,
	VNR_PARTITION_SUSPENDED = 3,
	VNR_PARTITION_STOPPED = 4, /* ended: see exit_reason */
};

enum vnr_exit_reason {
	VNR_EXIT_NONE = 0,
	VNR_EXIT_CLEAN = 1,   /* PARTITION_EXIT with exit_status */
	VNR_EXIT_FAULT = 2,   /* stopped by the hypervisor: see diagnostic */
	VNR_EXIT_STOPPED = 3, /* stopped by its parent */
};

/* PARTITION_QUERY input (RDX page) and output (R8 page). */
struct vnr_partition_query_input {
	vnr_u32 partition_id;
	vnr_u32 reserved;
};
VNR_ABI_SIZE(struct vnr_partition_query_input, 8);

#define VNR_QUERY_EXIT_KINDS 16
struct vnr_partition_status {
	vnr_u32 partition_id;
	vnr_u32 state;	     /* enum vnr_partition_state */
	vnr_u32 exit_reason; /* enum vnr_exit_reason */
	vnr_u32 vp_count;
	vnr_u64 exit_status;
	vnr_u64 memory_pages;
	vnr_u64 run_time_100ns;
	vnr_u64 exits;
	vnr_u64 hypercalls;
	vnr_u64 exits_by_kind[VNR_QUERY_EXIT_KINDS]; /* the hypervisor's order
						      */
	char diagnostic[96]; /* why the hypervisor stopped it, NUL-terminated */
};
VNR_ABI_OFFSET(struct vnr_partition_status, exit_status, 16);
VNR_ABI_OFFSET(struct vnr_partition_status, exits_by_kind, 56);
VNR_ABI_SIZE(struct vnr_partition_status, 280);

/* The message a parent gets on notify_sint when a child stops. */
#define VNR_MSG_PARTITION_EXIT 0x80000020u
struct vnr_partition_exit_message {
	vnr_u32 partition_id;
	vnr_u32 exit_reason; /* enum vnr_exit_reason */
	vnr_u64 exit_status;
	char diagnostic[96];
};
VNR_ABI_SIZE(struct vnr_partition_exit_message, 112);

#endif /* VENEER_MGMT_H */
