/* SPDX-License-Identifier: MIT */
/* The hypervisor's printf engine (see hv/format.h for what it supports). */
#include <hv/format.h>
#include <hv/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static size_t utoa(u64 v, unsigned base, bool upper, char *tmp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void put_number(struct out *o, u64 v, bool negative, unsigned base,
		       bool upper, int width, bool left, char pad)
{
	char tmp[24], num[25];
	size_t n = utoa(v, base, upper, tmp), i = 0;

	if (negative)
		num[i++] = '-';
	while (n)
		num[i++] = tmp[--n];
	put_padded(o, num, i, width, left, negative && pad == '0' ? ' ' : pad);
}

/* Reads an integer argument of the size the length modifier names. */
static u64 fetch(va_list *ap, int longs, bool is_signed, bool *negative)
{
	s64 sv;

	*negative = false;
	if (!is_signed) {
		if (longs == 0)
			return va_arg(*ap, unsigned int);
		return va_arg(*ap, unsigned long long);
	}
	sv = longs == 0 ? va_arg(*ap, int) : va_arg(*ap, long long);
	if (sv < 0) {
		*negative = true;
		return (u64)0 - (u64)sv;
	}
	return (u64)sv;
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = {buf, size, 0};
	va_list ap;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		bool left = false, negative;
		char pad = ' ';
		int width = 0, longs = 0;
		const char *s;
		u64 v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++)
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;
		switch (*fmt) {
		case 'd':
		case 'i':
			v = fetch(&ap, longs, true, &negative);
			put_number(&o, v, negative, 10, false, width, left,
				   pad);
			break;
		case 'u':
		case 'x':
		case 'X':
			v = fetch(&ap, longs, false, &negative);
			put_number(&o, v, false, *fmt == 'u' ? 10 : 16,
				   *fmt == 'X', width, left, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (u64)(uintptr_t)va_arg(ap, void *),
				   false, 16, false, 16, false, '0');
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			put_padded(&o, s, strlen(s), width, left, ' ');
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: print it as is so the bug shows.
			 */
			put(&o, '%');
			if (!*fmt)
				goto done;
			put(&o, *fmt);
		}
	}
done:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
