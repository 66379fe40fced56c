/* format.c: printf-style formatting through a character callback (see format.h). No
 * allocation, no floating point, bounded stack; every format string gets an answer. */
#include <stdbool.h>
#include <stdint.h>

#include "format.h"

enum {
    FL_LEFT = 1,     /* '-' */
    FL_ZERO = 2,     /* '0' */
    FL_PLUS = 4,     /* '+' */
    FL_SPACE = 8,    /* ' ' */
    FL_ALT = 16,     /* '#' */
};

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX, LEN_PTRDIFF };

struct out {
    format_putc_fn putc;
    void *ctx;
    int count;
};

struct spec {
    unsigned flags;
    int width;       /* 0 if none */
    int precision;   /* -1 if none */
    enum length len;
};

static void out_char(struct out *o, char c)
{
    o->putc(o->ctx, c);
    if (o->count < INT32_MAX)
        o->count++;
}

static void out_repeat(struct out *o, char c, int n)
{
    for (int i = 0; i < n; i++)
        out_char(o, c);
}

/* Digits of a decimal width/precision, capped so hostile input cannot overflow an int. */
static int parse_number(const char **p)
{
    int v = 0;
    while (**p >= '0' && **p <= '9') {
        if (v < FORMAT_MAX_WIDTH)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v < FORMAT_MAX_WIDTH ? v : FORMAT_MAX_WIDTH;
}

static int clamp_width(int v)
{
    return v > FORMAT_MAX_WIDTH ? FORMAT_MAX_WIDTH : v;
}

/* Text with padding: the common tail of %s and %c. */
static void emit_text(struct out *o, const struct spec *s, const char *text, int n)
{
    int pad = s->width > n ? s->width - n : 0;
    if (!(s->flags & FL_LEFT))
        out_repeat(o, ' ', pad);
    for (int i = 0; i < n; i++)
        out_char(o, text[i]);
    if (s->flags & FL_LEFT)
        out_repeat(o, ' ', pad);
}

static void emit_string(struct out *o, const struct spec *s, const char *str)
{
    if (!str)
        str = "(null)";
    int n = 0;
    while (str[n] && (s->precision < 0 || n < s->precision))
        n++;
    emit_text(o, s, str, n);
}

/* An integer: sign or prefix, zero padding to precision or width, digits, padding. */
static void emit_integer(struct out *o, const struct spec *s, uint64_t mag, bool negative,
                         unsigned base, bool upper, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];   /* 2^64 has 20 decimal digits */
    int n = 0;
    if (mag == 0 && s->precision == 0) {
        /* "%.0d" of 0 prints no digits, as in C. */
    } else {
        do {
            buf[n++] = digits[mag % base];
            mag /= base;
        } while (mag);
    }

    char sign = 0;
    if (negative)
        sign = '-';
    else if (s->flags & FL_PLUS)
        sign = '+';
    else if (s->flags & FL_SPACE)
        sign = ' ';
    int prefix_len = (sign ? 1 : 0);
    for (const char *p = prefix; *p; p++)
        prefix_len++;

    int zeros = s->precision > n ? s->precision - n : 0;
    int body = prefix_len + zeros + n;
    int pad = s->width > body ? s->width - body : 0;
    /* '0' pads with zeros between the prefix and the digits, unless '-' or a precision. */
    if ((s->flags & FL_ZERO) && !(s->flags & FL_LEFT) && s->precision < 0) {
        zeros += pad;
        pad = 0;
    }

    if (!(s->flags & FL_LEFT))
        out_repeat(o, ' ', pad);
    if (sign)
        out_char(o, sign);
    for (const char *p = prefix; *p; p++)
        out_char(o, *p);
    out_repeat(o, '0', zeros);
    while (n > 0)
        out_char(o, buf[--n]);
    if (s->flags & FL_LEFT)
        out_repeat(o, ' ', pad);
}

static int64_t fetch_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return (int64_t)va_arg(*ap, size_t);  /* ssize_t is not standard C */
    case LEN_MAX: return va_arg(*ap, intmax_t);
    case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_MAX: return va_arg(*ap, uintmax_t);
    case LEN_PTRDIFF: return (uint64_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Flags, width, precision and length after a '%'; *p is left on the conversion letter. */
static void parse_spec(const char **p, struct spec *s, va_list *ap)
{
    *s = (struct spec){ .precision = -1 };
    for (;; (*p)++) {
        switch (**p) {
        case '-': s->flags |= FL_LEFT; continue;
        case '0': s->flags |= FL_ZERO; continue;
        case '+': s->flags |= FL_PLUS; continue;
        case ' ': s->flags |= FL_SPACE; continue;
        case '#': s->flags |= FL_ALT; continue;
        default: break;
        }
        break;
    }
    if (**p == '*') {
        int w = va_arg(*ap, int);
        if (w < 0) {
            s->flags |= FL_LEFT;
            w = w == INT32_MIN ? FORMAT_MAX_WIDTH : -w;
        }
        s->width = clamp_width(w);
        (*p)++;
    } else {
        s->width = parse_number(p);
    }
    if (**p == '.') {
        (*p)++;
        if (**p == '*') {
            int pr = va_arg(*ap, int);
            s->precision = pr < 0 ? -1 : clamp_width(pr);
            (*p)++;
        } else {
            s->precision = parse_number(p);
        }
    }
    switch (**p) {
    case 'h':
        (*p)++;
        s->len = LEN_SHORT;
        if (**p == 'h') {
            (*p)++;
            s->len = LEN_CHAR;
        }
        break;
    case 'l':
        (*p)++;
        s->len = LEN_LONG;
        if (**p == 'l') {
            (*p)++;
            s->len = LEN_LLONG;
        }
        break;
    case 'z': (*p)++; s->len = LEN_SIZE; break;
    case 'j': (*p)++; s->len = LEN_MAX; break;
    case 't': (*p)++; s->len = LEN_PTRDIFF; break;
    default: break;
    }
}

int format_vprint(format_putc_fn putc, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { putc, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    if (!putc || !fmt) {
        va_end(args);
        return 0;
    }

    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            out_char(&o, *p);
            continue;
        }
        const char *start = p;
        p++;
        struct spec s;
        parse_spec(&p, &s, &args);
        switch (*p) {
        case '%':
            out_char(&o, '%');
            break;
        case 'c': {
            char c = (char)va_arg(args, int);
            emit_text(&o, &s, &c, 1);
            break;
        }
        case 's':
            emit_string(&o, &s, va_arg(args, const char *));
            break;
        case 'd':
        case 'i': {
            int64_t v = fetch_signed(&args, s.len);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            emit_integer(&o, &s, mag, v < 0, 10, false, "");
            break;
        }
        case 'u':
            s.flags &= ~(unsigned)(FL_PLUS | FL_SPACE);
            emit_integer(&o, &s, fetch_unsigned(&args, s.len), false, 10, false, "");
            break;
        case 'x':
        case 'X': {
            s.flags &= ~(unsigned)(FL_PLUS | FL_SPACE);
            uint64_t v = fetch_unsigned(&args, s.len);
            const char *prefix = (s.flags & FL_ALT) && v ? (*p == 'x' ? "0x" : "0X") : "";
            emit_integer(&o, &s, v, false, 16, *p == 'X', prefix);
            break;
        }
        case 'p':
            s.flags &= ~(unsigned)(FL_PLUS | FL_SPACE);
            emit_integer(&o, &s, (uintptr_t)va_arg(args, void *), false, 16, false, "0x");
            break;
        default:
            /* Unknown or missing conversion: print what was written and carry on; at the
             * terminating NUL, stop without reading past it. */
            for (const char *q = start; q < p; q++)
                out_char(&o, *q);
            if (!*p) {
                va_end(args);
                return o.count;
            }
            out_char(&o, *p);
            break;
        }
    }
    va_end(args);
    return o.count;
}

int format_print(format_putc_fn putc, void *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_vprint(putc, ctx, fmt, ap);
    va_end(ap);
    return n;
}

struct buf_sink {
    char *buf;
    size_t size;
    size_t len;
};

static void buf_putc(void *ctx, char c)
{
    struct buf_sink *b = ctx;
    if (b->size && b->len < b->size - 1)
        b->buf[b->len] = c;
    b->len++;
}

int format_vsnprint(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = { buf, buf ? size : 0, 0 };
    int n = format_vprint(buf_putc, &b, fmt, ap);
    if (b.size)
        b.buf[b.len < b.size ? b.len : b.size - 1] = '\0';
    return n;
}

int format_snprint(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_vsnprint(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
