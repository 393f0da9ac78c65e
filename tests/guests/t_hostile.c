// SPDX-License-Identifier: MIT
/*
 * Malformed hypercalls get the documented status and leave the partition
 * running; then a seeded stream of random hypercalls checks that none of
 * the invalid ones succeeds.
 *
 * Command line: seed=N (default from the TSC), fuzz=N (default 5000),
 * runtime=1 when a parent built the partition at run time: the hypervisor
 * then reports every RAM page as VNR_MEM_RAM (docs/spec/hypercalls.md).
 *
 * Assumes that a memory call checks every structure it uses to lie wholly
 * within one page (the DEBUG_WRITE input is 4096 bytes, so it must be page
 * aligned), that a partial QUERY_GPA_ATTRIBUTES starting at rep k reports
 * the full rep count as done and leaves output[0..k-1] alone, and that the
 * RAM of the partition is below 1 TiB.
 */
#include <vnr_test.h>
#include "t_hostile.h"

#define PAGE	     VNR_PAGE_SIZE
#define PAGE_ALIGNED __attribute__((aligned(VNR_PAGE_SIZE)))
#define FAR_GPA	     (1ull << 40)
#define TOP_GPA	     0xFFFFFFFFFFFFF000ull
#define ATTR_RWX                                                         \
	(VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ | VNR_GPA_ATTR_WRITE | \
	 VNR_GPA_ATTR_EXECUTE)

/* Two pages each, so that a structure can be placed across a boundary. */
static char in[2][PAGE] PAGE_ALIGNED;
static char out[2][PAGE] PAGE_ALIGNED;
static vnr_u64 ram_end; /* memory_size rounded up to a page */

static vnr_u64 call(vnr_u64 control, vnr_u64 rdx, vnr_u64 r8)
{
	return vnr_hypercall_raw(control, &rdx, &r8);
}

static vnr_u64 ctl(vnr_u16 code, int fast, vnr_u32 count, vnr_u32 start)
{
	return vnr_hc_control(code, fast, count, start);
}

#define EXPECT_CALL(what, control, rdx, r8, want)                     \
	VNR_EXPECT_EQ_AS(what, vnr_hc_status(call(control, rdx, r8)), \
			 VNR_STATUS_##want)

static void reset_pages(void)
{
	memset(in, 0, sizeof(in));
	memset(out, 0, sizeof(out));
}

static bool all_zero(const char *p, vnr_u64 len)
{
	while (len--) {
		if (*p++)
			return false;
	}
	return true;
}

static void check_call_codes(void)
{
	/* The first unassigned code, then some far beyond it. */
	static const vnr_u16 unassigned[] = {
		VNR_CALL_BOUND, VNR_CALL_BOUND + 1, 0x00FF, 0x1234, 0x8000,
		0xFFFF,
	};
	unsigned int i;

	EXPECT_CALL("RCX 0", 0, 0, 0, INVALID_CALL_CODE);
	EXPECT_CALL("code 0 fast", ctl(0, 1, 0, 0), 0, 0, INVALID_CALL_CODE);
	for (i = 0; i < sizeof(unassigned) / sizeof(unassigned[0]); i++) {
		vnr_test_note("unassigned code 0x%x", unassigned[i]);
		EXPECT_CALL("unassigned code", ctl(unassigned[i], 0, 0, 0),
			    vnr_gpa(in), vnr_gpa(out), INVALID_CALL_CODE);
		EXPECT_CALL("unassigned code fast", ctl(unassigned[i], 1, 0, 0),
			    0, 0, INVALID_CALL_CODE);
	}
}

static void check_reserved_bits(void)
{
	static const struct {
		const char *what;
		vnr_u64 bits;
	} ranges[] = {
		{"reserved bit 17", 1ull << 17},
		{"reserved bit 31", 1ull << 31},
		{"reserved bits 31:17", 0x00000000FFFE0000ull},
		{"reserved bit 44", 1ull << 44},
		{"reserved bit 47", 1ull << 47},
		{"reserved bits 47:44", 0x0000F00000000000ull},
		{"reserved bit 60", 1ull << 60},
		{"reserved bit 63", 1ull << 63},
		{"reserved bits 63:60", 0xF000000000000000ull},
		{"all reserved bits", VNR_HC_RESERVED_MASK},
	};
	vnr_u64 null_fast = ctl(VNR_CALL_NULL_CALL, 1, 0, 0);
	vnr_u64 info = ctl(VNR_CALL_PARTITION_INFO, 0, 0, 0);
	vnr_u64 query = ctl(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 1, 0);
	unsigned int i;

	reset_pages();
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		vnr_test_note("%s on NULL_CALL, PARTITION_INFO and a query",
			      ranges[i].what);
		EXPECT_CALL(ranges[i].what, null_fast | ranges[i].bits, 0, 0,
			    INVALID_CONTROL);
		EXPECT_CALL(ranges[i].what, info | ranges[i].bits, 0,
			    vnr_gpa(out), INVALID_CONTROL);
		EXPECT_CALL(ranges[i].what, query | ranges[i].bits, vnr_gpa(in),
			    vnr_gpa(out), INVALID_CONTROL);
	}
	/* A refused call must not have written its output. */
	VNR_EXPECT(all_zero(out[0], PAGE));
}

static void check_forms(void)
{
	vnr_u16 query = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	reset_pages();
	EXPECT_CALL("fast PARTITION_INFO",
		    ctl(VNR_CALL_PARTITION_INFO, 1, 0, 0), 0, vnr_gpa(out),
		    INVALID_CONTROL);
	EXPECT_CALL("fast DEBUG_WRITE", ctl(VNR_CALL_DEBUG_WRITE, 1, 0, 0),
		    vnr_gpa(in), 0, INVALID_CONTROL);
	EXPECT_CALL("fast VP_INFO", ctl(VNR_CALL_VP_INFO, 1, 0, 0), vnr_gpa(in),
		    vnr_gpa(out), INVALID_CONTROL);
	EXPECT_CALL("fast query", ctl(query, 1, 1, 0), vnr_gpa(in),
		    vnr_gpa(out), INVALID_CONTROL);
	EXPECT_CALL("slow NULL_CALL", ctl(VNR_CALL_NULL_CALL, 0, 0, 0), 0, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("slow REFERENCE_TIME",
		    ctl(VNR_CALL_REFERENCE_TIME, 0, 0, 0), 0, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("slow VP_YIELD", ctl(VNR_CALL_VP_YIELD, 0, 0, 0), 0, 0,
		    INVALID_CONTROL);
}

static void check_rep_fields(void)
{
	vnr_u64 in_gpa = vnr_gpa(in), out_gpa = vnr_gpa(out);
	vnr_u16 query = VNR_CALL_QUERY_GPA_ATTRIBUTES;

	reset_pages();
	EXPECT_CALL("rep count on NULL_CALL", ctl(VNR_CALL_NULL_CALL, 1, 1, 0),
		    0, 0, INVALID_CONTROL);
	EXPECT_CALL("rep start on NULL_CALL", ctl(VNR_CALL_NULL_CALL, 1, 0, 1),
		    0, 0, INVALID_CONTROL);
	EXPECT_CALL("rep count on PARTITION_INFO",
		    ctl(VNR_CALL_PARTITION_INFO, 0, 1, 0), 0, out_gpa,
		    INVALID_CONTROL);
	EXPECT_CALL("rep count on DEBUG_WRITE",
		    ctl(VNR_CALL_DEBUG_WRITE, 0, 2, 1), in_gpa, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("rep count 0 on query", ctl(query, 0, 0, 0), in_gpa,
		    out_gpa, INVALID_CONTROL);
	EXPECT_CALL("rep start == count", ctl(query, 0, 4, 4), in_gpa, out_gpa,
		    INVALID_CONTROL);
	EXPECT_CALL("rep start > count", ctl(query, 0, 4, 5), in_gpa, out_gpa,
		    INVALID_CONTROL);
	EXPECT_CALL("rep start 0xFFF", ctl(query, 0, 1, VNR_HC_REP_MAX), in_gpa,
		    out_gpa, INVALID_CONTROL);
	EXPECT_CALL("query rep count 513",
		    ctl(query, 0, VNR_GPA_QUERY_MAX + 1, 0), in_gpa, out_gpa,
		    INVALID_PARAMETER);
	EXPECT_CALL("query rep count 0xFFF", ctl(query, 0, VNR_HC_REP_MAX, 0),
		    in_gpa, out_gpa, INVALID_PARAMETER);
}

static void check_alignment(void)
{
	vnr_u64 in_gpa = vnr_gpa(in), out_gpa = vnr_gpa(out);
	vnr_u64 dw = ctl(VNR_CALL_DEBUG_WRITE, 0, 0, 0);
	vnr_u64 pi = ctl(VNR_CALL_PARTITION_INFO, 0, 0, 0);
	vnr_u64 vi = ctl(VNR_CALL_VP_INFO, 0, 0, 0);

	/* Zeroed pages make every misplaced structure otherwise valid. */
	reset_pages();
	EXPECT_CALL("VP_INFO input +4", vi, in_gpa + 4, out_gpa,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("VP_INFO output +4", vi, in_gpa, out_gpa + 4,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("PARTITION_INFO output +1", pi, 0, out_gpa + 1,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("DEBUG_WRITE input +4", dw, in_gpa + 4, 0,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("DEBUG_WRITE input +8 crosses", dw, in_gpa + 8, 0,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("DEBUG_WRITE input +4088 crosses", dw, in_gpa + PAGE - 8, 0,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("PARTITION_INFO output crosses", pi, 0, out_gpa + PAGE - 8,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("VP_INFO output crosses", vi, in_gpa,
		    out_gpa + PAGE - sizeof(struct vnr_vp_info) + 8,
		    INVALID_ALIGNMENT);
	EXPECT_CALL("VP_INFO output at the end of a page", vi, in_gpa,
		    out_gpa + PAGE - sizeof(struct vnr_vp_info), SUCCESS);
	EXPECT_CALL("query output crosses",
		    ctl(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, VNR_GPA_QUERY_MAX, 0),
		    in_gpa, out_gpa + 8, INVALID_ALIGNMENT);
	EXPECT_CALL("query output at the end of a page",
		    ctl(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 4, 0), in_gpa,
		    out_gpa + PAGE - 32, SUCCESS);
}

static void check_gpa_range(void)
{
	const vnr_u64 bad[] = {ram_end, FAR_GPA, TOP_GPA};
	vnr_u64 dw = ctl(VNR_CALL_DEBUG_WRITE, 0, 0, 0);
	vnr_u64 pi = ctl(VNR_CALL_PARTITION_INFO, 0, 0, 0);
	vnr_u64 vi = ctl(VNR_CALL_VP_INFO, 0, 0, 0);
	vnr_u64 q = ctl(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 1, 0);
	unsigned int i;

	reset_pages();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vnr_test_note("GPA 0x%lx outside RAM", bad[i]);
		EXPECT_CALL("DEBUG_WRITE input", dw, bad[i], 0, INVALID_GPA);
		EXPECT_CALL("PARTITION_INFO output", pi, 0, bad[i],
			    INVALID_GPA);
		EXPECT_CALL("VP_INFO input", vi, bad[i], vnr_gpa(out),
			    INVALID_GPA);
		EXPECT_CALL("VP_INFO output", vi, vnr_gpa(in), bad[i],
			    INVALID_GPA);
		EXPECT_CALL("query input", q, bad[i], vnr_gpa(out),
			    INVALID_GPA);
		EXPECT_CALL("query output", q, vnr_gpa(in), bad[i],
			    INVALID_GPA);
	}
}

static void check_parameters(vnr_u32 vp_count)
{
	struct vnr_debug_write_input *dwi = (void *)in;
	struct vnr_vp_info_input *vpi = (void *)in;
	vnr_u64 dw = ctl(VNR_CALL_DEBUG_WRITE, 0, 0, 0);
	vnr_u64 vi = ctl(VNR_CALL_VP_INFO, 0, 0, 0);

	reset_pages();
	dwi->length = VNR_DEBUG_WRITE_MAX + 1;
	EXPECT_CALL("DEBUG_WRITE length 4089", dw, vnr_gpa(in), 0,
		    INVALID_PARAMETER);
	dwi->length = 0xFFFFFFFF;
	EXPECT_CALL("DEBUG_WRITE length ~0", dw, vnr_gpa(in), 0,
		    INVALID_PARAMETER);
	dwi->length = 0;
	dwi->reserved = 1;
	EXPECT_CALL("DEBUG_WRITE reserved", dw, vnr_gpa(in), 0,
		    INVALID_PARAMETER);
	reset_pages();
	vpi->reserved = 1;
	EXPECT_CALL("VP_INFO reserved", vi, vnr_gpa(in), vnr_gpa(out),
		    INVALID_PARAMETER);
	vpi->reserved = 0;
	if (vp_count <= 7) {
		vpi->vp_index = 7;
		EXPECT_CALL("VP_INFO vp 7", vi, vnr_gpa(in), vnr_gpa(out),
			    INVALID_VP_INDEX);
	}
	vpi->vp_index = vp_count;
	EXPECT_CALL("VP_INFO vp vp_count", vi, vnr_gpa(in), vnr_gpa(out),
		    INVALID_VP_INDEX);
	vpi->vp_index = 0xFFFFFFFF;
	EXPECT_CALL("VP_INFO vp ~0", vi, vnr_gpa(in), vnr_gpa(out),
		    INVALID_VP_INDEX);
	((struct vnr_gpa_query_input *)in)->base_gpa = 0x1008;
	VNR_EXPECT(vnr_hc_status(call(
			   ctl(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 1, 0),
			   vnr_gpa(in), vnr_gpa(out))) != VNR_STATUS_SUCCESS);
}

static vnr_u32 memmap_type(const struct vnr_start_info *si, vnr_u64 gpa)
{
	vnr_u32 i;

	for (i = 0; i < si->memmap_count && i < VNR_START_INFO_MEMMAP_MAX;
	     i++) {
		const struct vnr_memmap_entry *e = &si->memmap[i];

		if (gpa >= e->base && gpa - e->base < e->length)
			return e->type;
	}
	return 0;
}

/* A parent built this partition: its memory map is the parent's word. */
static bool built_at_run_time;

/* RAM is present and RWX with a memmap-consistent type; the rest is 0. */
static bool attr_ok(const struct vnr_start_info *si, vnr_u64 gpa, vnr_u64 a)
{
	vnr_u32 type = (a & VNR_GPA_ATTR_TYPE_MASK) >> VNR_GPA_ATTR_TYPE_SHIFT;
	vnr_u32 expected =
		built_at_run_time ? VNR_MEM_RAM : memmap_type(si, gpa);

	if (gpa >= si->memory_size)
		return a == 0;
	if (a & ~(ATTR_RWX | VNR_GPA_ATTR_TYPE_MASK))
		return false;
	if ((a & ATTR_RWX) != ATTR_RWX)
		return false;
	if (type < VNR_MEM_RAM || type > VNR_MEM_BOOT_TABLES)
		return false;
	return !expected || type == expected;
}

static void check_query_range(const struct vnr_start_info *si, vnr_u64 base)
{
	static vnr_u64 attrs[VNR_GPA_QUERY_MAX];
	vnr_u32 done = 0, i, bad = 0;

	vnr_test_note("query 512 pages from 0x%lx", base);
	VNR_EXPECT_EQ(
		vnr_query_gpa_attributes(base, VNR_GPA_QUERY_MAX, attrs, &done),
		VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(done, VNR_GPA_QUERY_MAX);
	for (i = 0; i < done && i < VNR_GPA_QUERY_MAX; i++) {
		vnr_u64 gpa = base + (vnr_u64)i * PAGE;

		if (!attr_ok(si, gpa, attrs[i]) && !bad++)
			vnr_test_note("GPA 0x%lx has attributes 0x%lx", gpa,
				      attrs[i]);
	}
	VNR_EXPECT_EQ(bad, 0);
}

static vnr_u64 page_type(vnr_u64 gpa)
{
	vnr_u64 a = 0;
	vnr_u32 done;

	vnr_query_gpa_attributes(gpa & ~(vnr_u64)(PAGE - 1), 1, &a, &done);
	return (a & VNR_GPA_ATTR_TYPE_MASK) >> VNR_GPA_ATTR_TYPE_SHIFT;
}

static void check_query_rep_start(void)
{
	vnr_u64 *o = (vnr_u64 *)out;
	vnr_u64 r;

	reset_pages();
	((struct vnr_gpa_query_input *)in)->base_gpa = 0;
	o[0] = o[1] = ~0ull;
	r = call(ctl(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 4, 2), vnr_gpa(in),
		 vnr_gpa(out));
	VNR_EXPECT_STATUS(r, VNR_STATUS_SUCCESS);
	VNR_EXPECT_EQ(vnr_hc_reps_done(r), 4);
	VNR_EXPECT_EQ(o[0] & o[1], ~0ull);
	VNR_EXPECT(o[2] & VNR_GPA_ATTR_PRESENT);
	VNR_EXPECT(o[3] & VNR_GPA_ATTR_PRESENT);
}

static void check_queries(const struct vnr_start_info *si)
{
	vnr_u64 tail = ram_end - VNR_GPA_QUERY_MAX / 2 * PAGE;

	check_query_range(si, 0);
	check_query_range(si, tail);
	VNR_EXPECT_EQ(page_type(vnr_gpa(vnr_main)),
		      built_at_run_time ? VNR_MEM_RAM : VNR_MEM_IMAGE);
	VNR_EXPECT_EQ(page_type(vnr_gpa(si)),
		      built_at_run_time ? VNR_MEM_RAM : VNR_MEM_BOOT_TABLES);
	check_query_rep_start();
}

/* Exit calls come last: if one is wrongly accepted, DONE never prints. */
static void check_exit_controls(void)
{
	EXPECT_CALL("slow VP_HALT", ctl(VNR_CALL_VP_HALT, 0, 0, 0), 1, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("VP_HALT reserved bit",
		    ctl(VNR_CALL_VP_HALT, 1, 0, 0) | 1ull << 17, 1, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("slow PARTITION_EXIT",
		    ctl(VNR_CALL_PARTITION_EXIT, 0, 0, 0), 0x7E, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("PARTITION_EXIT reserved bit",
		    ctl(VNR_CALL_PARTITION_EXIT, 1, 0, 0) | 1ull << 63, 0x7E, 0,
		    INVALID_CONTROL);
	EXPECT_CALL("PARTITION_EXIT rep count",
		    ctl(VNR_CALL_PARTITION_EXIT, 1, 1, 0), 0x7E, 0,
		    INVALID_CONTROL);
}

int vnr_main(const struct vnr_start_info *si)
{
	struct vnr_partition_info info = {0};

	vnr_test_begin("t_hostile");
	ram_end = (si->memory_size + PAGE - 1) & ~(vnr_u64)(PAGE - 1);
	built_at_run_time = vnr_cmdline_u64("runtime", 0) != 0;
	VNR_EXPECT_EQ(vnr_get_partition_info(&info), VNR_STATUS_SUCCESS);
	check_call_codes();
	check_reserved_bits();
	check_forms();
	check_rep_fields();
	check_alignment();
	check_gpa_range();
	check_parameters(info.vp_count);
	check_queries(si);
	hostile_fuzz(vnr_cmdline_u64("seed", vnr_rdtsc()),
		     vnr_cmdline_u64("fuzz", 5000), ram_end);
	check_exit_controls();
	return vnr_test_done();
}
