// SPDX-License-Identifier: MIT
/*
 * A console client: prints `lines` long lines through the console channel
 * (each longer than the client's buffer, so that it travels in several
 * WRITE packets), then a partial line with a FLUSH, and closes.  The
 * service must print each line whole, as "<name>: <n> <name x 12> end".
 *
 * Command line: lines=N (default 200).  Port 1 message SINT 2, port 2
 * event SINT 3 flags=64; connections 1/2 to the service's ports for it.
 */
#include <vnr_test.h>
#include <vnr_guest/console_channel.h>

int vnr_main(const struct vnr_start_info *si)
{
	vnr_u32 lines = (vnr_u32)vnr_cmdline_u64("lines", 200), n, k;

	vnr_test_begin(si->name);
	if (!VNR_EXPECT(vnr_channels_init(2, 3)) ||
	    !VNR_EXPECT(vnr_console_channel_open(1, 2)))
		return vnr_test_done();
	for (n = 1; n <= lines; n++) {
		vnr_console_channel_printf("%u", n);
		for (k = 0; k < 12; k++)
			vnr_console_channel_printf(" %s", si->name);
		vnr_console_channel_printf(" end\n");
		/* Give the other client a chance to interleave. */
		if (n % 16 == 0)
			vnr_vp_yield();
	}
	vnr_console_channel_printf("partial line from %s", si->name);
	vnr_console_channel_flush();
	VNR_EXPECT_EQ(vnr_console_channel()->state, VNR_CHSTATE_OPEN);
	vnr_test_note("sent %u lines, %lu signals", lines,
		      vnr_console_channel()->signals);
	vnr_console_channel_close();
	return vnr_test_done();
}
