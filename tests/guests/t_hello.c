// SPDX-License-Identifier: MIT
/*
 * Discovery, start info and the simple hypercalls return sane values.
 *
 * Assumes ABI 0.1 with every feature of features.def, a partition with the
 * DEBUG_CONSOLE privilege, and no event that ends a VP_HALT early.
 */
#include <vnr_test.h>

#define ALL_FEATURES                                                       \
	(VNR_FEATURE_MASK(HYPERCALL_PAGE) | VNR_FEATURE_MASK(FAST_CALLS) | \
	 VNR_FEATURE_MASK(REP_CALLS) | VNR_FEATURE_MASK(REFERENCE_TIME) |  \
	 VNR_FEATURE_MASK(DEBUG_CONSOLE))

static void check_cpuid(const struct vnr_start_info *si)
{
	struct vnr_cpuid_regs r = vnr_cpuid(VNR_CPUID_LEAF_VENDOR, 0);
	struct vnr_discovery d;

	VNR_EXPECT(vnr_cpuid(1, 0).ecx & (1u << 31));
	VNR_EXPECT_EQ(r.ebx, VNR_CPUID_VENDOR_EBX);
	VNR_EXPECT_EQ(r.ecx, VNR_CPUID_VENDOR_ECX);
	VNR_EXPECT_EQ(r.edx, VNR_CPUID_VENDOR_EDX);
	VNR_EXPECT(r.eax >= VNR_CPUID_LEAF_VP_IDENTITY);
	r = vnr_cpuid(VNR_CPUID_LEAF_INTERFACE, 0);
	VNR_EXPECT_EQ(r.eax, VNR_CPUID_INTERFACE_EAX);
	VNR_EXPECT_EQ(r.ebx, VNR_ABI_VERSION);
	if (!VNR_EXPECT(vnr_detect(&d)))
		return;
	VNR_EXPECT_EQ(d.features & ALL_FEATURES, ALL_FEATURES);
	VNR_EXPECT(d.privileges & VNR_PRIV_MASK(DEBUG_CONSOLE));
	VNR_EXPECT(d.max_vps >= 1);
	VNR_EXPECT(d.max_partitions >= 1);
	VNR_EXPECT(d.max_rep_count >= VNR_GPA_QUERY_MAX);
	VNR_EXPECT(d.max_rep_count <= VNR_HC_REP_MAX);
	VNR_EXPECT_EQ(d.partition_id, si->partition_id);
	VNR_EXPECT_EQ(d.vp_index, 0);
	/* Leaves above the maximum in the Veneer range read as zeros. */
	if (d.max_leaf < VNR_CPUID_RANGE_LAST) {
		r = vnr_cpuid(d.max_leaf + 1, 0);
		VNR_EXPECT_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
		r = vnr_cpuid(VNR_CPUID_RANGE_LAST, 0);
		VNR_EXPECT_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

/* The memmap entry containing gpa, or NULL. */
static const struct vnr_memmap_entry *
memmap_find(const struct vnr_start_info *si, vnr_u64 gpa)
{
	vnr_u32 i;

	for (i = 0; i < si->memmap_count && i < VNR_START_INFO_MEMMAP_MAX;
	     i++) {
		const struct vnr_memmap_entry *e = &si->memmap[i];

		if (gpa >= e->base && gpa - e->base < e->length)
			return e;
	}
	return NULL;
}

static vnr_u32 memmap_type(const struct vnr_start_info *si, vnr_u64 gpa)
{
	const struct vnr_memmap_entry *e = memmap_find(si, gpa);

	return e ? e->type : 0;
}

static void check_start_info(const struct vnr_start_info *si)
{
	vnr_u64 sp = vnr_gpa(__builtin_frame_address(0));
	vnr_u32 i;

	VNR_EXPECT_EQ(si->magic, VNR_START_INFO_MAGIC);
	VNR_EXPECT_EQ(si->abi_version, VNR_ABI_VERSION);
	VNR_EXPECT_EQ(si->vp_index, 0);
	VNR_EXPECT(strnlen(si->name, VNR_NAME_MAX) < VNR_NAME_MAX);
	VNR_EXPECT(strnlen(si->cmdline, VNR_CMDLINE_MAX) < VNR_CMDLINE_MAX);
	VNR_EXPECT(si->memmap_count >= 1);
	VNR_EXPECT(si->memmap_count <= VNR_START_INFO_MEMMAP_MAX);
	for (i = 0; i < si->memmap_count && i < VNR_START_INFO_MEMMAP_MAX;
	     i++) {
		const struct vnr_memmap_entry *e = &si->memmap[i];

		vnr_test_note("memmap %u: base 0x%lx length 0x%lx type %u", i,
			      e->base, e->length, e->type);
		VNR_EXPECT(e->base + e->length <= si->memory_size);
		VNR_EXPECT(e->type >= VNR_MEM_RAM &&
			   e->type <= VNR_MEM_BOOT_TABLES);
	}
	VNR_EXPECT_EQ(memmap_type(si, vnr_gpa(vnr_main)), VNR_MEM_IMAGE);
	VNR_EXPECT_EQ(memmap_type(si, vnr_gpa(si)), VNR_MEM_BOOT_TABLES);
	VNR_EXPECT_EQ(memmap_type(si, sp), VNR_MEM_BOOT_TABLES);
	VNR_EXPECT_EQ(memmap_type(si, vnr_read_cr3() & ~0xFFFull),
		      VNR_MEM_BOOT_TABLES);
}

static void check_partition_info(const struct vnr_start_info *si)
{
	struct vnr_partition_info info;
	struct vnr_discovery d;
	unsigned int i;

	if (!VNR_EXPECT_EQ(vnr_get_partition_info(&info), VNR_STATUS_SUCCESS))
		return;
	vnr_detect(&d);
	VNR_EXPECT_EQ(info.partition_id, si->partition_id);
	VNR_EXPECT(!strncmp(info.name, si->name, VNR_NAME_MAX));
	VNR_EXPECT_EQ(info.memory_size, si->memory_size);
	VNR_EXPECT(info.vp_count >= 1 && info.vp_count <= d.max_vps);
	VNR_EXPECT_EQ((vnr_u32)info.privileges, d.privileges);
	for (i = 0; i < 4; i++)
		VNR_EXPECT_EQ(info.reserved[i], 0);
}

static void check_vp_info(const struct vnr_start_info *si)
{
	struct vnr_vp_info a, b;

	if (!VNR_EXPECT_EQ(vnr_get_vp_info(0, &a), VNR_STATUS_SUCCESS))
		return;
	VNR_EXPECT_EQ(a.vp_index, 0);
	VNR_EXPECT_EQ(a.partition_id, si->partition_id);
	VNR_EXPECT(a.hypercalls > 0);
	VNR_EXPECT(a.exits >= a.hypercalls);
	vnr_null_call();
	if (!VNR_EXPECT_EQ(vnr_get_vp_info(0, &b), VNR_STATUS_SUCCESS))
		return;
	/* The NULL_CALL, the VP_INFO itself and console writes between. */
	VNR_EXPECT(b.hypercalls >= a.hypercalls + 2);
	VNR_EXPECT(b.run_time_100ns >= a.run_time_100ns);
}

static void check_simple_calls(void)
{
	vnr_u64 t0, t1, hz, r;

	r = vnr_hypercall_fast(VNR_CALL_NULL_CALL, 0, 0, NULL, NULL);
	VNR_EXPECT_STATUS(r, VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(r, 0); /* reserved bits and reps done clear */
	VNR_EXPECT_EQ(vnr_get_reference_time(&t0, &hz), VNR_STATUS_SUCCESS);
	VNR_EXPECT(hz > 0);
	VNR_EXPECT_EQ(vnr_get_reference_time(&t1, NULL), VNR_STATUS_SUCCESS);
	VNR_EXPECT(t1 >= t0);
	VNR_EXPECT_EQ(vnr_vp_yield(), VNR_STATUS_SUCCESS);
	t0 = vnr_reference_time();
	VNR_EXPECT_EQ(vnr_vp_halt(VNR_TICKS_PER_MS), VNR_STATUS_SUCCESS);
	t1 = vnr_reference_time();
	VNR_EXPECT(t1 - t0 >= VNR_TICKS_PER_MS);
}

static void check_debug_write(void)
{
	static char text[VNR_DEBUG_WRITE_MAX];
	vnr_u32 i;

	/* Keep the raw writes after everything buffered so far. */
	vnr_console_flush();
	VNR_EXPECT_EQ(vnr_debug_write(text, 0), VNR_STATUS_SUCCESS);
	for (i = 0; i < sizeof(text) - 1; i++)
		text[i] = 'a' + i % 26;
	text[sizeof(text) - 1] = '\n';
	VNR_EXPECT_EQ(vnr_debug_write(text, sizeof(text)), VNR_STATUS_SUCCESS);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_test_begin("t_hello");
	vnr_test_note("partition '%s' id %u, %lu bytes of RAM, cmdline '%s'",
		      si->name, si->partition_id, si->memory_size, si->cmdline);
	check_cpuid(si);
	check_start_info(si);
	check_partition_info(si);
	check_vp_info(si);
	check_simple_calls();
	check_debug_write();
	return vnr_test_done();
}
