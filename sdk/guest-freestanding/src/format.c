// SPDX-License-Identifier: MIT
/* vnr_printf(): formats straight into the console, no buffer of its own. */
#include <vnr_guest/guest.h>

struct spec {
	bool left; /* '-': pad on the right */
	bool zero; /* '0': pad numbers with zeros */
	int width;
	int length; /* number of 'l' (a 'z' counts as one) */
	char conv;
};

static int pad(char c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		vnr_putc(c);
	return n > 0 ? n : 0;
}

/* Emits text (plus an optional sign) padded to the field width. */
static int emit(const struct spec *sp, char sign, const char *text, int len)
{
	int fill = sp->width - len - (sign != 0);
	int n = 0;

	if (!sp->left && !sp->zero)
		n += pad(' ', fill);
	if (sign) {
		vnr_putc(sign);
		n++;
	}
	if (!sp->left && sp->zero)
		n += pad('0', fill);
	vnr_console_write(text, len);
	if (sp->left)
		n += pad(' ', fill);
	return n + len;
}

static int emit_number(const struct spec *sp, unsigned long long v,
		       unsigned int base, char sign)
{
	const char *digits =
		sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);

	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	return emit(sp, sign, buf + i, sizeof(buf) - i);
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

static int emit_signed(const struct spec *sp, va_list *ap)
{
	long long v = arg_signed(sp, ap);

	/* Negate in unsigned arithmetic so that LLONG_MIN survives. */
	if (v < 0)
		return emit_number(sp, -(unsigned long long)v, 10, '-');
	return emit_number(sp, v, 10, 0);
}

static int emit_pointer(const struct spec *sp, va_list *ap)
{
	struct spec hex = *sp;

	hex.conv = 'x';
	vnr_console_write("0x", 2);
	hex.width = sp->width > 2 ? sp->width - 2 : 0;
	return 2 + emit_number(&hex, (uintptr_t)va_arg(*ap, void *), 16, 0);
}

static int emit_string(const struct spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	return emit(sp, 0, s, strlen(s));
}

static int convert(const struct spec *sp, va_list *ap)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		return emit_signed(sp, ap);
	case 'u':
		return emit_number(sp, arg_unsigned(sp, ap), 10, 0);
	case 'x':
	case 'X':
		return emit_number(sp, arg_unsigned(sp, ap), 16, 0);
	case 'p':
		return emit_pointer(sp, ap);
	case 's':
		return emit_string(sp, va_arg(*ap, const char *));
	case 'c':
		c = (char)va_arg(*ap, int);
		return emit(sp, 0, &c, 1);
	default:
		/* '%%' and unknown conversions print themselves. */
		vnr_putc(sp->conv);
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

int vnr_vprintf(const char *fmt, va_list ap)
{
	struct spec sp;
	va_list args;
	int n = 0;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			vnr_putc(*fmt++);
			n++;
			continue;
		}
		fmt = parse(fmt + 1, &sp);
		if (sp.conv)
			n += convert(&sp, &args);
	}
	va_end(args);
	return n;
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
