/* SPDX-License-Identifier: MIT */
/* The hypervisor's own log lines, "[hv] " first. */
#include <hv/format.h>
#include <hv/log.h>

void hv_vlog(const char *fmt, va_list ap)
{
	char line[256];
	int n = hv_vsnprintf(line, sizeof(line), fmt, ap);

	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	hv_console_write("[hv] ", 5);
	hv_console_write(line, (size_t)n);
}

void hv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(fmt, ap);
	va_end(ap);
}
