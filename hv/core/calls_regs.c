/* SPDX-License-Identifier: MIT */
/*
 * GET_VP_REGISTERS and SET_VP_REGISTERS: a parent reads and writes the
 * registers of its child's VPs while the child does not run.  A value the
 * CPU would refuse on entry is refused here, alone or in combination with
 * the VP's other control registers, so a bad state never reaches the
 * hardware.
 */
#include <hv/hypercall.h>
#include <hv/hypercall_calls.h>
#include <hv/string.h>

#define CR0_PE	  (1ull << 0)
#define CR0_NW	  (1ull << 29)
#define CR0_CD	  (1ull << 30)
#define CR0_PG	  (1ull << 31)
#define CR0_KNOWN 0xE005003Full /* PE MP EM TS ET NE WP AM NW CD PG */
#define CR4_PAE	  (1ull << 5)
/* VME-OSXMMEXCPT, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP, PKE */
#define CR4_KNOWN     0x007707FFull
#define EFER_LME      (1ull << 8)
#define EFER_LMA      (1ull << 10)
#define EFER_KNOWN    0x0D01ull /* SCE LME LMA NXE */
#define RFLAGS_FIXED1 0x2ull
#define RFLAGS_KNOWN  0x3F7FD7ull

/* The register names of the ABI are the hypervisor's own, in order. */
_Static_assert((int)VNR_REG_EFER == (int)HV_REG_EFER &&
		       (int)VNR_REG_GDTR_LIMIT == (int)HV_REG_GDTR_LIMIT &&
		       (int)VNR_REG_COUNT == (int)HV_REG_COUNT,
	       "vnr_register and hv_reg agree");

static bool canonical(u64 v)
{
	return (u64)((s64)(v << 16) >> 16) == v;
}

/* What a parent may set in one register: long mode, known bits. */
static bool valid_value(u32 name, u64 v)
{
	switch (name) {
	case VNR_REG_RIP:
	case VNR_REG_RSP:
	case VNR_REG_GDTR_BASE:
		return canonical(v);
	case VNR_REG_GDTR_LIMIT:
		return v <= 0xFFFF;
	case VNR_REG_RFLAGS:
		return (v & RFLAGS_FIXED1) && !(v & ~RFLAGS_KNOWN);
	case VNR_REG_CR0:
		return (v & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG) &&
		       !(v & ~CR0_KNOWN);
	case VNR_REG_CR4:
		return (v & CR4_PAE) && !(v & ~CR4_KNOWN);
	case VNR_REG_EFER:
		return (v & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA) &&
		       !(v & ~EFER_KNOWN);
	}
	return true;
}

struct control_regs {
	u64 cr0, cr3, cr4, efer;
};

/*
 * The consistency checks VMRUN applies to these registers (AMD64 APM
 * vol. 2, 15.5.1), against what this processor implements.  CS, DR6 and
 * DR7 are not the parent's to set: the boot state keeps them valid.
 */
static bool enterable(const struct control_regs *c)
{
	const struct hv_cpu_limits *cpu = arch_cpu_limits();
	bool long_mode = (c->efer & EFER_LME) && (c->cr0 & CR0_PG);

	if (c->cr0 >> 32 || ((c->cr0 & CR0_NW) && !(c->cr0 & CR0_CD)))
		return false;
	if (cpu->phys_addr_bits < 64 && c->cr3 >> cpu->phys_addr_bits)
		return false;
	if ((c->cr4 & ~cpu->cr4) || (c->efer & ~cpu->efer))
		return false;
	return !long_mode || ((c->cr4 & CR4_PAE) && (c->cr0 & CR0_PE));
}

/* Whether vp can still be entered once register name holds v. */
static bool enterable_with(struct hv_vp *vp, u32 name, u64 v)
{
	struct control_regs c;

	if (name != VNR_REG_CR0 && name != VNR_REG_CR3 && name != VNR_REG_CR4 &&
	    name != VNR_REG_EFER)
		return true; /* the others take no part in the checks */
	c.cr0 = name == VNR_REG_CR0 ? v : arch_vp_get_reg(vp, HV_REG_CR0);
	c.cr3 = name == VNR_REG_CR3 ? v : arch_vp_get_reg(vp, HV_REG_CR3);
	c.cr4 = name == VNR_REG_CR4 ? v : arch_vp_get_reg(vp, HV_REG_CR4);
	c.efer = name == VNR_REG_EFER ? v : arch_vp_get_reg(vp, HV_REG_EFER);
	return enterable(&c);
}

/* The child's VP named by the input header, or the status why not. */
static enum vnr_status target_vp(struct hv_call *call, struct hv_vp **vp)
{
	const struct vnr_vp_registers_input *in = call->input;
	struct hv_partition *p =
		partition_child(call->vp->partition, in->partition_id);

	if (!p)
		return VNR_STATUS_INVALID_PARTITION_ID;
	if (!partition_being_built(p))
		return VNR_STATUS_INVALID_PARTITION_STATE;
	if (in->vp_index >= p->vp_count)
		return VNR_STATUS_INVALID_VP_INDEX;
	*vp = &p->vps[in->vp_index];
	return VNR_STATUS_SUCCESS;
}

/* The rep elements after the header, fetched once into a local copy. */
static enum vnr_status fetch_elements(struct hv_call *call, void *copy,
				      u32 size)
{
	u64 bytes = (u64)call->rep_count * size;
	u64 at = call->input_gpa + IN_GET_VP_REGISTERS;
	const void *src;

	/* They share the header's page (at on a page start: the next page). */
	if ((at & (PAGE_SIZE - 1)) + bytes > PAGE_SIZE || at % PAGE_SIZE == 0)
		return VNR_STATUS_INVALID_PARAMETER;
	src = partition_gpa_to_host(call->vp->partition, at, bytes);
	if (!src)
		return VNR_STATUS_INVALID_GPA;
	memcpy(copy, src, bytes);
	return VNR_STATUS_SUCCESS;
}

static union {
	u32 names[VNR_PAGE_SIZE / sizeof(u32)];
	struct vnr_register_value
		values[VNR_PAGE_SIZE / sizeof(struct vnr_register_value)];
} elements;

HV_CALL_HANDLER(GET_VP_REGISTERS)
{
	u64 *out = call->output;
	struct hv_vp *vp;
	enum vnr_status st = target_vp(call, &vp);

	if (st == VNR_STATUS_SUCCESS)
		st = fetch_elements(call, elements.names, sizeof(u32));
	if (st != VNR_STATUS_SUCCESS)
		return st;
	call->validated = true;
	for (; call->rep_next < call->rep_count; call->rep_next++) {
		u32 name = elements.names[call->rep_next];

		if (name >= VNR_REG_COUNT)
			return VNR_STATUS_INVALID_REGISTER;
		out[call->rep_next] = arch_vp_get_reg(vp, (enum hv_reg)name);
	}
	return VNR_STATUS_SUCCESS;
}

HV_CALL_HANDLER(SET_VP_REGISTERS)
{
	struct hv_vp *vp;
	enum vnr_status st = target_vp(call, &vp);

	if (st == VNR_STATUS_SUCCESS)
		st = fetch_elements(call, elements.values,
				    sizeof(struct vnr_register_value));
	if (st != VNR_STATUS_SUCCESS)
		return st;
	call->validated = true;
	for (; call->rep_next < call->rep_count; call->rep_next++) {
		const struct vnr_register_value *r =
			&elements.values[call->rep_next];

		if (r->name >= VNR_REG_COUNT)
			return VNR_STATUS_INVALID_REGISTER;
		if (r->reserved || !valid_value(r->name, r->value) ||
		    !enterable_with(vp, r->name, r->value))
			return VNR_STATUS_INVALID_PARAMETER;
		arch_vp_set_reg(vp, (enum hv_reg)r->name, r->value);
	}
	return VNR_STATUS_SUCCESS;
}
