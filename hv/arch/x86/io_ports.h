/* SPDX-License-Identifier: MIT */
#ifndef X86_IO_PORTS_H
#define X86_IO_PORTS_H

#include <hv/partition.h>

/* Whether p was given port (io_ports), passed through or kept. */
bool io_ports_owned(const struct hv_partition *p, u16 port);

/*
 * RAX after an IN of size bytes (1, 2 or 4) read value: the low bytes
 * replaced, and a 4-byte IN zero-extended into RAX, as the CPU does.
 */
static inline u64 io_in_result(u64 rax, u8 size, u32 value)
{
	u64 mask = (1ull << (8 * size)) - 1;

	return size == 4 ? value : (rax & ~mask) | (value & mask);
}

#endif /* X86_IO_PORTS_H */
