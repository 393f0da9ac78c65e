/* SPDX-License-Identifier: MIT */
/*
 * Edges of the partition-state rule (conventions.md, "Partition ids and
 * states") and of WRITE_PARTITION_MEMORY across a child's RAM pieces, in
 * the hosted core: ids end instead of wrapping, GRANT_CREATE tells a
 * bystander nothing of another partition's state, and writes land whole
 * or not at all.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define IN_GPA	    0x4000ull
#define OUT_GPA	    0x6000ull
#define GRANT_GPA   0xA000ull
#define PEER_GPA    GiB(1)
#define EXTRA_GPA   0x100000ull
#define EXTRA_PAGES 8u

#define PRIV_MGMT \
	(VNR_PRIV_MASK(CREATE_PARTITIONS) | VNR_PRIV_MASK(MANAGE_MEMORY))

static u8 extra_ram[EXTRA_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static enum vnr_status map_at(struct hv_partition *r, u32 id, u64 base, u32 n)
{
	struct vnr_map_gpa_input in = {id, 0, base};

	memcpy(fx_gpa(r, IN_GPA), &in, sizeof(in));
	return fx_hypercall(&r->vps[0], REP(VNR_CALL_MAP_GPA_PAGES, n, 0),
			    IN_GPA, 0);
}

/* A parent with EXTRA_PAGES more RAM, all of it deposited (one deposit). */
static struct hv_partition *parent_with_deposit(void)
{
	struct hv_partition *r;
	struct vnr_memory_range_input *in;

	fx_reset();
	r = fx_partition("parent", PRIV_MGMT);
	for (u32 i = 0; i < EXTRA_PAGES; i++)
		ck_assert_int_eq(partition_map_ram(r, EXTRA_GPA + i * PAGE_SIZE,
						   extra_ram[i], PAGE_SIZE),
				 0);
	in = fx_gpa(r, IN_GPA);
	memset(in, 0, sizeof(*in));
	in->gpa = EXTRA_GPA;
	in->page_count = EXTRA_PAGES;
	ck_assert_int_eq(fx_hypercall(&r->vps[0], MEM(VNR_CALL_MEMORY_DEPOSIT),
				      IN_GPA, 0),
			 VNR_STATUS_SUCCESS);
	return r;
}

/* Every byte of the child's page at gpa is byte. */
static void expect_page(struct hv_partition *c, u64 gpa, u8 byte)
{
	const u8 *h = partition_gpa_to_host(c, gpa, PAGE_SIZE);

	ck_assert_ptr_nonnull(h);
	for (u32 i = 0; i < PAGE_SIZE; i++)
		ck_assert_msg(h[i] == byte, "gpa 0x%llx byte %u is 0x%02x",
			      (unsigned long long)gpa, i, h[i]);
}

/* ------------------------------------------------------------------ */
/* Partition ids: never reused                                         */
/* ------------------------------------------------------------------ */

/*
 * conventions.md: "Ids are never reused".  The last id is 0xFFFFFFFF;
 * after it, no partition is created, rather than the counter wrapping to
 * ids a grant, a connection or a parent may still name.
 */
START_TEST(ids_end_instead_of_wrapping)
{
	struct hv_partition *s, *p, *n;
	u64 handle = 0;
	u32 old_id;
	u8 *ram;

	fx_reset();
	s = fx_partition("owner", 0);
	p = fx_partition("peer", 0);
	old_id = p->id;
	memset(fx_gpa(s, GRANT_GPA), 0x5E, PAGE_SIZE); /* S's secret */
	ck_assert_int_eq(fx_grant_create(s, p->id, GRANT_GPA, &handle),
			 VNR_STATUS_SUCCESS);
	ram = fx_ram(p);
	partition_stop(p, true, 0, "done");
	ck_assert_int_eq(partition_destroy(p), VNR_STATUS_SUCCESS);
	free(ram);

	partition_set_next_id(0xFFFFFFFFu); /* 2^32 - 1 - old_id creations */
	n = fx_partition("last", 0);
	ck_assert_uint_eq(n->id, 0xFFFFFFFFu);
	ck_assert_int_eq(fx_grant_map(n, s->id, handle, PEER_GPA),
			 VNR_STATUS_INVALID_GRANT); /* not the peer's */
	ram = fx_ram(n); /* the fixture's, which destroy does not free */
	partition_stop(n, true, 0, "done");
	ck_assert_int_eq(partition_destroy(n), VNR_STATUS_SUCCESS);
	free(ram);
	for (u32 i = 0; i < 4; i++)
		ck_assert_ptr_null(partition_create("newcomer", 0));
	ck_assert_ptr_null(partition_by_id(old_id));
	ck_assert_ptr_null(partition_by_id(0));
}
END_TEST

/* A parent's PARTITION_CREATE says so once the ids are used up. */
START_TEST(create_after_the_last_id)
{
	struct hv_partition *r = parent_with_deposit();
	u32 id;

	partition_set_next_id(0xFFFFFFFFu);
	ck_assert_int_eq(fx_create_child(r, "last", &id), VNR_STATUS_SUCCESS);
	ck_assert_uint_eq(id, 0xFFFFFFFFu);
	ck_assert_int_eq(fx_create_child(r, "next", &id),
			 VNR_STATUS_INSUFFICIENT_MEMORY);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Partition states: what a stranger learns from GRANT_CREATE          */
/* ------------------------------------------------------------------ */

/*
 * management.md: a partition learns nothing of another parent's children.
 * GRANT_CREATE needs no privilege: a bystander's probe of a child being
 * built gets the status of an id no partition has.
 */
START_TEST(bystander_learns_no_state)
{
	struct hv_partition *r = parent_with_deposit();
	struct hv_partition *x = fx_partition("bystander", 0);
	enum vnr_status never, built;
	u32 id;

	ck_assert_int_eq(fx_create_child(r, "secret", &id), VNR_STATUS_SUCCESS);
	/* An unaligned GPA: no grant can come of the probe. */
	never = fx_grant_create(x, id + 100, 0x123, NULL);
	built = fx_grant_create(x, id, 0x123, NULL);
	ck_assert_int_eq(never, VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_msg(built == never,
		      "bystander tells another parent's child being built "
		      "(status %d) from an unused id (status %d)",
		      built, never);
}
END_TEST

/* The order: ids first, then GPAs; no grant from any refusal. */
START_TEST(grant_create_order)
{
	struct hv_partition *s, *t;

	fx_reset();
	s = fx_partition("owner", 0);
	t = fx_partition("peer", 0);
	partition_stop(t, true, 0, "done");
	ck_assert_int_eq(fx_grant_create(s, s->id, 0x123, NULL),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(fx_grant_create(s, t->id, 0x123, NULL),
			 VNR_STATUS_INVALID_PARTITION_ID);
	ck_assert_int_eq(fx_grant_create(s, 0, GRANT_GPA, NULL),
			 VNR_STATUS_INVALID_PARTITION_ID);
	for (u32 i = 0; i < VNR_MAX_GRANTS; i++)
		ck_assert_uint_eq(s->grants.slot[i].handle, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* WRITE_PARTITION_MEMORY edges                                        */
/* ------------------------------------------------------------------ */

/* Pages mapped out of GPA order, then written at every edge. */
START_TEST(write_edges)
{
	struct hv_partition *r = parent_with_deposit(), *c;
	u32 id;

	ck_assert_int_eq(fx_create_child(r, "edges", &id), VNR_STATUS_SUCCESS);
	/* GPA page 2 first, then 0, then 1: extents out of GPA order. */
	ck_assert_int_eq(map_at(r, id, 2 * PAGE_SIZE, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_at(r, id, 0, 1), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_at(r, id, PAGE_SIZE, 1), VNR_STATUS_SUCCESS);
	c = partition_by_id(id);
	ck_assert_ptr_nonnull(c);

	/* Ends exactly at the end of RAM (page 2), page 3 unmapped. */
	ck_assert_int_eq(fx_write_child(r, id,
					3 * PAGE_SIZE - VNR_WRITE_MEMORY_MAX,
					VNR_WRITE_MEMORY_MAX, 0x11),
			 VNR_STATUS_SUCCESS);
	/* One byte past it: nothing written. */
	ck_assert_int_eq(fx_write_child(r, id, 3 * PAGE_SIZE - 15, 16, 0x22),
			 VNR_STATUS_INVALID_GPA);
	ck_assert_int_eq(fx_write_child(r, id, 3 * PAGE_SIZE, 1, 0x22),
			 VNR_STATUS_INVALID_GPA);
	/* Wrapping past 2^64 and the top of the 52-bit space. */
	ck_assert_int_eq(fx_write_child(r, id, ~0ull - 7, 16, 0x33),
			 VNR_STATUS_INVALID_GPA);
	ck_assert_int_eq(fx_write_child(r, id, ~0ull, 1, 0x33),
			 VNR_STATUS_INVALID_GPA);
	ck_assert_int_eq(fx_write_child(r, id, (1ull << 52) - 8, 16, 0x33),
			 VNR_STATUS_INVALID_GPA);
	/* Length 0 anywhere, and too long. */
	ck_assert_int_eq(fx_write_child(r, id, ~0ull, 0, 0x44),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(
		fx_write_child(r, id, 0, VNR_WRITE_MEMORY_MAX + 1, 0x44),
		VNR_STATUS_INVALID_PARAMETER);
	/* Page 2 holds only the first write; pages 0 and 1 are untouched. */
	{
		const u8 *h =
			partition_gpa_to_host(c, 2 * PAGE_SIZE, PAGE_SIZE);

		for (u32 i = 0; i < PAGE_SIZE; i++)
			ck_assert_uint_eq(h[i],
					  i >= PAGE_SIZE - VNR_WRITE_MEMORY_MAX
						  ? 0x11
						  : 0);
	}
	expect_page(c, 0, 0);
	expect_page(c, PAGE_SIZE, 0);
	/* Across pages 0 -> 1, mapped in the other order in the host. */
	ck_assert_int_eq(fx_write_child(r, id, PAGE_SIZE - 2040,
					VNR_WRITE_MEMORY_MAX, 0x55),
			 VNR_STATUS_SUCCESS);
	{
		const u8 *lo = partition_gpa_to_host(c, 0, PAGE_SIZE);
		const u8 *hi = partition_gpa_to_host(c, PAGE_SIZE, PAGE_SIZE);

		for (u32 i = 0; i < PAGE_SIZE; i++) {
			ck_assert_uint_eq(lo[i],
					  i >= PAGE_SIZE - 2040 ? 0x55 : 0);
			ck_assert_uint_eq(hi[i], i < 2040 ? 0x55 : 0);
		}
	}
}
END_TEST

/*
 * A suspended child with a stranger's grant mapped next to its RAM: a write
 * that runs from RAM into the grant writes nothing, and the stranger's page
 * is never reached.
 */
START_TEST(write_into_grant_mapping)
{
	struct hv_partition *r = parent_with_deposit(), *c, *s;
	u64 handle = 0;
	u32 id;

	s = fx_partition("stranger", 0);
	memset(fx_gpa(s, GRANT_GPA), 0x5E, PAGE_SIZE);
	ck_assert_int_eq(fx_create_child(r, "kid", &id), VNR_STATUS_SUCCESS);
	/* Child RAM: pages 0-4 (its hypercall input at IN_GPA, page 4). */
	ck_assert_int_eq(map_at(r, id, 0, 5), VNR_STATUS_SUCCESS);
	c = partition_by_id(id);
	if (!c->vp_count)
		ck_assert_ptr_nonnull(partition_create_vp(
			c, &(struct hv_vp_boot_state){.rip = 0}));
	partition_start(c); /* as PARTITION_START does, without a VP run */
	ck_assert_int_eq(fx_grant_create(s, id, GRANT_GPA, &handle),
			 VNR_STATUS_SUCCESS);
	{
		struct vnr_grant_map_input in = {s->id, 0, handle,
						 5 * PAGE_SIZE};

		memcpy(partition_gpa_to_host(c, IN_GPA, PAGE_SIZE), &in,
		       sizeof(in));
		ck_assert_int_eq(fx_hypercall(&c->vps[0],
					      MEM(VNR_CALL_GRANT_MAP), IN_GPA,
					      0),
				 VNR_STATUS_SUCCESS);
	}
	ck_assert_int_eq(partition_change_state(c, HV_SUSPEND),
			 VNR_STATUS_SUCCESS);

	ck_assert_int_eq(fx_write_child(r, id, 5 * PAGE_SIZE - 8, 16, 0x77),
			 VNR_STATUS_INVALID_GPA);
	ck_assert_int_eq(fx_write_child(r, id, 5 * PAGE_SIZE, 16, 0x77),
			 VNR_STATUS_INVALID_GPA);
	{
		const u8 *h =
			partition_gpa_to_host(c, 4 * PAGE_SIZE, PAGE_SIZE);

		for (u32 i = PAGE_SIZE - 8; i < PAGE_SIZE; i++)
			ck_assert_uint_eq(h[i], 0);
	}
	for (u32 i = 0; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(((u8 *)fx_gpa(s, GRANT_GPA))[i], 0x5E);
}
END_TEST

/* A destroyed child's id writes nothing into the next child's pages. */
START_TEST(write_after_recreate)
{
	struct hv_partition *r = parent_with_deposit(), *c;
	u32 old, id;

	ck_assert_int_eq(fx_create_child(r, "one", &old), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(map_at(r, old, 0, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(partition_destroy(partition_by_id(old)),
			 VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_create_child(r, "two", &id), VNR_STATUS_SUCCESS);
	ck_assert_uint_ne(id, old);
	ck_assert_int_eq(map_at(r, id, 0, 2), VNR_STATUS_SUCCESS);
	ck_assert_int_eq(fx_write_child(r, old, 0, 16, 0x66),
			 VNR_STATUS_INVALID_PARTITION_ID);
	c = partition_by_id(id);
	expect_page(c, 0, 0);
	expect_page(c, PAGE_SIZE, 0);
}
END_TEST

static Suite *edges_suite(void)
{
	Suite *s = suite_create("partition_edges");
	TCase *ids = tcase_create("ids");
	TCase *states = tcase_create("states");
	TCase *write = tcase_create("write");

	tcase_add_test(ids, ids_end_instead_of_wrapping);
	tcase_add_test(ids, create_after_the_last_id);
	suite_add_tcase(s, ids);
	tcase_add_test(states, bystander_learns_no_state);
	tcase_add_test(states, grant_create_order);
	suite_add_tcase(s, states);
	tcase_add_test(write, write_edges);
	tcase_add_test(write, write_into_grant_mapping);
	tcase_add_test(write, write_after_recreate);
	suite_add_tcase(s, write);
	return s;
}

int main(void)
{
	return fx_run_suite(edges_suite());
}
