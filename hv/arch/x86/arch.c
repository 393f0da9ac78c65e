/* SPDX-License-Identifier: MIT */
/*
 * The arch interface (hv/arch.h) on x86: CPU setup at boot and the
 * forwarding of partition and VP operations to the vendor backend.
 */
#include <hv/boot.h>
#include <hv/log.h>
#include <hv/page_alloc.h>
#include <hv/platform.h>
#include "cpu.h"
#include "lapic.h"
#include "paging.h"
#include "root_cpu.h"
#include "root_exit.h"
#include "serial.h"
#include "tables.h"
#include "vendor.h"
#include "vlapic.h"
#include "vp_state.h"
#include "xstate.h"

#define IST_STACK_PAGES 4

static u64 tsc_hz;
static bool root_mode; /* the firmware is the root's: no call into it */
static bool has_debug_exit;
static u16 debug_exit_port;

/*
 * In root mode the firmware's state is taken first, before the hypervisor
 * loads its own tables, and the local APIC stays the root's: the
 * hypervisor then has no timer.
 */
int arch_init(const struct hv_boot_info *bi)
{
	bool root = bi->cfg->root.present;
	u8 *ist;

	root_mode = root;
	if (root) {
		root_cpu_capture(bi->root_resume_status);
		vendor_capture_cpu();
		x86_root_pm1a_control = bi->acpi_pm1a_control;
		root_exit_init(bi->loader_image_base, bi->image_base,
			       bi->cpus_withheld);
		root_pci_init();
	}
	ist = page_alloc_contiguous(IST_STACK_PAGES);
	serial_init(bi->cfg->serial_port);
	hv_log("Veneer hypervisor %u.%u starting on %s\n", VNR_ABI_MAJOR,
	       VNR_ABI_MINOR, vendor_name());
	tsc_hz = bi->tsc_hz;
	has_debug_exit = bi->cfg->has_debug_exit;
	debug_exit_port = bi->cfg->debug_exit_port;
	x86_log_exits = bi->cfg->log_exits;
	hv_stack_bottom = bi->stack_base;
	hv_stack_top = bi->stack_base + bi->stack_size;
	if (!ist)
		return -1;
	tables_init(ist + IST_STACK_PAGES * PAGE_SIZE);
	if (paging_init(bi->phys_top)) {
		hv_log("cannot build the hypervisor page tables\n");
		return -1;
	}
	if (!root && lapic_init()) {
		hv_log("no usable local APIC timer\n");
		return -1;
	}
	if (!root)
		hv_log("local APIC timer %llu kHz\n",
		       (unsigned long long)(lapic_timer_hz() / 1000));
	xstate_init();
	return vendor_init();
}

/* The PC reset control register (0xCF9), then the keyboard controller. */
void arch_reset(void)
{
	cli();
	hv_log("resetting the machine\n");
	outb(0xCF9, 0x02);
	outb(0xCF9, 0x06);
	outb(0x64, 0xFE);
	for (;;)
		__asm__ volatile("hlt");
}

void arch_crash_test(void)
{
	hv_log("crash_test: executing an invalid instruction\n");
	__asm__ volatile("ud2");
}

void arch_console_write(const char *s, size_t n)
{
	serial_write(s, n);
}

u64 arch_read_tsc(void)
{
	return vnr_rdtsc();
}

u64 arch_tsc_hz(void)
{
	return tsc_hz;
}

/*
 * A test bench may name a debug-exit port in the configuration so that
 * the emulator exits with the failure count; a server powers off, or in
 * root mode, where the firmware's runtime services are the root's (and
 * may be remapped by now), resets.
 */
void arch_power_off(int failures)
{
	cli();
	if (has_debug_exit)
		outb(debug_exit_port, (u8)MIN(failures, 255));
	if (root_mode)
		arch_reset();
	hv_log("powering off\n");
	platform_power_off();
}

int arch_partition_init(struct hv_partition *p)
{
	return vendor_partition_init(p);
}

void arch_partition_destroy(struct hv_partition *p)
{
	arch_partition_disable_pc_platform(p);
	vendor_partition_destroy(p);
}

u64 arch_vp_poll_timers(struct hv_vp *vp, u64 now)
{
	return vp->partition->pc_platform ? vlapic_poll(vp, now) : ~0ull;
}

int arch_map_gpa(struct hv_partition *p, u64 gpa, u64 hpa, u64 size,
		 bool writable)
{
	return vendor_map(p, gpa, hpa, size, writable);
}

int arch_unmap_gpa(struct hv_partition *p, u64 gpa, u64 size)
{
	return vendor_unmap(p, gpa, size);
}

bool arch_gpa_maps_page(struct hv_partition *p, u64 gpa, u64 hpa)
{
	return vendor_maps_page(p, gpa, hpa);
}

int arch_back_gpa_with_page(struct hv_partition *p, u64 gpa, u64 size, u64 hpa)
{
	return vendor_back_with_page(p, gpa, size, hpa);
}

int arch_vp_init(struct hv_vp *vp, const struct hv_vp_boot_state *boot)
{
	if (vendor_vp_init(vp, boot))
		return -1;
	if (!boot->adopt_cpu) {
		vp->regs[HV_REG_RDI] = boot->rdi;
		vp->regs[HV_REG_RSI] = boot->rsi;
	}
	if (vp_state_init(vp)) {
		vendor_vp_destroy(vp);
		return -1;
	}
	if (boot->adopt_cpu)
		vp_state_adopt_cpu(vp, x86_root_cpu.xcr0);
	return 0;
}

void arch_vp_destroy(struct hv_vp *vp)
{
	vp_state_destroy(vp);
	vendor_vp_destroy(vp);
}

u64 arch_vp_get_reg(struct hv_vp *vp, enum hv_reg reg)
{
	if (reg < 16 && reg != HV_REG_RSP)
		return vp->regs[reg];
	return vendor_get_reg(vp, reg);
}

void arch_vp_set_reg(struct hv_vp *vp, enum hv_reg reg, u64 value)
{
	if (reg < 16 && reg != HV_REG_RSP)
		vp->regs[reg] = value;
	else
		vendor_set_reg(vp, reg, value);
}

const char *arch_unsupported(void)
{
	return vendor_unsupported();
}
