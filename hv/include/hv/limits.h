/* SPDX-License-Identifier: MIT */
/*
 * How many of each object the hypervisor keeps: every table of partitions,
 * VPs, ports and connections is sized by these.
 */
#ifndef HV_LIMITS_H
#define HV_LIMITS_H

#include <hv/types.h>

#define HV_MAX_PARTITIONS  8
#define HV_MAX_VPS	   1 /* per partition */
#define HV_MAX_PORTS	   VNR_MAX_PORTS
#define HV_MAX_CONNECTIONS VNR_MAX_CONNECTIONS

#endif /* HV_LIMITS_H */
