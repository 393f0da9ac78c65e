// SPDX-License-Identifier: GPL-2.0
/*
 * The root starts a withheld CPU through an alias of the ICR: the local
 * APIC's registers sit 16 bytes apart, and QEMU's APIC decodes a 32-bit
 * write at ICR+4, +8 or +12 as a write of ICR itself.  INIT and STARTUP
 * IPIs ("all excluding self") written at 0x304, 0x308 and 0x30C, with the
 * start program of attack_initsipi.c, must reach no CPU.  The stores are
 * fault-safe: the hypervisor may refuse them with #GP.
 */
#include "attack.h"

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <asm/apic.h>
#include <asm/asm.h>
#include <asm/trapnr.h>

#define START_PAGE   0x70000UL /* below 1 MiB, reserved by Linux, unused */
#define MARKER_AT    0x800     /* offset in START_PAGE */
#define MARKER_VALUE 0x42
#define ICR_ALIAS(n) (APIC_ICR + 4 * (n)) /* n: 1..3 */

/* mov byte [cs:MARKER_AT], MARKER_VALUE; cli; hlt; jmp $-1 (16-bit) */
static const u8 start_code[] = {
	0x2e, 0xc6, 0x06, MARKER_AT & 0xff, MARKER_AT >> 8, MARKER_VALUE, 0xfa,
	0xf4, 0xeb, 0xfd,
};

/* A 32-bit store to APIC register offset @reg: NO_FAULT or the vector. */
static long try_apic_store(u32 reg, u32 value)
{
	long rax = 0;

	asm volatile("1: movl %[v], %[reg]\n\t"
		     "mov %[none], %%rax\n\t"
		     "2:\n\t" _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax), [reg] "=m"(*(u32 *)(APIC_BASE + reg))
		     : [v] "r"(value), [none] "i"(NO_FAULT)
		     : "memory");
	return rax;
}

static void send_all_but_self(u32 alias, u32 mode_and_vector)
{
	long fault = try_apic_store(alias, APIC_DEST_ALLBUT | mode_and_vector);

	pr_info("icralias store offset=0x%x %s\n", alias,
		fault == NO_FAULT      ? "ok"
		: fault == X86_TRAP_GP ? "gp"
				       : "fault");
	udelay(200);
}

void attack_icralias(void)
{
	u8 *page;
	u8 marker;

	if (x2apic_enabled()) {
		pr_info("FAIL icralias: the APIC is in x2APIC mode\n");
		return;
	}
	page = memremap(START_PAGE, PAGE_SIZE, MEMREMAP_WB);
	if (!page) {
		pr_info("FAIL icralias: cannot map the start page\n");
		return;
	}
	memset(page, 0, PAGE_SIZE);
	memcpy(page, start_code, sizeof(start_code));
	wbinvd();
	send_all_but_self(ICR_ALIAS(1),
			  APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT);
	mdelay(10);
	send_all_but_self(ICR_ALIAS(2), APIC_DM_STARTUP | (START_PAGE >> 12));
	send_all_but_self(ICR_ALIAS(3), APIC_DM_STARTUP | (START_PAGE >> 12));
	mdelay(100);
	marker = READ_ONCE(page[MARKER_AT]);
	memunmap(page);
	pr_info("icralias marker=0x%x %s\n", marker,
		marker == MARKER_VALUE ? "another-cpu-ran-root-code"
				       : "no-cpu-started");
}
