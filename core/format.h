/* format.h: the printf formatting engine of stage2's console. Pure: it writes characters
 * through a callback and knows nothing of serial ports or screens, so it is the same code in
 * stage2 and in the host tests.
 *
 * Conversions: %s %c %d %i %u %x %X %p %%; flags '-' (left-justify), '0' (zero-pad), '+',
 * ' ', '#' (0x prefix); a field width and a precision (digits, or '*' from the arguments);
 * length modifiers hh h l ll z j t (64-bit values work in 32-bit code). %s of NULL prints
 * "(null)". An unknown conversion is printed as written; a format never makes the engine
 * read past its terminating NUL. Widths and precisions are capped at FORMAT_MAX_WIDTH. */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#define FORMAT_MAX_WIDTH 4096

/* Receives each output character in order. */
typedef void (*format_putc_fn)(void *ctx, char c);

/* Format through putc; returns the number of characters written. */
int format_vprint(format_putc_fn putc, void *ctx, const char *fmt, va_list ap);
int format_print(format_putc_fn putc, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format into buf (size bytes, always NUL-terminated when size > 0, like snprintf); returns
 * the length the whole output would have had. */
int format_vsnprint(char *buf, size_t size, const char *fmt, va_list ap);
int format_snprint(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
