// SPDX-License-Identifier: GPL-2.0
/*
 * The memory half of the probe: Linux sees the hypervisor's memory as an
 * EFI Reserved region.  The hypervisor shows the root zeros there and a
 * write raises #GP, so the region reads all zero, the store of a pattern
 * faults (caught through the exception table) and reads back as zero.
 */
#include "probe.h"

#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/trapnr.h>

#define WRITE_PATTERN 0x5645524f4f540001ULL

/* Reads the page at @phys: its first qword and whether it is all zero. */
static int read_page(phys_addr_t phys, u64 *first, bool *zero)
{
	u64 *page = memremap(phys, PAGE_SIZE, MEMREMAP_WB);

	if (!page)
		return -ENOMEM;
	*first = READ_ONCE(page[0]);
	*zero = !memchr_inv(page, 0, PAGE_SIZE);
	memunmap(page);
	return 0;
}

static bool region_reads_zero(unsigned long base, unsigned long size)
{
	bool first_zero, last_zero;
	u64 first, last;

	if (size < PAGE_SIZE || read_page(base, &first, &first_zero) ||
	    read_page(base + size - PAGE_SIZE, &last, &last_zero)) {
		pr_info("region base=0x%lx size=0x%lx unmappable\n", base,
			size);
		return false;
	}
	pr_info("region base=0x%lx size=0x%lx first=0x%llx last=0x%llx\n", base,
		size, first, last);
	return first_zero && last_zero;
}

/* Writes the pattern over the first qword, reads it back, restores it. */
static void report_write(unsigned long base, unsigned long size)
{
	u64 *page = memremap(base, PAGE_SIZE, MEMREMAP_WB);
	u64 before, after;
	long fault;

	if (!page) {
		pr_info("hv-memory FAIL base=0x%lx unmappable\n", base);
		return;
	}
	before = READ_ONCE(page[0]);
	fault = try_store(&page[0], WRITE_PATTERN);
	mb();
	after = READ_ONCE(page[0]);
	if (fault == NO_FAULT)
		WRITE_ONCE(page[0], before);
	memunmap(page);
	pr_info("hv-memory base=0x%lx size=0x%lx read=0x%llx write=%s "
		"write-readback=0x%llx\n",
		base, size, before,
		fault == NO_FAULT      ? "ok"
		: fault == X86_TRAP_GP ? "gp"
				       : "fault",
		after);
}

/* Veneer's hypercall MSR (sdk/include/veneer/msrs.def); bit 0 enables. */
#define VNR_MSR_HYPERCALL 0x40000001u

static void try_hypercall_page(const char *name, u64 gpa)
{
	int err = wrmsrl_safe(VNR_MSR_HYPERCALL, gpa | 1);

	if (!err)
		wrmsrl_safe(VNR_MSR_HYPERCALL, 0);
	pr_info("hypercall-page-%s %s\n", name, err ? "gp" : "ok");
}

/*
 * The hypervisor writes the hypercall page itself: it must take a page of
 * RAM and refuse an MMIO page (the local APIC's).
 */
void probe_hypercall_page(void)
{
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	u64 apic;

	if (page) {
		try_hypercall_page("ram", virt_to_phys((void *)page));
		free_page(page);
	}
	if (!rdmsrl_safe(MSR_IA32_APICBASE, &apic))
		try_hypercall_page("apic",
				   apic & PAGE_MASK & ((1ULL << 52) - 1));
}

void probe_hv_memory(const unsigned long *regions, unsigned int count)
{
	unsigned int i, zero_regions = 0, found = 0;

	for (i = 0; i < count; i++) {
		if (region_reads_zero(regions[2 * i], regions[2 * i + 1])) {
			zero_regions++;
			found = i;
		}
	}
	if (zero_regions == 1)
		report_write(regions[2 * found], regions[2 * found + 1]);
	else
		pr_info("hv-memory FAIL zero-regions=%u candidates=%u\n",
			zero_regions, count);
}
