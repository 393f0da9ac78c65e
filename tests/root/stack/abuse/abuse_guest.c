// SPDX-License-Identifier: MIT
/*
 * A partition of the root that abuses its monitor, chosen by mode= on its
 * command line:
 *   mode=1  console flood: count= writes of 4088 bytes (0: forever)
 *   mode=2  port storm: count= IN/OUT pairs on port 0x80 (0: forever)
 *   mode=3  spins forever with interrupts enabled, never halting
 *   mode=4  cli; hlt forever: halted with no timer and no interrupt
 *   mode=5  VP_HALT with no timeout, forever
 *   mode=6  one line: the value of say= (a line of the guest's choosing)
 */
#include <vnr_guest/guest.h>

static char line[4088];

static void flood(vnr_u64 count)
{
	vnr_u64 n;

	for (vnr_u64 i = 0; i < sizeof(line); i++)
		line[i] = (char)('A' + i % 26);
	line[sizeof(line) - 1] = '\n';
	for (n = 0; !count || n < count; n++)
		vnr_debug_write(line, sizeof(line));
	vnr_printf("flood: %lu writes done\n", n);
}

static void ports(vnr_u64 count)
{
	vnr_u64 n;
	vnr_u8 v = 0;

	for (n = 0; !count || n < count; n++) {
		asm volatile("outb %0, $0x80" : : "a"(v));
		asm volatile("inb $0x80, %0" : "=a"(v));
	}
	vnr_printf("ports: %lu pairs done, last 0x%x\n", n, v);
}

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u64 mode = vnr_cmdline_u64("mode", 0);
	vnr_u64 count = vnr_cmdline_u64("count", 0);

	vnr_printf("abuse: '%s' mode %lu count %lu\n", si->name, mode, count);
	switch (mode) {
	case 1:
		flood(count);
		break;
	case 2:
		ports(count);
		break;
	case 3:
		for (;;)
			asm volatile("" : : : "memory");
	case 4:
		for (;;)
			asm volatile("cli; hlt" : : : "memory");
	case 5:
		for (;;)
			vnr_vp_halt(~0ull);
	case 6: {
		char say[128];

		if (vnr_cmdline_str("say", say, sizeof(say)))
			vnr_printf("%s\n", say);
		break;
	}
	default:
		return 2;
	}
	return 0;
}
