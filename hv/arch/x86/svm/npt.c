/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables: the partition's GPA space.  Same format as the
 * long-mode page tables; every level needs the user bit because nested
 * walks are user accesses.  2 MiB pages are used wherever GPA and HPA are
 * both aligned and the range covers them.
 */
#include <hv/page_alloc.h>
#include "npt.h"

#define NPT_P	  0x1ull
#define NPT_RW	  0x2ull
#define NPT_US	  0x4ull
#define NPT_PS	  0x80ull
#define NPT_ADDR  0x000FFFFFFFFFF000ull
#define NPT_TABLE (NPT_P | NPT_RW | NPT_US)
#define NPT_LEAF  (NPT_P | NPT_US)

static u32 index_of(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * level)) & 511;
}

/* The table at level-1 under entry, created when absent. */
static u64 *next_table(u64 *entry)
{
	u64 *table;

	if (*entry & NPT_PS)
		return NULL; /* already mapped by a large page */
	if (*entry & NPT_P)
		return (u64 *)(uintptr_t)(*entry & NPT_ADDR);
	table = page_alloc();
	if (table)
		*entry = (u64)(uintptr_t)table | NPT_TABLE;
	return table;
}

/*
 * A 2 MiB range unmapped page by page left a table of empty entries
 * behind: free it so the range can take a large page again.
 */
static int reclaim_empty_table(u64 *pde)
{
	u64 *pt;

	if (!(*pde & NPT_P) || (*pde & NPT_PS))
		return 0;
	pt = (u64 *)(uintptr_t)(*pde & NPT_ADDR);
	for (u32 i = 0; i < 512; i++)
		if (pt[i])
			return -1;
	page_free(pt);
	*pde = 0;
	return 0;
}

static int map_one(u64 *pml4, u64 gpa, u64 hpa, int leaf_level, u64 rw)
{
	u64 *table = pml4;

	for (int level = 3; level > leaf_level; level--) {
		table = next_table(&table[index_of(gpa, level)]);
		if (!table)
			return -1;
	}
	if (leaf_level == 1 && reclaim_empty_table(&table[index_of(gpa, 1)]))
		return -1;
	if (table[index_of(gpa, leaf_level)] & NPT_P)
		return -1; /* never silently remap */
	table[index_of(gpa, leaf_level)] =
		hpa | NPT_LEAF | rw | (leaf_level ? NPT_PS : 0);
	return 0;
}

int npt_map(u64 *pml4, u64 gpa, u64 hpa, u64 size, bool writable)
{
	u64 end = gpa + size;

	if (!IS_ALIGNED(gpa | hpa | size, PAGE_SIZE) || end < gpa)
		return -1;
	while (gpa < end) {
		bool big = IS_ALIGNED(gpa | hpa, MiB(2)) && end - gpa >= MiB(2);
		u64 step = big ? MiB(2) : PAGE_SIZE;

		if (map_one(pml4, gpa, hpa, big ? 1 : 0, writable ? NPT_RW : 0))
			return -1;
		gpa += step;
		hpa += step;
	}
	return 0;
}

/* Replaces a 2 MiB mapping by a table of 512 equivalent 4 KiB ones. */
static int split_large(u64 *pde)
{
	u64 *pt = page_alloc();
	u64 base = *pde & NPT_ADDR, flags = *pde & ~NPT_ADDR & ~NPT_PS;

	if (!pt)
		return -1;
	for (u32 i = 0; i < 512; i++)
		pt[i] = (base + (u64)i * PAGE_SIZE) | flags;
	*pde = (u64)(uintptr_t)pt | NPT_TABLE;
	return 0;
}

/* The 4 KiB leaf entry for gpa (splitting a large page), or NULL. */
static u64 *leaf_entry(u64 *pml4, u64 gpa)
{
	u64 *table = pml4;

	for (int level = 3; level > 0; level--) {
		u64 *e = &table[index_of(gpa, level)];

		if (!(*e & NPT_P))
			return NULL;
		if ((*e & NPT_PS) && (level != 1 || split_large(e)))
			return NULL;
		table = (u64 *)(uintptr_t)(*e & NPT_ADDR);
	}
	return &table[index_of(gpa, 0)];
}

void npt_unmap(u64 *pml4, u64 gpa, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		u64 *e = leaf_entry(pml4, gpa + off);

		if (e)
			*e = 0;
	}
}

static void free_level(u64 *table, int level)
{
	for (u32 i = 0; level > 0 && i < 512; i++)
		if ((table[i] & NPT_P) && !(table[i] & NPT_PS))
			free_level((u64 *)(uintptr_t)(table[i] & NPT_ADDR),
				   level - 1);
	page_free(table);
}

void npt_free(u64 *pml4)
{
	free_level(pml4, 3);
}
