// SPDX-License-Identifier: MIT
/*
 * Processor state that VMRUN does not switch must still be each
 * partition's own.  Two partitions run this image side by side; each
 * round, each one loads its own pseudo-random values into the x87 stack
 * and control word, MXCSR, XMM0-15 (and the upper YMM halves with AVX),
 * PKRU, XCR0, DR0-DR3, DR6, DR7, CR8 and the MSRs a guest owns outright
 * (syscall, sysenter, KERNEL_GS_BASE, FS base, PAT), gives the CPU away
 * (VP_YIELD, then a spin long enough to be preempted) and reads everything
 * back: any difference means another partition's values reached it, or
 * its own reached another.  At entry, the state must be the documented
 * initial state, so nothing of an earlier partition or of the firmware
 * is seen either.
 *
 * Also: XSETBV with values the CPU would refuse raises #GP.
 *
 * Command line: seed=N (odd: wide XCR0, even: x87|SSE), rounds=N.
 */
#include <vnr_test.h>

#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXMMEXCPT	(1ull << 10)
#define CR4_OSXSAVE	(1ull << 18)
#define CR4_PKE		(1ull << 22)
#define LEAF1_ECX_XSAVE (1u << 26)
#define LEAF1_ECX_OSXS	(1u << 27)
#define LEAF1_ECX_AVX	(1u << 28)
#define LEAF7_ECX_PKU	(1u << 3)
#define LEAF7_ECX_OSPKE (1u << 4)
#define XCR0_X87_SSE	0x3ull
#define XCR0_AVX	0x4ull
#define XCR0_PKRU	0x200ull
#define SPIN		200000u

static const vnr_u32 msrs[] = {
	0x174,	    0x175,	0x176,	    /* SYSENTER_CS/ESP/EIP */
	0x277,				    /* PAT */
	0xC0000081, 0xC0000082, 0xC0000083, /* STAR, LSTAR, CSTAR */
	0xC0000084,			    /* SFMASK */
	0xC0000100, 0xC0000102,		    /* FS base, KERNEL_GS_BASE */
};
#define MSR_COUNT (sizeof(msrs) / sizeof(msrs[0]))

struct cpu_state {
	vnr_u8 xmm[16][16];
	vnr_u8 ymmh[16][16];
	vnr_u64 st0;
	vnr_u32 mxcsr;
	vnr_u16 fcw;
	vnr_u32 pkru;
	vnr_u64 xcr0;
	vnr_u64 dr[4], dr6, dr7, cr8;
	vnr_u64 msr[MSR_COUNT];
};

static bool has_xsave, has_avx, has_pku;
static vnr_u64 xcr0_wide;
static vnr_u8 fxsave_area[512] __attribute__((aligned(16)));

static vnr_u64 read_cr4(void)
{
	vnr_u64 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr4(vnr_u64 v)
{
	asm volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static vnr_u64 xgetbv(void)
{
	vnr_u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((vnr_u64)hi << 32) | lo;
}

static void xsetbv(vnr_u32 index, vnr_u64 v)
{
	asm volatile("xsetbv" ::"c"(index), "a"((vnr_u32)v),
		     "d"((vnr_u32)(v >> 32))
		     : "memory");
}

static vnr_u32 rdpkru(void)
{
	vnr_u32 v, edx;

	asm volatile("rdpkru" : "=a"(v), "=d"(edx) : "c"(0));
	return v;
}

static void wrpkru(vnr_u32 v)
{
	asm volatile("wrpkru" ::"a"(v), "c"(0), "d"(0) : "memory");
}

#define DR_ACCESS(n)                                                 \
	static vnr_u64 read_dr##n(void)                              \
	{                                                            \
		vnr_u64 v;                                           \
		asm volatile("mov %%dr" #n ", %0" : "=r"(v));        \
		return v;                                            \
	}                                                            \
	static void write_dr##n(vnr_u64 v)                           \
	{                                                            \
		asm volatile("mov %0, %%dr" #n ::"r"(v) : "memory"); \
	}
DR_ACCESS(0)
DR_ACCESS(1)
DR_ACCESS(2)
DR_ACCESS(3)
DR_ACCESS(6)
DR_ACCESS(7)

static vnr_u64 read_dr(int n)
{
	switch (n) {
	case 0:
		return read_dr0();
	case 1:
		return read_dr1();
	case 2:
		return read_dr2();
	default:
		return read_dr3();
	}
}

static void write_dr(int n, vnr_u64 v)
{
	switch (n) {
	case 0:
		write_dr0(v);
		break;
	case 1:
		write_dr1(v);
		break;
	case 2:
		write_dr2(v);
		break;
	default:
		write_dr3(v);
	}
}

/* XMM0-15 from or to 16 bytes each (the compiler uses no vector register). */
#define XMM_LOAD(n, p)	asm volatile("movdqu %0, %%xmm" #n ::"m"((p)[n]))
#define XMM_STORE(n, p) asm volatile("movdqu %%xmm" #n ", %0" : "=m"((p)[n]))
#define YMMH_LOAD(n, p) \
	asm volatile("vinsertf128 $1, %0, %%ymm" #n ", %%ymm" #n ::"m"((p)[n]))
#define YMMH_STORE(n, p) \
	asm volatile("vextractf128 $1, %%ymm" #n ", %0" : "=m"((p)[n]))
#define EACH_VREG(M, p)   \
	do {              \
		M(0, p);  \
		M(1, p);  \
		M(2, p);  \
		M(3, p);  \
		M(4, p);  \
		M(5, p);  \
		M(6, p);  \
		M(7, p);  \
		M(8, p);  \
		M(9, p);  \
		M(10, p); \
		M(11, p); \
		M(12, p); \
		M(13, p); \
		M(14, p); \
		M(15, p); \
	} while (0)

/* A PAT value the CPU accepts: each entry one of the six memory types. */
static vnr_u64 random_pat(vnr_u64 r)
{
	static const vnr_u8 types[] = {0, 1, 4, 5, 6, 7};
	vnr_u64 pat = 0;

	for (int i = 0; i < 8; i++, r >>= 8)
		pat |= (vnr_u64)types[(r & 0xFF) % 6] << (8 * i);
	return pat;
}

static vnr_u64 random_msr(vnr_u32 msr, vnr_u64 r)
{
	switch (msr) {
	case 0x174:
		return r & 0xFFFF;
	case 0x277:
		return random_pat(r);
	case 0xC0000081:
		return r;
	case 0xC0000084:
		return r & 0xFFFFFFFF;
	default: /* an address: canonical, lower half */
		return r & 0x00007FFFFFFFFFFFull;
	}
}

static void fill(struct cpu_state *s, vnr_u64 *seed)
{
	vnr_u8 *bytes = &s->xmm[0][0];
	vnr_u32 i;

	for (i = 0; i < sizeof(s->xmm) + sizeof(s->ymmh); i += 8) {
		vnr_u64 r = vnr_test_rand(seed);

		memcpy(bytes + i, &r, 8);
	}
	s->st0 = vnr_test_rand(seed) >> 2;
	s->mxcsr = 0x1F80 | ((vnr_u32)vnr_test_rand(seed) & 0xE03F);
	s->fcw = (vnr_u16)(0x007F | (vnr_test_rand(seed) & 0x0F00));
	s->pkru = (vnr_u32)vnr_test_rand(seed) & ~3u; /* key 0 stays open */
	s->xcr0 = xcr0_wide;
	/* Breakpoints on code that never runs: enabled, never hit. */
	for (i = 0; i < 4; i++)
		s->dr[i] = 0x00007F0000000000ull |
			   (vnr_test_rand(seed) & 0xFFFFFFFFF0ull);
	s->dr6 = 0xFFFF0FF0 | (vnr_test_rand(seed) & 0xF);
	s->dr7 = 0x400 | (vnr_test_rand(seed) & 0xFF);
	s->cr8 = vnr_test_rand(seed) & 0xF;
	for (i = 0; i < MSR_COUNT; i++)
		s->msr[i] = random_msr(msrs[i], vnr_test_rand(seed));
}

static void load(const struct cpu_state *s)
{
	int i;

	if (has_xsave)
		xsetbv(0, s->xcr0);
	asm volatile("fninit; fildq %0; fldcw %1" ::"m"(s->st0), "m"(s->fcw));
	asm volatile("ldmxcsr %0" ::"m"(s->mxcsr));
	EACH_VREG(XMM_LOAD, s->xmm);
	if (s->xcr0 & XCR0_AVX)
		EACH_VREG(YMMH_LOAD, s->ymmh);
	if (has_pku)
		wrpkru(s->pkru);
	for (i = 0; i < 4; i++)
		write_dr(i, s->dr[i]);
	write_dr6(s->dr6);
	write_dr7(s->dr7);
	asm volatile("mov %0, %%cr8" ::"r"(s->cr8));
	for (i = 0; i < (int)MSR_COUNT; i++)
		vnr_wrmsr(msrs[i], s->msr[i]);
}

static void store(struct cpu_state *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->xcr0 = has_xsave ? xgetbv() : 0;
	EACH_VREG(XMM_STORE, s->xmm);
	if (s->xcr0 & XCR0_AVX)
		EACH_VREG(YMMH_STORE, s->ymmh);
	asm volatile("stmxcsr %0" : "=m"(s->mxcsr));
	asm volatile("fnstcw %0; fistpq %1" : "=m"(s->fcw), "=m"(s->st0));
	s->pkru = has_pku ? rdpkru() : 0;
	for (i = 0; i < 4; i++)
		s->dr[i] = read_dr(i);
	s->dr6 = read_dr6();
	s->dr7 = read_dr7();
	asm volatile("mov %%cr8, %0" : "=r"(s->cr8));
	for (i = 0; i < (int)MSR_COUNT; i++)
		s->msr[i] = vnr_rdmsr(msrs[i]);
}

static bool same(const char *what, const void *a, const void *b, size_t n)
{
	return vnr_test_check_quiet(memcmp(a, b, n) == 0, __FILE_NAME__,
				    __LINE__, what, 0, 0);
}

#define SAME(field) same(#field, &got.field, &want.field, sizeof(want.field))

static unsigned int compare(const struct cpu_state *wantp)
{
	struct cpu_state got, want = *wantp;
	unsigned int bad = 0;

	store(&got);
	if (!(want.xcr0 & XCR0_AVX))
		memset(want.ymmh, 0, sizeof(want.ymmh));
	if (!has_pku)
		want.pkru = 0;
	if (!has_xsave)
		want.xcr0 = 0;
	bad += !SAME(xmm) + !SAME(ymmh) + !SAME(st0) + !SAME(mxcsr);
	bad += !SAME(fcw) + !SAME(pkru) + !SAME(xcr0) + !SAME(dr);
	bad += !SAME(dr6) + !SAME(dr7) + !SAME(cr8);
	for (unsigned int i = 0; i < MSR_COUNT; i++)
		bad += !vnr_test_check_quiet(got.msr[i] == want.msr[i],
					     __FILE_NAME__, __LINE__, "MSR",
					     msrs[i], got.msr[i]);
	return bad;
}

static void give_cpu_away(void)
{
	volatile vnr_u32 spin;

	VNR_EXPECT_EQ(vnr_vp_yield(), VNR_STATUS_SUCCESS);
	for (spin = 0; spin < SPIN; spin++)
		;
}

/* The documented initial state (docs/spec/boot.md). */
static void check_initial_state(void)
{
	static const vnr_u8 zero[16 * 16];
	vnr_u64 dr[4] = {read_dr0(), read_dr1(), read_dr2(), read_dr3()};
	vnr_u32 mxcsr;
	vnr_u16 fcw, fsw;

	asm volatile("fxsave64 %0" : "=m"(fxsave_area));
	fcw = *(vnr_u16 *)&fxsave_area[0];
	fsw = *(vnr_u16 *)&fxsave_area[2];
	mxcsr = *(vnr_u32 *)&fxsave_area[24];
	VNR_EXPECT_EQ_AS("initial FCW", fcw, 0x037F);
	VNR_EXPECT_EQ_AS("initial FSW", fsw, 0);
	VNR_EXPECT_EQ_AS("initial MXCSR", mxcsr, 0x1F80);
	VNR_EXPECT(same("initial x87 registers", &fxsave_area[32], zero, 128));
	VNR_EXPECT(same("initial XMM registers", &fxsave_area[160], zero, 256));
	VNR_EXPECT(same("initial DR0-DR3", dr, zero, sizeof(dr)));
	VNR_EXPECT_EQ_AS("initial DR7", read_dr7(), 0x400);
	if (has_xsave)
		VNR_EXPECT_EQ_AS("initial XCR0", xgetbv(), 1);
	if (has_pku)
		VNR_EXPECT_EQ_AS("initial PKRU", rdpkru(), 0);
}

/* The CPU's feature bits, and the control-register mirrors in CPUID. */
static void enable_features(void)
{
	struct vnr_cpuid_regs l1 = vnr_cpuid(1, 0), l7 = vnr_cpuid(7, 0);
	vnr_u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	has_xsave = l1.ecx & LEAF1_ECX_XSAVE;
	has_pku = l7.ecx & LEAF7_ECX_PKU;
	VNR_EXPECT_EQ_AS("CPUID OSXSAVE before CR4.OSXSAVE",
			 l1.ecx & LEAF1_ECX_OSXS, 0);
	if (has_xsave)
		cr4 |= CR4_OSXSAVE;
	if (has_pku)
		cr4 |= CR4_PKE;
	write_cr4(cr4);
	l1 = vnr_cpuid(1, 0);
	l7 = vnr_cpuid(7, 0);
	VNR_EXPECT_EQ_AS("CPUID OSXSAVE mirrors CR4",
			 !!(l1.ecx & LEAF1_ECX_OSXS), has_xsave);
	VNR_EXPECT_EQ_AS("CPUID OSPKE mirrors CR4",
			 !!(l7.ecx & LEAF7_ECX_OSPKE), has_pku);
	has_avx = has_xsave && (l1.ecx & LEAF1_ECX_AVX) &&
		  (vnr_cpuid(0xD, 0).eax & XCR0_AVX);
}

/* XSETBV: refused values raise #GP and leave XCR0 as it was. */
static void check_xsetbv_refusals(void)
{
	static const struct {
		vnr_u32 index;
		vnr_u64 value;
	} bad[] = {
		{0, 0x0},	 /* x87 cleared */
		{0, 0x5},	 /* AVX without SSE */
		{1, 0x3},	 /* no such XCR */
		{0, 1ull << 63}, /* beyond what the CPU has */
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vnr_test_catch(VNR_EXC_GP, 3);
		xsetbv(bad[i].index, bad[i].value);
		VNR_EXPECT_EQ_AS("XSETBV refused with #GP",
				 vnr_test_caught(NULL), VNR_EXC_GP);
		VNR_EXPECT_EQ_AS("XCR0 unchanged", xgetbv(), 1);
	}
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 seed = vnr_cmdline_u64("seed", 1);
	vnr_u64 rounds = vnr_cmdline_u64("rounds", 40), bad = 0;
	struct cpu_state want;

	(void)si;
	vnr_test_begin("cpu_state");
	enable_features();
	check_initial_state();
	if (has_xsave)
		check_xsetbv_refusals();
	xcr0_wide = XCR0_X87_SSE;
	if (seed & 1)
		xcr0_wide |= (has_avx ? XCR0_AVX : 0) |
			     (has_pku && (vnr_cpuid(0xD, 0).eax & XCR0_PKRU)
				      ? XCR0_PKRU
				      : 0);
	vnr_test_note("XSAVE %d AVX %d PKU %d, XCR0 0x%lx, seed %lu", has_xsave,
		      has_avx, has_pku, xcr0_wide, seed);
	seed = seed * 0x9E3779B97F4A7C15ull + 1;
	for (vnr_u64 r = 0; r < rounds; r++) {
		fill(&want, &seed);
		load(&want);
		give_cpu_away();
		bad += compare(&want);
	}
	asm volatile("mov %0, %%cr8" ::"r"(0ull));
	write_dr7(0x400);
	vnr_test_note("rounds=%lu mismatches=%lu", rounds, bad);
	return vnr_test_done();
}
