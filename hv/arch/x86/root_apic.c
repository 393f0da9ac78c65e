/* SPDX-License-Identifier: MIT */
/*
 * Root mode with withheld CPUs: the root must not start them.  A CPU is
 * started with INIT and STARTUP IPIs sent through the local APIC's
 * interrupt command register, so once the firmware has parked the other
 * CPUs (with those IPIs, when boot services end: the root's loader tells
 * the hypervisor, root_loader.c) the root's APIC page is mapped read-only
 * (reads reach the APIC, each write exits and is done here) and the
 * x2APIC ICR MSR is intercepted.  Every IPI but INIT, STARTUP and an NMI
 * to another CPU is sent as the root wrote it; those are dropped and
 * logged.  The cost, an exit per APIC write (EOIs among them), is paid
 * only on a machine with CPUs withheld; with an x2APIC root only ICR
 * writes exit.
 *
 * The writes are decoded from the instruction: MOV r/m32, r32 (89 /r) and
 * MOV r/m32, imm32 (C7 /0), the forms compilers emit for a 32-bit store,
 * at the start of a register (every 16 bytes; some APICs decode only the
 * register number, so a write inside one may reach it); any other write
 * to the page raises #GP(0).
 */
#include <hv/log.h>
#include "cpu.h"
#include "root_exit.h"

#define APIC_BASE_ADDR	 0x000FFFFFFFFFF000ull
#define APIC_BASE_EXTD	 (1ull << 10)
#define REG_ICR_LOW	 0x300
#define REG_ALIGN	 16 /* APIC registers: 16-byte aligned, 32 bits */
#define ICR_MODE(v)	 (((v) >> 8) & 7)
#define ICR_MODE_NMI	 4
#define ICR_MODE_INIT	 5
#define ICR_MODE_STARTUP 6
#define ICR_TO_SELF(v)	 ((((v) >> 18) & 3) == 1)
#define INSN_MAX	 15

static u64 apic_page; /* 0: the root's CPU starts are not guarded */
static u64 refused, undecoded;

int root_apic_guard(struct hv_partition *root)
{
	u64 page = vnr_rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR;

	if (apic_page)
		return 0;
	if (arch_unmap_gpa(root, page, PAGE_SIZE) ||
	    arch_map_gpa(root, page, page, PAGE_SIZE, false))
		return -1;
	vendor_root_intercept_msr_write(root, MSR_X2APIC_ICR);
	apic_page = page;
	hv_log("root: boot services ended; INIT and STARTUP IPIs refused "
	       "from now on\n");
	return 0;
}

bool root_apic_guarded(u64 gpa)
{
	return apic_page && (gpa & ~(PAGE_SIZE - 1)) == apic_page;
}

/*
 * An INIT or STARTUP IPI, or an NMI to another CPU (a parked CPU takes it
 * through the firmware's IDT, which is the root's memory): dropped,
 * logged (first, then at 2, 4, 8...).  The root's NMIs to itself pass.
 */
static bool starts_a_cpu(u64 icr)
{
	u32 mode = (u32)ICR_MODE(icr);

	if (mode != ICR_MODE_INIT && mode != ICR_MODE_STARTUP &&
	    (mode != ICR_MODE_NMI || ICR_TO_SELF(icr)))
		return false;
	if (root_log_due(&refused))
		hv_log("root: %s IPI (ICR 0x%llx) refused: its other CPUs are "
		       "withheld, %llu so far\n",
		       mode == ICR_MODE_INIT  ? "INIT"
		       : mode == ICR_MODE_NMI ? "NMI"
					      : "STARTUP",
		       (unsigned long long)icr, (unsigned long long)refused);
	return true;
}

bool root_apic_icr_msr_write(u64 value)
{
	if (!(vnr_rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD))
		return false; /* not in x2APIC mode: the MSR does not exist */
	if (!starts_a_cpu(value))
		vnr_wrmsr(MSR_X2APIC_ICR, value);
	return true;
}

/* The general registers in the order of their encoding in ModRM.reg. */
static const enum hv_reg encoded_reg[16] = {
	HV_REG_RAX, HV_REG_RCX, HV_REG_RDX, HV_REG_RBX, HV_REG_RSP, HV_REG_RBP,
	HV_REG_RSI, HV_REG_RDI, HV_REG_R8,  HV_REG_R9,	HV_REG_R10, HV_REG_R11,
	HV_REG_R12, HV_REG_R13, HV_REG_R14, HV_REG_R15,
};

/* The displacement bytes of a ModRM (and SIB) memory operand. */
static u32 displacement_size(u8 modrm, u8 sib)
{
	u32 mod = modrm >> 6, rm = modrm & 7;

	if (mod == 1)
		return 1;
	if (mod == 2 || (mod == 0 && rm == 5))
		return 4;
	if (mod == 0 && rm == 4 && (sib & 7) == 5)
		return 4;
	return 0;
}

/* The value and length of a 32-bit MOV store, false for anything else. */
static bool decode_store(struct hv_vp *vp, const u8 *b, u32 n, u32 *value,
			 u32 *len)
{
	u32 i = 0;
	u8 rex = 0, op, modrm, sib = 0;

	while (i < n && (b[i] == 0x2E || b[i] == 0x3E || b[i] == 0x26 ||
			 b[i] == 0x36 || b[i] == 0x64 || b[i] == 0x65))
		i++;
	if (i < n && (b[i] & 0xF0) == 0x40)
		rex = b[i++];
	if (i + 2 > n || (rex & 0x8))
		return false; /* a 64-bit store is not an APIC write */
	op = b[i++];
	modrm = b[i++];
	if ((modrm >> 6) == 3 ||
	    (op != 0x89 && !(op == 0xC7 && !(modrm & 0x38))))
		return false;
	if ((modrm & 7) == 4) {
		if (i >= n)
			return false;
		sib = b[i++];
	}
	i += displacement_size(modrm, sib);
	if (op == 0x89) {
		enum hv_reg reg =
			encoded_reg[((modrm >> 3) & 7) | ((rex & 0x4) ? 8 : 0)];

		*value =
			(u32)(reg == HV_REG_RSP ? vendor_get_reg(vp, HV_REG_RSP)
						: vp->regs[reg]);
	} else {
		if (i + 4 > n)
			return false;
		*value = (u32)b[i] | (u32)b[i + 1] << 8 | (u32)b[i + 2] << 16 |
			 (u32)b[i + 3] << 24;
		i += 4;
	}
	*len = i;
	return i <= n;
}

void root_apic_write(struct hv_vp *vp, const struct x86_exit *e)
{
	u32 offset = (u32)(e->qualification & (PAGE_SIZE - 1)), value, len;
	u8 bytes[INSN_MAX];
	u32 n = vendor_read_instruction(vp, bytes, sizeof(bytes));

	/* A write inside a register but not at its start may reach it. */
	if (!decode_store(vp, bytes, n, &value, &len) ||
	    (offset & (REG_ALIGN - 1))) {
		if (root_log_due(&undecoded))
			hv_log("root: write to its local APIC at offset 0x%x, "
			       "RIP 0x%llx, not a 32-bit store to a register: "
			       "#GP, %llu so far\n",
			       offset,
			       (unsigned long long)vendor_get_reg(vp,
								  HV_REG_RIP),
			       (unsigned long long)undecoded);
		vendor_inject_exception(vp, X86_VECTOR_GP, true, 0);
		return;
	}
	if (offset != REG_ICR_LOW || !starts_a_cpu(value))
		*(volatile u32 *)(uintptr_t)(apic_page + offset) = value;
	vendor_set_reg(vp, HV_REG_RIP, vendor_get_reg(vp, HV_REG_RIP) + len);
}
