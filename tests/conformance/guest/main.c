/* SPDX-License-Identifier: MIT */
/*
 * The conformance guest's main program: it records the boot state the
 * checks compare against, enables the hypercall page, runs every check of
 * checks.def in order and prints one line per check, then exits 0.
 */
#include "guest.h"

/* In .data: set before the BSS is checked to be zero as loaded. */
__attribute__((section(".data"))) const struct vnr_start_info *start_info;

/* The MSRs whose boot values the checks compare, read before any check
 * writes one of them. */
struct boot_msr boot_msrs[] = {
	{0x277, 0, 0},	    /* IA32_PAT */
	{0xC0000080, 0, 0}, /* IA32_EFER */
	{0xC0000081, 0, 0}, /* STAR */
	{0xC0000082, 0, 0}, /* LSTAR */
	{0xC0000083, 0, 0}, /* CSTAR */
	{0xC0000084, 0, 0}, /* SFMASK */
	{0xC0000100, 0, 0}, /* FS_BASE */
	{0xC0000101, 0, 0}, /* GS_BASE */
	{0xC0000102, 0, 0}, /* KERNEL_GS_BASE */
	{0x174, 0, 0},	    /* IA32_SYSENTER_CS */
	{0x175, 0, 0},	    /* IA32_SYSENTER_ESP */
	{0x176, 0, 0},	    /* IA32_SYSENTER_EIP */
	{VNR_MSR_GUEST_OS_ID, 0, 0},
	{VNR_MSR_HYPERCALL, 0, 0},
	{VNR_MSR_REFERENCE_TSC_PAGE, 0, 0},
	{VNR_MSR_SCONTROL, 0, 0},
	{VNR_MSR_SIMP, 0, 0},
	{VNR_MSR_SIEFP, 0, 0},
#define SINT(n)                           \
	{                                 \
		VNR_MSR_SINT0 + (n), 0, 0 \
	}
	SINT(0),
	SINT(1),
	SINT(2),
	SINT(3),
	SINT(4),
	SINT(5),
	SINT(6),
	SINT(7),
	SINT(8),
	SINT(9),
	SINT(10),
	SINT(11),
	SINT(12),
	SINT(13),
	SINT(14),
	SINT(15),
#undef SINT
#define STIMER(n)                                  \
	{                                          \
		VNR_MSR_STIMER0_CONFIG + (n), 0, 0 \
	}
	STIMER(0),
	STIMER(1),
	STIMER(2),
	STIMER(3),
	STIMER(4),
	STIMER(5),
	STIMER(6),
	STIMER(7),
#undef STIMER
};
const int boot_msr_count = sizeof(boot_msrs) / sizeof(boot_msrs[0]);
int boot_mxcsr_valid, boot_xcr0_valid;
u32 boot_mxcsr;
u64 boot_xcr0;
int boot_vmcall_vector, boot_vmmcall_vector;
int boot_bss_nonzero;
u64 boot_ram_nonzero;

struct check {
	const char *id; /* AREA_NNN */
	enum result (*run)(void);
};

static const struct check checks[] = {
#define CHECK(id, section, statement) {#id, check_##id},
#define RUNNER_CHECK(id, section, statement)
#define UNCHECKED(section, statement)
#include "../checks.def"
#undef CHECK
#undef RUNNER_CHECK
#undef UNCHECKED
};

static char detail[DETAIL_MAX];

static enum result with_detail(enum result r, const char *fmt, va_list ap)
{
	format(detail, sizeof(detail), fmt, ap);
	return r;
}

enum result fail(const char *fmt, ...)
{
	va_list ap;
	enum result r;

	va_start(ap, fmt);
	r = with_detail(FAIL, fmt, ap);
	va_end(ap);
	return r;
}

enum result unsupported(const char *fmt, ...)
{
	va_list ap;
	enum result r;

	va_start(ap, fmt);
	r = with_detail(UNSUPPORTED, fmt, ap);
	va_end(ap);
	return r;
}

const struct boot_msr *boot_msr(u32 index)
{
	int i;

	for (i = 0; i < boot_msr_count; i++)
		if (boot_msrs[i].index == index)
			return &boot_msrs[i];
	print_line("CONFORMANCE FATAL MSR %x has no boot value", index);
	partition_exit(1);
}

/* Finds the first non-zero byte of the BSS and of the memory map's free
 * RAM, before the suite writes any of either. */
static void scan_zero_memory(void)
{
	const u8 *p;
	u32 i;

	for (p = (const u8 *)__bss_start; p < (const u8 *)__bss_end; p++)
		if (*p) {
			boot_bss_nonzero =
				(int)(p - (const u8 *)__bss_start) + 1;
			break;
		}
	for (i = 0;
	     i < start_info->memmap_count && i < VNR_START_INFO_MEMMAP_MAX;
	     i++) {
		const struct vnr_memmap_entry *e = &start_info->memmap[i];
		u64 gpa;

		if (e->type != VNR_MEM_RAM)
			continue;
		/* Page 0 included: a null pointer reads it, nothing writes. */
		for (gpa = e->base; gpa < e->base + e->length; gpa += 8)
			if (*(const volatile u64 *)gpa) {
				boot_ram_nonzero = gpa + 1;
				return;
			}
	}
}

/* MXCSR needs CR4.OSFXSR and XCR0 CR4.OSXSAVE, both clear at entry:
 * setting them changes neither register. */
static void read_vector_state(void)
{
	u32 r[4];
	u64 cr4;

	cpuid(1, 0, r);
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (r[3] & (1u << 25)) { /* SSE */
		cr4 |= 1u << 9;	 /* OSFXSR */
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
		__asm__ volatile("stmxcsr %0" : "=m"(boot_mxcsr));
		boot_mxcsr_valid = 1;
	}
	if (r[2] & (1u << 26)) { /* XSAVE */
		u32 lo, hi;

		cr4 |= 1u << 18; /* OSXSAVE */
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		boot_xcr0 = ((u64)hi << 32) | lo;
		boot_xcr0_valid = 1;
	}
}

static void record_boot_state(void)
{
	u64 ignored;
	int i;

	scan_zero_memory();
	idt_install();
	read_vector_state();
	for (i = 0; i < boot_msr_count; i++)
		boot_msrs[i].vector =
			rdmsr_probe(boot_msrs[i].index, &boot_msrs[i].value);
	boot_vmcall_vector = vendor_call_probe(1, &ignored);
	boot_vmmcall_vector = vendor_call_probe(0, &ignored);
}

static void report(const char *id, enum result r)
{
	static const char *const names[] = {"PASS", "FAIL", "UNSUPPORTED"};
	char printed[16];
	int i;

	for (i = 0; id[i] && i < (int)sizeof(printed) - 1; i++)
		printed[i] = id[i] == '_' ? '-' : id[i];
	printed[i] = 0;
	print_line("CONFORMANCE %s %s%s%s", printed, names[r],
		   detail[0] ? " " : "", detail);
}

void conformance_main(const struct vnr_start_info *info);

void conformance_main(const struct vnr_start_info *info)
{
	/* The bytes LOG-002 expects the console to filter: TAB kept, CR
	 * dropped, ESC, DEL and a C1 control (0x9B) as '?'. */
	static const char filter[] = "CONFORMANCE FILTER a\tb\x1b\x7f\x9b\r|\n";
	unsigned long i;

	start_info = info;
	record_boot_state();
	if (hypercall_enable(hypercall_page))
		partition_exit(1); /* nothing can be reported */
	print_line("CONFORMANCE BEGIN %u checks, ABI %u.%u",
		   (u32)(sizeof(checks) / sizeof(checks[0])), VNR_ABI_MAJOR,
		   VNR_ABI_MINOR);
	debug_write(filter, sizeof(filter) - 1);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		enum result r;

		detail[0] = 0;
		r = checks[i].run();
		report(checks[i].id, r);
	}
	print_line("CONFORMANCE DONE");
	partition_exit(0);
}
