/* SPDX-License-Identifier: MIT */
/*
 * x86 instructions the hypervisor uses, as inline functions: libvnr's
 * (CPUID, MSRs, TSC, stopping the CPU) and the hypervisor's own.
 */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <hv/types.h>
#include <libvnr/x86/cpu.h>

#define MSR_TSC		       0x00000010u
#define MSR_APIC_BASE	       0x0000001Bu
#define MSR_PAT		       0x00000277u
#define MSR_X2APIC_ICR	       0x00000830u
#define MSR_EFER	       0xC0000080u
#define MSR_K8_INT_PENDING_MSG 0xC0010055u
#define MSR_VM_CR	       0xC0010114u
#define MSR_VM_HSAVE_PA	       0xC0010117u

#define EFER_SCE	       (1ull << 0)
#define EFER_LME	       (1ull << 8)
#define EFER_LMA	       (1ull << 10)
#define EFER_NXE	       (1ull << 11)

#define RFLAGS_IF	       (1ull << 9)

#define CR4_OSXSAVE	       (1ull << 18)

/*
 * RDMSR and WRMSR of an MSR the CPU may not implement (msr_safe.S): false,
 * having changed nothing, where the CPU raises #GP.
 */
bool x86_rdmsr_safe(u32 msr, u64 *value);
bool x86_wrmsr_safe(u32 msr, u64 value);

#ifdef HV_HOSTED
/*
 * Built hosted (tests/unit), port I/O is the test's: the test that builds
 * a file using it defines these, a fake of the ports that file reaches.
 */
void outb(u16 port, u8 v);
void outw(u16 port, u16 v);
void outl(u16 port, u32 v);
u16 inw(u16 port);
u32 inl(u16 port);
u8 inb(u16 port);
#else
static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
#endif

/* CR4 (CR2 and CR3 come from libvnr); CPL 0. */
static inline u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u64 v)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}

static inline void cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

#endif /* X86_CPU_H */
