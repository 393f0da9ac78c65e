/* SPDX-License-Identifier: MIT */
/*
 * The conformance guest's runtime: IDT and trap handler, fault probes,
 * the hypercall wrapper, DEBUG_WRITE output and the few library functions
 * a freestanding image needs.
 */
#include "guest.h"

/* The frame isr.S builds: its pushes in reverse, then the processor's. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

void trap_entry(struct trap_frame *frame);

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type; /* 0x8E: present, DPL 0, 64-bit interrupt gate */
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
};

extern const u64 isr_table[32];
extern const u64 isr_sint;

static struct idt_gate idt[256] __attribute__((aligned(16)));
u8 hypercall_page[4096] __attribute__((aligned(4096)));
u8 scratch[4][4096] __attribute__((aligned(4096)));
static struct vnr_debug_write_input out __attribute__((aligned(4096)));
static u8 *page;
volatile u32 sint_interrupts;

/* The probe in progress: the length of its instruction (0: none) and the
 * vector the instruction raised. */
static volatile u64 probe_length;
static volatile int probe_vector;

static void set_gate(int vector, u64 handler, u16 cs)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = (u16)handler;
	g->selector = cs;
	g->ist = 0;
	g->type = 0x8E;
	g->offset_mid = (u16)(handler >> 16);
	g->offset_high = (u32)(handler >> 32);
	g->reserved = 0;
}

void idt_install(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (u64)idt};
	u16 cs;
	int v;

	/* The gates name the code segment the guest runs in, whichever the
	 * boot GDT gave it. */
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (v = 0; v < 32; v++)
		set_gate(v, isr_table[v], cs);
	set_gate(SINT_VECTOR, isr_sint, cs);
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

void trap_entry(struct trap_frame *frame)
{
	if (frame->vector == SINT_VECTOR) {
		sint_interrupts++;
		wrmsr(VNR_MSR_EOI, 0);
		return;
	}
	if (probe_length) {
		probe_vector = (int)frame->vector;
		frame->rip += probe_length;
		probe_length = 0;
		return;
	}
	print_line("CONFORMANCE FATAL exception %u (error %lx) at RIP %lx",
		   (u32)frame->vector, frame->error, frame->rip);
	partition_exit(1);
}

/* Arms a probe of an instruction of length bytes. */
static void probe_arm(u64 length)
{
	probe_vector = 0;
	probe_length = length;
	__asm__ volatile("" : : : "memory");
}

/* Ends the probe; returns the vector its instruction raised, 0 if none. */
static int probe_end(void)
{
	__asm__ volatile("" : : : "memory");
	probe_length = 0;
	return probe_vector;
}

int rdmsr_probe(u32 msr, u64 *value)
{
	u32 lo, hi;
	int vector;

	probe_arm(2); /* 0F 32 */
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	vector = probe_end();
	if (!vector && value)
		*value = ((u64)hi << 32) | lo;
	return vector;
}

int wrmsr_probe(u32 msr, u64 value)
{
	probe_arm(2); /* 0F 30 */
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((u32)value), "d"((u32)(value >> 32))
			 : "memory");
	return probe_end();
}

int vendor_call_probe(int intel, u64 *rax)
{
	u64 result = ~0ull, control = fast(VNR_CALL_NULL_CALL);

	probe_arm(3);
	if (intel)
		__asm__ volatile(".byte 0x0f, 0x01, 0xc1" /* VMCALL */
				 : "+a"(result), "+c"(control)
				 :
				 : "rdx", "r8", "memory");
	else
		__asm__ volatile(".byte 0x0f, 0x01, 0xd9" /* VMMCALL */
				 : "+a"(result), "+c"(control)
				 :
				 : "rdx", "r8", "memory");
	*rax = result;
	return probe_end();
}

u64 rdmsr(u32 msr)
{
	u64 value = 0;
	int vector = rdmsr_probe(msr, &value);

	if (vector) {
		print_line("CONFORMANCE FATAL RDMSR %x raised %d", msr, vector);
		partition_exit(1);
	}
	return value;
}

void wrmsr(u32 msr, u64 value)
{
	int vector = wrmsr_probe(msr, value);

	if (vector) {
		print_line("CONFORMANCE FATAL WRMSR %x <- %lx raised %d", msr,
			   value, vector);
		partition_exit(1);
	}
}

void cpuid(u32 leaf, u32 subleaf, u32 r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(subleaf));
}

u32 features(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_FEATURES, 0, r);
	return r[0];
}

u32 privileges(void)
{
	u32 r[4];

	cpuid(VNR_CPUID_LEAF_FEATURES, 0, r);
	return r[1];
}

int hypercall_enable(void *at)
{
	int vector =
		wrmsr_probe(VNR_MSR_HYPERCALL, (u64)at | VNR_HYPERCALL_ENABLE);

	if (!vector)
		page = at;
	return vector;
}

u64 hc(u64 control, u64 in_rdx, u64 in_r8, u64 *out_rdx, u64 *out_r8)
{
	register u64 r8 __asm__("r8") = in_r8;
	u64 rax;

	/* The page's RET returns here; RCX, RDX and R8 are outputs because
	 * a call may change them (a rep call's rep start, fast outputs). */
	__asm__ volatile("call *%[page]"
			 : "=a"(rax), "+c"(control), "+d"(in_rdx), "+r"(r8)
			 : [page] "r"(page)
			 : "memory", "cc");
	if (out_rdx)
		*out_rdx = in_rdx;
	if (out_r8)
		*out_r8 = r8;
	return rax;
}

void partition_exit(u64 status)
{
	for (;;)
		hc(fast(VNR_CALL_PARTITION_EXIT), status, 0, 0, 0);
}

enum vnr_status debug_write(const void *bytes, u32 length)
{
	out.length = length;
	out.reserved = 0;
	memcpy(out.data, bytes, length);
	return vnr_hc_status(
		hc(memcall(VNR_CALL_DEBUG_WRITE), (u64)&out, 0, 0, 0));
}

void print_line(const char *fmt, ...)
{
	char line[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format(line, (int)sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	debug_write(line, (u32)n);
}

static int put_number(char *buf, int size, int n, u64 value, int base,
		      int negative, int width, char pad)
{
	char digits[24];
	int count = 0;

	do {
		digits[count++] = "0123456789abcdef"[value % (u64)base];
		value /= (u64)base;
	} while (value);
	if (negative)
		digits[count++] = '-';
	while (width-- > count && n < size - 1)
		buf[n++] = pad;
	while (count && n < size - 1)
		buf[n++] = digits[--count];
	return n;
}

int format(char *buf, int size, const char *fmt, va_list ap)
{
	int n = 0;

	for (; *fmt && n < size - 1; fmt++) {
		int longs = 0, width = 0;
		char pad = ' ';
		u64 value;

		if (*fmt != '%') {
			buf[n++] = *fmt;
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (*s && n < size - 1)
				buf[n++] = *s++;
			break;
		}
		case 'c':
			buf[n++] = (char)va_arg(ap, int);
			break;
		case 'd': {
			long long v =
				longs ? va_arg(ap, long long) : va_arg(ap, int);

			n = put_number(buf, size, n, v < 0 ? -(u64)v : (u64)v,
				       10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
			value = longs ? va_arg(ap, u64) : va_arg(ap, u32);
			n = put_number(buf, size, n, value,
				       *fmt == 'x' ? 16 : 10, 0, width, pad);
			break;
		default:
			buf[n++] = *fmt ? *fmt : '%';
			if (!*fmt)
				fmt--;
			break;
		}
	}
	buf[n] = 0;
	return n;
}

u64 cmdline_number(const char *key, u64 def)
{
	const char *s = start_info->cmdline;
	unsigned long len = strlen(key);

	while (*s) {
		while (*s == ' ')
			s++;
		if (!memcmp(s, key, len) && s[len] == '=') {
			u64 v = 0;

			for (s += len + 1; *s >= '0' && *s <= '9'; s++)
				v = v * 10 + (u64)(*s - '0');
			return v;
		}
		while (*s && *s != ' ')
			s++;
	}
	return def;
}

void *memset(void *dst, int c, unsigned long n)
{
	u8 *d = dst;

	while (n--)
		*d++ = (u8)c;
	return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

u32 hc_clobbered(u64 *result)
{
	static const u64 pattern = 0x5a5a000000000000ull;
	register u64 r8 __asm__("r8") = pattern | 8;
	register u64 r9 __asm__("r9") = pattern | 9;
	register u64 r10 __asm__("r10") = pattern | 10;
	register u64 r11 __asm__("r11") = pattern | 11;
	register u64 r12 __asm__("r12") = pattern | 12;
	register u64 r13 __asm__("r13") = pattern | 13;
	register u64 r14 __asm__("r14") = pattern | 14;
	register u64 r15 __asm__("r15") = pattern | 15;
	u64 rax, rcx = fast(VNR_CALL_NULL_CALL), rdx = pattern | 2;
	u64 rbx = pattern | 3, rsi = pattern | 6, rdi = pattern | 7;
	u64 rsp_before, rsp_after;
	u32 bad = 0;

	/* Every register but RAX is an input and an output, so the compiler
	 * keeps nothing of its own in them across the call; the page's
	 * address comes from memory. */
	__asm__ volatile(
		"mov %%rsp, %[before]\n\t"
		"call *%[page]\n\t"
		"mov %%rsp, %[after]"
		: "=a"(rax), "+c"(rcx), "+d"(rdx), "+b"(rbx), "+S"(rsi),
		  "+D"(rdi), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11),
		  "+r"(r12), "+r"(r13), "+r"(r14),
		  "+r"(r15), [before] "=m"(rsp_before), [after] "=m"(rsp_after)
		: [page] "m"(page)
		: "memory", "cc");
	*result = rax;
	bad |= (rcx != fast(VNR_CALL_NULL_CALL)) << 1;
	bad |= (rdx != (pattern | 2)) << 2;
	bad |= (rbx != (pattern | 3)) << 3;
	bad |= (rsp_before != rsp_after) << 4;
	bad |= (rsi != (pattern | 6)) << 6;
	bad |= (rdi != (pattern | 7)) << 7;
	bad |= (r8 != (pattern | 8)) << 8;
	bad |= (r9 != (pattern | 9)) << 9;
	bad |= (r10 != (pattern | 10)) << 10;
	bad |= (r11 != (pattern | 11)) << 11;
	bad |= (r12 != (pattern | 12)) << 12;
	bad |= (r13 != (pattern | 13)) << 13;
	bad |= (r14 != (pattern | 14)) << 14;
	bad |= (r15 != (pattern | 15)) << 15;
	return bad;
}
