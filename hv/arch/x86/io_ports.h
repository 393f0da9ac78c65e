/* SPDX-License-Identifier: MIT */
#ifndef X86_IO_PORTS_H
#define X86_IO_PORTS_H

#include <hv/partition.h>

/* Whether p was given port (io_ports), passed through or kept. */
bool io_ports_owned(const struct hv_partition *p, u16 port);

#endif /* X86_IO_PORTS_H */
