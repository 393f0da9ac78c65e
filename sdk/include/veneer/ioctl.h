/* SPDX-License-Identifier: MIT */
/*
 * /dev/veneer, the root's device for the virtualization stack
 * (docs/spec/root-stack.md, "The device: veneer.ko and /dev/veneer"): the
 * shape of Linux's /dev/kvm and /dev/mshv.  The device creates partitions;
 * each partition is a file descriptor, and closing its last reference
 * stops and destroys the partition and frees every page it held; each VP
 * is a descriptor of its own that holds a reference to its partition.  The
 * VP descriptor maps (mmap, offset 0, one page) the struct vnr_run_exit
 * its last run wrote.
 *
 * The ioctl numbers are Linux's _IOR/_IOW/_IOWR encoding, spelled out so
 * that this header needs no system header.
 */
#ifndef VENEER_IOCTL_H
#define VENEER_IOCTL_H

#include "types.h"
#include "mgmt.h"
#include "dispatch.h"
#include "synic.h"

#define VENEER_DEVICE	 "/dev/veneer"

#define VENEER_IOC_MAGIC 0xB8u
#define VENEER_IOC(dir, nr, size) \
	(((dir) << 30) | ((size) << 16) | (VENEER_IOC_MAGIC << 8) | (nr))
#define VENEER_IOC_NONE	     0u
#define VENEER_IOC_WRITE     1u
#define VENEER_IOC_READ	     2u
#define VENEER_IOW(nr, type) VENEER_IOC(VENEER_IOC_WRITE, nr, sizeof(type))
#define VENEER_IOR(nr, type) VENEER_IOC(VENEER_IOC_READ, nr, sizeof(type))
#define VENEER_IOWR(nr, type) \
	VENEER_IOC(VENEER_IOC_READ | VENEER_IOC_WRITE, nr, sizeof(type))

/* ---- /dev/veneer ---- */

/* VENEER_INFO: what the hypervisor and the module report. */
struct veneer_info {
	vnr_u32 abi_version; /* CPUID VNR_CPUID_LEAF_VERSION */
	vnr_u32 features;    /* CPUID VNR_CPUID_LEAF_FEATURES EAX */
	vnr_u32 max_partitions;
	vnr_u32 max_vps;
	struct vnr_memory_info memory; /* the root's deposits, in pages */
	vnr_u32 partitions;	       /* partitions the module holds */
	vnr_u32 reserved;
};
#define VENEER_INFO VENEER_IOR(0x00, struct veneer_info)

/* VENEER_CREATE_PARTITION: returns the partition's descriptor. */
struct veneer_create_partition {
	char name[VNR_NAME_MAX];
	vnr_u64 privileges; /* VNR_PRIV_MASK() bits */
	vnr_u32 vp_count;
	vnr_u32 partition_id; /* out */
	vnr_u32 platform;     /* VNR_PLATFORM_* of <veneer/mgmt.h> */
	vnr_u32 reserved;     /* 0 */
};
#define VENEER_CREATE_PARTITION \
	VENEER_IOWR(0x01, struct veneer_create_partition)

/* VENEER_LIST: up to capacity entries of the module's partitions. */
struct veneer_partition_entry {
	char name[VNR_NAME_MAX];
	vnr_s64 owner_pid; /* the process that created it */
	struct vnr_partition_status status;
};
struct veneer_list {
	vnr_u32 capacity; /* in: entries at entries */
	vnr_u32 count;	  /* out: entries written */
	vnr_u64 entries;  /* user pointer to struct veneer_partition_entry[] */
};
#define VENEER_LIST VENEER_IOWR(0x02, struct veneer_list)

/* VENEER_READ_LOG: the hypervisor's log from offset on. */
struct veneer_log_read {
	vnr_u64 offset; /* in: first byte wanted; out: offset of byte 0 */
	vnr_u64 buffer; /* user pointer */
	vnr_u32 size;	/* in: bytes at buffer */
	vnr_u32 length; /* out: bytes written */
};
#define VENEER_READ_LOG VENEER_IOWR(0x03, struct veneer_log_read)

/* ---- a partition's descriptor ---- */

/* VENEER_MAP_MEMORY: zeroed RAM at [gpa, gpa + size), page aligned. */
struct veneer_memory {
	vnr_u64 gpa;
	vnr_u64 size;
};
#define VENEER_MAP_MEMORY VENEER_IOW(0x10, struct veneer_memory)

/* VENEER_WRITE_MEMORY: copies size bytes from data to the child at gpa. */
struct veneer_write_memory {
	vnr_u64 gpa;
	vnr_u64 size;
	vnr_u64 data; /* user pointer */
};
#define VENEER_WRITE_MEMORY VENEER_IOW(0x11, struct veneer_write_memory)

/* VENEER_CREATE_VP: the argument is the VP index; returns its descriptor. */
#define VENEER_CREATE_VP VENEER_IOW(0x12, vnr_u32)

enum veneer_transition {
	VENEER_START = 1,
	VENEER_SUSPEND = 2,
	VENEER_RESUME = 3,
	VENEER_STOP = 4,
};
/* VENEER_SET_STATE: the argument is an enum veneer_transition. */
#define VENEER_SET_STATE VENEER_IOW(0x13, vnr_u32)

#define VENEER_QUERY	 VENEER_IOR(0x14, struct vnr_partition_status)

/* ---- a VP's descriptor ---- */

/* VENEER_GET/SET_REGISTERS: count names (GET fills each value). */
struct veneer_registers {
	vnr_u32 count;
	vnr_u32 reserved;
	vnr_u64 registers; /* user pointer to struct vnr_register_value[] */
};
#define VENEER_GET_REGISTERS VENEER_IOW(0x20, struct veneer_registers)
#define VENEER_SET_REGISTERS VENEER_IOW(0x21, struct veneer_registers)

/*
 * VENEER_RUN: runs the VP until an exit for user space (IO, CONSOLE,
 * STOPPED) is in the mapped struct vnr_run_exit, or a signal comes
 * (-EINTR).  The module handles the other reasons itself: a halted VP
 * sleeps until it is woken or its timer is due.
 */
struct veneer_run {
	vnr_u32 io_value; /* completes the IN of the previous exit */
	vnr_u32 reserved;
};
#define VENEER_RUN VENEER_IOW(0x22, struct veneer_run)

/* ---- a partition's channels (root-stack.md, "Channels") ---- */

/*
 * Every child of the root is a client of the root's channels: the module
 * gives it the SDK's ports and connections to the root.  User space is the
 * provider: it takes a channel id for each channel it offers, exchanges the
 * channel messages, signals and maps the child's grants.
 *
 * VENEER_CHANNEL_ID: reserves a channel id (1 to 63) for this child and
 * returns it; ids are unique among all the root's channels and held until
 * the partition is destroyed, at most VENEER_CHANNELS_PER_PARTITION each.
 */
#define VENEER_CHANNELS_PER_PARTITION 8u
#define VENEER_CHANNEL_ID	      VENEER_IOC(VENEER_IOC_NONE, 0x30, 0)

/* A message to or from the child (a POST_MESSAGE payload and its type). */
struct veneer_message {
	vnr_u32 type; /* 1 to VNR_MSG_HYPERVISOR_FIRST - 1 */
	vnr_u32 size; /* bytes of payload, at most VNR_MESSAGE_PAYLOAD_MAX */
	vnr_u8 payload[VNR_MESSAGE_PAYLOAD_MAX];
};
/* VENEER_POST_MESSAGE: to the child's control port (EAGAIN: queue full). */
#define VENEER_POST_MESSAGE VENEER_IOW(0x31, struct veneer_message)
/* VENEER_RECV_MESSAGE: the oldest the child sent the root (EAGAIN: none). */
#define VENEER_RECV_MESSAGE VENEER_IOR(0x32, struct veneer_message)
/* VENEER_SIGNAL: sets the child's event flag of one of its channel ids. */
#define VENEER_SIGNAL VENEER_IOW(0x33, vnr_u32)
/*
 * VENEER_TAKE_EVENTS: bit k is set if the child signalled channel id k
 * since the last call (which cleared them).  poll() reports POLLIN while a
 * message or an event waits.
 */
#define VENEER_TAKE_EVENTS VENEER_IOR(0x34, vnr_u64)

/*
 * VENEER_MAP_GRANT: maps the child's grant handle and returns a descriptor
 * whose mmap (offset 0, MAP_SHARED, at most page_count pages) reaches the
 * pages.  Refused (EINVAL) unless the grant has exactly page_count pages,
 * each writable if VENEER_GRANT_WRITABLE, and (EBUSY) while a descriptor
 * of it exists.  Closing the descriptor and every mapping of it unmaps
 * the grant.
 */
#define VENEER_GRANT_WRITABLE 1u
struct veneer_grant_map {
	vnr_u64 handle;
	vnr_u32 page_count; /* 1 to VNR_GRANT_MAX_PAGES */
	vnr_u32 flags;	    /* VENEER_GRANT_WRITABLE */
};
#define VENEER_MAP_GRANT VENEER_IOW(0x35, struct veneer_grant_map)

#endif /* VENEER_IOCTL_H */
