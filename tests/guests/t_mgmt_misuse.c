// SPDX-License-Identifier: MIT
/*
 * A root partition misuses every management call and checks that each
 * gives its documented status (docs/spec/management.md) and that it keeps
 * running: bad deposits and withdrawals, bad create inputs, unknown ids,
 * overlapping and oversized maps, writes and register accesses that are
 * out of range or come at the wrong time, state changes in the wrong
 * state, double destroy; and a child started with RIP in unmapped memory
 * is stopped with a fault that the root is told about.
 */
#include <vnr_test.h>
#include <vnr_guest/child_boot.h>
#include <vnr_guest/mgmt.h>

#define SINT	      3
#define DEPOSIT_PAGES 4096u /* 16 MiB */
#define CHILD_BYTES   (4ull << 20)
#define CHILD_PAGES   (CHILD_BYTES / VNR_PAGE_SIZE)
#define SECONDS(n)    ((vnr_u64)(n)*10000000ull)
#define MS(n)	      ((vnr_u64)(n)*10000ull)
#define PAGE	      VNR_PAGE_SIZE

extern const char vnr_image_child_start[], vnr_image_child_end[];

static vnr_u64 deposit; /* GPA of the deposit */
static vnr_u32 self_id;
static vnr_u64 ram_size;

static struct vnr_child_layout layout;

static vnr_u32 build(const char *name, const char *cmdline)
{
	struct vnr_child_config cfg = {
		.name = name,
		.privileges = VNR_PRIV_MASK(DEBUG_CONSOLE),
		.notify_sint = SINT,
		.memory_size = CHILD_BYTES,
		.cmdline = cmdline,
		.image = vnr_image_child_start,
		.image_size =
			(size_t)(vnr_image_child_end - vnr_image_child_start),
	};
	char err[96];
	vnr_u32 id = 0;
	enum vnr_status st =
		vnr_child_build(&cfg, &id, &layout, err, sizeof(err));

	if (st != VNR_STATUS_SUCCESS)
		vnr_test_note("building '%s': %s", name, err);
	VNR_EXPECT_EQ_AS("child built", st, VNR_STATUS_SUCCESS);
	return id;
}

static vnr_u32 create(const char *name)
{
	vnr_u32 id = 0;

	VNR_EXPECT_EQ(vnr_partition_create(name, VNR_PRIV_NONE, 1, SINT, &id),
		      VNR_STATUS_SUCCESS);
	return id;
}

static void expect_free(vnr_u64 free)
{
	struct vnr_memory_info mi;

	VNR_EXPECT_EQ(vnr_memory_info(&mi), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(mi.free, free);
	VNR_EXPECT_EQ(mi.used + mi.free, mi.deposited);
}

static void bad_deposits(void)
{
	vnr_u64 hc = vnr_gpa(vnr_hypercall_page);
	vnr_u64 simp = vnr_gpa(vnr_synic_message_page());
	vnr_u64 siefp = vnr_gpa(vnr_synic_event_page());

	VNR_EXPECT_EQ(vnr_memory_deposit(deposit + 8, 1),
		      VNR_STATUS_INVALID_ALIGNMENT);
	VNR_EXPECT_EQ(vnr_memory_deposit(deposit, 0),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_deposit(ram_size, 1), VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_memory_deposit(ram_size - PAGE, 2),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_memory_deposit(1ull << 50, 1),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_memory_deposit(PAGE, ~0ull / PAGE),
		      VNR_STATUS_INVALID_PARAMETER); /* > 2^28 pages */
	/* Pages the hypervisor itself writes cannot leave the caller. */
	VNR_EXPECT_EQ(vnr_memory_deposit(hc, 1), VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_deposit(hc - PAGE, 3),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_deposit(simp, 1),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_deposit(siefp, 1),
		      VNR_STATUS_INVALID_PARAMETER);

	VNR_EXPECT_EQ(vnr_memory_deposit(deposit, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	/* Overlapping the deposit, wholly or partly. */
	VNR_EXPECT_EQ(vnr_memory_deposit(deposit, 1), VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_memory_deposit(deposit - PAGE, 2),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(
		vnr_memory_deposit(deposit + (DEPOSIT_PAGES - 1) * PAGE, 2),
		VNR_STATUS_INVALID_GPA);
	expect_free(DEPOSIT_PAGES);
}

static void bad_withdrawals(void)
{
	vnr_u64 top = deposit + (DEPOSIT_PAGES - 1) * PAGE;
	vnr_u64 extra[15];
	vnr_u32 i;

	/* Only a whole deposit comes back, named exactly. */
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit + 8, DEPOSIT_PAGES),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, 0),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit - PAGE, 1),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit - PAGE, DEPOSIT_PAGES),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, DEPOSIT_PAGES + 1),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(top, 1),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, DEPOSIT_PAGES - 1),
		      VNR_STATUS_INVALID_PARAMETER);

	/* At most 16 deposits; each comes back on its own. */
	for (i = 0; i < 15; i++) {
		extra[i] = deposit - (2 + 2 * (vnr_u64)i) * PAGE;
		VNR_EXPECT_EQ(vnr_memory_deposit(extra[i], 1),
			      VNR_STATUS_SUCCESS);
	}
	VNR_EXPECT_EQ(vnr_memory_deposit(deposit - 32 * PAGE, 1),
		      VNR_STATUS_QUOTA_EXCEEDED);
	expect_free(DEPOSIT_PAGES + 15);
	for (i = 0; i < 15; i++) {
		VNR_EXPECT_EQ(vnr_memory_withdraw(extra[i], 1),
			      VNR_STATUS_SUCCESS);
		/* Mapped again at the same GPA: the root may use it. */
		*(volatile vnr_u64 *)(uintptr_t)extra[i] = i;
	}
	expect_free(DEPOSIT_PAGES);
}

static void bad_creates(void)
{
	struct vnr_partition_create_input in;
	vnr_u32 ids[16], n = 0, i, id = 0;
	enum vnr_status st;

	memset(&in, 0, sizeof(in));
	VNR_EXPECT_EQ(vnr_partition_create_raw(&in, &id),
		      VNR_STATUS_INVALID_PARAMETER); /* empty name */
	memset(in.name, 'x', sizeof(in.name));	     /* no NUL */
	in.vp_count = 1;
	VNR_EXPECT_EQ(vnr_partition_create_raw(&in, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_create("bad name", 0, 1, SINT, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_create("bad/name", 0, 1, SINT, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	/* The caller's own name is taken. */
	VNR_EXPECT_EQ(
		vnr_partition_create(vnr_boot_info()->name, 0, 1, SINT, &id),
		VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_create("ok", 0, 0, SINT, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_create("ok", 0, 2, SINT, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_create("ok", 0, 1, 16, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_create("ok", 1ull << 63, 1, SINT, &id),
		      VNR_STATUS_ACCESS_DENIED);
	memset(&in, 0, sizeof(in));
	memcpy(in.name, "ok", 3);
	in.vp_count = 1;
	in.reserved1 = 1;
	VNR_EXPECT_EQ(vnr_partition_create_raw(&in, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	in.reserved1 = 0;
	in.reserved0 = 1;
	VNR_EXPECT_EQ(vnr_partition_create_raw(&in, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	in.reserved0 = 0;
	in.platform = VNR_PLATFORM_PC + 1; /* no such platform */
	VNR_EXPECT_EQ(vnr_partition_create_raw(&in, &id),
		      VNR_STATUS_INVALID_PARAMETER);

	/* Names are unique among live partitions. */
	ids[n++] = create("dup");
	VNR_EXPECT_EQ(vnr_partition_create("dup", 0, 1, SINT, &id),
		      VNR_STATUS_INVALID_PARAMETER);
	/* Until no slot is left. */
	for (;;) {
		char name[8] = "slot-0";

		name[5] = (char)('0' + n);
		st = vnr_partition_create(name, 0, 1, SINT, &id);
		if (st != VNR_STATUS_SUCCESS || n == 15)
			break;
		ids[n++] = id;
	}
	VNR_EXPECT_EQ(st, VNR_STATUS_INSUFFICIENT_MEMORY);
	vnr_test_note("%u children fit beside the boot partitions", n);
	for (i = 0; i < n; i++)
		VNR_EXPECT_EQ(vnr_partition_destroy(ids[i]),
			      VNR_STATUS_SUCCESS);
	/* The name is free again once its partition is gone. */
	id = create("dup");
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
}

/* Every call that names a partition refuses ids that are not children. */
static void bad_ids(vnr_u32 destroyed)
{
	const vnr_u32 bad[] = {0, self_id, destroyed, 999, 0xFFFFFFFFu};
	struct vnr_register_value rv = {VNR_REG_RAX, 0, 0};
	struct vnr_partition_status s;
	vnr_u32 name = VNR_REG_RAX, i;
	vnr_u64 v;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vnr_u32 id = bad[i];
		const enum vnr_status want = VNR_STATUS_INVALID_PARTITION_ID;

		VNR_EXPECT_EQ_AS("MAP_GPA_PAGES",
				 vnr_map_gpa_pages(id, 0, 1, NULL), want);
		VNR_EXPECT_EQ_AS("WRITE_PARTITION_MEMORY",
				 vnr_write_partition_memory(id, 0x1000, "x", 1),
				 want);
		VNR_EXPECT_EQ_AS("VP_CREATE", vnr_vp_create(id, 0), want);
		VNR_EXPECT_EQ_AS(
			"GET_VP_REGISTERS",
			vnr_get_vp_registers(id, 0, 1, &name, &v, NULL), want);
		VNR_EXPECT_EQ_AS("SET_VP_REGISTERS",
				 vnr_set_vp_registers(id, 0, 1, &rv, NULL),
				 want);
		VNR_EXPECT_EQ_AS("PARTITION_START", vnr_partition_start(id),
				 want);
		VNR_EXPECT_EQ_AS("PARTITION_SUSPEND", vnr_partition_suspend(id),
				 want);
		VNR_EXPECT_EQ_AS("PARTITION_RESUME", vnr_partition_resume(id),
				 want);
		VNR_EXPECT_EQ_AS("PARTITION_STOP", vnr_partition_stop(id),
				 want);
		VNR_EXPECT_EQ_AS("PARTITION_DESTROY", vnr_partition_destroy(id),
				 want);
		VNR_EXPECT_EQ_AS("PARTITION_QUERY", vnr_partition_query(id, &s),
				 want);
	}
}

static void bad_maps(void)
{
	vnr_u32 id = create("maps");
	vnr_u64 done;

	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 0x800, 1, &done),
		      VNR_STATUS_INVALID_ALIGNMENT);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, (4ull << 30) - PAGE, 2, &done),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(done, 0);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 4ull << 30, 1, &done),
		      VNR_STATUS_INVALID_GPA);
	expect_free(DEPOSIT_PAGES);
	/* The last page below 4 GiB is fine. */
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, (4ull << 30) - PAGE, 1, &done),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 4 * PAGE, 4, &done),
		      VNR_STATUS_SUCCESS);
	expect_free(DEPOSIT_PAGES - 5);
	/* Overlap: pages 2 and 3 map, page 4 is in use, they stay mapped. */
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 2 * PAGE, 4, &done),
		      VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(done, 2);
	expect_free(DEPOSIT_PAGES - 7);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 7 * PAGE, 1, &done),
		      VNR_STATUS_GPA_IN_USE);
	VNR_EXPECT_EQ(done, 0);
	/* More than the pool holds: it maps what there is. */
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 1ull << 30, DEPOSIT_PAGES, &done),
		      VNR_STATUS_INSUFFICIENT_MEMORY);
	VNR_EXPECT_EQ(done, DEPOSIT_PAGES - 7);
	expect_free(0);
	/* In-use pages cannot be withdrawn. */
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, 1),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, DEPOSIT_PAGES),
		      VNR_STATUS_INVALID_PARAMETER);
	/* Writes must land in mapped child RAM. */
	VNR_EXPECT_EQ(vnr_write_partition_memory(id, 0, "x", 1),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_write_partition_memory(id, 8 * PAGE - 2, "xyz", 3),
		      VNR_STATUS_INVALID_GPA);
	VNR_EXPECT_EQ(vnr_write_partition_memory(id, 8 * PAGE - 3, "xyz", 3),
		      VNR_STATUS_SUCCESS);
	{
		struct vnr_write_memory_input *in = vnr_hc_input_page();
		char *raw = (char *)in;

		in->partition_id = id;
		in->length = VNR_WRITE_MEMORY_MAX + 1;
		in->gpa = 2 * PAGE;
		VNR_EXPECT_STATUS(
			vnr_hypercall_memory(VNR_CALL_WRITE_PARTITION_MEMORY,
					     in, NULL),
			VNR_STATUS_INVALID_PARAMETER);
		/* The 4096-byte input must start a page. */
		VNR_EXPECT_STATUS(
			vnr_hypercall_memory(VNR_CALL_WRITE_PARTITION_MEMORY,
					     raw + 8, NULL),
			VNR_STATUS_INVALID_ALIGNMENT);
	}
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
	expect_free(DEPOSIT_PAGES);
}

static void bad_registers(void)
{
	const struct {
		vnr_u32 name;
		vnr_u64 value;
	} bad[] = {
		{VNR_REG_RIP, 0x0000800000000000ull},
		{VNR_REG_RSP, 0x8000000000000000ull},
		{VNR_REG_GDTR_BASE, 0x0001000000000000ull},
		{VNR_REG_CR0, 0x80010033ull & ~1ull},	       /* no PE */
		{VNR_REG_CR0, 0x80010033ull & ~0x80000000ull}, /* no PG */
		{VNR_REG_EFER, 0xD00ull & ~0x100ull},	       /* no LME */
		{VNR_REG_EFER, 0xD00ull | (1ull << 20)},       /* reserved */
		{VNR_REG_CR4, 0x20ull | (1ull << 40)},	       /* reserved */
		{VNR_REG_RFLAGS, 0x2ull | (1ull << 3)},	       /* reserved */
		{VNR_REG_RFLAGS, 0x2ull | (1ull << 40)},       /* reserved */
	};
	vnr_u32 names[3] = {VNR_REG_RIP, VNR_REG_RSP, VNR_REG_COUNT};
	struct vnr_register_value rv[3];
	vnr_u32 id = create("regs"), i, done;
	vnr_u64 v[3];

	VNR_EXPECT_EQ(vnr_get_vp_register(id, 0, VNR_REG_RIP, v),
		      VNR_STATUS_INVALID_VP_INDEX);
	VNR_EXPECT_EQ(vnr_vp_create(id, 1), VNR_STATUS_INVALID_VP_INDEX);
	VNR_EXPECT_EQ(vnr_vp_create(id, 0), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_vp_create(id, 0), VNR_STATUS_INVALID_VP_INDEX);
	VNR_EXPECT_EQ(vnr_vp_create(id, 1), VNR_STATUS_INVALID_VP_INDEX);
	VNR_EXPECT_EQ(vnr_get_vp_register(id, 1, VNR_REG_RIP, v),
		      VNR_STATUS_INVALID_VP_INDEX);

	/* The third name is bad: two values come back. */
	VNR_EXPECT_EQ(vnr_get_vp_registers(id, 0, 3, names, v, &done),
		      VNR_STATUS_INVALID_REGISTER);
	VNR_EXPECT_EQ(done, 2);
	names[2] = 0xFFFFFFFFu;
	VNR_EXPECT_EQ(vnr_get_vp_registers(id, 0, 3, names, v, &done),
		      VNR_STATUS_INVALID_REGISTER);
	rv[0] = (struct vnr_register_value){VNR_REG_RAX, 0, 1};
	rv[1] = (struct vnr_register_value){200, 0, 1};
	VNR_EXPECT_EQ(vnr_set_vp_registers(id, 0, 2, rv, &done),
		      VNR_STATUS_INVALID_REGISTER);
	VNR_EXPECT_EQ(done, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vnr_u64 before, after;

		vnr_get_vp_register(id, 0, bad[i].name, &before);
		VNR_EXPECT_EQ_AS(
			"bad value refused",
			vnr_set_vp_register(id, 0, bad[i].name, bad[i].value),
			VNR_STATUS_INVALID_PARAMETER);
		vnr_get_vp_register(id, 0, bad[i].name, &after);
		VNR_EXPECT_EQ_AS("register unchanged", after, before);
	}
	/* Good values are taken. */
	rv[0] = (struct vnr_register_value){VNR_REG_R12, 0, 0x1234};
	rv[1] = (struct vnr_register_value){VNR_REG_RIP, 0,
					    0xFFFFFFFF80001000ull};
	VNR_EXPECT_EQ(vnr_set_vp_registers(id, 0, 2, rv, &done),
		      VNR_STATUS_SUCCESS);
	names[0] = VNR_REG_R12;
	names[1] = VNR_REG_RIP;
	VNR_EXPECT_EQ(vnr_get_vp_registers(id, 0, 2, names, v, &done),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(v[0], 0x1234);
	VNR_EXPECT_EQ(v[1], 0xFFFFFFFF80001000ull);
	/* A VP but no memory: it cannot start. */
	VNR_EXPECT_EQ(vnr_partition_start(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
}

static void bad_states(void)
{
	struct vnr_register_value rv = {VNR_REG_RAX, 0, 0};
	struct vnr_partition_exit_message m;
	vnr_u32 id = create("states"), name = VNR_REG_RIP;
	vnr_u64 v;

	/* Memory but no VP: it cannot start either. */
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 0, 16, NULL), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_start(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_suspend(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_resume(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_stop(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);

	/* A running child cannot be changed or destroyed. */
	id = build("running", "spin=1");
	VNR_EXPECT_EQ(vnr_partition_start(id), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_start(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_resume(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 1ull << 30, 1, NULL),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_write_partition_memory(id, 0x1000, "x", 1),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_get_vp_registers(id, 0, 1, &name, &v, NULL),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_set_vp_registers(id, 0, 1, &rv, NULL),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_destroy(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	/* Suspended: building calls work again, destroy still does not. */
	VNR_EXPECT_EQ(vnr_partition_suspend(id), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_suspend(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_start(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_write_partition_memory(id, 0x1000, "x", 1),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_get_vp_registers(id, 0, 1, &name, &v, NULL),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_destroy(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_stop(id), VNR_STATUS_SUCCESS);
	/* Stopped: nothing but query and destroy. */
	VNR_EXPECT_EQ(vnr_partition_stop(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_start(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_partition_resume(id),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_write_partition_memory(id, 0x1000, "x", 1),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_get_vp_registers(id, 0, 1, &name, &v, NULL),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	VNR_EXPECT_EQ(vnr_map_gpa_pages(id, 1ull << 30, 1, NULL),
		      VNR_STATUS_INVALID_PARTITION_STATE);
	/* Its pages are still in use until it is destroyed. */
	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, 1),
		      VNR_STATUS_INVALID_PARAMETER);
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_partition_destroy(id),
		      VNR_STATUS_INVALID_PARTITION_ID);
	VNR_EXPECT(!vnr_wait_partition_exit(SINT, &m, MS(50)));
	expect_free(DEPOSIT_PAGES);
	bad_ids(id);
}

/* Starts child id and expects it to be stopped for a fault. */
static void expect_fault(vnr_u32 id, const char *what, const char *word)
{
	struct vnr_partition_exit_message m;
	struct vnr_partition_status s;

	VNR_EXPECT_EQ(vnr_partition_start(id), VNR_STATUS_SUCCESS);
	if (VNR_EXPECT(vnr_wait_partition_exit(SINT, &m, SECONDS(20)))) {
		VNR_EXPECT_EQ(m.partition_id, id);
		VNR_EXPECT_EQ(m.exit_reason, VNR_EXIT_FAULT);
		VNR_EXPECT(m.diagnostic[0] != '\0');
		if (word)
			VNR_EXPECT_EQ_AS(word,
					 strstr(m.diagnostic, word) != NULL, 1);
		vnr_test_note("%s: %s", what, m.diagnostic);
	}
	VNR_EXPECT_EQ(vnr_partition_query(id, &s), VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(s.state, VNR_PARTITION_STOPPED);
	VNR_EXPECT_EQ(s.exit_reason, VNR_EXIT_FAULT);
	VNR_EXPECT(!strcmp(s.diagnostic, m.diagnostic));
	VNR_EXPECT_EQ(vnr_partition_destroy(id), VNR_STATUS_SUCCESS);
}

static void unmapped_rip(void)
{
	vnr_u64 pde = (4ull << 20) | 0x83; /* 2 MiB page: P, RW, PS */
	vnr_u32 id;

	/* RIP where the page tables map a GPA that is not child RAM. */
	id = build("lost", "exit=0");
	VNR_EXPECT_EQ(vnr_write_partition_memory(id,
						 layout.pml4 + 2 * PAGE + 2 * 8,
						 &pde, sizeof(pde)),
		      VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_set_vp_register(id, 0, VNR_REG_RIP, 4ull << 20),
		      VNR_STATUS_SUCCESS);
	expect_fault(id, "RIP in unmapped GPA", NULL);

	/* CR3 outside child RAM: the first page walk fails. */
	id = build("lost", "exit=0");
	VNR_EXPECT_EQ(vnr_set_vp_register(id, 0, VNR_REG_CR3, 256ull << 20),
		      VNR_STATUS_SUCCESS);
	expect_fault(id, "CR3 in unmapped GPA", NULL);

	/* RIP the page tables do not map: #PF with no IDT. */
	id = build("lost", "exit=0");
	VNR_EXPECT_EQ(
		vnr_set_vp_register(id, 0, VNR_REG_RIP, 0x0000400000000000ull),
		VNR_STATUS_SUCCESS);
	expect_fault(id, "RIP not in the page tables", "triple fault");
	expect_free(DEPOSIT_PAGES);
}

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_discovery d;
	vnr_u32 i;

	vnr_test_begin("t_mgmt_misuse");
	if (!VNR_EXPECT(vnr_detect(&d)) || !VNR_EXPECT(vnr_synic_init()))
		return vnr_test_done();
	self_id = d.partition_id;
	ram_size = si->memory_size;
	for (i = 0; i < si->memmap_count; i++) {
		const struct vnr_memmap_entry *e = &si->memmap[i];

		if (e->type == VNR_MEM_RAM && e->base >= 0x200000 &&
		    e->length >= (32ull << 20))
			deposit = (e->base + (16ull << 20)) & ~0x1FFFFFull;
	}
	if (!VNR_EXPECT(deposit != 0))
		return vnr_test_done();

	bad_deposits();
	bad_withdrawals();
	bad_creates();
	bad_maps();
	bad_registers();
	bad_states();
	unmapped_rip();

	VNR_EXPECT_EQ(vnr_memory_withdraw(deposit, DEPOSIT_PAGES),
		      VNR_STATUS_SUCCESS);
	vnr_test_note("root still running");
	return vnr_test_done();
}
