/* SPDX-License-Identifier: MIT */
/*
 * What root mode reads and changes in the firmware's ACPI tables.
 *
 * CPUs: the root runs on the boot CPU only, the one the hypervisor took
 * over, and must never run on another.  The MADT is what an operating
 * system starts CPUs from, so every processor entry but the boot CPU's is
 * marked neither enabled nor online-capable there (checksum updated)
 * before the root starts: the root's kernel never brings those CPUs up.
 * They stay parked by the firmware, for the hypervisor's child partitions.
 *
 * Power-off: the FADT names the PM1a control port, where the root's
 * kernel writes SLP_EN to power the machine off; the hypervisor watches
 * it to log its view of the root before the machine goes.
 */
#include <efi.h>
#include <efilib.h>

#include <hv/string.h>
#include <libvnr/x86/cpu.h>
#include "efi_platform.h"

#define MADT_LOCAL_APIC	    0
#define MADT_LOCAL_X2APIC   9
#define MADT_ENABLED	    0x1u
#define MADT_ONLINE_CAPABLE 0x2u
#define SDT_HEADER_SIZE	    36
#define MADT_ENTRIES	    (SDT_HEADER_SIZE + 8)

struct rsdp {
	char signature[8];
	u8 checksum;
	char oem[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
} __attribute__((packed));

struct sdt_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
} __attribute__((packed));

#define FADT_PM1A_CNT_BLK   64
#define FADT_X_PM1A_CNT_BLK 172
#define GAS_SYSTEM_IO	    1

static void *find_acpi_rsdp(EFI_SYSTEM_TABLE *st)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;

	for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
		if (!CompareGuid(&st->ConfigurationTable[i].VendorGuid,
				 &acpi20))
			return st->ConfigurationTable[i].VendorTable;
	return NULL;
}

static struct sdt_header *table_at(u64 addr)
{
	return (struct sdt_header *)(uintptr_t)addr;
}

/* A table through the XSDT (8-byte entries) or the RSDT (4-byte ones). */
static struct sdt_header *find_table(const struct rsdp *rsdp, const char *sig)
{
	bool x = rsdp->revision >= 2 && rsdp->xsdt;
	struct sdt_header *root = table_at(x ? rsdp->xsdt : rsdp->rsdt);
	u32 entry = x ? 8 : 4;

	for (u32 off = SDT_HEADER_SIZE; off + entry <= root->length;
	     off += entry) {
		u64 addr = 0;

		memcpy(&addr, (u8 *)root + off, entry);
		if (addr && !memcmp(table_at(addr)->signature, sig, 4))
			return table_at(addr);
	}
	return NULL;
}

static void fix_checksum(struct sdt_header *t)
{
	u8 sum = 0;

	t->checksum = 0;
	for (u32 i = 0; i < t->length; i++)
		sum = (u8)(sum + ((u8 *)t)[i]);
	t->checksum = (u8)-sum;
}

/* Clears the flags of entry e unless it is the boot CPU's; counts CPUs. */
static void withhold_entry(u8 *e, u32 bsp, struct efi_cpu_count *n)
{
	u32 id, flags_at;
	u32 flags;

	if (e[0] == MADT_LOCAL_APIC) {
		id = e[3];
		flags_at = 4;
	} else if (e[0] == MADT_LOCAL_X2APIC) {
		memcpy(&id, e + 4, 4);
		flags_at = 8;
	} else {
		return;
	}
	memcpy(&flags, e + flags_at, 4);
	if (!(flags & (MADT_ENABLED | MADT_ONLINE_CAPABLE)))
		return;
	n->total++;
	if (id == bsp)
		return;
	flags &= ~(MADT_ENABLED | MADT_ONLINE_CAPABLE);
	memcpy(e + flags_at, &flags, 4);
	n->withheld++;
}

EFI_STATUS efi_withhold_other_cpus(EFI_SYSTEM_TABLE *st,
				   struct efi_cpu_count *n)
{
	u32 bsp = vnr_cpuid(1, 0).ebx >> 24;
	struct sdt_header *madt;
	struct rsdp *rsdp;

	n->total = n->withheld = 0;
	rsdp = find_acpi_rsdp(st);
	madt = rsdp ? find_table(rsdp, "APIC") : NULL;
	if (!madt)
		return EFI_NOT_FOUND;
	for (u32 off = MADT_ENTRIES; off + 2 <= madt->length;) {
		u8 *e = (u8 *)madt + off;

		if (e[1] < 2 || off + e[1] > madt->length)
			break;
		withhold_entry(e, bsp, n);
		off += e[1];
	}
	fix_checksum(madt);
	return EFI_SUCCESS;
}

u16 efi_acpi_pm1a_control_port(EFI_SYSTEM_TABLE *st)
{
	struct rsdp *rsdp = find_acpi_rsdp(st);
	struct sdt_header *fadt = rsdp ? find_table(rsdp, "FACP") : NULL;
	const u8 *f = (const u8 *)fadt;
	u64 x_port = 0;
	u32 port = 0;

	if (!fadt || fadt->length < FADT_PM1A_CNT_BLK + 4)
		return 0;
	memcpy(&port, f + FADT_PM1A_CNT_BLK, 4);
	if (fadt->length >= FADT_X_PM1A_CNT_BLK + 12 &&
	    f[FADT_X_PM1A_CNT_BLK] == GAS_SYSTEM_IO)
		memcpy(&x_port, f + FADT_X_PM1A_CNT_BLK + 4, 8);
	if (x_port)
		port = (u32)x_port;
	return port <= 0xFFFE ? (u16)port : 0;
}
