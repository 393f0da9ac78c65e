/* SPDX-License-Identifier: MIT */
/*
 * Partition names: one rule for the configuration, PARTITION_CREATE and
 * any loader that names a partition before asking for it.
 */
#ifndef LIBVNR_NAME_H
#define LIBVNR_NAME_H

#include <stdbool.h>

/*
 * true when name (NUL-terminated within VNR_NAME_MAX bytes) is 1 to
 * VNR_NAME_MAX - 1 letters, digits, '_' or '-', and not "hv": the
 * console prefixes every partition's line with its name in brackets, and
 * "[hv]" belongs to the hypervisor's own lines.
 */
bool vnr_name_valid(const char *name);

#endif /* LIBVNR_NAME_H */
