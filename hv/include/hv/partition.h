/* SPDX-License-Identifier: MIT */
/*
 * Partitions: the core's bookkeeping.  The boot configuration and the
 * management hypercalls (partition_calls.c) build partitions with exactly
 * these operations.
 */
#ifndef HV_PARTITION_H
#define HV_PARTITION_H

#include <hv/types.h>
#include <hv/arch.h>
#include <hv/console.h>
#include <hv/deposit.h>
#include <hv/exit.h>
#include <hv/grant.h>
#include <hv/limits.h>
#include <hv/memory.h>
#include <hv/page_alloc.h>
#include <hv/ports.h>
#include <hv/summary.h>
#include <hv/vp.h>

enum hv_partition_state {
	HV_PARTITION_FREE,
	HV_PARTITION_CREATED,
	HV_PARTITION_RUNNING,
	HV_PARTITION_SUSPENDED,
	HV_PARTITION_STOPPED,
};

struct hv_partition {
	u32 id;
	enum hv_partition_state state;
	char name[VNR_NAME_MAX];
	char cmdline[VNR_CMDLINE_MAX];
	u64 privileges;

	struct hv_partition_memory mem;
	void *arch;		     /* the backend's address-space state */
	struct hv_pool_account pool; /* what it holds of the hypervisor pool */

	u32 vp_count;
	struct hv_vp vps[HV_MAX_VPS];

	u64 guest_os_id;
	u64 hypercall_msr;
	u64 reference_tsc_msr;

	struct hv_partition_ipc ipc;
	struct hv_grant_table grants;

	u32 parent;	 /* the partition that created it, 0 for the config */
	u32 vp_limit;	 /* VPs it may have (PARTITION_CREATE's vp_count) */
	u32 notify_sint; /* the parent's SINT for the exit message */
	struct hv_deposits deposits;

	bool clean_exit;
	enum vnr_exit_reason exit_reason;
	u64 exit_status;
	char stop_reason[128];

	struct hv_partition_stats stats;

	struct hv_console console;
	u16 io_first, io_last; /* ports it owns (io_last 0: none) */

	/*
	 * The root of root mode: it owns the machine (its devices, the
	 * physical address space but the hypervisor's memory) and its VP is
	 * the CPU the hypervisor took over.  Its faults cannot simply stop
	 * it: root.c says what it sees instead.
	 */
	bool owns_machine;
	/* A child of that root: its VPs run only in the root's VP_RUN. */
	bool dispatched;
	/*
	 * Booted by the Linux boot protocol: it gets the minimal PC platform
	 * of docs/spec/pc-platform.md (a local APIC, a clock, ports without
	 * devices that read as all ones) instead of stopping at them.
	 */
	bool pc_platform;
	void *pc_devices; /* the platform's device state (arch layer) */
};

/* A root partition's privileges: every bit privileges.def defines. */
extern const u64 hv_all_privileges;

/*
 * A free slot made a created partition with a new id, its pool share and
 * its address space: NULL (nothing taken) when no slot is free, every id
 * has been used, or the address space does not fit.  name must be valid
 * (vnr_name_valid).
 */
struct hv_partition *partition_create(const char *name, u64 privileges);
#ifdef HV_HOSTED
/*
 * Unit tests only: the id the next partition_create gives, so that a test
 * reaches the end of the id space without 2^32 creations.
 */
void partition_set_next_id(u32 id);
#endif
/* Makes p and each of its stopped VPs runnable; p is being built. */
void partition_start(struct hv_partition *p);
/* Stops every VP; reason is the one-line diagnostic. */
void partition_stop(struct hv_partition *p, bool clean, u64 status,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Stops the partition of vp for a guest fault, with a register dump. */
void partition_fault(struct hv_vp *vp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Emits p's partial console lines (at stop, so no output is lost). */
void partition_flush_debug(struct hv_partition *p);
/*
 * Prints one line of p's text (already filtered, no newline) on the
 * console as "[name] text": DEBUG_WRITE lines and the console UART
 * owner's lines alike, so every line names where it came from.
 */
void partition_console_line(const struct hv_partition *p, const char *text,
			    u32 len);

enum hv_partition_transition {
	HV_START,
	HV_SUSPEND,
	HV_RESUME,
	HV_STOP,
};

/* A parent's state change: VNR_STATUS_INVALID_PARTITION_STATE if not now. */
enum vnr_status partition_change_state(struct hv_partition *p,
				       enum hv_partition_transition t);
/* Frees a created or stopped partition and everything it holds. */
enum vnr_status partition_destroy(struct hv_partition *p);

/* The partition with this id in any state but free, else NULL. */
struct hv_partition *partition_by_id(u32 id);
/* Partition id if parent created it, else NULL (whether it exists or not). */
struct hv_partition *partition_child(struct hv_partition *parent, u64 id);
/* Created or suspended: its memory and registers may be changed. */
bool partition_being_built(const struct hv_partition *p);
/*
 * The child id of parent whose memory and registers may be changed now:
 * SUCCESS with *child set, INVALID_PARTITION_ID if parent did not create
 * it, INVALID_PARTITION_STATE if it is neither created nor suspended.
 */
enum vnr_status partition_child_being_built(struct hv_partition *parent, u64 id,
					    struct hv_partition **child);
/* Slot slot of the table in any state (the scheduler walks it); NULL past the
 * end. */
struct hv_partition *partition_at(u32 slot);

#endif /* HV_PARTITION_H */
