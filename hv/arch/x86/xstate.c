/* SPDX-License-Identifier: MIT */
/*
 * Extended processor state per VP.  The hypervisor itself is built with
 * -mgeneral-regs-only and never executes an x87, SSE or AVX instruction
 * outside this file, so the CPU's extended state always belongs to the VP
 * that ran last and is switched only when another VP is about to run:
 * XSAVE of the old one and XRSTOR of the new one, each with every
 * component the CPU has (the guest's own XCR0 may hide components it used
 * earlier), then the new VP's XCR0.  CPUs without XSAVE use FXSAVE.
 */
#include <hv/log.h>
#include <hv/page_alloc.h>
#include <hv/string.h>
#include "cpu.h"
#include "vendor.h"
#include "vp_state.h"
#include "xstate.h"

#define CR4_OSFXSR	 (1ull << 9)
#define CR4_OSXMMEXCPT	 (1ull << 10)
#define LEAF1_ECX_XSAVE	 (1u << 26)
#define XCR0_X87	 (1ull << 0)
#define XCR0_SSE	 (1ull << 1)
#define XCR0_AVX	 (1ull << 2)
#define XCR0_BNDREGS	 (1ull << 3)
#define XCR0_BNDCSR	 (1ull << 4)
#define XCR0_AVX512	 (7ull << 5)  /* opmask, ZMM_Hi256, Hi16_ZMM */
#define XCR0_TILE	 (3ull << 17) /* TILECFG, TILEDATA */
#define FXSAVE_AREA_SIZE 512
#define FXSAVE_FCW	 0 /* offsets in the legacy area */
#define FXSAVE_MXCSR	 24
#define FCW_INIT	 0x037F
#define MXCSR_INIT	 0x1F80
#define EXT8_EBX_ERR_PTR (1u << 2) /* FXSAVE always saves FIP/FDP/FOP */

static bool have_xsave;
static bool clear_x87_pointers;
static u64 host_xcr0; /* every user component the CPU has */
static u32 area_pages;

static inline void xsetbv(u32 index, u64 value)
{
	__asm__ volatile("xsetbv" ::"c"(index), "a"((u32)value),
			 "d"((u32)(value >> 32))
			 : "memory");
}

static void write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

void xstate_init(void)
{
	u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	struct vnr_cpuid_regs d;
	u32 size = FXSAVE_AREA_SIZE;

	have_xsave = vnr_cpuid(1, 0).ecx & LEAF1_ECX_XSAVE;
	if (have_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (have_xsave) {
		d = vnr_cpuid(0xD, 0);
		host_xcr0 = ((u64)d.edx << 32) | d.eax;
		xsetbv(0, host_xcr0);
		size = vnr_cpuid(0xD, 0).ebx; /* for host_xcr0, now in effect */
	}
	area_pages = (u32)((size + PAGE_SIZE - 1) / PAGE_SIZE);
	/*
	 * Some AMD CPUs save the x87 instruction and data pointers only when
	 * an exception is pending: without a load of our own in between, the
	 * next VP would read the previous VP's pointers.
	 */
	clear_x87_pointers = vnr_cpuid(0, 0).ebx == 0x68747541 &&
			     !(vnr_cpuid(0x80000008, 0).ebx & EXT8_EBX_ERR_PTR);
	hv_log("extended state: %s, XCR0 0x%llx, %u bytes per VP\n",
	       have_xsave ? "XSAVE" : "FXSAVE", (unsigned long long)host_xcr0,
	       size);
}

int xstate_vp_init(struct x86_vp_state *s, struct hv_pool_account *a)
{
	u8 *area = page_alloc_charged(a, area_pages);

	if (!area)
		return -1;
	/*
	 * An XSAVE header of zeros puts every component in its initial
	 * state (x87 as after FNINIT, vector registers zero); MXCSR and, for
	 * FXRSTOR, the x87 control word come from the legacy area.
	 */
	*(u16 *)(area + FXSAVE_FCW) = FCW_INIT;
	*(u32 *)(area + FXSAVE_MXCSR) = MXCSR_INIT;
	s->xsave_area = area;
	s->xcr0 = XCR0_X87;
	return 0;
}

void xstate_vp_destroy(struct x86_vp_state *s, struct hv_pool_account *a)
{
	for (u32 i = 0; i < area_pages; i++)
		page_free_charged(a, (u8 *)s->xsave_area + (u64)i * PAGE_SIZE);
	s->xsave_area = NULL;
}

void xstate_adopt_cpu(struct x86_vp_state *s, u64 xcr0)
{
	s->xcr0 = xcr0;
	if (have_xsave)
		xsetbv(0, xcr0);
}

static inline u64 xgetbv(u32 index)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((u64)hi << 32) | lo;
}

static void save(struct x86_vp_state *s)
{
	if (have_xsave)
		__asm__ volatile("xsave64 %0"
				 : "=m"(*(u8 *)s->xsave_area)
				 : "a"((u32)host_xcr0),
				   "d"((u32)(host_xcr0 >> 32))
				 : "memory");
	else
		__asm__ volatile("fxsave64 %0"
				 : "=m"(*(u8 *)s->xsave_area)::"memory");
}

static void restore(const struct x86_vp_state *s)
{
	static const u32 zero;

	if (clear_x87_pointers)
		__asm__ volatile("fnclex; emms; fildl %0" ::"m"(zero));
	if (have_xsave)
		__asm__ volatile(
			"xrstor64 %0" ::"m"(*(const u8 *)s->xsave_area),
			"a"((u32)host_xcr0), "d"((u32)(host_xcr0 >> 32))
			: "memory");
	else
		__asm__ volatile(
			"fxrstor64 %0" ::"m"(*(const u8 *)s->xsave_area)
			: "memory");
}

/*
 * The old VP's XCR0 is read back rather than taken from the last XSETBV
 * exit: an emulator without the XSETBV intercept lets a guest write it
 * directly.  Saving and restoring run with every component enabled.
 */
void xstate_switch_to(struct x86_vp_state *from, struct x86_vp_state *to)
{
	if (have_xsave) {
		if (from)
			from->xcr0 = xgetbv(0);
		xsetbv(0, host_xcr0);
	}
	if (from)
		save(from);
	restore(to);
	if (have_xsave)
		xsetbv(0, to->xcr0);
}

/* The rules of XSETBV for XCR0 (SDM vol. 1 13.3, APM vol. 2 11.5.2). */
static bool valid_xcr0(u64 v)
{
	if (!(v & XCR0_X87) || (v & ~host_xcr0))
		return false;
	if ((v & XCR0_AVX) && !(v & XCR0_SSE))
		return false;
	if ((v & XCR0_AVX512) &&
	    ((v & XCR0_AVX512) != XCR0_AVX512 || !(v & XCR0_AVX)))
		return false;
	if (!(v & XCR0_BNDREGS) != !(v & XCR0_BNDCSR))
		return false;
	return (v & XCR0_TILE) == 0 || (v & XCR0_TILE) == XCR0_TILE;
}

bool xstate_guest_xsetbv(struct x86_vp_state *s, u32 index, u64 value)
{
	if (!have_xsave || index != 0 || !valid_xcr0(value))
		return false;
	s->xcr0 = value;
	xsetbv(0, value);
	return true;
}
