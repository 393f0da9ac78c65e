// SPDX-License-Identifier: MIT
/*
 * vnr_printf() and vnr_vformat(): format straight into a character sink
 * (the console, or a console channel), no buffer of their own.
 */
#include <vnr_guest/guest.h>

struct sink {
	vnr_format_sink put;
	void *ctx;
};

static void sink_write(const struct sink *o, const char *s, size_t len)
{
	while (len--)
		o->put(*s++, o->ctx);
}

struct spec {
	bool left; /* '-': pad on the right */
	bool zero; /* '0': pad numbers with zeros */
	int width;
	int length; /* number of 'l' (a 'z' counts as one) */
	char conv;
};

static int pad(const struct sink *o, char c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		o->put(c, o->ctx);
	return n > 0 ? n : 0;
}

/* Emits text (plus an optional sign) padded to the field width. */
static int emit(const struct sink *o, const struct spec *sp, char sign,
		const char *text, int len)
{
	int fill = sp->width - len - (sign != 0);
	int n = 0;

	if (!sp->left && !sp->zero)
		n += pad(o, ' ', fill);
	if (sign) {
		o->put(sign, o->ctx);
		n++;
	}
	if (!sp->left && sp->zero)
		n += pad(o, '0', fill);
	sink_write(o, text, len);
	if (sp->left)
		n += pad(o, ' ', fill);
	return n + len;
}

static int emit_number(const struct sink *o, const struct spec *sp,
		       unsigned long long v, unsigned int base, char sign)
{
	const char *digits =
		sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);

	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	return emit(o, sp, sign, buf + i, sizeof(buf) - i);
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 2)
		return va_arg(*ap, unsigned long long);
	if (sp->length == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 2)
		return va_arg(*ap, long long);
	if (sp->length == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static int emit_signed(const struct sink *o, const struct spec *sp, va_list *ap)
{
	long long v = arg_signed(sp, ap);

	/* Negate in unsigned arithmetic so that LLONG_MIN survives. */
	if (v < 0)
		return emit_number(o, sp, -(unsigned long long)v, 10, '-');
	return emit_number(o, sp, v, 10, 0);
}

static int emit_pointer(const struct sink *o, const struct spec *sp,
			va_list *ap)
{
	struct spec hex = *sp;

	hex.conv = 'x';
	sink_write(o, "0x", 2);
	hex.width = sp->width > 2 ? sp->width - 2 : 0;
	return 2 + emit_number(o, &hex, (uintptr_t)va_arg(*ap, void *), 16, 0);
}

static int emit_string(const struct sink *o, const struct spec *sp,
		       const char *s)
{
	if (!s)
		s = "(null)";
	return emit(o, sp, 0, s, strlen(s));
}

static int convert(const struct sink *o, const struct spec *sp, va_list *ap)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		return emit_signed(o, sp, ap);
	case 'u':
		return emit_number(o, sp, arg_unsigned(sp, ap), 10, 0);
	case 'x':
	case 'X':
		return emit_number(o, sp, arg_unsigned(sp, ap), 16, 0);
	case 'p':
		return emit_pointer(o, sp, ap);
	case 's':
		return emit_string(o, sp, va_arg(*ap, const char *));
	case 'c':
		c = (char)va_arg(*ap, int);
		return emit(o, sp, 0, &c, 1);
	default:
		/* '%%' and unknown conversions print themselves. */
		o->put(sp->conv, o->ctx);
		return 1;
	}
}

/* Parses the conversion after a '%'; returns where it ends. */
static const char *parse(const char *p, struct spec *sp)
{
	*sp = (struct spec){0};
	for (;; p++) {
		if (*p == '-')
			sp->left = true;
		else if (*p == '0')
			sp->zero = true;
		else
			break;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		sp->width = sp->width * 10 + (*p - '0');
	for (; *p == 'l' || *p == 'z'; p++)
		sp->length++;
	sp->conv = *p;
	return *p ? p + 1 : p;
}

int vnr_vformat(vnr_format_sink put, void *ctx, const char *fmt, va_list ap)
{
	const struct sink o = {put, ctx};
	struct spec sp;
	va_list args;
	int n = 0;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(*fmt++, ctx);
			n++;
			continue;
		}
		fmt = parse(fmt + 1, &sp);
		if (sp.conv)
			n += convert(&o, &sp, &args);
	}
	va_end(args);
	return n;
}

static void console_put(char c, void *ctx)
{
	(void)ctx;
	vnr_putc(c);
}

int vnr_vprintf(const char *fmt, va_list ap)
{
	return vnr_vformat(console_put, NULL, fmt, ap);
}

int vnr_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vnr_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
