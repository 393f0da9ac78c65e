/* SPDX-License-Identifier: MIT */
/*
 * A VP's local APIC in x2APIC mode (see vlapic.h).  Register numbers are
 * the x2APIC MSR offsets of the Intel SDM, vol. 3, table 11-6.  An access
 * the x2APIC refuses (a read of a write-only register, a write of a
 * read-only one, reserved bits set) raises #GP.
 */
#include <hv/arch.h>
#include <hv/sched.h>
#include "cpu.h"
#include "vendor.h"
#include "vlapic.h"
#include "vp_state.h"

enum {
	REG_ID = 0x02,
	REG_VERSION = 0x03,
	REG_TPR = 0x08,
	REG_PPR = 0x0A,
	REG_EOI = 0x0B,
	REG_LDR = 0x0D,
	REG_SVR = 0x0F,
	REG_ISR = 0x10, /* 8 registers */
	REG_TMR = 0x18,
	REG_IRR = 0x20,
	REG_ESR = 0x28,
	REG_LVT_CMCI = 0x2F,
	REG_ICR = 0x30,
	REG_LVT_TIMER = 0x32, /* LINT1 is 0x36, error 0x37 */
	REG_LVT_ERROR = 0x37,
	REG_TIMER_INITIAL = 0x38,
	REG_TIMER_CURRENT = 0x39,
	REG_TIMER_DIVIDE = 0x3E,
	REG_SELF_IPI = 0x3F,
};

/*
 * Version 0x14 with seven LVT entries, CMCI's among them, and without
 * EOI-broadcast suppression (bit 24): SVR bit 12 is then reserved.
 */
#define VERSION		   0x00060014u
#define SVR_ENABLE	   (1u << 8)
#define SVR_WRITABLE	   0x000001FFu /* vector, enable */
#define LVT_MASKED	   (1u << 16)
#define LVT_VECTOR	   0xFFu
#define TIMER_MODE(lvt)	   (((lvt) >> 17) & 3)
#define TIMER_ONE_SHOT	   0
#define TIMER_PERIODIC	   1
#define TIMER_DEADLINE	   2
#define ICR_SHORTHAND(icr) (((icr) >> 18) & 3)
#define ICR_MODE(icr)	   (((icr) >> 8) & 7)
#define ICR_LOGICAL	   (1u << 11)
#define ICR_WRITABLE	   0x000CCFFFu /* vector, mode, level, shorthand */

/* What each LVT may hold besides its vector and mask. */
static const u32 lvt_writable[7] = {
	[0] = 0x000107FFu, /* CMCI: delivery mode */
	[1] = 0x000700FFu, /* timer: mode */
	[2] = 0x000107FFu, /* thermal */
	[3] = 0x000107FFu, /* PMC */
	[4] = 0x0001A7FFu, /* LINT0: mode, polarity, trigger */
	[5] = 0x0001A7FFu, /* LINT1 */
	[6] = 0x000100FFu, /* error */
};

static struct vlapic *lapic_of(struct hv_vp *vp)
{
	return &x86_vp_state(vp)->lapic;
}

void vlapic_reset(struct vlapic *a)
{
	*a = (struct vlapic){.svr = 0xFF};
	for (u32 i = 0; i < 7; i++)
		a->lvt[i] = LVT_MASKED;
}

bool vlapic_owns_msr(u32 msr)
{
	return msr == MSR_TSC_DEADLINE ||
	       (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
}

static u32 lvt_index(u32 reg)
{
	return reg == REG_LVT_CMCI ? 0 : reg - REG_LVT_TIMER + 1;
}

static bool is_lvt(u32 reg)
{
	return reg == REG_LVT_CMCI ||
	       (reg >= REG_LVT_TIMER && reg <= REG_LVT_ERROR);
}

/* The 32 vectors from 32 * word of a 256-bit set. */
static u32 vector_word(const u64 bits[4], u32 word)
{
	return (u32)(bits[word / 2] >> (32 * (word % 2)));
}

static int highest_in_service(const struct hv_vintc *c)
{
	for (int w = 3; w >= 0; w--)
		if (c->in_service[w])
			return w * 64 + 63 - __builtin_clzll(c->in_service[w]);
	return 0;
}

static u32 ppr(struct hv_vp *vp)
{
	u32 tpr = lapic_of(vp)->tpr, isr = highest_in_service(&vp->intc);

	return (tpr & 0xF0) >= (isr & 0xF0) ? tpr : isr & 0xF0;
}

/*
 * The shortest period a periodic timer re-arms with, as KVM bounds it
 * (min_timer_period_us): with a count of 1 the timer would fall due at
 * every entry of its VP and, while the VP halts, keep the hypervisor's
 * own timer firing every few cycles.
 */
#define MIN_PERIOD_US 200u

static u64 min_period(void)
{
	return arch_tsc_hz() / (1000000u / MIN_PERIOD_US);
}

/* TSC cycles per timer count: 2, 4, ... 128, or 1 (SDM figure 11-10). */
static u64 timer_divisor(const struct vlapic *a)
{
	u32 c = a->timer_divide_config;
	u32 v = ((c >> 1) & 4) | (c & 3);

	return v == 7 ? 1 : 2ull << v;
}

/* Never above the initial count, though a bounded period is longer. */
static u32 current_count(const struct vlapic *a)
{
	u64 now = arch_read_tsc();

	if (TIMER_MODE(a->lvt[1]) == TIMER_DEADLINE || !a->timer_due ||
	    a->timer_due <= now)
		return 0;
	return (u32)MIN((a->timer_due - now) / timer_divisor(a),
			a->timer_initial);
}

static void start_count(struct vlapic *a, u32 count)
{
	a->timer_initial = count;
	a->timer_period = (u64)count * timer_divisor(a);
	a->timer_due = count ? arch_read_tsc() + a->timer_period : 0;
}

/*
 * Only a transition into or out of TSC-deadline mode disarms the timer
 * (SDM 11.5.4.1): between one-shot and periodic it keeps counting.
 */
static void set_timer_lvt(struct vlapic *a, u32 value)
{
	bool was_deadline = TIMER_MODE(a->lvt[1]) == TIMER_DEADLINE;

	a->lvt[1] = value;
	if ((TIMER_MODE(value) == TIMER_DEADLINE) != was_deadline) {
		a->timer_due = 0;
		a->tsc_deadline = 0;
		a->timer_initial = 0;
	}
}

bool vlapic_read_reg(struct hv_vp *vp, u32 reg, u64 *value)
{
	struct vlapic *a = lapic_of(vp);

	if (reg >= REG_ISR && reg < REG_ISR + 8) {
		*value = vector_word(vp->intc.in_service, reg - REG_ISR);
		return true;
	}
	if (reg >= REG_IRR && reg < REG_IRR + 8) {
		*value = vector_word(vp->intc.pending, reg - REG_IRR);
		return true;
	}
	if (reg >= REG_TMR && reg < REG_TMR + 8) {
		*value = 0; /* every interrupt here is edge-triggered */
		return true;
	}
	if (is_lvt(reg)) {
		*value = a->lvt[lvt_index(reg)];
		return true;
	}
	switch (reg) {
	case REG_ID:
		*value = vp->index;
		return true;
	case REG_VERSION:
		*value = VERSION;
		return true;
	case REG_TPR:
		*value = a->tpr;
		return true;
	case REG_PPR:
		*value = ppr(vp);
		return true;
	case REG_LDR: /* x2APIC: cluster in 31:16, one bit of 16 in 15:0 */
		*value = ((vp->index >> 4) << 16) | (1u << (vp->index & 15));
		return true;
	case REG_SVR:
		*value = a->svr;
		return true;
	case REG_ESR:
		*value = a->esr;
		return true;
	case REG_ICR: /* in x2APIC mode one 64-bit register (SDM 11.12.9) */
		*value = ((u64)a->icr_high << 32) | a->icr_low;
		return true;
	case REG_TIMER_INITIAL:
		*value = a->timer_initial;
		return true;
	case REG_TIMER_CURRENT:
		*value = current_count(a);
		return true;
	case REG_TIMER_DIVIDE:
		*value = a->timer_divide_config;
		return true;
	}
	return false;
}

/* A fixed interrupt for the VP of the partition with x2APIC ID id. */
static void send_fixed(struct hv_vp *from, u32 id, u8 vector)
{
	struct hv_partition *p = from->partition;

	if (id >= p->vp_count || vector < 16)
		return; /* no such APIC, or an illegal vector: dropped */
	vintc_raise(&p->vps[id].intc, vector, false);
	sched_wake(&p->vps[id]);
}

/*
 * Fixed interrupts reach the partition's VPs; every other delivery mode
 * (NMI, INIT, start-up, SMI) is dropped: a partition has no way to start
 * or stop its processors but the hypervisor's (docs/spec/pc-platform.md).
 * A destination is a physical APIC ID: a logical one (a cluster and a
 * bit mask, not an ID) reaches no VP, though a shorthand ignores the
 * destination mode, as on a processor.
 */
static bool write_icr(struct hv_vp *vp, u64 value)
{
	u32 dest = (u32)(value >> 32);
	u8 vector = value & 0xFF;

	if ((u32)value & ~ICR_WRITABLE)
		return false;
	lapic_of(vp)->icr_low = (u32)value;
	lapic_of(vp)->icr_high = dest;
	if (ICR_MODE(value) != 0)
		return true;
	switch (ICR_SHORTHAND(value)) {
	case 0:
		if (value & ICR_LOGICAL)
			break;
		if (dest == 0xFFFFFFFFu)
			for (u32 i = 0; i < vp->partition->vp_count; i++)
				send_fixed(vp, i, vector);
		else
			send_fixed(vp, dest, vector);
		break;
	case 1:
		send_fixed(vp, vp->index, vector);
		break;
	default: /* all, or all but self */
		for (u32 i = 0; i < vp->partition->vp_count; i++)
			if (ICR_SHORTHAND(value) == 2 || i != vp->index)
				send_fixed(vp, i, vector);
	}
	return true;
}

static bool write_lvt(struct vlapic *a, u32 reg, u64 value)
{
	u32 i = lvt_index(reg);

	if (value & ~(u64)lvt_writable[i] || TIMER_MODE(value) == 3)
		return false;
	if (!(a->svr & SVR_ENABLE))
		value |= LVT_MASKED; /* a disabled APIC keeps them masked */
	if (i == 1)
		set_timer_lvt(a, (u32)value);
	else
		a->lvt[i] = (u32)value;
	return true;
}

static bool write_svr(struct vlapic *a, u64 value)
{
	if (value & ~(u64)SVR_WRITABLE)
		return false;
	a->svr = (u32)value;
	if (!(value & SVR_ENABLE))
		for (u32 i = 0; i < 7; i++)
			a->lvt[i] |= LVT_MASKED;
	return true;
}

bool vlapic_write_reg(struct hv_vp *vp, u32 reg, u64 value)
{
	struct vlapic *a = lapic_of(vp);

	if (is_lvt(reg))
		return write_lvt(a, reg, value);
	switch (reg) {
	case REG_TPR:
		if (value & ~0xFFull)
			return false;
		a->tpr = (u32)value;
		vp->intc.priority = (u8)value;
		return true;
	case REG_EOI:
		if (value)
			return false;
		vintc_eoi(&vp->intc);
		return true;
	case REG_SVR:
		return write_svr(a, value);
	case REG_ESR:
		if (value)
			return false;
		a->esr = 0;
		return true;
	case REG_ICR:
		return write_icr(vp, value);
	case REG_TIMER_INITIAL:
		if (value >> 32)
			return false;
		if (TIMER_MODE(a->lvt[1]) != TIMER_DEADLINE)
			start_count(a, (u32)value);
		return true;
	case REG_TIMER_DIVIDE:
		if (value & ~0xBull)
			return false;
		a->timer_divide_config = (u32)value;
		return true;
	case REG_SELF_IPI:
		if (value & ~0xFFull)
			return false;
		send_fixed(vp, vp->index, (u8)value);
		return true;
	}
	return false;
}

bool vlapic_rdmsr(struct hv_vp *vp, u32 msr, u64 *value)
{
	struct vlapic *a = lapic_of(vp);

	if (msr == MSR_TSC_DEADLINE) {
		*value = TIMER_MODE(a->lvt[1]) == TIMER_DEADLINE
				 ? a->tsc_deadline
				 : 0;
		return true;
	}
	return a->x2apic && vlapic_read_reg(vp, msr - MSR_X2APIC_FIRST, value);
}

bool vlapic_wrmsr(struct hv_vp *vp, u32 msr, u64 value)
{
	struct vlapic *a = lapic_of(vp);

	if (msr == MSR_TSC_DEADLINE) {
		/* Outside deadline mode the write is ignored (SDM 11.5.4.1). */
		if (TIMER_MODE(a->lvt[1]) == TIMER_DEADLINE) {
			a->tsc_deadline = value;
			a->timer_due = value;
		}
		return true;
	}
	return a->x2apic && vlapic_write_reg(vp, msr - MSR_X2APIC_FIRST, value);
}

static void timer_fires(struct hv_vp *vp, struct vlapic *a, u64 now)
{
	u32 lvt = a->lvt[1];

	if (TIMER_MODE(lvt) == TIMER_PERIODIC && a->timer_period) {
		u64 period = MAX(a->timer_period, min_period());

		/* A periodic timer that fell behind skips what it missed. */
		a->timer_due += period;
		if (a->timer_due <= now)
			a->timer_due = now + period;
	} else {
		a->timer_due = 0;
		a->tsc_deadline = 0;
	}
	if (!(lvt & LVT_MASKED))
		send_fixed(vp, vp->index, lvt & LVT_VECTOR);
}

u64 vlapic_poll(struct hv_vp *vp, u64 now)
{
	struct vlapic *a = lapic_of(vp);

	if (!a->timer_due)
		return ~0ull;
	if (a->timer_due <= now)
		timer_fires(vp, a, now);
	return a->timer_due ? a->timer_due : ~0ull;
}
