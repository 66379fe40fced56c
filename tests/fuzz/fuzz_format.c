/* fuzz_format.c: libFuzzer harness for the printf engine (format.h). Two halves:
 *   1. Conversions built from the input (conversion, flags, width and precision as digits or
 *      '*', length modifier, value) where C defines the result: the engine's output and
 *      return value must equal the host snprintf's, whole and truncated to every size.
 *   2. The input as a raw format string (anything: unknown conversions, a lone '%' at the
 *      end, huge widths) with safe arguments: output always NUL-terminated inside the
 *      buffer, never a byte past size, the same characters as the unbounded callback form,
 *      and never a read past the format's NUL (ASan: the format is an exact-size copy).
 * abort() on a violation. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz_check.h"

#define BIG 16384

static char want[BIG], got[BIG + 64];

struct sink {
    char *buf;
    size_t len;
};

static void sink_putc(void *ctx, char c)
{
    struct sink *s = ctx;
    if (s->len < BIG)
        s->buf[s->len] = c;
    s->len++;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The engine's result into buffers of every interesting size, each checked against the
 * complete output `full` (n characters): the prefix, the NUL, nothing written past size. */
static void check_sizes(const char *full, int n, const char *fmt, va_list ap, size_t extra)
{
    static const size_t sizes[] = {0, 1, 2, 3, 7, 16, 64};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]) + 1; k++) {
        size_t sz = k < 7 ? sizes[k] : extra % (BIG - 1) + 1;
        /* The engine writes in order: a stray byte would land right after the buffer. */
        memset(got, 0xee, sz + 64);
        va_list cp;
        va_copy(cp, ap);
        int r = format_vsnprint(sz ? got : NULL, sz, fmt, cp);
        va_end(cp);
        CHECK(r == n);
        for (size_t i = sz; i < sz + 64; i++)
            CHECK((unsigned char)got[i] == 0xee);
        if (sz == 0)
            continue;
        size_t len = (size_t)n < sz - 1 ? (size_t)n : sz - 1;
        CHECK(got[len] == '\0');
        CHECK(memcmp(got, full, len) == 0);
    }
}

static void check_all(const char *full, int n, const char *fmt, size_t extra, ...)
{
    va_list ap;
    va_start(ap, extra);
    check_sizes(full, n, fmt, ap, extra);
    va_end(ap);
}

/* Run one format with up to two '*' arguments before the value, on both engines. */
#define RUN(fmt, ws, w, ps, pr, val, extra) do {                                         \
        int n_, m_;                                                                        \
        struct sink s_ = { want, 0 };                                                      \
        if (ws && ps) {                                                                    \
            n_ = snprintf(want, BIG, fmt, w, pr, val);                                     \
            m_ = format_snprint(got, BIG, fmt, w, pr, val);                                \
            CHECK(n_ == m_ && n_ < BIG && memcmp(want, got, (size_t)n_ + 1) == 0);         \
            check_all(want, n_, fmt, extra, w, pr, val);                                   \
            CHECK(format_print(sink_putc, &s_, fmt, w, pr, val) == n_);                    \
        } else if (ws) {                                                                   \
            n_ = snprintf(want, BIG, fmt, w, val);                                         \
            m_ = format_snprint(got, BIG, fmt, w, val);                                    \
            CHECK(n_ == m_ && n_ < BIG && memcmp(want, got, (size_t)n_ + 1) == 0);         \
            check_all(want, n_, fmt, extra, w, val);                                       \
            CHECK(format_print(sink_putc, &s_, fmt, w, val) == n_);                        \
        } else if (ps) {                                                                   \
            n_ = snprintf(want, BIG, fmt, pr, val);                                        \
            m_ = format_snprint(got, BIG, fmt, pr, val);                                   \
            CHECK(n_ == m_ && n_ < BIG && memcmp(want, got, (size_t)n_ + 1) == 0);         \
            check_all(want, n_, fmt, extra, pr, val);                                      \
            CHECK(format_print(sink_putc, &s_, fmt, pr, val) == n_);                       \
        } else {                                                                           \
            n_ = snprintf(want, BIG, fmt, val);                                            \
            m_ = format_snprint(got, BIG, fmt, val);                                       \
            CHECK(n_ == m_ && n_ < BIG && memcmp(want, got, (size_t)n_ + 1) == 0);         \
            check_all(want, n_, fmt, extra, val);                                          \
            CHECK(format_print(sink_putc, &s_, fmt, val) == n_);                           \
        }                                                                                  \
        CHECK(s_.len == (size_t)n_ && memcmp(s_.buf, want, (size_t)n_) == 0);             \
    } while (0)

static const char conv_set[] = "diuxXscp%";
static const char *const len_set[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};

/* One conversion from 14 bytes: conversion, flags, width, precision, length, value. */
static void one_conversion(const uint8_t *b, const char *str)
{
    char conv = conv_set[b[0] % 9];
    unsigned fl = b[1] & 31, wm = (b[1] >> 5) % 3, pm = b[2] % 3;
    int wv = (int)(int8_t)b[3] * 3, pv = (int)(int8_t)b[4];
    unsigned li = b[5] % 8;
    uint64_t v = get64(b + 6);
    bool is_int = strchr("diuxX", conv) != NULL;

    /* Keep to what C defines (and what glibc prints like the C standard says). */
    if (!is_int) {
        li = 0;
        fl &= ~(2u | 16u);         /* '0' and '#' are undefined for s, c, p */
        if (conv == 'c' || conv == 'p')
            pm = 0;                /* precision: undefined for c; glibc-specific for p */
        if (conv == 'p')
            fl &= 1u;              /* only '-': glibc's %p flags are its own */
        if (conv == '%')
            fl = 0, wm = 0;
    }
    if (conv == 'd' || conv == 'i' || conv == 'u')
        fl &= ~16u;                /* '#' is undefined for decimal */
    if (conv == 'p' && v == 0)
        v = 1;                     /* glibc prints (nil) */

    char fmt[64];
    int k = 0;
    fmt[k++] = '<';
    fmt[k++] = '%';
    for (unsigned i = 0; i < 5; i++)
        if (fl & (1u << i))
            fmt[k++] = "-0+ #"[i];
    bool ws = wm == 2, ps = pm == 2;
    if (wm == 1)
        k += sprintf(fmt + k, "%u", (unsigned)b[3]);
    else if (ws)
        fmt[k++] = '*';
    if (pm == 1)
        k += sprintf(fmt + k, ".%u", (unsigned)b[4] % 200);
    else if (ps)
        fmt[k++] = '.', fmt[k++] = '*';
    k += sprintf(fmt + k, "%s%c>", len_set[li], conv);
    fmt[k] = '\0';
    size_t extra = get64(b + 6) >> 3;

    switch (conv) {
    case 'd': case 'i':
        switch (li) {
        case 0: case 1: case 2: RUN(fmt, ws, wv, ps, pv, (int)v, extra); break;
        case 3: RUN(fmt, ws, wv, ps, pv, (long)v, extra); break;
        case 4: RUN(fmt, ws, wv, ps, pv, (long long)v, extra); break;
        case 5: RUN(fmt, ws, wv, ps, pv, (size_t)v, extra); break;
        case 6: RUN(fmt, ws, wv, ps, pv, (intmax_t)v, extra); break;
        default: RUN(fmt, ws, wv, ps, pv, (ptrdiff_t)v, extra); break;
        }
        break;
    case 'u': case 'x': case 'X':
        switch (li) {
        case 0: case 1: case 2: RUN(fmt, ws, wv, ps, pv, (unsigned)v, extra); break;
        case 3: RUN(fmt, ws, wv, ps, pv, (unsigned long)v, extra); break;
        case 4: RUN(fmt, ws, wv, ps, pv, (unsigned long long)v, extra); break;
        case 5: RUN(fmt, ws, wv, ps, pv, (size_t)v, extra); break;
        case 6: RUN(fmt, ws, wv, ps, pv, (uintmax_t)v, extra); break;
        default: RUN(fmt, ws, wv, ps, pv, (ptrdiff_t)v, extra); break;
        }
        break;
    case 's': RUN(fmt, ws, wv, ps, pv, str, extra); break;
    case 'c': RUN(fmt, ws, wv, ps, pv, (int)(int8_t)v, extra); break;
    case 'p': RUN(fmt, ws, wv, ps, pv, (void *)(uintptr_t)v, extra); break;
    default: RUN(fmt, ws, wv, ps, pv, 0, extra); break; /* "%%": the argument is unused */
    }
}

/* A raw format: every argument is a pointer to a valid string, so whatever the format asks
 * for (an integer reads the pointer's bits) stays defined on the host ABI. */
static void raw_format(const uint8_t *data, size_t size)
{
    static const char text[] = "fuzz";
    size_t n = size > 512 ? 512 : size;
    char *fmt = malloc(n + 1);
    CHECK(fmt != NULL);
    memcpy(fmt, data, n);
    fmt[n] = '\0';
    size_t uses = 0;
    for (size_t i = 0; i < n; i++)
        uses += fmt[i] == '%' || fmt[i] == '*';
    if (uses <= 24) {
        const char *a = text;
        struct sink s = { want, 0 };
        int r = format_print(sink_putc, &s, fmt, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a,
                             a, a, a, a, a, a, a, a, a);
        CHECK(r >= 0 && s.len == (size_t)r);
        /* Each conversion adds at most its width/precision cap plus a 2^64 in digits. */
        CHECK((size_t)r <= n + uses * (2 * FORMAT_MAX_WIDTH + 64));
        if (r < BIG)
            check_all(want, r, fmt, n * 131, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a,
                      a, a, a, a, a, a, a, a);
    }
    free(fmt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1) {
        raw_format(data + 1, size - 1);
        return 0;
    }
    /* Structured: a string for %s (up to the first NUL, at most 40 bytes), then 14-byte
     * conversions. */
    char str[41];
    size_t p = 1, sl = 0;
    while (p < size && sl < 40 && data[p])
        str[sl++] = (char)data[p++];
    str[sl] = '\0';
    p++;
    for (int i = 0; i < 8 && p + 14 <= size; i++, p += 14)
        one_conversion(data + p, str);
    return 0;
}
