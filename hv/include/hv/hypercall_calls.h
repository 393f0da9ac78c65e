/* SPDX-License-Identifier: MIT */
/*
 * The interface between the dispatcher and the call handlers: one handler
 * call_<name> (the call's name in lower case) and two sizes IN_<NAME>,
 * OUT_<NAME> per entry of calls.def.
 */
#ifndef HV_HYPERCALL_CALLS_H
#define HV_HYPERCALL_CALLS_H

#include <hv/partition.h>

/* Handler result meaning "more reps to do: re-enter the guest's call". */
#define HV_STATUS_CONTINUE ((enum vnr_status)0xFFFF)

struct hv_call {
	struct hv_vp *vp;
	u64 control;
	u64 arg0, arg1;	   /* the two argument registers of the ABI */
	const void *input; /* memory calls: validated copy of the input */
	u64 input_gpa;	   /* where the input is, for variable-length data */
	void *output;	   /* memory calls: host pointer into guest RAM */
	u32 rep_count;
	u32 rep_next; /* next rep to process == reps completed */
	bool fast_outputs;
	bool validated; /* a rep call's checks passed: failures keep rep_next */
	u64 out0, out1; /* fast outputs, in the argument registers */
};

#define IN_NULL_CALL  0
#define OUT_NULL_CALL 0
/* The header only: the handler fetches the data, once, as it uses it. */
#define IN_DEBUG_WRITE		 __builtin_offsetof(struct vnr_debug_write_input, data)
#define OUT_DEBUG_WRITE		 0
#define IN_PARTITION_INFO	 0
#define OUT_PARTITION_INFO	 sizeof(struct vnr_partition_info)
#define IN_VP_INFO		 sizeof(struct vnr_vp_info_input)
#define OUT_VP_INFO		 sizeof(struct vnr_vp_info)
#define IN_REFERENCE_TIME	 0
#define OUT_REFERENCE_TIME	 0
#define IN_VP_YIELD		 0
#define OUT_VP_YIELD		 0
#define IN_VP_HALT		 0
#define OUT_VP_HALT		 0
#define IN_PARTITION_EXIT	 0
#define OUT_PARTITION_EXIT	 0
#define IN_QUERY_GPA_ATTRIBUTES	 sizeof(struct vnr_gpa_query_input)
#define OUT_QUERY_GPA_ATTRIBUTES sizeof(u64) /* per rep */
/* The header only: the handler copies payload_size bytes, once. */
#define IN_POST_MESSAGE \
	__builtin_offsetof(struct vnr_post_message_input, payload)
#define OUT_POST_MESSAGE 0
#define IN_SIGNAL_EVENT	 0
#define OUT_SIGNAL_EVENT 0
/* The header only: the handler copies the page_count GPAs it uses, once. */
#define IN_GRANT_CREATE	     __builtin_offsetof(struct vnr_grant_create_input, gpa)
#define OUT_GRANT_CREATE     sizeof(struct vnr_grant_create_output)
#define IN_GRANT_MAP	     sizeof(struct vnr_grant_map_input)
#define OUT_GRANT_MAP	     0
#define IN_GRANT_UNMAP	     sizeof(struct vnr_grant_unmap_input)
#define OUT_GRANT_UNMAP	     0
#define IN_GRANT_REVOKE	     0
#define OUT_GRANT_REVOKE     0
#define IN_PARTITION_CREATE  sizeof(struct vnr_partition_create_input)
#define OUT_PARTITION_CREATE sizeof(struct vnr_partition_create_output)
#define IN_MEMORY_DEPOSIT    sizeof(struct vnr_memory_range_input)
#define OUT_MEMORY_DEPOSIT   0
#define IN_MEMORY_WITHDRAW   sizeof(struct vnr_memory_range_input)
#define OUT_MEMORY_WITHDRAW  0
#define IN_MEMORY_INFO	     0
#define OUT_MEMORY_INFO	     sizeof(struct vnr_memory_info)
#define IN_MAP_GPA_PAGES     sizeof(struct vnr_map_gpa_input)
#define OUT_MAP_GPA_PAGES    0
/* The header only: the handler copies length bytes of data, once. */
#define IN_WRITE_PARTITION_MEMORY \
	__builtin_offsetof(struct vnr_write_memory_input, data)
#define OUT_WRITE_PARTITION_MEMORY 0
#define IN_VP_CREATE		   0
#define OUT_VP_CREATE		   0
/* The header only: the handler copies the rep elements, once. */
#define IN_GET_VP_REGISTERS   sizeof(struct vnr_vp_registers_input)
#define OUT_GET_VP_REGISTERS  sizeof(u64) /* per rep */
#define IN_SET_VP_REGISTERS   sizeof(struct vnr_vp_registers_input)
#define OUT_SET_VP_REGISTERS  0
#define IN_PARTITION_START    0
#define OUT_PARTITION_START   0
#define IN_PARTITION_SUSPEND  0
#define OUT_PARTITION_SUSPEND 0
#define IN_PARTITION_RESUME   0
#define OUT_PARTITION_RESUME  0
#define IN_PARTITION_STOP     0
#define OUT_PARTITION_STOP    0
#define IN_PARTITION_DESTROY  0
#define OUT_PARTITION_DESTROY 0
#define IN_PARTITION_QUERY    sizeof(struct vnr_partition_query_input)
#define OUT_PARTITION_QUERY   sizeof(struct vnr_partition_status)
#define IN_VP_RUN	      sizeof(struct vnr_vp_run_input)
#define OUT_VP_RUN	      sizeof(struct vnr_run_exit)
#define IN_LOG_READ	      sizeof(struct vnr_log_read_input)
#define OUT_LOG_READ	      sizeof(struct vnr_log_read_output)
#define IN_PORT_CREATE	      sizeof(struct vnr_port_create_input)
#define OUT_PORT_CREATE	      0
#define IN_CONNECTION_CREATE  sizeof(struct vnr_connection_create_input)
#define OUT_CONNECTION_CREATE 0

/*
 * The handlers, grouped by the object they act on.  Each carries out one
 * call whose checks of docs/spec/conventions.md steps 1-5 have passed: it
 * returns the call's status (HV_STATUS_CONTINUE to be re-entered), with
 * call->rep_next the reps completed.
 */
enum vnr_status call_null_call(struct hv_call *call);
enum vnr_status call_debug_write(struct hv_call *call);
enum vnr_status call_reference_time(struct hv_call *call);
enum vnr_status call_post_message(struct hv_call *call);
enum vnr_status call_signal_event(struct hv_call *call);
enum vnr_status call_grant_create(struct hv_call *call);
enum vnr_status call_grant_map(struct hv_call *call);
enum vnr_status call_grant_unmap(struct hv_call *call);
enum vnr_status call_grant_revoke(struct hv_call *call);
enum vnr_status call_get_vp_registers(struct hv_call *call);
enum vnr_status call_set_vp_registers(struct hv_call *call);

enum vnr_status call_partition_info(struct hv_call *call);
enum vnr_status call_vp_info(struct hv_call *call);
enum vnr_status call_vp_yield(struct hv_call *call);
enum vnr_status call_vp_halt(struct hv_call *call);
enum vnr_status call_partition_exit(struct hv_call *call);
enum vnr_status call_query_gpa_attributes(struct hv_call *call);
enum vnr_status call_memory_deposit(struct hv_call *call);
enum vnr_status call_memory_withdraw(struct hv_call *call);
enum vnr_status call_memory_info(struct hv_call *call);
enum vnr_status call_map_gpa_pages(struct hv_call *call);
enum vnr_status call_write_partition_memory(struct hv_call *call);
enum vnr_status call_partition_create(struct hv_call *call);
enum vnr_status call_vp_create(struct hv_call *call);
enum vnr_status call_partition_start(struct hv_call *call);
enum vnr_status call_partition_suspend(struct hv_call *call);
enum vnr_status call_partition_resume(struct hv_call *call);
enum vnr_status call_partition_stop(struct hv_call *call);
enum vnr_status call_partition_destroy(struct hv_call *call);
enum vnr_status call_partition_query(struct hv_call *call);
enum vnr_status call_vp_run(struct hv_call *call);
enum vnr_status call_log_read(struct hv_call *call);
enum vnr_status call_port_create(struct hv_call *call);
enum vnr_status call_connection_create(struct hv_call *call);

#endif /* HV_HYPERCALL_CALLS_H */
