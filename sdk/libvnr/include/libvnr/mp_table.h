/* SPDX-License-Identifier: MIT */
/*
 * The MP configuration table (Intel MultiProcessor Specification 1.4) a
 * PC-platform partition finds at VNR_MP_TABLE_GPA: a floating pointer and
 * a configuration table that lists one enabled processor per VP, its local
 * APIC at 0xFEE00000, and no bus, I/O APIC or interrupt entries.  It is
 * how a kernel without ACPI learns that the platform has local APICs
 * (docs/spec/pc-platform.md says why one is needed).
 */
#ifndef LIBVNR_MP_TABLE_H
#define LIBVNR_MP_TABLE_H

#include <libvnr/gpa_writer.h>

/* In the BIOS area a kernel searches, which no loader puts anything in. */
#define VNR_MP_TABLE_GPA     0xF0000u
#define VNR_MP_TABLE_MAX_VPS 64u

/*
 * Writes the floating pointer and the table for vp_count (1 ..
 * VNR_MP_TABLE_MAX_VPS) processors, VP 0 the bootstrap processor, through
 * w.  Returns 0, -1 for a bad vp_count, or the first nonzero result of
 * w->write.
 */
int vnr_mp_table_write(const struct vnr_gpa_writer *w, vnr_u32 vp_count);

#endif /* LIBVNR_MP_TABLE_H */
