/* SPDX-License-Identifier: MIT */
/* The hosted stand-in for the arch console: tests read what was logged. */
#include <hv/arch.h>
#include <hv/log.h>
#include <hv/string.h>

char fake_console[8192];
size_t fake_console_len;

void arch_console_write(const char *s, size_t n)
{
	size_t room = sizeof(fake_console) - 1 - fake_console_len;

	if (n > room)
		n = room;
	memcpy(fake_console + fake_console_len, s, n);
	fake_console_len += n;
	fake_console[fake_console_len] = '\0';
}

void fake_console_reset(void);
void fake_console_reset(void)
{
	fake_console_len = 0;
	fake_console[0] = '\0';
}
