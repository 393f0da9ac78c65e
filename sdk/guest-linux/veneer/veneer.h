/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * veneer.ko's internal interfaces: the root partition's side of Veneer's
 * partition management (docs/spec/root-stack.md, "The device: veneer.ko
 * and /dev/veneer").  Each section below is one file of the module.
 */
#ifndef VENEER_MODULE_H
#define VENEER_MODULE_H

#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <veneer/dispatch.h>
#include <veneer/hypercall.h>
#include <veneer/ioctl.h>
#include <veneer/mgmt.h>

#include "veneer_hc.h"

/*
 * The root's SINT for its children's notifications: exit messages and the
 * event flags of children whose halted VP became runnable.
 */
#define VENEER_SINT 2u

/*
 * A user pointer carried in an ABI field: the ABI's vnr_u64 is not the
 * kernel's u64 type, which u64_to_user_ptr() insists on.
 */
static inline void __user *veneer_user_ptr(vnr_u64 address)
{
	return u64_to_user_ptr((u64)address);
}

/* ---- discovery.c: what CPUID says about the hypervisor ---- */

struct veneer_hv_info {
	u32 abi_version;
	u32 features;
	u32 privileges;
	u32 max_vps;
	u32 max_partitions;
	u32 max_reps;
	u32 root_id; /* this partition's id */
};

/*
 * Checks that the kernel runs as a partition of Veneer with an ABI of the
 * major version this module was built for, the partition management
 * feature and both management privileges, and fills veneer_hv.  Returns 0
 * or -ENODEV (with the reason logged).
 */
int veneer_discover(void);

/* Valid after veneer_discover() succeeded; never changes afterwards. */
extern struct veneer_hv_info veneer_hv;

/* ---- calls.c: the management calls, typed ---- */

/*
 * Each returns 0 or the negative errno of the hypercall's status
 * (veneer_errno()).  They sleep only where noted and take no lock.
 */
int veneer_call_fast(u16 code, u32 partition_id);
int veneer_call_vp_create(u32 partition_id, u32 vp_index);
int veneer_call_partition_create(const struct vnr_partition_create_input *in,
				 u32 *partition_id);
int veneer_call_partition_query(u32 partition_id,
				struct vnr_partition_status *status);
int veneer_call_memory_range(u16 code, u64 gpa, u64 page_count);
int veneer_call_memory_info(struct vnr_memory_info *info);
/* Maps up to VNR_HC_REP_MAX pages; *done is the number mapped. */
int veneer_call_map_gpa_pages(u32 partition_id, u64 base_gpa, u32 count,
			      u32 *done);
/* At most VNR_WRITE_MEMORY_MAX bytes from kernel memory. */
int veneer_call_write_memory(u32 partition_id, u64 gpa, const void *data,
			     u32 length);
/*
 * GET fills regs[i].value; SET writes them.  count is at most
 * VENEER_REGISTERS_MAX.  On failure of rep i the reps before it are done.
 */
#define VENEER_REGISTERS_MAX                                       \
	((VNR_PAGE_SIZE - sizeof(struct vnr_vp_registers_input)) / \
	 sizeof(struct vnr_register_value))
int veneer_call_get_registers(u32 partition_id, u32 vp_index,
			      struct vnr_register_value *regs, u32 count);
int veneer_call_set_registers(u32 partition_id, u32 vp_index,
			      const struct vnr_register_value *regs, u32 count);
/* One LOG_READ into out (a whole struct vnr_log_read_output). */
int veneer_call_log_read(u64 offset, struct vnr_log_read_output *out);
/* PORT_CREATE or CONNECTION_CREATE (code) with the size bytes of in. */
int veneer_call_ipc(u16 code, const void *in, size_t size);
/* POST_MESSAGE on the root's connection conn; process context. */
int veneer_call_post(u32 conn, u32 type, const void *payload, u32 size);
/* SIGNAL_EVENT: a fast call, any context. */
int veneer_call_signal(u32 conn, u32 flag);
/*
 * GRANT_MAP of owner's grant handle at the root's gpa, GRANT_UNMAP of it,
 * and QUERY_GPA_ATTRIBUTES of count (at most VNR_GPA_QUERY_MAX) pages at
 * gpa into attrs.
 */
int veneer_call_grant_map(u32 owner, u64 handle, u64 gpa);
int veneer_call_grant_unmap(u32 owner, u64 handle);
int veneer_call_gpa_attributes(u64 gpa, u32 count, u64 *attrs);

/* The root's SINTs of its channels: the control port's, the event port's. */
#define VENEER_CHANNEL_MSG_SINT	  3u
#define VENEER_CHANNEL_EVENT_SINT 4u

/* ---- synic.c: the root's SynIC, its interrupt and the wake sequence ---- */

/*
 * Enables the root's SynIC on the boot processor (VP 0 of the root) with
 * VENEER_SINT unmasked, and takes the PCI function's MSI for it.
 * veneer_synic_exit() disables both.  Returns 0 or a negative errno.
 */
struct pci_dev;
int veneer_synic_init(struct pci_dev *pdev);
void veneer_synic_exit(struct pci_dev *pdev);

/*
 * The wake sequence: read it before VP_RUN, then sleep in
 * veneer_wait_for_wake() until it changes, so that a wake-up between the
 * exit and the sleep is never lost.  veneer_wake_all() advances it and
 * wakes every sleeper; the interrupt and every state change call it.
 * veneer_wait_for_wake() returns 0 (woken), -ETIME (timeout passed; an
 * absolute CLOCK_MONOTONIC time, KTIME_MAX for none) or -ERESTARTSYS.
 */
unsigned int veneer_wake_seq(void);
void veneer_wake_all(void);
int veneer_wait_for_wake(unsigned int seen, ktime_t deadline);

/* ---- pool.c: the root's deposits ---- */

/*
 * The deposit pool is the root's, shared by all its children: pages the
 * module allocates in blocks of 4 MiB (2 MiB when memory is fragmented)
 * and deposits, adjacent blocks as one range; Linux never touches them
 * again until they are withdrawn.  veneer_pool_lock serializes deposits
 * and the maps that count on them.
 */
extern struct mutex veneer_pool_lock;

/*
 * With veneer_pool_lock held: deposits blocks until the pool has at least
 * pages free pages.  Returns 0, -ENOMEM (no memory for a block), -ENOSPC
 * (the hypervisor takes no more deposits) or another errno of the call.
 */
int veneer_pool_reserve(u64 pages);

/*
 * Withdraws every deposit no child uses and frees its pages; deposits in
 * use stay.  Takes veneer_pool_lock.
 */
void veneer_pool_shrink(void);

/*
 * At unload, with no partition left: withdraws every deposit and forgets
 * any the hypervisor refuses (their pages are lost, never freed).
 */
void veneer_pool_exit(void);

/* ---- partition.c: a partition's descriptor ---- */

/*
 * A child's side of the root's channels (channels.c), all but the wait
 * queue under the module's channel lock.
 */
#define VENEER_MESSAGE_QUEUE 16
struct veneer_channels {
	struct list_head node; /* in the wired list; empty if not wired */
	u32 slot;	       /* the root's connections 2 slot + 1, + 2 */
	bool has_slot;	       /* slot is taken for it */
	u64 ids;	       /* channel ids it holds, bit k for id k */
	u64 events;	       /* ids the child signalled, not yet taken */
	struct veneer_message queue[VENEER_MESSAGE_QUEUE];
	u32 head, count;
	u32 dropped; /* messages lost to a full queue */
	wait_queue_head_t wait;
};

struct veneer_partition {
	struct list_head node; /* in the module's list, under its mutex */
	u32 id;
	u32 vp_count; /* VPs the partition may have */
	char name[VNR_NAME_MAX];
	struct pid *owner; /* the thread group that created it */
	struct mutex lock; /* its build and state calls */
	struct veneer_channels chan;
};

/*
 * VENEER_CREATE_PARTITION: creates the partition, writes its id to user
 * space and returns its new descriptor, or a negative errno (and then no
 * partition is left).
 */
int veneer_partition_create(struct veneer_create_partition __user *uargs);

/*
 * VENEER_LIST: writes up to capacity entries to the user's array and
 * returns how many, or a negative errno.
 */
int veneer_partition_list(struct veneer_partition_entry __user *entries,
			  u32 capacity);

/* The number of partitions the module holds. */
u32 veneer_partition_count(void);

/* ---- vp.c: a VP's descriptor ---- */

struct veneer_vp {
	struct veneer_partition *partition;
	struct file *partition_file; /* the reference the VP holds */
	u32 index;
	struct page *input_page;     /* VP_RUN's struct vnr_vp_run_input */
	struct page *exit_page;	     /* VP_RUN's struct vnr_run_exit */
	struct hrtimer timer;	     /* ends VP_RUN when the child's timer
					is due */
	ktime_t timer_due;	     /* KTIME_MAX: the child has no timer */
	ktime_t timer_armed;	     /* when the hrtimer is set for, or
					KTIME_MAX */
	atomic_t running;	     /* one VENEER_RUN at a time */
};

/*
 * VENEER_CREATE_VP on the partition descriptor pfile: creates VP index and
 * returns its descriptor, or a negative errno.  Called with the
 * partition's lock held.
 */
int veneer_vp_create(struct file *pfile, u32 index);

/* ---- run.c: VENEER_RUN ---- */

/*
 * Runs the VP until an exit for user space is in its exit page (returns
 * 0) or a signal comes (-EINTR); other errors are negative errnos.
 * Holds no lock across VP_RUN.
 */
int veneer_vp_run(struct veneer_vp *vp, const struct veneer_run *args);

/* ---- log.c: VENEER_READ_LOG ---- */

/* Reads the hypervisor's log into the user's buffer; updates *args. */
int veneer_read_log(struct veneer_log_read *args);

/* ---- channels.c: the root as its children's channel provider ---- */

/*
 * Makes the root's control and event ports (once; after a reload they
 * exist already).  0 or a negative errno.
 */
int veneer_channels_init(void);
/*
 * Gives the CREATED child partition its ports and connections and the
 * root its connections to them: 0, or a negative errno (the caller
 * destroys the child).  veneer_channels_unwire() forgets it after its
 * destroy, with its channel ids; its slot only if the hypervisor
 * destroyed it (and with it the root's connections to it).
 */
int veneer_channels_wire(struct veneer_partition *partition);
void veneer_channels_unwire(struct veneer_partition *partition,
			    bool destroyed);
/* From the interrupt: a message of the root's control port, the event
 * port's flags (already cleared in the page). */
void veneer_channels_message(const struct vnr_message *msg);
void veneer_channels_events(u64 flags);
/* The partition descriptor's channel ioctls (-ENOTTY for others), poll. */
long veneer_channels_ioctl(struct file *file, unsigned int cmd,
			   void __user *arg);
__poll_t veneer_channels_poll(struct file *file, struct poll_table_struct *wait);

/* ---- grant_window.c: a child's grant mapped into the root ---- */

/* VENEER_MAP_GRANT on the partition descriptor pfile: a new descriptor. */
long veneer_grant_window_open(struct file *pfile,
			      struct veneer_grant_map __user *uargs);
/* At unload, with no window left: gives the aperture back. */
void veneer_grant_windows_exit(void);

/* ---- device.c: /dev/veneer ---- */

/*
 * Registers /dev/veneer (0 or a negative errno); unregistering needs no
 * descriptor open, which holding the module guarantees.
 */
int veneer_device_register(void);
void veneer_device_unregister(void);

#endif /* VENEER_MODULE_H */
