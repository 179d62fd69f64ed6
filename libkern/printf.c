/*
 * printf.c - doprnt(), the kernel's one formatter, and snprintf on top.
 *
 * A conversion is parsed into a struct fmt_spec (flags, width, precision,
 * length), its argument fetched at the right width, and the result laid out
 * as [padding][sign][prefix][zeros][digits][padding], which is the order the
 * C standard defines for every integer conversion.
 */

#include "libkern/printf.h"

#include <stdbool.h>
#include <stdint.h>

#include "libkern/ctype.h"
#include "libkern/string.h"

enum fmt_length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE,
	LEN_INTMAX, LEN_PTRDIFF };

struct fmt_spec {
	bool	left;		/* '-' */
	bool	plus;		/* '+' */
	bool	space;		/* ' ' */
	bool	alt;		/* '#' */
	bool	zero;		/* '0' */
	int	width;		/* -1 if none */
	int	precision;	/* -1 if none */
	enum fmt_length length;
};

struct out {
	doprnt_putc_t	putc;
	void		*arg;
	int		count;
};

static void
out_char(struct out *o, int c)
{
	o->putc(c, o->arg);
	o->count++;
}

static void
out_repeat(struct out *o, int c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void
out_string(struct out *o, const char *s, int n)
{
	while (n-- > 0)
		out_char(o, *s++);
}

/*
 * Widths and precisions past this are clamped: no console line needs more,
 * and it keeps the arithmetic far from int overflow.
 */
#define FMT_FIELD_MAX	4096

static int
digit_append(int v, char digit)
{
	return MIN(v * 10 + (digit - '0'), FMT_FIELD_MAX);
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *
parse_spec(const char *p, struct fmt_spec *spec, va_list *ap)
{
	*spec = (struct fmt_spec){ .width = -1, .precision = -1 };

	for (;; p++) {
		if (*p == '-')
			spec->left = true;
		else if (*p == '+')
			spec->plus = true;
		else if (*p == ' ')
			spec->space = true;
		else if (*p == '#')
			spec->alt = true;
		else if (*p == '0')
			spec->zero = true;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);

		if (w < 0) {
			spec->left = true;
			w = w < -FMT_FIELD_MAX ? FMT_FIELD_MAX : -w;
		}
		spec->width = MIN(w, FMT_FIELD_MAX);
		p++;
	} else {
		for (; isdigit(*p); p++)
			spec->width = digit_append(spec->width < 0 ? 0 : spec->width, *p);
	}
	if (*p == '.') {
		p++;
		spec->precision = 0;
		if (*p == '*') {
			int prec = va_arg(*ap, int);

			spec->precision = prec < 0 ? -1 : MIN(prec, FMT_FIELD_MAX);
			p++;
		} else {
			for (; isdigit(*p); p++)
				spec->precision = digit_append(spec->precision, *p);
		}
	}
	switch (*p) {
	case 'h':
		spec->length = p[1] == 'h' ? (p++, LEN_CHAR) : LEN_SHORT;
		p++;
		break;
	case 'l':
		spec->length = p[1] == 'l' ? (p++, LEN_LLONG) : LEN_LONG;
		p++;
		break;
	case 'z':
		spec->length = LEN_SIZE;
		p++;
		break;
	case 'j':
		spec->length = LEN_INTMAX;
		p++;
		break;
	case 't':
		spec->length = LEN_PTRDIFF;
		p++;
		break;
	default:
		break;
	}
	return p;
}

static uintmax_t
fetch_unsigned(enum fmt_length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:		return va_arg(*ap, unsigned long);
	case LEN_LLONG:		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:		return va_arg(*ap, size_t);
	case LEN_INTMAX:	return va_arg(*ap, uintmax_t);
	case LEN_PTRDIFF:	return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default:		return va_arg(*ap, unsigned int);
	}
}

static intmax_t
fetch_signed(enum fmt_length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:		return (short)va_arg(*ap, int);
	case LEN_LONG:		return va_arg(*ap, long);
	case LEN_LLONG:		return va_arg(*ap, long long);
	case LEN_SIZE:		return (intmax_t)va_arg(*ap, size_t);
	case LEN_INTMAX:	return va_arg(*ap, intmax_t);
	case LEN_PTRDIFF:	return va_arg(*ap, ptrdiff_t);
	default:		return va_arg(*ap, int);
	}
}

/* Lay out one integer conversion. */
static void
format_integer(struct out *o, const struct fmt_spec *spec, uintmax_t value,
    bool negative, unsigned base, bool upper, const char *prefix)
{
	const char *digitset = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];	/* 22 octal digits are the most a 64-bit value needs */
	int ndigits = 0, nzeros = 0, npad, nprefix;
	char sign = 0;

	while (value != 0) {
		digits[ndigits++] = digitset[value % base];
		value /= base;
	}
	/* A zero value with precision 0 prints no digits (C11 7.21.6.1). */
	if (ndigits == 0 && spec->precision != 0)
		digits[ndigits++] = '0';

	if (negative)
		sign = '-';
	else if (spec->plus)
		sign = '+';
	else if (spec->space)
		sign = ' ';

	if (spec->precision > ndigits)
		nzeros = spec->precision - ndigits;
	/* '#' with octal: the first digit must be a zero. */
	if (base == 8 && spec->alt && nzeros == 0 &&
	    (ndigits == 0 || digits[ndigits - 1] != '0'))
		nzeros = 1;

	nprefix = prefix != NULL ? (int)strlen(prefix) : 0;
	npad = spec->width - (ndigits + nzeros + nprefix + (sign != 0));
	if (spec->zero && !spec->left && spec->precision < 0 && npad > 0) {
		nzeros += npad;
		npad = 0;
	}

	if (!spec->left)
		out_repeat(o, ' ', npad);
	if (sign != 0)
		out_char(o, sign);
	out_string(o, prefix != NULL ? prefix : "", nprefix);
	out_repeat(o, '0', nzeros);
	while (ndigits > 0)
		out_char(o, digits[--ndigits]);
	if (spec->left)
		out_repeat(o, ' ', npad);
}

static void
format_string(struct out *o, const struct fmt_spec *spec, const char *s)
{
	int len, npad;

	if (s == NULL)
		s = "(null)";
	len = spec->precision >= 0 ? (int)strnlen(s, (size_t)spec->precision)
				   : (int)strlen(s);
	npad = spec->width - len;
	if (!spec->left)
		out_repeat(o, ' ', npad);
	out_string(o, s, len);
	if (spec->left)
		out_repeat(o, ' ', npad);
}

/* One conversion at p (just past the '%'); returns the char after it. */
static const char *
format_one(struct out *o, const char *start, va_list *ap)
{
	struct fmt_spec spec;
	const char *p = parse_spec(start, &spec, ap);
	intmax_t sv;
	uintmax_t uv;
	char c;

	switch (*p) {
	case 'd':
	case 'i':
		sv = fetch_signed(spec.length, ap);
		uv = sv < 0 ? -(uintmax_t)sv : (uintmax_t)sv;
		format_integer(o, &spec, uv, sv < 0, 10, false, NULL);
		break;
	case 'u':
		spec.plus = spec.space = false;		/* signs are for %d and %i */
		format_integer(o, &spec, fetch_unsigned(spec.length, ap), false, 10,
		    false, NULL);
		break;
	case 'x':
	case 'X':
		spec.plus = spec.space = false;
		uv = fetch_unsigned(spec.length, ap);
		format_integer(o, &spec, uv, false, 16, *p == 'X',
		    spec.alt && uv != 0 ? (*p == 'X' ? "0X" : "0x") : NULL);
		break;
	case 'o':
		spec.plus = spec.space = false;
		format_integer(o, &spec, fetch_unsigned(spec.length, ap), false, 8,
		    false, NULL);
		break;
	case 'p':
		spec.plus = spec.space = false;
		format_integer(o, &spec, (uintptr_t)va_arg(*ap, void *), false, 16,
		    false, "0x");
		break;
	case 's':
		format_string(o, &spec, va_arg(*ap, const char *));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		if (!spec.left)
			out_repeat(o, ' ', spec.width - 1);
		out_char(o, c);
		if (spec.left)
			out_repeat(o, ' ', spec.width - 1);
		break;
	case '%':
		out_char(o, '%');
		break;
	case '\0':
		/* A conversion cut off by the end: print it as written. */
		out_char(o, '%');
		out_string(o, start, (int)(p - start));
		return p;
	default:
		/* Unknown: print the whole conversion as written. */
		out_char(o, '%');
		out_string(o, start, (int)(p - start) + 1);
		break;
	}
	return p + 1;
}

int
doprnt(const char *fmt, va_list ap, doprnt_putc_t putc, void *arg)
{
	struct out o = { .putc = putc, .arg = arg, .count = 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = format_one(&o, fmt + 1, &aq);
	}
	va_end(aq);
	return o.count;
}

struct snprintf_buf {
	char	*buf;
	size_t	size;
	size_t	used;
};

static void
snprintf_putc(int ch, void *arg)
{
	struct snprintf_buf *b = arg;

	if (b->used + 1 < b->size)
		b->buf[b->used] = (char)ch;
	b->used++;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct snprintf_buf b = { .buf = buf, .size = size, .used = 0 };
	int n = doprnt(fmt, ap, snprintf_putc, &b);

	if (size > 0)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
