// SPDX-License-Identifier: MIT
/*
 * Who owns a page, on the real nested page tables (docs/spec/management.md,
 * memory model).  The root grants a page of a range it will deposit to the
 * peer, which maps it: the root cannot deposit the range until the peer
 * has unmapped it, and once it is deposited and in a child the grant no
 * longer maps.  The peer grants a page to the root, which cannot map it in
 * the hole a deposit left; the withdraw then succeeds and the root uses
 * its pages again.
 *
 * Command line: role=1 (root) or 2 (peer).  Partition ids are 1 and 2;
 * each has port 1 (messages, SINT 2) with connection 1 to the other.
 */
#include <vnr_test.h>
#include <vnr_guest/mgmt.h>

#define SINT	      3
#define MSG_SINT      2
#define VECTOR	      0x58
#define PAGE	      VNR_PAGE_SIZE
#define RANGE_BYTES   (8ull << 20)
#define RANGE_PAGES   (RANGE_BYTES / PAGE)
#define GRANTED	      (6ull << 20) /* offset of the granted page */
#define ROOT_PATTERN  0x3c
#define PEER_PATTERN  0xc3
#define CHILD_PATTERN 0x77

enum msg_type {
	MSG_GRANT = 1,	  /* root -> peer: struct grant (root's page) */
	MSG_MAPPED = 2,	  /* peer -> root: struct grant (peer's page) */
	MSG_UNMAP = 3,	  /* root -> peer */
	MSG_UNMAPPED = 4, /* peer -> root */
	MSG_REMAP = 5,	  /* root -> peer: try to map again */
	MSG_REFUSED = 6,  /* peer -> root: vnr_u64 status of that map */
};

struct grant {
	vnr_u32 owner;
	vnr_u32 reserved;
	vnr_u64 handle;
};

static vnr_u8 peer_page[PAGE] __attribute__((aligned(PAGE)));

static void receive(struct vnr_message *m, vnr_u32 type)
{
	vnr_irq_disable();
	while (!vnr_message_take(MSG_SINT, m))
		vnr_wait_for_interrupt();
	vnr_irq_enable();
	VNR_EXPECT_EQ(m->header.message_type, type);
}

static void send(vnr_u32 type, const void *payload, vnr_u32 size)
{
	VNR_EXPECT_EQ(vnr_post_message(1, type, payload, size),
		      VNR_STATUS_SUCCESS);
}

static vnr_u64 deposited(void)
{
	struct vnr_memory_info mi = {0};

	VNR_EXPECT_EQ(vnr_memory_info(&mi), VNR_STATUS_SUCCESS);
	return mi.deposited;
}

static bool all_bytes(vnr_u64 gpa, vnr_u8 value)
{
	const volatile vnr_u8 *p = (const volatile vnr_u8 *)(uintptr_t)gpa;

	for (vnr_u64 i = 0; i < PAGE; i++)
		if (p[i] != value)
			return false;
	return true;
}

/* Item 3: a page mapped by a peer does not change owner. */
static void deposit_of_a_mapped_page(vnr_u64 range)
{
	VNR_EXPECT_EQ_AS("deposit holding a page the peer mapped",
			 vnr_memory_deposit(range, RANGE_PAGES),
			 VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ_AS("deposit of the mapped page",
			 vnr_memory_deposit(range + GRANTED, 1),
			 VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(deposited(), 0);
	/* Still the root's RAM, as the peer left it. */
	VNR_EXPECT(all_bytes(range + GRANTED, PEER_PATTERN));
}

/* Item 4: a deposit's hole takes no grant, and the withdraw works. */
static void hole_and_withdraw(vnr_u64 range, const struct grant *g)
{
	vnr_u64 window = vnr_gpa_window_alloc(1);

	VNR_EXPECT_EQ(vnr_memory_deposit(range, RANGE_PAGES),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ_AS("grant mapped in the deposit's hole",
			 vnr_grant_map(g->owner, g->handle, range + GRANTED),
			 VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ_AS(
		"grant mapped at the hole's last page",
		vnr_grant_map(g->owner, g->handle, range + RANGE_BYTES - PAGE),
		VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(vnr_grant_map(g->owner, g->handle, window),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT(vnr_map_identity(window, PAGE));
	VNR_EXPECT(all_bytes(window, PEER_PATTERN));
	VNR_EXPECT_EQ_AS("withdraw with a grant mapped beside it",
			 vnr_memory_withdraw(range, RANGE_PAGES),
			 VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(deposited(), 0);
	for (vnr_u64 off = 0; off < RANGE_BYTES; off += 1ull << 20)
		*(volatile vnr_u64 *)(uintptr_t)(range + off) = off;
	VNR_EXPECT_EQ(*(volatile vnr_u64 *)(uintptr_t)(range + GRANTED),
		      GRANTED);
	vnr_unmap_identity(window, PAGE);
	VNR_EXPECT_EQ(vnr_grant_unmap(g->owner, g->handle), VNR_STATUS_SUCCESS);
}

/* The deposited page goes to a child; the peer's grant reaches nothing. */
static void child_out_of_reach(vnr_u64 range)
{
	struct vnr_message m;
	vnr_u8 pattern[64];
	vnr_u32 child = 0;

	VNR_EXPECT_EQ(vnr_memory_deposit(range, RANGE_PAGES),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(
		vnr_partition_create("child", VNR_PRIV_NONE, 1, SINT, &child),
		VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(child, 0, RANGE_PAGES, NULL),
		      VNR_STATUS_SUCCESS);
	memset(pattern, CHILD_PATTERN, sizeof(pattern));
	VNR_EXPECT_EQ(vnr_write_partition_memory(child, GRANTED, pattern,
						 sizeof(pattern)),
		      VNR_STATUS_SUCCESS);
	send(MSG_REMAP, NULL, 0);
	receive(&m, MSG_REFUSED);
	VNR_EXPECT_EQ_AS("the peer maps the child's page",
			 *(vnr_u64 *)m.payload, VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(vnr_partition_destroy(child), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_memory_withdraw(range, RANGE_PAGES),
		      VNR_STATUS_SUCCESS);
}

static int root(const struct vnr_start_info *si)
{
	struct grant mine = {.owner = si->partition_id}, theirs;
	struct vnr_message m;
	vnr_u64 range = 0, hole;

	if (!VNR_EXPECT(vnr_find_deposit_range(si, 2 * RANGE_BYTES, &range)))
		return vnr_test_done();
	hole = range + RANGE_BYTES;
	memset((void *)(uintptr_t)(range + GRANTED), ROOT_PATTERN, PAGE);
	VNR_EXPECT_EQ(
		vnr_grant_create_range(si->partition_id + 1,
				       (void *)(uintptr_t)(range + GRANTED), 1,
				       0, &mine.handle),
		VNR_STATUS_SUCCESS);
	send(MSG_GRANT, &mine, sizeof(mine));
	receive(&m, MSG_MAPPED);
	memcpy(&theirs, m.payload, sizeof(theirs));

	deposit_of_a_mapped_page(range);
	hole_and_withdraw(hole, &theirs);

	send(MSG_UNMAP, NULL, 0);
	receive(&m, MSG_UNMAPPED);
	child_out_of_reach(range);
	VNR_EXPECT_EQ(vnr_grant_revoke(mine.handle), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(deposited(), 0);
	return vnr_test_done();
}

static int peer(const struct vnr_start_info *si)
{
	struct grant mine = {.owner = si->partition_id}, theirs;
	vnr_u64 window = vnr_gpa_window_alloc(1);
	struct vnr_message m;
	vnr_u64 status;

	memset(peer_page, PEER_PATTERN, PAGE);
	VNR_EXPECT_EQ(vnr_grant_create_range(si->partition_id - 1, peer_page, 1,
					     0, &mine.handle),
		      VNR_STATUS_SUCCESS);
	receive(&m, MSG_GRANT);
	memcpy(&theirs, m.payload, sizeof(theirs));
	VNR_EXPECT_EQ(vnr_grant_map(theirs.owner, theirs.handle, window),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT(vnr_map_identity(window, PAGE));
	VNR_EXPECT(all_bytes(window, ROOT_PATTERN));
	memset((void *)(uintptr_t)window, PEER_PATTERN, PAGE);
	send(MSG_MAPPED, &mine, sizeof(mine));
	receive(&m, MSG_UNMAP);
	vnr_unmap_identity(window, PAGE);
	VNR_EXPECT_EQ(vnr_grant_unmap(theirs.owner, theirs.handle),
		      VNR_STATUS_SUCCESS);
	send(MSG_UNMAPPED, NULL, 0);
	receive(&m, MSG_REMAP);
	status = vnr_grant_map(theirs.owner, theirs.handle, window);
	send(MSG_REFUSED, &status, sizeof(status));
	VNR_EXPECT_EQ(vnr_grant_revoke(mine.handle), VNR_STATUS_SUCCESS);
	return vnr_test_done();
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 role = vnr_cmdline_u64("role", 0);

	vnr_test_begin(role == 1 ? "root" : "peer");
	if (!VNR_EXPECT(vnr_synic_init()) ||
	    !VNR_EXPECT(vnr_sint_enable(MSG_SINT, VECTOR, NULL, NULL,
					VNR_SINT_AUTO_EOI)))
		return vnr_test_done();
	return role == 1 ? root(si) : peer(si);
}
