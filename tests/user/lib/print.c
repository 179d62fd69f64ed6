/*
 * print.c - printf for the user test programs: a small formatter writing
 * through a buffer that is flushed with write(2) when full and at the end
 * of each call. The conversions it knows are listed in ulib.h.
 */

#include "ulib.h"

#include <stdbool.h>

struct out {
	int	o_fd;
	int	o_len;		/* bytes in o_buf */
	int	o_total;	/* bytes written by this call */
	int	o_error;	/* the first -errno from write, or 0 */
	char	o_buf[256];
};

static void
out_flush(struct out *o)
{
	int off = 0;

	while (off < o->o_len && o->o_error == 0) {
		ssize_t n = write(o->o_fd, o->o_buf + off, (size_t)(o->o_len - off));

		if (n <= 0)
			o->o_error = n < 0 ? (int)n : -5;	/* EIO for a write of 0 */
		else
			off += (int)n;
	}
	o->o_total += off;
	o->o_len = 0;
}

static void
out_char(struct out *o, char c)
{
	if (o->o_len == (int)sizeof(o->o_buf))
		out_flush(o);
	o->o_buf[o->o_len++] = c;
}

static void
out_padded(struct out *o, const char *s, int len, int width, bool left, char pad)
{
	for (int i = len; !left && i < width; i++)
		out_char(o, pad);
	for (int i = 0; i < len; i++)
		out_char(o, s[i]);
	for (int i = len; left && i < width; i++)
		out_char(o, ' ');
}

/* An unsigned number in base 10 or 16, with a '-' in front if neg. */
static void
out_number(struct out *o, unsigned long long v, unsigned base, bool neg, int width,
    bool left, char pad)
{
	char digits[24];
	int n = sizeof(digits);

	do {
		digits[--n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (neg && pad == '0') {
		out_char(o, '-');
		width--;
	} else if (neg) {
		digits[--n] = '-';
	}
	out_padded(o, digits + n, (int)sizeof(digits) - n, width, left, pad);
}

/* The argument for an integer conversion, by length modifier (0 none, 1 l, 2 ll, 3 z). */
static unsigned long long
arg_unsigned(va_list *ap, int len)
{
	switch (len) {
	case 0:	return va_arg(*ap, unsigned int);
	case 1:	return va_arg(*ap, unsigned long);
	case 2:	return va_arg(*ap, unsigned long long);
	default: return va_arg(*ap, size_t);
	}
}

static long long
arg_signed(va_list *ap, int len)
{
	switch (len) {
	case 0:	return va_arg(*ap, int);
	case 1:	return va_arg(*ap, long);
	case 2:	return va_arg(*ap, long long);
	default: return (long long)va_arg(*ap, size_t);
	}
}

static void
out_conversion(struct out *o, char conv, int len, int width, bool left, char pad,
    va_list *ap)
{
	const char *s;
	long long sv;
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		sv = arg_signed(ap, len);
		out_number(o, sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv,
		    10, sv < 0, width, left, pad);
		break;
	case 'u':
		out_number(o, arg_unsigned(ap, len), 10, false, width, left, pad);
		break;
	case 'x':
		out_number(o, arg_unsigned(ap, len), 16, false, width, left, pad);
		break;
	case 'p':
		out_padded(o, "0x", 2, 0, false, ' ');
		out_number(o, (uintptr_t)va_arg(*ap, void *), 16, false, width, left, pad);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		s = s != NULL ? s : "(null)";
		out_padded(o, s, (int)strlen(s), width, left, ' ');
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_padded(o, &c, 1, width, left, ' ');
		break;
	default:
		out_char(o, '%');
		out_char(o, conv);
		break;
	}
}

int
vdprintf(int fd, const char *fmt, va_list ap)
{
	struct out o = { .o_fd = fd };
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt != '\0'; fmt++) {
		bool left = false;
		char pad = ' ';
		int width = 0, len = 0;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' && len < 2; fmt++)
			len++;
		if (*fmt == 'z' && len == 0) {
			len = 3;
			fmt++;
		}
		if (*fmt == '\0')
			break;
		if (*fmt == '%')
			out_char(&o, '%');
		else
			out_conversion(&o, *fmt, len, width, left, left ? ' ' : pad, &aq);
	}
	va_end(aq);
	out_flush(&o);
	return o.o_error != 0 ? o.o_error : o.o_total;
}

int
dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}
