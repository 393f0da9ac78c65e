/* SPDX-License-Identifier: MIT */
/* Which partition names the hypervisor and the SDK accept. */
#include <libvnr/name.h>
#include <libvnr/string.h>
#include <veneer/boot.h>

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool vnr_name_valid(const char *name)
{
	size_t n = strnlen(name, VNR_NAME_MAX);

	if (n == 0 || n == VNR_NAME_MAX || !strcmp(name, "hv"))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(name[i]))
			return false;
	return true;
}
