/* SPDX-License-Identifier: MIT */
/*
 * The minimal PC platform of a partition booted by the Linux boot
 * protocol (docs/spec/pc-platform.md): an emulated 16550 UART at the
 * console port, printed line by line as the partition's console, and
 * every other port a bus without devices (reads all ones, writes
 * dropped).  The local APIC is vlapic.h's, the clock pv_clock.h's.
 */
#ifndef X86_PC_PLATFORM_H
#define X86_PC_PLATFORM_H

#include <hv/partition.h>

struct x86_exit;

/* The port exit of a PC-platform partition's VP; false: not handled. */
bool pc_platform_io(struct hv_vp *vp, const struct x86_exit *e);

#endif /* X86_PC_PLATFORM_H */
