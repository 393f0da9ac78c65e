/* SPDX-License-Identifier: MIT */
/* Inputs of the message, event and grant calls (docs/spec/hypercalls.md). */
#ifndef VENEER_IPC_H
#define VENEER_IPC_H

#include "types.h"
#include "synic.h"

/* VNR_CALL_POST_MESSAGE input. */
struct vnr_post_message_input {
	vnr_u32 connection_id;
	vnr_u32 message_type; /* 1 .. VNR_MSG_HYPERVISOR_FIRST - 1 */
	vnr_u32 payload_size; /* at most VNR_MESSAGE_PAYLOAD_MAX */
	vnr_u32 reserved;
	vnr_u8 payload[VNR_MESSAGE_PAYLOAD_MAX];
};
VNR_ABI_SIZE(struct vnr_post_message_input, 256);

/* VNR_CALL_GRANT_CREATE input: page_count GPAs of the caller's RAM. */
#define VNR_GRANT_MAX_PAGES 510
#define VNR_GRANT_READ_ONLY (1ull << 0)
struct vnr_grant_create_input {
	vnr_u32 peer_partition_id;
	vnr_u32 page_count;
	vnr_u64 flags;
	vnr_u64 gpa[VNR_GRANT_MAX_PAGES];
};
VNR_ABI_SIZE(struct vnr_grant_create_input, 4096);

/* VNR_CALL_GRANT_CREATE output. */
struct vnr_grant_create_output {
	vnr_u64 handle;
};
VNR_ABI_SIZE(struct vnr_grant_create_output, 8);

/* VNR_CALL_GRANT_MAP input: map the owner's grant at gpa (page aligned). */
struct vnr_grant_map_input {
	vnr_u32 owner_partition_id;
	vnr_u32 reserved;
	vnr_u64 handle;
	vnr_u64 gpa;
};
VNR_ABI_SIZE(struct vnr_grant_map_input, 24);

/* VNR_CALL_GRANT_UNMAP input. */
struct vnr_grant_unmap_input {
	vnr_u32 owner_partition_id;
	vnr_u32 reserved;
	vnr_u64 handle;
};
VNR_ABI_SIZE(struct vnr_grant_unmap_input, 16);

/*
 * VNR_CALL_PORT_CREATE input: a port of the caller, or of a child of the
 * caller that has not been started (management.md).
 */
#define VNR_PORT_MESSAGE 1u
#define VNR_PORT_EVENT	 2u
struct vnr_port_create_input {
	vnr_u32 partition_id; /* the caller's own id or its child's */
	vnr_u32 port_id;      /* not 0, unused in that partition */
	vnr_u32 kind;	      /* VNR_PORT_MESSAGE or VNR_PORT_EVENT */
	vnr_u32 sint;	      /* where messages or flags arrive, 0..15 */
	vnr_u32 flag_count;   /* event: 1..VNR_EVENT_FLAGS_PER_SINT; else 0 */
	vnr_u32 reserved;     /* MUST be 0 */
};
VNR_ABI_SIZE(struct vnr_port_create_input, 24);

/*
 * VNR_CALL_CONNECTION_CREATE input: a connection of the caller, or of a
 * child not yet started, to a port of the caller or of one of its
 * children.
 */
struct vnr_connection_create_input {
	vnr_u32 partition_id;	     /* the caller's own id or its child's */
	vnr_u32 connection_id;	     /* not 0, unused in that partition */
	vnr_u32 target_partition_id; /* the caller or one of its children */
	vnr_u32 target_port_id;	     /* an existing port of the target */
};
VNR_ABI_SIZE(struct vnr_connection_create_input, 16);

/* Per-partition quotas. */
#define VNR_MAX_GRANTS		64
#define VNR_MAX_PORTS		16
#define VNR_MAX_CONNECTIONS	16
#define VNR_MESSAGE_QUEUE_DEPTH 8 /* queued messages per SINT */
/*
 * The last places of a queue a partition's message may take only if its
 * sender has no other message in that queue: one sender cannot fill it.
 */
#define VNR_MESSAGE_QUEUE_RESERVE 2

#endif /* VENEER_IPC_H */
