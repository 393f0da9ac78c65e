/* SPDX-License-Identifier: MIT */
#ifndef X86_SERIAL_H
#define X86_SERIAL_H

#include <hv/partition.h>

void serial_init(void);

/*
 * The hypervisor's console UART may be given to a partition (io_ports),
 * but its data register stays with the hypervisor: the partition's bytes
 * are printed a whole line at a time, so they never mix with the
 * hypervisor's own lines.
 */
bool serial_is_data_port(u16 port);
/*
 * The UART's other registers go to a partition given [first, last): from
 * then on the hypervisor sets the line up again for each write of its own.
 */
void serial_share(u16 first, u16 last);
/* The owner's access to the data register; false if not a plain byte. */
bool serial_owner_access(struct hv_partition *p, bool write, u8 *value);

#endif /* X86_SERIAL_H */
