// SPDX-License-Identifier: MIT
/* Error texts the building steps hand back to the verb that prints them. */
#include "veneerctl.h"

#include <stdarg.h>
#include <stdio.h>

int ctl_fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}
