/* SPDX-License-Identifier: MIT */
/*
 * A PC-platform VP's local APIC in xAPIC mode, as its page at VLAPIC_BASE
 * (docs/spec/pc-platform.md).  A kernel touches it only until it switches
 * the APIC to x2APIC mode, with 32-bit MOVs, so that is all this decodes:
 * MOV r32, m32 (8B), MOV m32, r32 (89) and MOV m32, imm32 (C7 /0), with a
 * REX prefix.  The nested page fault gives the address; the instruction
 * gives the register and its length.  Register n of the page (offset
 * 16 n) is x2APIC MSR 0x800 + n, with the xAPIC's ID and ICR layouts.
 * Any other access stops the partition.
 */
#include <hv/arch.h>
#include <hv/string.h>
#include "cpu.h"
#include "vendor.h"
#include "vlapic.h"
#include "vp_state.h"
#include "xapic_mmio.h"

#define OFFSET_ID	0x020u
#define OFFSET_DFR	0x0E0u
#define OFFSET_ICR_LOW	0x300u
#define OFFSET_ICR_HIGH 0x310u
#define OFFSET_SELF_IPI 0x3F0u /* x2APIC only: reserved on the page */

/* x86 register numbers (ModRM reg with REX.R) as enum hv_reg. */
static const enum hv_reg gpr[16] = {
	HV_REG_RAX, HV_REG_RCX, HV_REG_RDX, HV_REG_RBX, HV_REG_RSP, HV_REG_RBP,
	HV_REG_RSI, HV_REG_RDI, HV_REG_R8,  HV_REG_R9,	HV_REG_R10, HV_REG_R11,
	HV_REG_R12, HV_REG_R13, HV_REG_R14, HV_REG_R15,
};

struct mmio_insn {
	bool write, has_imm;
	u32 imm;
	enum hv_reg reg;
	u32 len;
};

/*
 * Bytes of ModRM's memory operand after the ModRM byte b[0]: SIB, disp.
 * Of the n bytes at b only the SIB byte is read; when the fetch ended
 * before it, the count still includes it, so that decode() finds the
 * instruction longer than what was fetched.
 */
static u32 operand_bytes(const u8 *b, u32 n)
{
	u8 mod = b[0] >> 6, rm = b[0] & 7;
	u32 len = 0;

	if (rm == 4) { /* a SIB byte follows */
		len = 1;
		if (n < 2)
			return len;
		if (mod == 0 && (b[1] & 7) == 5)
			return len + 4;
	} else if (mod == 0 && rm == 5) {
		return 4; /* RIP-relative disp32 */
	}
	return len + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static bool decode(const u8 *b, u32 n, struct mmio_insn *insn)
{
	u32 i = 0, ops;
	u8 rex = 0;

	if (i < n && (b[i] & 0xF0) == 0x40)
		rex = b[i++];
	if (i + 2 > n || rex & 0x08) /* REX.W: not a 32-bit access */
		return false;
	insn->write = b[i] != 0x8B;
	insn->has_imm = b[i] == 0xC7;
	if (b[i] != 0x8B && b[i] != 0x89 && b[i] != 0xC7)
		return false;
	i++;
	if (b[i] >> 6 == 3 || (insn->has_imm && ((b[i] >> 3) & 7)))
		return false; /* a register operand, or not C7 /0 */
	insn->reg = gpr[((b[i] >> 3) & 7) | ((rex & 4) << 1)];
	ops = operand_bytes(&b[i], n - i);
	i += 1 + ops;
	if (insn->has_imm) {
		if (i + 4 > n)
			return false;
		memcpy(&insn->imm, &b[i], 4);
		i += 4;
	}
	if (i > n)
		return false;
	insn->len = i;
	return true;
}

static u32 read_register(struct hv_vp *vp, u32 offset)
{
	u64 value = 0;

	switch (offset) {
	case OFFSET_ID:
		return vp->index << 24;
	case OFFSET_DFR:
		return 0xFFFFFFFFu; /* the flat model */
	case OFFSET_ICR_HIGH:
		return x86_vp_state(vp)->lapic.icr_high << 24;
	}
	if (!vlapic_read_reg(vp, offset / 16, &value))
		return 0; /* write-only or reserved: reads as zero */
	return (u32)value;
}

/* An xAPIC's destination 0xFF is every APIC, as an x2APIC's 0xFFFFFFFF. */
static u32 xapic_destination(u32 dest)
{
	return dest == 0xFF ? 0xFFFFFFFFu : dest;
}

static void write_register(struct hv_vp *vp, u32 offset, u32 value)
{
	struct vlapic *a = &x86_vp_state(vp)->lapic;

	switch (offset) {
	case OFFSET_ICR_HIGH:
		a->icr_high = value >> 24;
		return;
	case OFFSET_ICR_LOW:
		vlapic_write_reg(vp, offset / 16,
				 ((u64)xapic_destination(a->icr_high) << 32) |
					 value);
		return;
	case OFFSET_ID:
	case OFFSET_DFR:
		return; /* the APIC stays where the platform put it */
	case OFFSET_SELF_IPI:
		return;
	}
	if (offset == 0x0B0u)
		value = 0; /* an xAPIC EOI takes any value */
	/* A write the x2APIC would refuse is dropped, as an xAPIC drops it. */
	vlapic_write_reg(vp, offset / 16, value);
}

bool xapic_mmio(struct hv_vp *vp, const struct x86_exit *e)
{
	u64 gpa = e->qualification;
	u32 offset = (u32)(gpa - VLAPIC_BASE);
	struct mmio_insn insn = {0};
	struct x86_exit done = *e;
	u8 bytes[15];
	u32 n;

	if (gpa < VLAPIC_BASE || gpa >= VLAPIC_BASE + PAGE_SIZE ||
	    x86_vp_state(vp)->lapic.x2apic || offset % 16)
		return false;
	n = vendor_read_instruction(vp, bytes, sizeof(bytes));
	if (!decode(bytes, n, &insn) || insn.write != e->write)
		return false;
	if (!insn.write)
		arch_vp_set_reg(vp, insn.reg, read_register(vp, offset));
	else
		write_register(vp, offset,
			       insn.has_imm
				       ? insn.imm
				       : (u32)arch_vp_get_reg(vp, insn.reg));
	/* As the CPU completes it: a single step traps after it too. */
	done.insn_len = insn.len;
	vendor_skip_instruction(vp, &done);
	return true;
}
