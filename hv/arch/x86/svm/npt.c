/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables: the partition's GPA space.  Same format as the
 * long-mode page tables; every level needs the user bit because nested
 * walks are user accesses.  2 MiB pages (and 1 GiB pages, where the CPU
 * has them) are used wherever GPA and HPA are both aligned and the range
 * covers them.
 *
 * Invariant: no table below the PML4 is empty.  A table is freed when its
 * last entry goes, so an empty entry means nothing is mapped below it.
 */
#include <hv/arch.h>
#include "npt.h"

#define NPT_P	  0x1ull
#define NPT_RW	  0x2ull
#define NPT_US	  0x4ull
#define NPT_PS	  0x80ull
#define NPT_ADDR  0x000FFFFFFFFFF000ull
#define NPT_TABLE (NPT_P | NPT_RW | NPT_US)
#define NPT_LEAF  (NPT_P | NPT_US)

/*
 * Unmapping splits at most the large pages at the two ends of a range: a
 * 1 GiB page and then a 2 MiB page of it at each end.
 */
#define MAX_SPLITS 4
/* What four levels of tables translate. */
#define GPA_SPACE (1ull << 48)

bool npt_huge_pages;

static u32 index_of(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * level)) & 511;
}

static u64 span_of(int level)
{
	return 1ull << (12 + 9 * level);
}

static u64 *table_of(u64 entry)
{
	return (u64 *)(uintptr_t)(entry & NPT_ADDR);
}

static bool is_table(u64 entry)
{
	return (entry & NPT_P) && !(entry & NPT_PS);
}

static bool table_empty(const u64 *table)
{
	for (u32 i = 0; i < 512; i++)
		if (table[i])
			return false;
	return true;
}

/* Frees the tables on the way to gpa that map nothing, bottom up. */
static void prune(struct hv_pool_account *a, u64 *pml4, u64 gpa)
{
	u64 *path[3], *table = pml4;
	int depth = 0;

	for (int level = 3; level > 0; level--) {
		u64 *e = &table[index_of(gpa, level)];

		if (!is_table(*e))
			break;
		path[depth++] = e;
		table = table_of(*e);
	}
	while (depth-- > 0 && table_empty(table_of(*path[depth]))) {
		page_free_charged(a, table_of(*path[depth]));
		*path[depth] = 0;
	}
}

/* The table at level-1 under entry, created when absent. */
static u64 *next_table(struct hv_pool_account *a, u64 *entry)
{
	u64 *table;

	if (*entry & NPT_P)
		return table_of(*entry);
	table = page_alloc_charged(a, 1);
	if (table)
		*entry = (u64)(uintptr_t)table | NPT_TABLE;
	return table;
}

static int map_one(struct hv_pool_account *a, u64 *pml4, u64 gpa, u64 hpa,
		   int leaf_level, u64 rw)
{
	u64 *table = pml4, *leaf;

	for (int level = 3; level > leaf_level; level--) {
		u64 *e = &table[index_of(gpa, level)];

		if (*e & NPT_PS)
			return HV_MAP_IN_USE;
		table = next_table(a, e);
		if (!table)
			return HV_MAP_NO_MEMORY;
	}
	leaf = &table[index_of(gpa, leaf_level)];
	if (*leaf & NPT_P)
		return HV_MAP_IN_USE; /* never silently remap */
	*leaf = hpa | NPT_LEAF | rw | (leaf_level ? NPT_PS : 0);
	return 0;
}

/* The largest page that maps gpa to hpa without going past end. */
static int leaf_level_for(u64 gpa, u64 hpa, u64 end)
{
	int top = npt_huge_pages ? 2 : 1;

	for (int level = top; level > 0; level--)
		if (IS_ALIGNED(gpa | hpa, span_of(level)) &&
		    end - gpa >= span_of(level))
			return level;
	return 0;
}

int npt_map(struct hv_pool_account *a, u64 *pml4, u64 gpa, u64 hpa, u64 size,
	    bool writable)
{
	u64 start = gpa, end = gpa + size;

	if (!IS_ALIGNED(gpa | hpa | size, PAGE_SIZE) || end < gpa ||
	    end > GPA_SPACE)
		return HV_MAP_IN_USE;
	while (gpa < end) {
		int level = leaf_level_for(gpa, hpa, end);
		int err = map_one(a, pml4, gpa, hpa, level,
				  writable ? NPT_RW : 0);

		if (err) {
			/* What this call mapped has no partial large page:
			 * taking it away again needs no table. */
			npt_unmap(a, pml4, start, gpa - start);
			prune(a, pml4, gpa);
			return err;
		}
		gpa += span_of(level);
		hpa += span_of(level);
	}
	return 0;
}

/* Replaces a large page at level by a table of 512 equivalent smaller ones. */
static void split_large(u64 *entry, int level, u64 *table)
{
	u64 base = *entry & NPT_ADDR, flags = *entry & ~NPT_ADDR & ~NPT_PS;
	u64 step = span_of(level - 1);

	if (level > 1)
		flags |= NPT_PS;
	for (u32 i = 0; i < 512; i++)
		table[i] = (base + (u64)i * step) | flags;
	*entry = (u64)(uintptr_t)table | NPT_TABLE;
}

/*
 * The splits [lo, hi) needs below a large page at level that it covers
 * only partly: the page's own, and for a 1 GiB page one for each 2 MiB
 * page of it that the range covers partly.
 */
static u32 splits_needed(int level, u64 lo, u64 hi)
{
	u64 first = ALIGN_DOWN(lo, MiB(2)), last = ALIGN_DOWN(hi - 1, MiB(2));
	u32 n = 1;

	if (level < 2)
		return n;
	if (first == last)
		return n + (lo != first || hi != first + MiB(2));
	return n + !IS_ALIGNED(lo, MiB(2)) + !IS_ALIGNED(hi, MiB(2));
}

/*
 * One walk for both passes of an unmap: counting the large pages to
 * split (nothing changes), then clearing with the tables set aside.
 */
struct unmap_walk {
	struct hv_pool_account *a;
	bool clear;
	u32 splits;
	u64 *spare[MAX_SPLITS];
};

static void unmap_entry(struct unmap_walk *w, u64 *e, int level, u64 base,
			u64 lo, u64 hi);

/* [lo, hi) lies in the part of the GPA space table maps from base. */
static void unmap_in(struct unmap_walk *w, u64 *table, int level, u64 base,
		     u64 lo, u64 hi)
{
	u64 span = span_of(level);

	for (u32 i = index_of(lo, level); i <= index_of(hi - 1, level); i++) {
		u64 eb = base + (u64)i * span;

		unmap_entry(w, &table[i], level, eb, MAX(lo, eb),
			    MIN(hi, eb + span));
	}
}

static void unmap_entry(struct unmap_walk *w, u64 *e, int level, u64 base,
			u64 lo, u64 hi)
{
	bool whole = lo == base && hi == base + span_of(level);

	if (!(*e & NPT_P))
		return;
	if (level == 0 || ((*e & NPT_PS) && whole)) {
		if (w->clear)
			*e = 0;
		return;
	}
	if (*e & NPT_PS) {
		if (!w->clear) {
			w->splits += splits_needed(level, lo, hi);
			return;
		}
		split_large(e, level, w->spare[--w->splits]);
	}
	unmap_in(w, table_of(*e), level - 1, base, lo, hi);
	if (w->clear && table_empty(table_of(*e))) {
		page_free_charged(w->a, table_of(*e));
		*e = 0;
	}
}

int npt_unmap(struct hv_pool_account *a, u64 *pml4, u64 gpa, u64 size)
{
	struct unmap_walk w = {.a = a};
	u32 ready;

	if (!size)
		return 0;
	if (gpa + size < gpa || gpa + size > GPA_SPACE)
		return HV_MAP_IN_USE;
	unmap_in(&w, pml4, 3, 0, gpa, gpa + size);
	for (ready = 0; ready < w.splits; ready++) {
		w.spare[ready] = page_alloc_charged(a, 1);
		if (!w.spare[ready]) {
			while (ready-- > 0)
				page_free_charged(a, w.spare[ready]);
			return HV_MAP_NO_MEMORY;
		}
	}
	w.clear = true;
	unmap_in(&w, pml4, 3, 0, gpa, gpa + size);
	return 0;
}

/* The 4 KiB leaf entry mapping gpa, or NULL. */
static u64 *small_leaf(u64 *pml4, u64 gpa)
{
	u64 *table = pml4;

	for (int level = 3; level > 0; level--) {
		u64 e = table[index_of(gpa, level)];

		if (!is_table(e))
			return NULL;
		table = table_of(e);
	}
	return table[index_of(gpa, 0)] & NPT_P ? &table[index_of(gpa, 0)]
					       : NULL;
}

bool npt_maps_small_page(u64 *pml4, u64 gpa, u64 hpa)
{
	const u64 *leaf = small_leaf(pml4, gpa);

	return leaf && (*leaf & NPT_ADDR) == hpa;
}

int npt_back_with_page(u64 *pml4, u64 gpa, u64 size, u64 hpa)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE)
		if (!small_leaf(pml4, gpa + off))
			return HV_MAP_IN_USE;
	for (u64 off = 0; off < size; off += PAGE_SIZE)
		*small_leaf(pml4, gpa + off) = hpa | NPT_LEAF | NPT_RW;
	return 0;
}

static void free_level(struct hv_pool_account *a, u64 *table, int level)
{
	for (u32 i = 0; level > 0 && i < 512; i++)
		if (is_table(table[i]))
			free_level(a, table_of(table[i]), level - 1);
	page_free_charged(a, table);
}

void npt_free(struct hv_pool_account *a, u64 *pml4)
{
	free_level(a, pml4, 3);
}
