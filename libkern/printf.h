/*
 * printf.h - formatted output for the kernel and everything built on it.
 *
 * doprnt() is the one formatter (XNU's __doprnt idea): it turns a format and
 * its arguments into characters handed one at a time to a callback, so the
 * console, the kernel log and snprintf() share every conversion.
 *
 * Supported: %d %i %u %x %X %o %p %s %c %%, the length modifiers hh h l ll z
 * j t, a width and precision (digits or *), and the flags - 0 + space #, with
 * the C standard's meaning. %p prints 0x and the hex value. A NULL %s prints
 * "(null)". An unknown conversion is printed as written.
 */

#ifndef LIBKERN_PRINTF_H
#define LIBKERN_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#include "libkern/cdefs.h"

typedef void (*doprnt_putc_t)(int ch, void *arg);

/* doprnt: format into putc(ch, arg). Returns the number of characters. */
int	doprnt(const char *fmt, va_list ap, doprnt_putc_t putc, void *arg);

/*
 * snprintf, vsnprintf: format into buf, writing at most size bytes including
 * the NUL. Return the length the whole output would have had.
 */
int	snprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);
int	vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* LIBKERN_PRINTF_H */
