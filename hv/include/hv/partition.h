/* SPDX-License-Identifier: MIT */
/*
 * Partitions and virtual processors: the core's bookkeeping.  The boot
 * configuration builds partitions with exactly these operations; the
 * management hypercalls will expose the same ones.
 */
#ifndef HV_PARTITION_H
#define HV_PARTITION_H

#include <hv/types.h>
#include <hv/arch.h>
#include <hv/config.h>
#include <hv/console.h>
#include <hv/deposit.h>
#include <hv/exit.h>
#include <hv/grant.h>
#include <hv/page_alloc.h>
#include <hv/ports.h>
#include <hv/synic.h>
#include <hv/vintc.h>

#define HV_MAX_MEMMAP	   VNR_START_INFO_MEMMAP_MAX
#define HV_MAX_RAM_EXTENTS 32

struct hv_ram_extent {
	u64 gpa;
	u64 size;
	u8 *host;
};

enum hv_partition_state {
	HV_PARTITION_FREE,
	HV_PARTITION_CREATED,
	HV_PARTITION_RUNNING,
	HV_PARTITION_SUSPENDED,
	HV_PARTITION_STOPPED,
};

enum hv_vp_state {
	HV_VP_STOPPED,
	HV_VP_RUNNABLE,
	HV_VP_HALTED,
};

struct hv_vp {
	/*
	 * General registers by enum hv_reg, saved and restored by the
	 * backend's entry code (the RSP slot is unused: the VMCB/VMCS holds
	 * it).  Kept here so the hypercall path reads them without a call.
	 */
	u64 regs[16];
	struct hv_partition *partition;
	u32 index;
	enum hv_vp_state state;
	u64 wake_tsc;	   /* HV_VP_HALTED: 0 = only an event wakes it */
	bool wake_pending; /* an event came while it ran */
	u8 cpl; /* privilege level at the last exit, set by the backend */
	u64 exits;
	u64 hypercalls;
	u64 run_tsc; /* accounted per time slice */
	struct hv_vintc intc;
	struct hv_synic synic;
	void *arch; /* the backend's per-VP state */
};

struct hv_partition {
	u32 id;
	enum hv_partition_state state;
	char name[VNR_NAME_MAX];
	char cmdline[VNR_CMDLINE_MAX];
	u64 privileges;

	u32 extent_count; /* guest RAM: where each GPA range lives in the host
			   */
	struct hv_ram_extent extents[HV_MAX_RAM_EXTENTS];
	u64 ram_size;	    /* bytes of RAM in all extents */
	u64 ram_generation; /* changes whenever an extent is added or cut */
	u32 memmap_count;
	struct vnr_memmap_entry memmap[HV_MAX_MEMMAP];
	void *arch;		     /* the backend's address-space state */
	struct hv_pool_account pool; /* what it holds of the hypervisor pool */

	u32 vp_count;
	struct hv_vp vps[HV_MAX_VPS];

	u64 guest_os_id;
	u64 hypercall_msr;
	u64 reference_tsc_msr;

	u32 port_count;
	struct hv_port ports[HV_MAX_PORTS];
	u32 connection_count;
	struct hv_connection connections[HV_MAX_CONNECTIONS];
	u32 grant_generation;
	u8 *grant_scratch; /* backs ranges whose grant was revoked under it */
	struct hv_grant grants[VNR_MAX_GRANTS];

	u32 parent;	 /* the partition that created it, 0 for the config */
	u32 vp_limit;	 /* VPs it may have (PARTITION_CREATE's vp_count) */
	u32 notify_sint; /* the parent's SINT for the exit message */
	u32 deposit_count;
	struct hv_deposit deposits[HV_MAX_DEPOSITS];

	bool clean_exit;
	enum vnr_exit_reason exit_reason;
	u64 exit_status;
	char stop_reason[128];

	u64 exits_by_reason[HV_EXIT_COUNT];
	u64 hypercalls_by_code[VNR_CALL_BOUND];

	struct hv_console console;
	u16 io_first, io_last; /* ports it owns (io_last 0: none) */
};

struct hv_partition *partition_create(const char *name, u64 privileges);
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
int partition_add_memmap(struct hv_partition *p, u64 base, u64 length,
			 enum vnr_mem_type type);
struct hv_vp *partition_create_vp(struct hv_partition *p,
				  const struct hv_vp_boot_state *boot);
void partition_start(struct hv_partition *p);
/* Stops every VP; reason is the one-line diagnostic. */
void partition_stop(struct hv_partition *p, bool clean, u64 status,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Stops the partition of vp for a guest fault, with a register dump. */
void partition_fault(struct hv_vp *vp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Emits a partial DEBUG_WRITE line (at stop, so no output is lost). */
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

struct hv_partition *partition_by_id(u32 id);
/* Partition id if parent created it, else NULL (whether it exists or not). */
struct hv_partition *partition_child(struct hv_partition *parent, u64 id);
/* Created or suspended: its memory and registers may be changed. */
bool partition_being_built(const struct hv_partition *p);
struct hv_partition *partition_at(u32 slot);

/* Host pointer to [gpa, gpa + size) if it is all RAM of p, else NULL. */
void *partition_gpa_to_host(struct hv_partition *p, u64 gpa, u64 size);
/* VNR_GPA_ATTR_* of the page at gpa as p sees it, 0 if unmapped. */
u64 partition_gpa_attributes(struct hv_partition *p, u64 gpa);

#endif /* HV_PARTITION_H */
