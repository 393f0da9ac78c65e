/* SPDX-License-Identifier: MIT */
/* Partition names, the same rule for the configuration and PARTITION_CREATE. */
#ifndef HV_NAME_H
#define HV_NAME_H

#include <hv/types.h>

/*
 * true when name (NUL-terminated within VNR_NAME_MAX bytes) is 1 to
 * VNR_NAME_MAX - 1 letters, digits, '_' or '-', and not "hv": the
 * console prefixes every partition's line with its name in brackets, and
 * "[hv]" belongs to the hypervisor's own lines.
 */
bool partition_name_valid(const char *name);

#endif /* HV_NAME_H */
