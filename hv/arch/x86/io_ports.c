/* SPDX-License-Identifier: MIT */
/*
 * The I/O ports a partition owns (io_ports in the configuration): every
 * one reaches the device without an exit except those the hypervisor
 * keeps, the console UART's data register (serial.h).  The backend only
 * programs its permission map as told.
 */
#include <hv/arch.h>
#include "io_ports.h"
#include "serial.h"
#include "vendor.h"

int arch_partition_allow_io(struct hv_partition *p, u16 first, u16 last)
{
	if (vendor_io_map_init(p))
		return -1;
	for (u32 port = first; port <= last; port++)
		if (!serial_is_data_port((u16)port))
			vendor_io_pass(p, (u16)port);
	p->io_first = first;
	p->io_last = last;
	/*
	 * For good, even if p is destroyed later: whatever line setup p left
	 * behind, the console's writes set up their own.
	 */
	serial_share(first, last);
	return 0;
}

bool io_ports_owned(const struct hv_partition *p, u16 port)
{
	return p->io_last && port >= p->io_first && port <= p->io_last;
}
