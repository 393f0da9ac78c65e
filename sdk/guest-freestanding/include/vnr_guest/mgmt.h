/* SPDX-License-Identifier: MIT */
/*
 * Partition management (docs/spec/management.md): typed wrappers for the
 * calls a partition with VNR_PRIV_BIT_CREATE_PARTITIONS and
 * VNR_PRIV_BIT_MANAGE_MEMORY uses to build and run child partitions.
 *
 * Every wrapper returns the call's status.  Wrappers that build their input
 * use the library's scratch pages (hypercall.h), so they run on the boot VP
 * only, like the rest of the library.  vnr_guest/child_boot.h builds a
 * complete child from an ELF image with these calls.
 */
#ifndef VNR_GUEST_MGMT_H
#define VNR_GUEST_MGMT_H

#include <stdbool.h>
#include <veneer/abi.h>

/*
 * Rep limits that follow from the page rule: the header and all elements
 * of one call fit in one page.  The wrappers split longer lists.
 */
#define VNR_GET_REGISTERS_MAX 512u /* 8 * 512 output bytes */
#define VNR_SET_REGISTERS_MAX 255u /* 8 + 16 * 255 input bytes */

/* The deposit pool: ranges of the caller's own RAM. */
enum vnr_status vnr_memory_deposit(vnr_u64 gpa, vnr_u64 page_count);
enum vnr_status vnr_memory_withdraw(vnr_u64 gpa, vnr_u64 page_count);
enum vnr_status vnr_memory_info(struct vnr_memory_info *info);
/*
 * A range of bytes of free RAM to deposit: the first 2 MiB-aligned stretch
 * of a VNR_MEM_RAM region of the memory map that holds it.
 */
bool vnr_find_deposit_range(const struct vnr_start_info *si, vnr_u64 bytes,
			    vnr_u64 *gpa);

/*
 * PARTITION_CREATE.  name must be shorter than VNR_NAME_MAX (the wrapper
 * refuses a longer one with VNR_STATUS_INVALID_PARAMETER without calling);
 * vnr_partition_create_raw() passes any input unchanged.
 */
enum vnr_status vnr_partition_create(const char *name, vnr_u64 privileges,
				     vnr_u32 vp_count, vnr_u32 notify_sint,
				     vnr_u32 *partition_id);
enum vnr_status
vnr_partition_create_raw(const struct vnr_partition_create_input *in,
			 vnr_u32 *partition_id);

/*
 * MAP_GPA_PAGES: maps page_count pages of the deposit pool at base_gpa in
 * the child, in calls of at most VNR_HC_REP_MAX reps.  *pages_done (may be
 * NULL) receives the number of pages this wrapper mapped, also on failure:
 * pages mapped before a failing rep stay mapped.
 */
enum vnr_status vnr_map_gpa_pages(vnr_u32 partition_id, vnr_u64 base_gpa,
				  vnr_u64 page_count, vnr_u64 *pages_done);

/*
 * WRITE_PARTITION_MEMORY in pieces of at most VNR_WRITE_MEMORY_MAX bytes
 * that never cross a 4 KiB page of the child; stops at the first failure.
 * vnr_zero_partition_memory() writes zeros.
 */
enum vnr_status vnr_write_partition_memory(vnr_u32 partition_id, vnr_u64 gpa,
					   const void *data, vnr_u64 length);
enum vnr_status vnr_zero_partition_memory(vnr_u32 partition_id, vnr_u64 gpa,
					  vnr_u64 length);

/* VP_CREATE: vp_index is the number of VPs created so far. */
enum vnr_status vnr_vp_create(vnr_u32 partition_id, vnr_u32 vp_index);

/*
 * GET/SET_VP_REGISTERS for count registers (at most VNR_GET_REGISTERS_MAX
 * or VNR_SET_REGISTERS_MAX, else VNR_STATUS_INVALID_PARAMETER without a
 * call).  *done (may be NULL) receives the reps completed: on
 * VNR_STATUS_INVALID_REGISTER, the index of the bad name.  values receives
 * the values of the completed reps.
 */
enum vnr_status vnr_get_vp_registers(vnr_u32 partition_id, vnr_u32 vp_index,
				     vnr_u32 count, const vnr_u32 *names,
				     vnr_u64 *values, vnr_u32 *done);
enum vnr_status vnr_set_vp_registers(vnr_u32 partition_id, vnr_u32 vp_index,
				     vnr_u32 count,
				     const struct vnr_register_value *regs,
				     vnr_u32 *done);
enum vnr_status vnr_get_vp_register(vnr_u32 partition_id, vnr_u32 vp_index,
				    vnr_u32 name, vnr_u64 *value);
enum vnr_status vnr_set_vp_register(vnr_u32 partition_id, vnr_u32 vp_index,
				    vnr_u32 name, vnr_u64 value);

/* The state changes (fast calls, RDX = partition id). */
enum vnr_status vnr_partition_start(vnr_u32 partition_id);
enum vnr_status vnr_partition_suspend(vnr_u32 partition_id);
enum vnr_status vnr_partition_resume(vnr_u32 partition_id);
enum vnr_status vnr_partition_stop(vnr_u32 partition_id);
enum vnr_status vnr_partition_destroy(vnr_u32 partition_id);

enum vnr_status vnr_partition_query(vnr_u32 partition_id,
				    struct vnr_partition_status *status);

/*
 * Ports and connections of the caller or of a child it is building
 * (partition_id: its own id or the child's, docs/spec/management.md).
 * kind is VNR_PORT_MESSAGE (flag_count 0) or VNR_PORT_EVENT; a connection
 * leads to port port_id of target, the caller or one of its children.
 */
enum vnr_status vnr_port_create(vnr_u32 partition_id, vnr_u32 port_id,
				vnr_u32 kind, vnr_u32 sint, vnr_u32 flag_count);
enum vnr_status vnr_connection_create(vnr_u32 partition_id,
				      vnr_u32 connection_id, vnr_u32 target,
				      vnr_u32 port_id);

/*
 * Exit notifications.  vnr_partition_exit_decode() accepts a message taken
 * from the SynIC (vnr_message_take()) if it is a VNR_MSG_PARTITION_EXIT
 * from the hypervisor, and copies its payload with the diagnostic
 * NUL-terminated.  vnr_wait_partition_exit() polls sint for one, halting
 * in between, and gives up after timeout_100ns of reference time (0: wait
 * forever); messages of other types on that SINT are dropped.  The SynIC
 * must have been set up with vnr_synic_init().
 */
bool vnr_partition_exit_decode(const struct vnr_message *msg,
			       struct vnr_partition_exit_message *out);
bool vnr_wait_partition_exit(unsigned int sint,
			     struct vnr_partition_exit_message *out,
			     vnr_u64 timeout_100ns);

/* Names for log lines ("?" for unknown values). */
const char *vnr_status_name(vnr_u32 status);
const char *vnr_partition_state_name(vnr_u32 state);
const char *vnr_exit_reason_name(vnr_u32 reason);

#endif /* VNR_GUEST_MGMT_H */
