/* SPDX-License-Identifier: MIT */
/* Checks of the hypercall conventions (conventions.md) and of the calls a
 * partition without privileges makes (hypercalls.md). */
#include "guest.h"

#define STATUS(rax) vnr_hc_status(rax)

/* One call's status, with neither output register wanted. */
static enum vnr_status call(u64 control, u64 rdx, u64 r8)
{
	return STATUS(hc(control, rdx, r8, 0, 0));
}

/* Expects the call to return want; the detail names the call by what. */
static enum result expect(const char *what, u64 control, u64 rdx, u64 r8,
			  enum vnr_status want)
{
	enum vnr_status got = call(control, rdx, r8);

	if (got != want)
		return fail("%s: status %x, expected %x", what, got, want);
	return PASS;
}

static u64 memory_size(void)
{
	return start_info->memory_size;
}

/* A rep call's control word. */
static u64 rep(enum vnr_call_code code, u32 count, u32 start)
{
	return vnr_hc_control(code, 0, count, start);
}

enum vendor { VENDOR_OTHER, VENDOR_AMD, VENDOR_INTEL };

static enum vendor vendor(void)
{
	u32 r[4];

	cpuid(0, 0, r);
	if (r[1] == 0x68747541 || r[1] == 0x6f677948) /* Auth, Hygo(n) */
		return VENDOR_AMD;
	if (r[1] == 0x756e6547) /* Genu(ineIntel) */
		return VENDOR_INTEL;
	return VENDOR_OTHER;
}

static int has_sequence(const u8 *at)
{
	static const u8 amd[] = {0x0F, 0x01, 0xD9, 0xC3};
	static const u8 intel[] = {0x0F, 0x01, 0xC1, 0xC3};

	return !memcmp(at, vendor() == VENDOR_AMD ? amd : intel, 4);
}

enum result check_CONV_001(void)
{
	if (vendor() == VENDOR_OTHER)
		return unsupported("neither AMD nor Intel");
	if (!has_sequence(hypercall_page))
		return fail("page starts %x %x %x %x", hypercall_page[0],
			    hypercall_page[1], hypercall_page[2],
			    hypercall_page[3]);
	return PASS;
}

enum result check_CONV_002(void)
{
	if (boot_vmcall_vector != VEC_UD || boot_vmmcall_vector != VEC_UD)
		return fail("VMCALL raised %d, VMMCALL %d", boot_vmcall_vector,
			    boot_vmmcall_vector);
	return PASS;
}

enum result check_CONV_003(void)
{
	u64 rax;
	int vector;

	if (vendor() == VENDOR_OTHER)
		return unsupported("neither AMD nor Intel");
	vector = vendor_call_probe(vendor() == VENDOR_AMD, &rax);
	if (vector != VEC_UD)
		return fail("the other vendor's instruction raised %d (RAX "
			    "%lx)",
			    vector, rax);
	return PASS;
}

enum result check_CONV_004(void)
{
	u8 *other = scratch[3];
	enum vnr_status moved;
	int ok;

	if (vendor() == VENDOR_OTHER)
		return unsupported("neither AMD nor Intel");
	memset(other, 0, 4096);
	if (hypercall_enable(other))
		return fail("enabling the page at %lx raised #GP", (u64)other);
	ok = has_sequence(other);
	moved = call(fast(VNR_CALL_NULL_CALL), 0, 0);
	/* Back to the first page, its sequence overwritten: enabling it
	 * again writes it again. */
	memset(hypercall_page, 0xCC, 4);
	if (hypercall_enable(hypercall_page))
		partition_exit(1);
	if (!ok || moved != VNR_STATUS_SUCCESS)
		return fail("second page: sequence %d, NULL_CALL %x", ok,
			    moved);
	if (!has_sequence(hypercall_page))
		return fail("re-enabling did not write the sequence again");
	return PASS;
}

enum result check_CONV_005(void)
{
	u64 result;
	u32 bad = hc_clobbered(&result);

	if (bad)
		return fail("registers changed: mask %x", bad);
	if (result != 0)
		return fail("result word %lx", result);
	return PASS;
}

enum result check_CONV_006(void)
{
	const u64 a = 0xDEADBEEF12345678ull, b = 0x0123456789ABCDEFull;
	u64 rdx, r8;
	u64 rax = hc(fast(VNR_CALL_NULL_CALL), a, b, &rdx, &r8);

	if (STATUS(rax) != VNR_STATUS_SUCCESS || rdx != a || r8 != b)
		return fail("status %x, RDX %lx, R8 %lx", STATUS(rax), rdx, r8);
	return PASS;
}

enum result check_CONV_007(void)
{
	static const int bits[] = {17, 31, 44, 47, 60, 63};
	unsigned i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (call(fast(VNR_CALL_NULL_CALL) | (1ull << bits[i]), 0, 0) !=
		    VNR_STATUS_INVALID_CONTROL)
			return fail("bit %d", bits[i]);
	return PASS;
}

enum result check_CONV_008(void)
{
	static const u16 codes[] = {0, VNR_CALL_BOUND, 0xFFFF};
	unsigned i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (call(vnr_hc_control(codes[i], 1, 0, 0), 0, 0) !=
			    VNR_STATUS_INVALID_CALL_CODE ||
		    call(vnr_hc_control(codes[i], 0, 0, 0), 0, 0) !=
			    VNR_STATUS_INVALID_CALL_CODE)
			return fail("code %x", codes[i]);
	return PASS;
}

enum result check_CONV_009(void)
{
	return expect("the first unassigned code with bit 17",
		      vnr_hc_control(VNR_CALL_BOUND, 1, 0, 0) | (1ull << 17), 0,
		      0, VNR_STATUS_INVALID_CONTROL);
}

enum result check_CONV_010(void)
{
	if (expect("NULL_CALL without the fast bit",
		   memcall(VNR_CALL_NULL_CALL), 0, 0,
		   VNR_STATUS_INVALID_CONTROL) != PASS)
		return FAIL;
	return expect("PARTITION_INFO with the fast bit",
		      fast(VNR_CALL_PARTITION_INFO), 0, (u64)scratch[1],
		      VNR_STATUS_INVALID_CONTROL);
}

enum result check_CONV_011(void)
{
	if (expect("NULL_CALL rep count 1",
		   vnr_hc_control(VNR_CALL_NULL_CALL, 1, 1, 0), 0, 0,
		   VNR_STATUS_INVALID_CONTROL) != PASS ||
	    expect("NULL_CALL rep start 1",
		   vnr_hc_control(VNR_CALL_NULL_CALL, 1, 0, 1), 0, 0,
		   VNR_STATUS_INVALID_CONTROL) != PASS)
		return FAIL;
	return expect("PARTITION_INFO rep count 1",
		      vnr_hc_control(VNR_CALL_PARTITION_INFO, 0, 1, 0), 0,
		      (u64)scratch[1], VNR_STATUS_INVALID_CONTROL);
}

enum result check_CONV_012(void)
{
	struct vnr_gpa_query_input *in = (void *)scratch[0];

	in->base_gpa = 0;
	if (expect("rep count 0", rep(VNR_CALL_QUERY_GPA_ATTRIBUTES, 0, 0),
		   (u64)in, (u64)scratch[1],
		   VNR_STATUS_INVALID_CONTROL) != PASS ||
	    expect("rep start 2 of 2", rep(VNR_CALL_QUERY_GPA_ATTRIBUTES, 2, 2),
		   (u64)in, (u64)scratch[1],
		   VNR_STATUS_INVALID_CONTROL) != PASS)
		return FAIL;
	return expect("rep call with the fast bit",
		      vnr_hc_control(VNR_CALL_QUERY_GPA_ATTRIBUTES, 1, 2, 0),
		      (u64)in, (u64)scratch[1], VNR_STATUS_INVALID_CONTROL);
}

enum result check_CONV_013(void)
{
	return expect("PARTITION_CREATE with the fast bit",
		      fast(VNR_CALL_PARTITION_CREATE), (u64)scratch[0],
		      (u64)scratch[1], VNR_STATUS_INVALID_CONTROL);
}

enum result check_CONV_014(void)
{
	if (privileges() & VNR_PRIV_MASK(CREATE_PARTITIONS))
		return unsupported("the partition may create partitions");
	memset(scratch[0], 0, 4096);
	return expect("PARTITION_CREATE", memcall(VNR_CALL_PARTITION_CREATE),
		      (u64)scratch[0], (u64)scratch[1],
		      VNR_STATUS_ACCESS_DENIED);
}

enum result check_CONV_015(void)
{
	if (privileges() & VNR_PRIV_MASK(CREATE_PARTITIONS))
		return unsupported("the partition may create partitions");
	return expect("PARTITION_CREATE, input GPA misaligned",
		      memcall(VNR_CALL_PARTITION_CREATE), (u64)scratch[0] + 4,
		      (u64)scratch[1] + 4, VNR_STATUS_ACCESS_DENIED);
}

enum result check_CONV_016(void)
{
	struct vnr_gpa_query_input *in = (void *)scratch[0];

	in->base_gpa = 0;
	return expect(
		"513 reps, output misaligned",
		rep(VNR_CALL_QUERY_GPA_ATTRIBUTES, VNR_GPA_QUERY_MAX + 1, 0),
		(u64)in, (u64)scratch[1] + 4, VNR_STATUS_INVALID_PARAMETER);
}

enum result check_CONV_017(void)
{
	return expect("PARTITION_INFO at +4", memcall(VNR_CALL_PARTITION_INFO),
		      0, (u64)scratch[1] + 4, VNR_STATUS_INVALID_ALIGNMENT);
}

enum result check_CONV_018(void)
{
	return expect("PARTITION_INFO 80 bytes before a page end",
		      memcall(VNR_CALL_PARTITION_INFO), 0,
		      (u64)scratch[1] + 4096 - 80,
		      VNR_STATUS_INVALID_ALIGNMENT);
}

enum result check_CONV_019(void)
{
	if (expect("PARTITION_INFO at memory_size",
		   memcall(VNR_CALL_PARTITION_INFO), 0, memory_size(),
		   VNR_STATUS_INVALID_GPA) != PASS)
		return FAIL;
	return expect("PARTITION_INFO at 2^52 - 4096",
		      memcall(VNR_CALL_PARTITION_INFO), 0, (1ull << 52) - 4096,
		      VNR_STATUS_INVALID_GPA);
}

enum result check_CONV_020(void)
{
	return expect("VP_INFO input outside RAM, output misaligned",
		      memcall(VNR_CALL_VP_INFO), memory_size(),
		      (u64)scratch[1] + 4, VNR_STATUS_INVALID_GPA);
}

/* Is every byte of [from, to) of page equal to c? */
static int untouched(const u8 *page, int from, int to, u8 c)
{
	for (; from < to; from++)
		if (page[from] != c)
			return 0;
	return 1;
}

enum result check_CONV_021(void)
{
	struct vnr_vp_info_input *in = (void *)scratch[0];
	u8 *page = scratch[1];
	const int at = 8, size = sizeof(struct vnr_partition_info);
	enum vnr_status s;

	memset(page, 0xA5, 4096);
	s = call(memcall(VNR_CALL_PARTITION_INFO), 0, (u64)page + at);
	if (s != VNR_STATUS_SUCCESS)
		return fail("PARTITION_INFO status %x", s);
	if (!untouched(page, 0, at, 0xA5) ||
	    !untouched(page, at + size, 4096, 0xA5))
		return fail("bytes outside the output written");
	if (untouched(page, at, at + size, 0xA5))
		return fail("no output written");
	memset(page, 0xA5, 4096);
	in->vp_index = 1000;
	in->reserved = 0;
	s = call(memcall(VNR_CALL_VP_INFO), (u64)in, (u64)page);
	if (s != VNR_STATUS_INVALID_VP_INDEX)
		return fail("VP_INFO of VP 1000: status %x", s);
	if (!untouched(page, 0, 4096, 0xA5))
		return fail("a failed call wrote its output");
	return PASS;
}

enum result check_CONV_022(void)
{
	struct vnr_vp_info *out = (void *)scratch[2];
	struct vnr_vp_info_input *in = (void *)scratch[2];
	enum vnr_status s;

	memset(scratch[2], 0, 64);
	in->vp_index = 0;
	in->reserved = 0;
	s = call(memcall(VNR_CALL_VP_INFO), (u64)in, (u64)out);
	if (s != VNR_STATUS_SUCCESS || out->vp_index ||
	    out->partition_id != start_info->partition_id)
		return fail("status %x, vp_index %u, partition_id %u", s,
			    out->vp_index, out->partition_id);
	return PASS;
}

/* QUERY_GPA_ATTRIBUTES of count pages from base into out. */
static u64 query(u64 base, u32 count, u32 start, u64 *out)
{
	struct vnr_gpa_query_input *in = (void *)scratch[0];

	in->base_gpa = base;
	return hc(rep(VNR_CALL_QUERY_GPA_ATTRIBUTES, count, start), (u64)in,
		  (u64)out, 0, 0);
}

enum result check_CONV_023(void)
{
	u64 *out = (u64 *)scratch[1];
	u64 rax = query((u64)__image_start & ~0xFFFull, 4, 0, out);

	if (rax != vnr_hc_result(VNR_STATUS_SUCCESS, 4))
		return fail("result word %lx", rax);
	return PASS;
}

enum result check_CONV_024(void)
{
	const u64 sentinel = 0x5555555555555555ull;
	u64 *out = (u64 *)scratch[1];
	u64 rax;
	int i;

	for (i = 0; i < 4; i++)
		out[i] = sentinel;
	rax = query((u64)__image_start & ~0xFFFull, 4, 2, out);
	if (vnr_hc_status(rax) != VNR_STATUS_SUCCESS ||
	    vnr_hc_reps_done(rax) != 4)
		return fail("result word %lx", rax);
	if (out[0] != sentinel || out[1] != sentinel)
		return fail("reps below rep start written");
	if (out[2] == sentinel || out[3] == sentinel)
		return fail("reps from rep start not written");
	return PASS;
}

enum result check_CONV_025(void)
{
	struct vnr_vp_info_input *in = (void *)scratch[0];

	in->vp_index = 0;
	in->reserved = 1;
	return expect("VP_INFO reserved 1", memcall(VNR_CALL_VP_INFO), (u64)in,
		      (u64)scratch[1], VNR_STATUS_INVALID_PARAMETER);
}

enum result check_HC_001(void)
{
	return expect("NULL_CALL", fast(VNR_CALL_NULL_CALL), 0, 0,
		      VNR_STATUS_SUCCESS);
}

enum result check_HC_002(void)
{
	struct vnr_debug_write_input *in = (void *)scratch[2];
	const u64 control = memcall(VNR_CALL_DEBUG_WRITE);

	if (!(privileges() & VNR_PRIV_MASK(DEBUG_CONSOLE)))
		return unsupported("no debug_console privilege");
	in->length = 0;
	in->reserved = 0;
	if (expect("length 0", control, (u64)in, 0, VNR_STATUS_SUCCESS) != PASS)
		return FAIL;
	in->length = VNR_DEBUG_WRITE_MAX + 1;
	if (expect("length 4089", control, (u64)in, 0,
		   VNR_STATUS_INVALID_PARAMETER) != PASS)
		return FAIL;
	in->length = 0;
	in->reserved = 1;
	if (expect("reserved 1", control, (u64)in, 0,
		   VNR_STATUS_INVALID_PARAMETER) != PASS)
		return FAIL;
	in = (void *)(scratch[2] + 8);
	in->length = 0;
	in->reserved = 0;
	return expect("input at +8", control, (u64)in, 0,
		      VNR_STATUS_INVALID_ALIGNMENT);
}

enum result check_HC_003(void)
{
	struct vnr_partition_info *p = (void *)scratch[1];
	u32 r[4];
	enum vnr_status s;
	int i;

	memset(p, 0xA5, sizeof(*p));
	s = call(memcall(VNR_CALL_PARTITION_INFO), 0, (u64)p);
	if (s != VNR_STATUS_SUCCESS)
		return fail("status %x", s);
	cpuid(VNR_CPUID_LEAF_VP_IDENTITY, 0, r);
	if (p->partition_id != r[0] || p->vp_count != 1 ||
	    p->memory_size != start_info->memory_size)
		return fail("id %u, vp_count %u, memory_size %lx",
			    p->partition_id, p->vp_count, p->memory_size);
	if ((u32)p->privileges != privileges())
		return fail("privileges %lx, CPUID %x", p->privileges,
			    privileges());
	if (memcmp(p->name, start_info->name, VNR_NAME_MAX))
		return fail("name '%s'", p->name);
	for (i = 0; i < 4; i++)
		if (p->reserved[i])
			return fail("reserved[%d] %lx", i, p->reserved[i]);
	return PASS;
}

static enum vnr_status vp_info(u32 vp, u32 reserved, struct vnr_vp_info *out)
{
	struct vnr_vp_info_input *in = (void *)scratch[0];

	in->vp_index = vp;
	in->reserved = reserved;
	return call(memcall(VNR_CALL_VP_INFO), (u64)in, (u64)out);
}

enum result check_HC_004(void)
{
	struct vnr_vp_info *a = (void *)scratch[1], *b = a + 1;
	enum vnr_status s1 = vp_info(0, 0, a), s2;

	call(fast(VNR_CALL_NULL_CALL), 0, 0);
	s2 = vp_info(0, 0, b);
	if (s1 != VNR_STATUS_SUCCESS || s2 != VNR_STATUS_SUCCESS)
		return fail("status %x, %x", s1, s2);
	if (a->vp_index || a->partition_id != start_info->partition_id)
		return fail("vp_index %u, partition_id %u", a->vp_index,
			    a->partition_id);
	if (!a->hypercalls || b->hypercalls < a->hypercalls + 2)
		return fail("hypercalls %lu then %lu", a->hypercalls,
			    b->hypercalls);
	return PASS;
}

enum result check_HC_005(void)
{
	struct vnr_vp_info *out = (void *)scratch[1];
	enum vnr_status s = vp_info(1, 1, out);

	if (s != VNR_STATUS_INVALID_PARAMETER)
		return fail("VP 1, reserved 1: status %x", s);
	s = vp_info(1, 0, out);
	if (s != VNR_STATUS_INVALID_VP_INDEX)
		return fail("VP 1: status %x", s);
	return PASS;
}

enum result check_HC_006(void)
{
	u64 t1, f1, t2, f2, msr;

	if (!(features() & VNR_FEATURE_MASK(REFERENCE_TIME)))
		return unsupported("no reference time");
	if (STATUS(hc(fast(VNR_CALL_REFERENCE_TIME), 0, 0, &t1, &f1)))
		return fail("first call failed");
	msr = now();
	if (STATUS(hc(fast(VNR_CALL_REFERENCE_TIME), 0, 0, &t2, &f2)))
		return fail("second call failed");
	if (t1 > msr || msr > t2)
		return fail("call %lu, MSR %lu, call %lu", t1, msr, t2);
	if (!f1 || f1 != f2)
		return fail("frequency %lu then %lu", f1, f2);
	return PASS;
}

enum result check_HC_007(void)
{
	u64 rdx, r8;
	u64 rax = hc(fast(VNR_CALL_VP_YIELD), 0x1111, 0x2222, &rdx, &r8);

	if (STATUS(rax) != VNR_STATUS_SUCCESS || rdx != 0x1111 || r8 != 0x2222)
		return fail("status %x, RDX %lx, R8 %lx", STATUS(rax), rdx, r8);
	return PASS;
}

enum result check_HC_008(void)
{
	const u64 timeout = 10000; /* 1 ms */
	u64 start, elapsed;
	enum vnr_status s;

	/* The first halt forgets any event remembered from before. */
	call(fast(VNR_CALL_VP_HALT), timeout, 0);
	start = now();
	s = call(fast(VNR_CALL_VP_HALT), timeout, 0);
	elapsed = now() - start;
	if (s != VNR_STATUS_SUCCESS || elapsed < timeout)
		return fail("status %x after %lu ticks", s, elapsed);
	return PASS;
}

/* Expects count pages from base to have attributes attr (0: absent). */
static enum result attributes(u64 base, u32 count, u64 attr)
{
	u64 *out = (u64 *)scratch[1];
	u64 rax = query(base, count, 0, out);
	u32 i;

	if (rax != vnr_hc_result(VNR_STATUS_SUCCESS, count))
		return fail("at %lx: result word %lx", base, rax);
	for (i = 0; i < count; i++)
		if (out[i] != attr)
			return fail("page %lx: %lx, expected %lx",
				    base + (u64)i * 4096, out[i], attr);
	return PASS;
}

static u64 ram(enum vnr_mem_type type)
{
	return VNR_GPA_ATTR_PRESENT | VNR_GPA_ATTR_READ | VNR_GPA_ATTR_WRITE |
	       VNR_GPA_ATTR_EXECUTE | ((u64)type << VNR_GPA_ATTR_TYPE_SHIFT);
}

enum result check_HC_009(void)
{
	u64 image = (u64)__image_start & ~0xFFFull;

	if (attributes(image - 4096, 1, ram(VNR_MEM_RAM)) != PASS ||
	    attributes(image, 1, ram(VNR_MEM_IMAGE)) != PASS ||
	    attributes(memory_size() - VNR_BOOT_REGION_SIZE,
		       VNR_BOOT_REGION_SIZE / 4096,
		       ram(VNR_MEM_BOOT_TABLES)) != PASS ||
	    attributes(memory_size(), VNR_GPA_QUERY_MAX, 0) != PASS)
		return FAIL;
	return PASS;
}

enum result check_HC_010(void)
{
	u64 *out = (u64 *)scratch[1];
	u64 rax = query(0x800, 1, 0, out);

	if (STATUS(rax) != VNR_STATUS_INVALID_ALIGNMENT)
		return fail("base 0x800: status %x", STATUS(rax));
	rax = query((1ull << 52) - 4096, 2, 0, out);
	if (STATUS(rax) != VNR_STATUS_INVALID_GPA)
		return fail("2 pages below 2^52: status %x", STATUS(rax));
	return attributes((1ull << 52) - 4096, 1, 0);
}

enum result check_HC_011(void)
{
	if (expect("PARTITION_EXIT with bit 17",
		   fast(VNR_CALL_PARTITION_EXIT) | (1ull << 17), 0, 0,
		   VNR_STATUS_INVALID_CONTROL) != PASS)
		return FAIL;
	return expect("PARTITION_EXIT without the fast bit",
		      memcall(VNR_CALL_PARTITION_EXIT), 0, 0,
		      VNR_STATUS_INVALID_CONTROL);
}

enum result check_HC_015(void)
{
	struct vnr_grant_create_input *in = (void *)scratch[2];

	if (!(features() & VNR_FEATURE_MASK(GRANTS)))
		return unsupported("no grants");
	memset(in, 0, sizeof(*in));
	in->peer_partition_id = start_info->partition_id;
	in->page_count = 1;
	in->gpa[0] = (u64)scratch[3];
	return expect("GRANT_CREATE to itself", memcall(VNR_CALL_GRANT_CREATE),
		      (u64)in, (u64)scratch[1],
		      VNR_STATUS_INVALID_PARTITION_ID);
}
