/* SPDX-License-Identifier: MIT */
#ifndef HV_SUMMARY_H
#define HV_SUMMARY_H

#include <hv/exit.h>
#include <hv/types.h>

struct hv_partition;

/* What a partition did, counted for the summary and PARTITION_QUERY. */
struct hv_partition_stats {
	u64 exits_by_reason[HV_EXIT_COUNT];
	u64 hypercalls_by_code[VNR_CALL_BOUND];
};

/* Prints per-partition results; returns how many did not exit with 0. */
int summary_print(void);
/* One partition's lines of the summary: run time, exits, hypercalls. */
void summary_print_partition(const struct hv_partition *p);

#endif /* HV_SUMMARY_H */
