/* SPDX-License-Identifier: MIT */
#ifndef X86_SERIAL_H
#define X86_SERIAL_H

#include <hv/partition.h>

/* Sets up the UART at port (0: none, and none found is none as well). */
void serial_init(u16 port);
/* The hypervisor's UART base port, 0 when it has none. */
u16 serial_port(void);
/* Writes text to the UART, LF as CR LF (nothing without one). */
void serial_write(const char *s, size_t n);

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
