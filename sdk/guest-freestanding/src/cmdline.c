// SPDX-License-Identifier: MIT
/* Number options in the start info command line. */
#include <vnr_guest/guest.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Finds "key=" at the start of a word; returns the value or NULL. */
static const char *find_value(const char *p, const char *key)
{
	size_t len = strlen(key);

	while (*p) {
		while (is_space(*p))
			p++;
		if (!strncmp(p, key, len) && p[len] == '=')
			return p + len + 1;
		while (*p && !is_space(*p))
			p++;
	}
	return NULL;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Parses a whole word as a number; false if it is not one. */
static bool parse_u64(const char *p, vnr_u64 *out)
{
	unsigned int base = 10;
	vnr_u64 v = 0;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p || is_space(*p))
		return false;
	for (; *p && !is_space(*p); p++) {
		d = digit_value(*p);
		if (d >= (int)base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

vnr_u64 vnr_cmdline_u64(const char *key, vnr_u64 def)
{
	const struct vnr_start_info *si = vnr_boot_info();
	const char *value;
	vnr_u64 v;

	/* The hypervisor terminates cmdline; do not rely on it. */
	if (strnlen(si->cmdline, VNR_CMDLINE_MAX) == VNR_CMDLINE_MAX)
		return def;
	value = find_value(si->cmdline, key);
	if (!value || !parse_u64(value, &v))
		return def;
	return v;
}

bool vnr_cmdline_str(const char *key, char *buf, size_t size)
{
	const struct vnr_start_info *si = vnr_boot_info();
	const char *value;
	size_t n = 0;

	if (!size || strnlen(si->cmdline, VNR_CMDLINE_MAX) == VNR_CMDLINE_MAX)
		return false;
	value = find_value(si->cmdline, key);
	if (!value)
		return false;
	while (value[n] && !is_space(value[n]) && n + 1 < size) {
		buf[n] = value[n];
		n++;
	}
	buf[n] = '\0';
	return true;
}

const char *vnr_list_next(const char *list, char *item, size_t size)
{
	size_t n = 0;

	if (!*list)
		return NULL;
	for (; *list && *list != ','; list++)
		if (n + 1 < size)
			item[n++] = *list;
	item[n] = '\0';
	return *list == ',' ? list + 1 : list;
}
