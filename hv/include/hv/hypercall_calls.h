/* SPDX-License-Identifier: MIT */
/*
 * The interface between the dispatcher and the call handlers: one handler
 * hc_<NAME> and two sizes IN_<NAME>, OUT_<NAME> per entry of calls.def.
 */
#ifndef HV_HYPERCALL_CALLS_H
#define HV_HYPERCALL_CALLS_H

#include <hv/partition.h>

/* Handlers kept beside the objects they act on. */
#define hc_MEMORY_DEPOSIT	  call_memory_deposit
#define hc_MEMORY_WITHDRAW	  call_memory_withdraw
#define hc_MEMORY_INFO		  call_memory_info
#define hc_MAP_GPA_PAGES	  call_map_gpa_pages
#define hc_WRITE_PARTITION_MEMORY call_write_partition_memory
#define hc_QUERY_GPA_ATTRIBUTES	  call_query_gpa_attributes
#define hc_VP_INFO		  call_vp_info
#define hc_PARTITION_CREATE	  call_partition_create
#define hc_VP_CREATE		  call_vp_create
#define hc_PARTITION_START	  call_partition_start
#define hc_PARTITION_SUSPEND	  call_partition_suspend
#define hc_PARTITION_RESUME	  call_partition_resume
#define hc_PARTITION_STOP	  call_partition_stop
#define hc_PARTITION_DESTROY	  call_partition_destroy
#define hc_PARTITION_QUERY	  call_partition_query
#define hc_PARTITION_INFO	  call_partition_info
#define hc_PARTITION_EXIT	  call_partition_exit
#define hc_VP_YIELD		  call_vp_yield
#define hc_VP_HALT		  call_vp_halt

/* Handler result meaning "more reps to do: re-enter the guest's call". */
#define HV_STATUS_CONTINUE ((enum vnr_status)0xFFFF)

struct hv_call {
	struct hv_vp *vp;
	u64 control;
	u64 arg0, arg1;	   /* RDX, R8 */
	const void *input; /* memory calls: validated copy of the input */
	u64 input_gpa;	   /* where the input is, for variable-length data */
	void *output;	   /* memory calls: host pointer into guest RAM */
	u32 rep_count;
	u32 rep_next; /* next rep to process == reps completed */
	bool fast_outputs;
	bool validated; /* a rep call's checks passed: failures keep rep_next */
	u64 out0, out1; /* fast outputs for RDX, R8 */
};

#define HV_CALL_HANDLER(name) enum vnr_status hc_##name(struct hv_call *call)

#define IN_NULL_CALL	      0
#define OUT_NULL_CALL	      0
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
#define IN_GET_VP_REGISTERS		 sizeof(struct vnr_vp_registers_input)
#define OUT_GET_VP_REGISTERS		 sizeof(u64) /* per rep */
#define IN_SET_VP_REGISTERS		 sizeof(struct vnr_vp_registers_input)
#define OUT_SET_VP_REGISTERS		 0
#define IN_PARTITION_START		 0
#define OUT_PARTITION_START		 0
#define IN_PARTITION_SUSPEND		 0
#define OUT_PARTITION_SUSPEND		 0
#define IN_PARTITION_RESUME		 0
#define OUT_PARTITION_RESUME		 0
#define IN_PARTITION_STOP		 0
#define OUT_PARTITION_STOP		 0
#define IN_PARTITION_DESTROY		 0
#define OUT_PARTITION_DESTROY		 0
#define IN_PARTITION_QUERY		 sizeof(struct vnr_partition_query_input)
#define OUT_PARTITION_QUERY		 sizeof(struct vnr_partition_status)

#define VNR_CALL(name, code, form, priv) HV_CALL_HANDLER(name);
#include <veneer/calls.def>
#undef VNR_CALL

#endif /* HV_HYPERCALL_CALLS_H */
