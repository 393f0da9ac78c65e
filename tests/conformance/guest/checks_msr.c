/* SPDX-License-Identifier: MIT */
/* Checks of the synthetic and architectural MSRs (discovery.md,
 * conventions.md, synic.md). */
#include "guest.h"

static const u32 listed[] = {
#define VNR_MSR(name, index) index,
#include <veneer/msrs.def>
#undef VNR_MSR
};

/* A GPA that is not guest RAM: the first page past it. */
static u64 outside(void)
{
	return start_info->memory_size;
}

/* Expects the write of value to msr to raise #GP and leave it as it was. */
static enum result refused(u32 msr, u64 value)
{
	u64 before = 0, after = 0;
	int vector;

	if (rdmsr_probe(msr, &before))
		return fail("MSR %x cannot be read", msr);
	vector = wrmsr_probe(msr, value);
	if (vector != VEC_GP)
		return fail("MSR %x <- %lx raised %d, not #GP", msr, value,
			    vector);
	rdmsr_probe(msr, &after);
	if (after != before)
		return fail("MSR %x changed from %lx to %lx", msr, before,
			    after);
	return PASS;
}

/* Expects msr to take value and read it back. */
static enum result accepted(u32 msr, u64 value)
{
	u64 back = 0;
	int vector = wrmsr_probe(msr, value);

	if (vector)
		return fail("MSR %x <- %lx raised %d", msr, value, vector);
	if (rdmsr_probe(msr, &back) || back != value)
		return fail("MSR %x <- %lx reads %lx", msr, value, back);
	return PASS;
}

enum result check_MSR_001(void)
{
	static const u64 values[] = {0x8000000000000001ull, ~0ull, 0x1234, 0};
	unsigned i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (accepted(VNR_MSR_GUEST_OS_ID, values[i]) != PASS)
			return FAIL;
	return PASS;
}

enum result check_MSR_002(void)
{
	u64 page = (u64)hypercall_page;
	u64 bit;

	for (bit = 1ull << 1; bit & VNR_HYPERCALL_RESERVED_MASK; bit <<= 1)
		if (refused(VNR_MSR_HYPERCALL,
			    page | VNR_HYPERCALL_ENABLE | bit) != PASS)
			return FAIL;
	return PASS;
}

enum result check_MSR_003(void)
{
	return refused(VNR_MSR_HYPERCALL, outside() | VNR_HYPERCALL_ENABLE);
}

enum result check_MSR_004(void)
{
	u64 back = ~0ull;
	int vector;

	/* No output while the page is disabled: the detail waits. */
	vector = wrmsr_probe(VNR_MSR_HYPERCALL, outside());
	rdmsr_probe(VNR_MSR_HYPERCALL, &back);
	if (hypercall_enable(hypercall_page))
		partition_exit(1);
	if (vector || back != outside())
		return fail("disabled %lx: vector %d, reads %lx", outside(),
			    vector, back);
	return PASS;
}

enum result check_MSR_005(void)
{
	u64 v = ~0ull;

	if (rdmsr_probe(VNR_MSR_VP_INDEX, &v) || v != start_info->vp_index)
		return fail("VP_INDEX %lx", v);
	return refused(VNR_MSR_VP_INDEX, 1);
}

enum result check_MSR_006(void)
{
	u64 first = now(), t = first;
	int i;

	for (i = 0; i < 100000 && t == first; i++) {
		u64 next = now();

		if (next < t)
			return fail("went back from %lx to %lx", t, next);
		t = next;
	}
	if (t == first)
		return fail("stays at %lx", t);
	/* It moves on by itself: only the #GP can be checked. */
	i = wrmsr_probe(VNR_MSR_REFERENCE_TIME, 0);
	return i == VEC_GP ? PASS : fail("writing it raised %d, not #GP", i);
}

static int is_listed(u32 msr)
{
	unsigned i;

	for (i = 0; i < sizeof(listed) / sizeof(listed[0]); i++)
		if (listed[i] == msr)
			return 1;
	return 0;
}

enum result check_MSR_007(void)
{
	u32 msr;

	for (msr = VNR_MSR_RANGE_FIRST; msr <= VNR_MSR_RANGE_LAST; msr++) {
		int r, w;

		if (is_listed(msr))
			continue;
		r = rdmsr_probe(msr, 0);
		w = wrmsr_probe(msr, 0);
		if (r != VEC_GP || w != VEC_GP)
			return fail("MSR %x: read raised %d, write %d", msr, r,
				    w);
	}
	return PASS;
}

enum result check_MSR_008(void)
{
	int eom = rdmsr_probe(VNR_MSR_EOM, 0);
	int eoi = rdmsr_probe(VNR_MSR_EOI, 0);

	if (eom != VEC_GP || eoi != VEC_GP)
		return fail("reading EOM raised %d, EOI %d", eom, eoi);
	return PASS;
}

enum result check_MSR_009(void)
{
	const u32 sint = VNR_MSR_SINT15;

	if (!(features() & VNR_FEATURE_MASK(SYNIC)))
		return unsupported("no SynIC");
	if (refused(sint, 15) != PASS || refused(sint, 0) != PASS ||
	    refused(sint, VNR_SINT_MASKED | (1ull << 8)) != PASS ||
	    refused(sint, VNR_SINT_MASKED | (1ull << 18)) != PASS)
		return FAIL;
	if (accepted(sint, VNR_SINT_MASKED | 5) != PASS ||
	    accepted(sint, VNR_SINT_MASKED | VNR_SINT_AUTO_EOI | 0xFF) !=
		    PASS ||
	    accepted(sint, VNR_SINT_MASKED) != PASS)
		return FAIL;
	return PASS;
}

enum result check_MSR_010(void)
{
	static const u32 msrs[] = {VNR_MSR_SIMP, VNR_MSR_SIEFP};
	unsigned i;

	if (!(features() & VNR_FEATURE_MASK(SYNIC)))
		return unsupported("no SynIC");
	for (i = 0; i < 2; i++)
		if (refused(msrs[i], (u64)scratch[0] | 3) != PASS ||
		    refused(msrs[i], (u64)scratch[0] | (1ull << 11) | 1) !=
			    PASS ||
		    refused(msrs[i], outside() | 1) != PASS)
			return FAIL;
	return PASS;
}

enum result check_MSR_011(void)
{
	if (!(features() & VNR_FEATURE_MASK(SYNIC)))
		return unsupported("no SynIC");
	if (refused(VNR_MSR_SCONTROL, 2) != PASS ||
	    refused(VNR_MSR_SCONTROL, 1ull << 63) != PASS)
		return FAIL;
	return PASS;
}

enum result check_MSR_012(void)
{
	const u32 config = VNR_MSR_STIMER3_CONFIG, count = config + 1;
	enum result r;

	if (!(features() & VNR_FEATURE_MASK(SYNTHETIC_TIMERS)))
		return unsupported("no synthetic timers");
	if (refused(config, 1ull << 2) != PASS ||
	    refused(config, 1ull << 20) != PASS)
		return FAIL;
	/* Disabled, so that neither write arms the timer. */
	r = accepted(config, 5ull << VNR_STIMER_SINT_SHIFT);
	if (r == PASS)
		r = accepted(count, 123456789);
	wrmsr(config, 0);
	wrmsr(count, 0);
	return r;
}

enum result check_MSR_013(void)
{
	u64 efer = rdmsr(0xC0000080);

	if (efer & (1ull << 12))
		return fail("SVME set: %lx", efer);
	return refused(0xC0000080, efer | (1ull << 12));
}

enum result check_MSR_014(void)
{
	const u64 pat = 0x0007040600070406ull;
	enum result r;

	if (refused(0x277, (pat & ~0xFFull) | 2) != PASS ||
	    refused(0x277, pat | (8ull << 56)) != PASS)
		return FAIL;
	r = accepted(0x277, (pat & ~0xFF00ull) | 0x0100); /* entry 1: WC */
	wrmsr(0x277, pat);
	return r;
}

enum result check_MSR_015(void)
{
	static const u32 msrs[] = {0xC0000100, 0xC0000101, 0xC0000102};
	unsigned i;

	for (i = 0; i < 3; i++) {
		enum result r = accepted(msrs[i], 0xFFFF800000001000ull);

		wrmsr(msrs[i], 0);
		if (r != PASS)
			return r;
	}
	return PASS;
}

enum result check_MSR_016(void)
{
	u64 before = rdtsc(), msr = rdmsr(0x10), after = rdtsc();
	int vector;

	if (msr < before || msr > after)
		return fail("TSC MSR %lx outside RDTSC %lx..%lx", msr, before,
			    after);
	vector = wrmsr_probe(0x10, rdtsc());
	if (vector != VEC_GP)
		return fail("writing the TSC raised %d", vector);
	return PASS;
}

enum result check_MSR_017(void)
{
	int base = rdmsr_probe(0x1B, 0), x2apic = rdmsr_probe(0x802, 0);

	if (base != VEC_GP || x2apic != VEC_GP)
		return fail("APIC_BASE raised %d, 0x802 %d", base, x2apic);
	return PASS;
}

enum result check_MSR_018(void)
{
	if (!(features() & VNR_FEATURE_MASK(REFERENCE_TSC_PAGE)))
		return unsupported("no reference TSC page");
	if (refused(VNR_MSR_REFERENCE_TSC_PAGE, (u64)scratch[0] | 3) != PASS ||
	    refused(VNR_MSR_REFERENCE_TSC_PAGE, outside() | 1) != PASS)
		return FAIL;
	return PASS;
}
