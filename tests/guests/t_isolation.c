// SPDX-License-Identifier: MIT
/*
 * Touching guest-physical memory outside the partition's RAM must make the
 * hypervisor stop the partition.
 *
 * The boot page tables need not map anything beyond RAM, so the guest maps
 * the target itself; a fault is then a nested-paging one that only the
 * hypervisor sees.  The accesses run in order from command-line option
 * step=N (default 0): read, then write, just above RAM, then read and
 * write at 4 GiB.  Each one that returns is a failure.
 */
#include <vnr_test.h>

#define PTE_PRESENT 0x1ull
#define PTE_WRITE   0x2ull
#define PTE_LARGE   0x80ull
#define PTE_ADDR    0x000FFFFFFFFFF000ull
#define LARGE_PAGE  (2ull << 20)
#define FOUR_GIB    (4ull << 30)

/* New page tables: at most a PDPT and a PD per target. */
static vnr_u64 spare[4][512] __attribute__((aligned(VNR_PAGE_SIZE)));
static unsigned int spare_used;

static vnr_u64 *table_of(vnr_u64 entry)
{
	return (vnr_u64 *)(uintptr_t)(entry & PTE_ADDR);
}

static unsigned int index_of(vnr_u64 gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & 511;
}

/* Walks to the level-1 table for gpa, adding tables or a 2 MiB page. */
static vnr_u64 *walk(vnr_u64 gpa)
{
	vnr_u64 *table = table_of(vnr_read_cr3());
	int level;

	for (level = 4; level > 1; level--) {
		vnr_u64 *e = &table[index_of(gpa, level)];

		if (*e & PTE_PRESENT && (level == 4 || !(*e & PTE_LARGE))) {
			table = table_of(*e);
			continue;
		}
		if (*e & PTE_PRESENT)
			return NULL; /* already mapped by a large page */
		if (level == 2) {
			*e = (gpa & ~(LARGE_PAGE - 1)) | PTE_PRESENT |
			     PTE_WRITE | PTE_LARGE;
			return NULL;
		}
		*e = vnr_gpa(spare[spare_used++]) | PTE_PRESENT | PTE_WRITE;
		table = table_of(*e);
	}
	return table;
}

/* Identity-maps the page holding gpa, writable. */
static void map_identity(vnr_u64 gpa)
{
	vnr_u64 *pt = walk(gpa);

	if (pt && !(pt[index_of(gpa, 1)] & PTE_PRESENT))
		pt[index_of(gpa, 1)] =
			(gpa & PTE_ADDR) | PTE_PRESENT | PTE_WRITE;
	vnr_invlpg(gpa);
}

static void probe(vnr_u64 gpa, bool write)
{
	volatile vnr_u64 *p = (volatile vnr_u64 *)(uintptr_t)gpa;

	map_identity(gpa);
	vnr_test_note("about to %s GPA 0x%lx", write ? "write" : "read", gpa);
	if (write)
		*p = 0x5A5A5A5A5A5A5A5Aull;
	else
		vnr_test_note("read 0x%lx", *p);
	VNR_EXPECT(!"access outside RAM let the partition run on");
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 end = (si->memory_size + VNR_PAGE_SIZE - 1) &
		      ~(vnr_u64)(VNR_PAGE_SIZE - 1);
	vnr_u64 step;

	vnr_test_begin("t_isolation");
	if (!VNR_EXPECT(si->memory_size < FOUR_GIB))
		return vnr_test_done();
	for (step = vnr_cmdline_u64("step", 0); step < 4; step++)
		probe(step < 2 ? end : FOUR_GIB, step % 2);
	return vnr_test_done();
}
