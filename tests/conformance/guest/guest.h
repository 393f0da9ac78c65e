/* SPDX-License-Identifier: MIT */
/*
 * The conformance guest's own runtime: built on the public ABI headers
 * alone, with its own entry code, IDT, hypercall wrapper and output, so
 * that what it checks is the hypervisor and nothing of the SDK.
 */
#ifndef CONFORMANCE_GUEST_H
#define CONFORMANCE_GUEST_H

#include <stdarg.h>
#include <veneer/types.h>
#include <veneer/version.h>
#include <veneer/status.h>
#include <veneer/privileges.h>
#include <veneer/calls.h>
#include <veneer/hypercall.h>
#include <veneer/cpuid.h>
#include <veneer/msr.h>
#include <veneer/boot.h>
#include <veneer/info.h>
#include <veneer/synic.h>
#include <veneer/ipc.h>

#include "entry_state.h"
#include "vectors.h"

typedef vnr_u8 u8;
typedef vnr_u16 u16;
typedef vnr_u32 u32;
typedef vnr_u64 u64;

enum result { PASS, FAIL, UNSUPPORTED };

/* One prototype per check of checks.def: a check without a body is a link
 * error, a body without a line a missing-prototype error. */
#define CHECK(id, section, statement) enum result check_##id(void);
#define RUNNER_CHECK(id, section, statement)
#define UNCHECKED(section, statement)
#include "../checks.def"
#undef CHECK
#undef RUNNER_CHECK
#undef UNCHECKED

/*
 * Sets the detail printed after the result of the running check and
 * returns FAIL or UNSUPPORTED, so that a check ends with
 * "return fail(...)".  The detail is at most DETAIL_MAX - 1 bytes.
 */
#define DETAIL_MAX 120
enum result fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
enum result unsupported(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Formats into buf (size bytes, NUL-terminated; output past it is cut):
 * %s %c %d %u %x with the l and ll modifiers, a 0 flag and a width.
 * Returns the length written.
 */
int format(char *buf, int size, const char *fmt, va_list ap);

/* Prints one line (a newline is added) through DEBUG_WRITE. */
void print_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes length bytes as they are through DEBUG_WRITE; returns the status. */
enum vnr_status debug_write(const void *bytes, u32 length);

/* The boot state: registers saved by start.S, the start info RDI gave. */
extern u64 entry_state[ES_COUNT];
extern const struct vnr_start_info *start_info;

/*
 * What the suite reads before it changes anything (main.c): boot values of
 * MSRs whose checks come later, what a probe of them raised (0: nothing)
 * and what the hypercall instructions did while the page was disabled.
 */
struct boot_msr {
	u32 index;
	u64 value;
	int vector;
};
extern struct boot_msr boot_msrs[];
extern const int boot_msr_count;
extern int boot_mxcsr_valid, boot_xcr0_valid;
extern u32 boot_mxcsr;
extern u64 boot_xcr0;
extern int boot_vmcall_vector, boot_vmmcall_vector;
extern int boot_bss_nonzero; /* offset + 1 of a non-zero BSS byte */
extern u64 boot_ram_nonzero; /* GPA + 1 of a non-zero free RAM byte */
/* Returns the boot_msrs entry of index (it must be one of them). */
const struct boot_msr *boot_msr(u32 index);

/* Linker symbols of the image (link.ld). */
extern char __image_start[], __image_end[], __bss_start[], __bss_end[];

/* CPUID leaf/subleaf into r[0..3] = EAX, EBX, ECX, EDX. */
void cpuid(u32 leaf, u32 subleaf, u32 r[4]);
/* The Veneer feature bits and this partition's privileges (CPUID). */
u32 features(void);
u32 privileges(void);

/*
 * Fault probes: each executes one instruction whose length the probe
 * knows; an exception it raises is recorded by the trap handler, which
 * resumes after the instruction.  They return the vector raised, 0 if
 * none.  rdmsr_probe stores the value read only when nothing was raised.
 */
int rdmsr_probe(u32 msr, u64 *value);
int wrmsr_probe(u32 msr, u64 value);
/* Executes VMCALL (intel != 0) or VMMCALL with RCX = a NULL_CALL control
 * word; returns the vector raised (0: none) and the result in *rax. */
int vendor_call_probe(int intel, u64 *rax);
/* RDMSR and WRMSR that must not fault: a fault ends the suite. */
u64 rdmsr(u32 msr);
void wrmsr(u32 msr, u64 value);
static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* Installs the IDT (idt.c); from then on exceptions reach trap_entry(). */
void idt_install(void);
/* Counts SINT_VECTOR interrupts; the handler writes EOI after each. */
extern volatile u32 sint_interrupts;

/*
 * Enables the hypercall page at the GPA of page (4 KiB-aligned guest RAM)
 * and makes it the page hc() calls; returns the #GP the write raised (0).
 */
int hypercall_enable(void *page);
extern u8 hypercall_page[4096];

/*
 * Makes a hypercall through the enabled page: control in RCX, in_rdx in
 * RDX and in_r8 in R8.  Returns RAX; *out_rdx and *out_r8 (either may be
 * NULL) get RDX and R8 as the call left them.
 */
u64 hc(u64 control, u64 in_rdx, u64 in_r8, u64 *out_rdx, u64 *out_r8);
/* A fast call's and a memory call's control word, with no reps. */
static inline u64 fast(enum vnr_call_code code)
{
	return vnr_hc_control(code, 1, 0, 0);
}
static inline u64 memcall(enum vnr_call_code code)
{
	return vnr_hc_control(code, 0, 0, 0);
}
/*
 * Makes a NULL_CALL with every general-purpose register but RAX and RBP
 * set to a known value; returns a mask of the registers the call changed
 * (bit n: register n in the order RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
 * R8-R15) and the result word in *result.
 */
u32 hc_clobbered(u64 *result);
/* Ends the partition with PARTITION_EXIT(status); never returns. */
void partition_exit(u64 status) __attribute__((noreturn));
/* A page-aligned buffer of the suite's BSS for call inputs and outputs. */
extern u8 scratch[4][4096];

/* Compiler-visible memory functions (a freestanding build may call them). */
void *memset(void *dst, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);

/* A number from the command line's "key=N" word; def when there is none. */
u64 cmdline_number(const char *key, u64 def);

/* The reference time, from VNR_MSR_REFERENCE_TIME. */
static inline u64 now(void)
{
	return rdmsr(VNR_MSR_REFERENCE_TIME);
}

#endif /* CONFORMANCE_GUEST_H */
