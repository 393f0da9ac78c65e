/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a PC-platform partition's VP (docs/spec/pc-platform.md)
 * doing anything a hostile kernel can do to its platform, built with the
 * fake arch layer: MSR reads and writes (the APIC base, every x2APIC
 * register, TSC_DEADLINE, the pvclock MSRs, any other index), port I/O of
 * every width, accesses to the xAPIC page with arbitrary instruction
 * bytes, time passing with the timers served, interrupts taken and ended.
 * Guest RAM sits between inaccessible guard regions.
 *
 * Input: a sequence of 12-byte operations: an opcode byte, an index byte,
 * a flags byte, a width byte and an 8-byte value (little-endian); an
 * xAPIC access takes the next 15 bytes: how many of the 14 after it the
 * instruction fetch reads (mod 15), then the instruction's bytes.
 *
 * Properties checked after every operation: no memory error; RIP moves
 * only when an access was completed, and by at most an instruction's 15
 * bytes; the APIC timer is never due in the past once served, and a
 * periodic one never sooner than its minimum period; a served timer
 * raises only vectors 16..255.
 */
#include <string.h>

#include <hv/page_alloc.h>
#include <hv/reftime.h>
#include <hv/sched.h>
#include <hv/vintc.h>

#include "../../hv/arch/x86/cpu.h"
#include "../../hv/arch/x86/guest.h"
#include "../../hv/arch/x86/pc_platform.h"
#include "../../hv/arch/x86/vendor.h"
#include "../../hv/arch/x86/vlapic.h"
#include "../../hv/arch/x86/vp_state.h"
#include "../../hv/arch/x86/xapic_mmio.h"
#include "fake_arch.h"
#include "fake_pc_vendor.h"
#include "fuzz_util.h"

#define RAM_SIZE  (4u * PAGE_SIZE)
#define OP_SIZE	  12u
#define INSN_SIZE 15u
#define RIP_START 0x1000ull

enum op {
	OP_WRMSR,
	OP_RDMSR,
	OP_OUT,
	OP_IN,
	OP_TIME,
	OP_XAPIC,
	OP_TAKE,
	OP_EOI,
	OP_COUNT,
};

static struct hv_partition *p;
static struct hv_vp *vp;
static u8 *ram;

static void init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	fake_arch_reset();
	reftime_init(0, fake_tsc_hz);
	sched_init(10);
	p = partition_create("pc", VNR_PRIV_MASK(DEBUG_CONSOLE));
	FUZZ_ASSERT(p);
	ram = fuzz_guarded_alloc(RAM_SIZE);
	FUZZ_ASSERT(!partition_map_ram(p, 0, ram, RAM_SIZE));
	FUZZ_ASSERT(!arch_partition_enable_pc_platform(p));
	vp = partition_create_vp(p, NULL);
	FUZZ_ASSERT(vp);
	partition_start(p);
}

/* Interesting MSRs more often than chance would pick them. */
static u32 pick_msr(u8 index, u64 value)
{
	switch (index >> 6) {
	case 0:
		return MSR_X2APIC_FIRST + index;
	case 1:
		return (index & 1) ? 0x4B564D01u : 0x4B564D00u;
	case 2:
		return (index & 1) ? MSR_TSC_DEADLINE : MSR_APIC_BASE;
	default:
		return (u32)(value >> 32);
	}
}

static void port_access(bool write, u8 index, u8 width, u64 value)
{
	static const u16 ports[] = {0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC,
				    0x3FD, 0x3FE, 0x3FF, 0x20,	0x21,
				    0x40,  0x43,  0x61,	 0x70,	0x71,
				    0x80,  0xCF8, 0xCFC, 0x64,	0x60};
	static const u8 sizes[] = {1, 2, 4};
	struct x86_exit e = {
		.reason = HV_EXIT_IO,
		.qualification = index < sizeof(ports) / sizeof(ports[0])
					 ? ports[index]
					 : (u16)(value >> 48),
		.write = write,
		.io_size = sizes[width % 3],
		.io_string = width == 0xFF,
		.insn_len = 1,
	};

	e.io_byte = e.io_size == 1 && !e.io_string;
	if (write)
		arch_vp_set_reg(vp, HV_REG_RAX, value);
	pc_platform_io(vp, &e);
}

static void xapic_access(bool write, u8 index, const u8 *bytes)
{
	struct x86_exit e = {
		.reason = HV_EXIT_NESTED_PAGE_FAULT,
		.qualification = VLAPIC_BASE + (u64)index * 16 + (index & 3),
		.write = write,
	};
	u64 rip = arch_vp_get_reg(vp, HV_REG_RIP);

	fake_insn_len = bytes[0] % INSN_SIZE;
	memcpy(fake_insn, bytes + 1, INSN_SIZE - 1);
	if (xapic_mmio(vp, &e))
		FUZZ_ASSERT(arch_vp_get_reg(vp, HV_REG_RIP) - rip <= INSN_SIZE);
	else
		FUZZ_ASSERT(arch_vp_get_reg(vp, HV_REG_RIP) == rip);
}

/* Periodic mode: bits 18:17 of the timer's LVT are 01. */
static bool periodic(const struct vlapic *a)
{
	return ((a->lvt[1] >> 17) & 3) == 1;
}

static void serve_time(u64 value)
{
	const struct vlapic *a = &x86_vp_state(vp)->lapic;
	u64 next, min_period = fake_tsc_hz / 5000; /* 200 us */

	fake_tsc += (u32)value;
	next = vlapic_poll(vp, fake_tsc);
	FUZZ_ASSERT(next == ~0ull || next > fake_tsc);
	if (a->timer_due && periodic(a))
		FUZZ_ASSERT(a->timer_due - fake_tsc <=
			    MAX(a->timer_period, min_period));
}

static void take_interrupt(void)
{
	int v = vintc_deliverable(&vp->intc);

	if (v >= 0)
		vintc_accept(&vp->intc, (u8)v);
}

static void run(const u8 *op, const u8 **rest, size_t *left)
{
	u8 code = op[0] % OP_COUNT, index = op[1], flags = op[2];
	u8 width = op[3];
	u64 value, ignored;

	memcpy(&value, op + 4, 8);
	switch (code) {
	case OP_WRMSR:
		guest_wrmsr(vp, pick_msr(index, value), value);
		break;
	case OP_RDMSR:
		guest_rdmsr(vp, pick_msr(index, value), &ignored);
		break;
	case OP_OUT:
	case OP_IN:
		port_access(code == OP_OUT, index, width, value);
		break;
	case OP_TIME:
		serve_time(value);
		break;
	case OP_XAPIC:
		if (*left < INSN_SIZE)
			return;
		xapic_access(flags & 1, index, *rest);
		*rest += INSN_SIZE;
		*left -= INSN_SIZE;
		break;
	case OP_TAKE:
		take_interrupt();
		break;
	case OP_EOI:
		vintc_eoi(&vp->intc);
		break;
	}
}

/* Every input starts from the platform's reset state and fresh RAM. */
static void reset_vp(void)
{
	struct x86_vp_state *s = x86_vp_state(vp);

	vlapic_reset(&s->lapic);
	s->pv_system_time_msr = 0;
	s->pv_wall_clock_msr = 0;
	memset(&vp->intc, 0, sizeof(vp->intc));
	memset(ram, 0, RAM_SIZE);
	memset(p->pc_devices, 0, PAGE_SIZE);
	arch_vp_set_reg(vp, HV_REG_RIP, RIP_START);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	init_once();
	reset_vp();
	while (size >= OP_SIZE) {
		const u8 *op = data;

		data += OP_SIZE;
		size -= OP_SIZE;
		run(op, &data, &size);
		/* Vectors 0..15 are the processor's: nothing raises them. */
		FUZZ_ASSERT(!(vp->intc.pending[0] & 0xFFFF));
	}
	return 0;
}
