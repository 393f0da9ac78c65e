// SPDX-License-Identifier: MIT
/*
 * Grants between three partitions: the owner grants pages to the peer,
 * which maps them, reads and writes through the mapping and unmaps them;
 * the owner revokes; a third partition may not map.  Every misuse status
 * is checked where it can happen.
 *
 * Command line: role=1 (owner), 2 (peer) or 3 (third); peer: touch=1 reads
 * and writes the revoked range at the end: it is backed by scratch memory
 * now, so the peer goes on and the owner's pages never see the write.
 * Each has port 1 (messages, SINT 2).  Connections: owner 1 = peer:1,
 * 2 = third:1; peer 1 = owner:1; third 1 = owner:1.
 */
#include <vnr_test.h>

#define SINT	    2
#define VECTOR	    0x58
#define SHARED	    4 /* pages of the read-write grant */
#define QUOTA_PAGES VNR_MAX_GRANTS
#define RO_PATTERN  0x5a

enum msg_type {
	MSG_GRANTS = 1,	  /* owner -> peer/third: struct grants */
	MSG_DONE = 2,	  /* peer/third -> owner: checks done */
	MSG_REVOKED = 3,  /* owner -> peer */
	MSG_FINISHED = 4, /* peer -> owner */
};

struct grants {
	vnr_u32 owner;
	vnr_u32 third;
	vnr_u64 rw;
	vnr_u64 ro;
};

static vnr_u8 shared[SHARED][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));
static vnr_u8 quota_pages[QUOTA_PAGES][VNR_PAGE_SIZE]
	__attribute__((aligned(VNR_PAGE_SIZE)));

static void receive(struct vnr_message *m, vnr_u32 type)
{
	vnr_irq_disable();
	while (!vnr_message_take(SINT, m))
		vnr_wait_for_interrupt();
	vnr_irq_enable();
	VNR_EXPECT_EQ(m->header.message_type, type);
}

static vnr_u64 attr_type(vnr_u64 attr)
{
	return (attr & VNR_GPA_ATTR_TYPE_MASK) >> VNR_GPA_ATTR_TYPE_SHIFT;
}

static vnr_u64 query(vnr_u64 gpa)
{
	vnr_u64 attr = 0;
	vnr_u32 done;

	vnr_query_gpa_attributes(gpa, 1, &attr, &done);
	return attr;
}

static enum vnr_status create_raw(vnr_u32 peer, vnr_u32 count, vnr_u64 flags,
				  vnr_u64 gpa)
{
	vnr_u64 gpas[2] = {gpa, gpa + VNR_PAGE_SIZE}, handle;

	return vnr_grant_create(peer, gpas, count, flags, &handle);
}

static void check_create_errors(vnr_u32 self, vnr_u32 peer, vnr_u64 ram)
{
	struct vnr_grant_create_input *in = vnr_hc_input_page();
	vnr_u64 page = vnr_gpa(shared);

	VNR_EXPECT_EQ(create_raw(peer, 1, 0, page + 8),
		      VNR_STATUS_INVALID_ALIGNMENT);
	VNR_EXPECT_EQ(create_raw(peer, 1, 0, ram), VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(create_raw(peer, 2, 0, ram - VNR_PAGE_SIZE),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(create_raw(peer, 1, 0, 1ull << 40),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(create_raw(self, 1, 0, page),
		      VNR_STATUS_INVALID_PARTITION_ID);
	VNR_EXPECT_EQ(create_raw(99, 1, 0, page),
		      VNR_STATUS_INVALID_PARTITION_ID);
	VNR_EXPECT_EQ(create_raw(peer, 0, 0, page),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(create_raw(peer, 1, 2, page),
		      VNR_STATUS_INVALID_PARAMETER);
	/* 511 pages: the wrapper refuses it, so build the input here. */
	in->peer_partition_id = peer;
	in->page_count = VNR_GRANT_MAX_PAGES + 1;
	in->flags = 0;
	VNR_EXPECT_STATUS(vnr_hypercall_memory(VNR_CALL_GRANT_CREATE, in,
					       vnr_hc_output_page()),
			  VNR_STATUS_INVALID_PARAMETER);
}

static void check_quota(vnr_u32 peer)
{
	static vnr_u64 handles[QUOTA_PAGES];
	vnr_u32 i, failed = 0;
	vnr_u64 extra;

	for (i = 0; i < QUOTA_PAGES; i++)
		if (vnr_grant_create_range(peer, quota_pages[i], 1, 0,
					   &handles[i]) != VNR_STATUS_SUCCESS)
			failed++;
	VNR_EXPECT_EQ(failed, 0);
	VNR_EXPECT_EQ(vnr_grant_create_range(peer, shared, 1, 0, &extra),
		      VNR_STATUS_QUOTA_EXCEEDED);
	for (i = 0; i < QUOTA_PAGES; i++)
		if (vnr_grant_revoke(handles[i]) != VNR_STATUS_SUCCESS)
			failed++;
	VNR_EXPECT_EQ(failed, 0);
	VNR_EXPECT_EQ(vnr_grant_revoke(handles[0]), VNR_STATUS_INVALID_GRANT);
}

static int owner(const struct vnr_start_info *si)
{
	struct grants g = {.owner = si->partition_id, .third = 0};
	vnr_u32 peer = si->partition_id + 1, third = si->partition_id + 2;
	struct vnr_message m;
	vnr_u32 i, bad = 0;

	check_create_errors(si->partition_id, peer, si->memory_size);
	check_quota(peer);
	g.third = third;
	for (i = 0; i < sizeof(shared); i++)
		((vnr_u8 *)shared)[i] = (vnr_u8)(i * 13);
	VNR_EXPECT_EQ(vnr_grant_create_range(peer, shared, SHARED, 0, &g.rw),
		      VNR_STATUS_SUCCESS);
	memset(quota_pages[0], RO_PATTERN, VNR_PAGE_SIZE);
	VNR_EXPECT_EQ(vnr_grant_create_range(peer, quota_pages[0], 1,
					     VNR_GRANT_READ_ONLY, &g.ro),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_GRANTS, &g, sizeof(g)),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_post_message(2, MSG_GRANTS, &g, sizeof(g)),
		      VNR_STATUS_SUCCESS);
	receive(&m, MSG_DONE);
	receive(&m, MSG_DONE);
	/* The peer wrote page 1 through its mapping. */
	for (i = 0; i < VNR_PAGE_SIZE; i++)
		if (shared[1][i] != (vnr_u8) ~(i * 13 + VNR_PAGE_SIZE * 13))
			bad++;
	VNR_EXPECT_EQ(bad, 0);
	VNR_EXPECT_EQ(vnr_grant_revoke(g.rw), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_grant_revoke(g.rw), VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_grant_revoke(g.ro), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_REVOKED, NULL, 0),
		      VNR_STATUS_SUCCESS);
	receive(&m, MSG_FINISHED);
	return vnr_test_done();
}

/* Reads the whole grant through the mapping and writes page 1 inverted. */
static void use_mapping(const vnr_u8 *base)
{
	vnr_u8 *page1 = (vnr_u8 *)base + VNR_PAGE_SIZE;
	vnr_u32 i, bad = 0;

	for (i = 0; i < SHARED * VNR_PAGE_SIZE; i++)
		if (base[i] != (vnr_u8)(i * 13) && i / VNR_PAGE_SIZE != 1)
			bad++;
	VNR_EXPECT_EQ(bad, 0);
	for (i = 0; i < VNR_PAGE_SIZE; i++)
		page1[i] = ~page1[i];
}

static void check_map_errors(const struct grants *g, vnr_u64 mapped,
			     vnr_u64 spare)
{
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->rw, spare),
		      VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->ro, mapped + VNR_PAGE_SIZE),
		      VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->ro, 0x100000),
		      VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->ro, spare + 8),
		      VNR_STATUS_INVALID_ALIGNMENT);
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->ro, (1ull << 40)),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, 0x12345, spare),
		      VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_grant_map(g->third, g->ro, spare),
		      VNR_STATUS_INVALID_GRANT);
}

static void check_read_only(const struct grants *g, vnr_u64 gpa)
{
	vnr_u64 attr;

	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->ro, gpa), VNR_STATUS_SUCCESS);
	attr = query(gpa);
	VNR_EXPECT_EQ(attr_type(attr), VNR_MEM_GRANT);
	VNR_EXPECT(attr & VNR_GPA_ATTR_READ);
	VNR_EXPECT(!(attr & VNR_GPA_ATTR_WRITE));
	VNR_EXPECT(vnr_map_identity(gpa, VNR_PAGE_SIZE));
	VNR_EXPECT_EQ(*(volatile vnr_u8 *)(uintptr_t)(gpa + 5), RO_PATTERN);
	vnr_unmap_identity(gpa, VNR_PAGE_SIZE);
	VNR_EXPECT_EQ(vnr_grant_unmap(g->owner, g->ro), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_grant_unmap(g->owner, g->ro),
		      VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(attr_type(query(gpa)), 0);
}

static int peer(void)
{
	vnr_u64 gpa = vnr_gpa_window_alloc(SHARED);
	vnr_u64 spare = vnr_gpa_window_alloc(SHARED);
	vnr_u64 ro = vnr_gpa_window_alloc(1);
	struct vnr_message m;
	struct grants g;
	vnr_u64 attr;

	receive(&m, MSG_GRANTS);
	memcpy(&g, m.payload, sizeof(g));
	VNR_EXPECT_EQ(vnr_grant_map(g.owner, g.rw, gpa), VNR_STATUS_SUCCESS);
	attr = query(gpa + (SHARED - 1) * VNR_PAGE_SIZE);
	VNR_EXPECT_EQ(attr_type(attr), VNR_MEM_GRANT);
	VNR_EXPECT(attr & VNR_GPA_ATTR_WRITE);
	VNR_EXPECT(vnr_map_identity(gpa, SHARED * VNR_PAGE_SIZE));
	use_mapping((const vnr_u8 *)(uintptr_t)gpa);
	check_map_errors(&g, gpa, spare);
	check_read_only(&g, ro);
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_DONE, NULL, 0),
		      VNR_STATUS_SUCCESS);
	receive(&m, MSG_REVOKED);
	VNR_EXPECT_EQ(attr_type(query(gpa)), 0);
	VNR_EXPECT_EQ(vnr_grant_unmap(g.owner, g.rw), VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_grant_map(g.owner, g.rw, spare),
		      VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_FINISHED, NULL, 0),
		      VNR_STATUS_SUCCESS);
	if (vnr_cmdline_u64("touch", 0)) {
		vnr_test_note("reading the revoked grant at 0x%lx", gpa);
		vnr_console_flush();
		VNR_EXPECT_EQ(*(volatile vnr_u8 *)(uintptr_t)gpa, 0);
		*(volatile vnr_u8 *)(uintptr_t)gpa = 0xEE;
		vnr_test_note("still running after the revoked read");
	}
	return vnr_test_done();
}

static int third(void)
{
	struct vnr_message m;
	struct grants g;

	receive(&m, MSG_GRANTS);
	memcpy(&g, m.payload, sizeof(g));
	VNR_EXPECT_EQ(
		vnr_grant_map(g.owner, g.rw, vnr_gpa_window_alloc(SHARED)),
		VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_grant_unmap(g.owner, g.rw), VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_grant_revoke(g.rw), VNR_STATUS_INVALID_GRANT);
	VNR_EXPECT_EQ(vnr_post_message(1, MSG_DONE, NULL, 0),
		      VNR_STATUS_SUCCESS);
	return vnr_test_done();
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 role = vnr_cmdline_u64("role", 0);
	static const char *const names[] = {"?", "owner", "peer", "third"};

	vnr_test_begin(names[role < 4 ? role : 0]);
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(SINT, VECTOR, NULL, NULL,
					VNR_SINT_AUTO_EOI)))
		return vnr_test_done();
	if (role == 1)
		return owner(si);
	return role == 2 ? peer() : third();
}
