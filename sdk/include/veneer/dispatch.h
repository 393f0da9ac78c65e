/* SPDX-License-Identifier: MIT */
/*
 * The root's interface to the hypervisor in root mode
 * (docs/spec/root-stack.md): the Veneer PCI function that carries the
 * root's synthetic interrupts (pci.h), VP_RUN, which runs a child's VP on the
 * calling processor until something needs the root, and LOG_READ.
 */
#ifndef VENEER_DISPATCH_H
#define VENEER_DISPATCH_H

#include "types.h"
#include "info.h"
#include "pci.h"

/* VNR_CALL_VP_RUN input. */
struct vnr_vp_run_input {
	vnr_u32 partition_id;
	vnr_u32 vp_index;
	vnr_u32 io_value; /* completes the IN the last exit reported */
	vnr_u32 reserved; /* MUST be 0 */
};
VNR_ABI_SIZE(struct vnr_vp_run_input, 16);

enum vnr_run_exit_reason {
	VNR_RUN_EXIT_INTERRUPTED = 1, /* an interrupt of the root is pending */
	VNR_RUN_EXIT_HALTED = 2,      /* the VP waits: see wake_in_100ns */
	VNR_RUN_EXIT_IO = 3,	  /* a port no one in the hypervisor serves */
	VNR_RUN_EXIT_CONSOLE = 4, /* DEBUG_WRITE: length bytes in data */
	VNR_RUN_EXIT_STOPPED = 5, /* the child has ended */
	VNR_RUN_EXIT_YIELDED = 6, /* the VP called VP_YIELD */
};

/* VNR_RUN_EXIT_IO: one IN or OUT of 1, 2 or 4 bytes (no string form). */
struct vnr_run_io {
	vnr_u16 port;
	vnr_u8 size;   /* 1, 2 or 4 */
	vnr_u8 write;  /* 1: OUT, completed; 0: IN, completed by the next run */
	vnr_u32 value; /* OUT: the value written */
};
VNR_ABI_SIZE(struct vnr_run_io, 8);

/* Every reason but VNR_RUN_EXIT_CONSOLE. */
struct vnr_run_exit_info {
	vnr_u64 wake_in_100ns; /* until the VP's next timer or halt timeout;
				  ~0: none is armed */
	vnr_u64 rip;	       /* the VP's RIP, for diagnostics */
	struct vnr_run_io io;  /* VNR_RUN_EXIT_IO */
	vnr_u32 exit_reason;   /* VNR_RUN_EXIT_STOPPED: enum vnr_exit_reason */
	vnr_u32 reserved;
	vnr_u64 exit_status; /* VNR_RUN_EXIT_STOPPED, VNR_EXIT_CLEAN */
};
VNR_ABI_SIZE(struct vnr_run_exit_info, 40);

/* VNR_CALL_VP_RUN output: one whole page. */
struct vnr_run_exit {
	vnr_u32 reason; /* enum vnr_run_exit_reason */
	vnr_u32 length; /* VNR_RUN_EXIT_CONSOLE: bytes in data */
	union {
		struct vnr_run_exit_info info;
		char data[VNR_DEBUG_WRITE_MAX];
	};
};
VNR_ABI_OFFSET(struct vnr_run_exit, info, 8);
VNR_ABI_SIZE(struct vnr_run_exit, 4096);

/* VNR_CALL_LOG_READ input and output (one page). */
struct vnr_log_read_input {
	vnr_u64 offset; /* of the log's first byte wanted, since boot */
};
VNR_ABI_SIZE(struct vnr_log_read_input, 8);

#define VNR_LOG_READ_MAX 4080u
struct vnr_log_read_output {
	vnr_u64 offset; /* of data[0]: above the input's if bytes were lost */
	vnr_u32 length; /* bytes in data */
	vnr_u32 reserved;
	char data[VNR_LOG_READ_MAX];
};
VNR_ABI_SIZE(struct vnr_log_read_output, 4096);

#endif /* VENEER_DISPATCH_H */
