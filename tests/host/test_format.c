/* test_format.c: the printf engine against hand-worked strings and against the host libc's
 * snprintf (an independent implementation) for the conversions both support. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "format.h"

/* Ours and libc's must agree, in text and in returned length. */
#define SAME_AS_LIBC(...)                                                   \
    do {                                                                    \
        char ours[512], ref[512];                                           \
        int n1 = format_snprint(ours, sizeof ours, __VA_ARGS__);            \
        int n2 = snprintf(ref, sizeof ref, __VA_ARGS__);                    \
        assert_string_equal(ours, ref);                                     \
        assert_int_equal(n1, n2);                                           \
    } while (0)

#define EXPECT(want, ...)                                                   \
    do {                                                                    \
        char got[512];                                                      \
        int n = format_snprint(got, sizeof got, __VA_ARGS__);               \
        assert_string_equal(got, want);                                     \
        assert_int_equal(n, (int)strlen(want));                             \
    } while (0)

/* The same as format_snprint without the printf attribute, so the compiler lets the hostile
 * and NULL cases through to the engine. */
static int unchecked_snprint(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_vsnprint(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#define EXPECT_UNCHECKED(want, ...)                                         \
    do {                                                                    \
        char got[512];                                                      \
        int n = unchecked_snprint(got, sizeof got, __VA_ARGS__);            \
        assert_string_equal(got, want);                                     \
        assert_int_equal(n, (int)strlen(want));                             \
    } while (0)

static void hand_worked_examples(void **state)
{
    (void)state;
    EXPECT("hello", "hello");
    EXPECT("42 -7 x %", "%d %i %c %%", 42, -7, 'x');
    EXPECT("0x1f 0X1F", "%#x %#X", 31u, 31u);
    EXPECT("ff FF", "%x %X", 255u, 255u);
    EXPECT("00000abc", "%08x", 0xabcu);
    EXPECT("[   12][12   ]", "[%5d][%-5d]", 12, 12);
    EXPECT("-0012", "%05d", -12);
    EXPECT("[  ab]", "[%4s]", "ab");
    EXPECT("[ab  ]", "[%-4s]", "ab");
    EXPECT_UNCHECKED("(null)", "%s", (const char *)NULL);
    EXPECT("4294967295", "%u", 4294967295u);
    EXPECT("18446744073709551615", "%llu", 18446744073709551615ull);
    EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    EXPECT("ffffffffffffffff", "%llx", 0xffffffffffffffffull);
    EXPECT("100000000", "%llx", 0x100000000ull);
    EXPECT("-2147483648", "%d", INT_MIN);
    EXPECT("123", "%zu", (size_t)123);
    EXPECT("0x8000", "%p", (void *)(uintptr_t)0x8000);
    EXPECT("multios: entering kernel at 0xffffffff80000000",
           "multios: entering kernel at %#llx", 0xffffffff80000000ull);
    EXPECT("abc", "%.3s", "abcdef");
    EXPECT("00042", "%.5d", 42);
}

static void agrees_with_libc(void **state)
{
    (void)state;
    SAME_AS_LIBC("%d|%i|%u|%x|%X", 0, -1, 0u, 0u, 0xdeadbeefu);
    SAME_AS_LIBC("%10d|%-10d|%010d|%+d|% d", 1234, -1234, -1234, 5, 5);
    SAME_AS_LIBC("%lu %ld %lx", 1ul << 31, -5l, 0xabcdul);
    SAME_AS_LIBC("%llu %lld %llX", 12345678901234567ull, -12345678901234567ll,
                 0xfedcba9876543210ull);
    SAME_AS_LIBC("%hhu %hhd %hu %hd", 300u, 200, 70000u, 40000);
    SAME_AS_LIBC("%zu %zx", (size_t)-1, (size_t)0x1234);
    SAME_AS_LIBC("%*d|%-*d|%.*s|%*s", 6, 7, 6, 7, 2, "xyz", -4, "q");
    SAME_AS_LIBC("%.0d|%.0x|%5.0d|%.3d|%8.3d|%-8.3d|", 0, 0u, 0, 7, -7, 7);
    SAME_AS_LIBC("%#08x|%#x|%#10X", 0x1234u, 0u, 0xabu);
    SAME_AS_LIBC("%c%c%c|%3c|%-3c|", 'a', 'b', 'c', 'd', 'e');
    SAME_AS_LIBC("%s=%s", "key", "");
    SAME_AS_LIBC("%016llx %-16llx|", 0x1ull, 0x2ull);
    SAME_AS_LIBC("%jd %td", (intmax_t)-3, (ptrdiff_t)-4);
}

static void truncates_like_snprintf(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(format_snprint(buf, 5, "%s", "abcdefgh"), 8);
    assert_string_equal(buf, "abcd");
    assert_int_equal(buf[5], 'Z');   /* nothing written past size */
    assert_int_equal(format_snprint(buf, 1, "xyz"), 3);
    assert_string_equal(buf, "");
    buf[0] = 'Q';
    assert_int_equal(format_snprint(buf, 0, "xyz"), 3);
    assert_int_equal(buf[0], 'Q');   /* size 0: untouched */
    assert_int_equal(format_snprint(NULL, 0, "%d", 12345), 5);
}

static void hostile_formats_get_an_answer(void **state)
{
    (void)state;
    /* Unknown conversions print as written; a trailing '%' or an unfinished spec stops. */
    EXPECT_UNCHECKED("%q|%5k|", "%q|%5k|");
    EXPECT_UNCHECKED("abc%", "abc%");
    EXPECT_UNCHECKED("abc%-08", "abc%-08");
    EXPECT_UNCHECKED("x%ll", "x%ll");
    /* Huge widths and precisions are capped at FORMAT_MAX_WIDTH, not overflowed. */
    char *big = test_malloc(FORMAT_MAX_WIDTH + 16);
    int n = unchecked_snprint(big, FORMAT_MAX_WIDTH + 16, "%99999999999999999999d", 1);
    assert_int_equal(n, FORMAT_MAX_WIDTH);
    assert_int_equal(strlen(big), FORMAT_MAX_WIDTH);
    assert_int_equal(big[FORMAT_MAX_WIDTH - 1], '1');
    assert_int_equal(big[0], ' ');
    n = unchecked_snprint(big, FORMAT_MAX_WIDTH + 16, "%*d", INT_MIN, 1);
    assert_int_equal(n, FORMAT_MAX_WIDTH);
    assert_int_equal(big[0], '1');   /* negative '*' width means left-justify */
    test_free(big);
    assert_int_equal(unchecked_snprint(NULL, 0, NULL), 0);
}

struct sink {
    char buf[64];
    int len;
};

static void sink_putc(void *ctx, char c)
{
    struct sink *s = ctx;
    if (s->len < (int)sizeof s->buf - 1)
        s->buf[s->len++] = c;
}

static void callback_sees_every_character(void **state)
{
    (void)state;
    struct sink s = { .len = 0 };
    int n = format_print(sink_putc, &s, "%s-%03u\n", "E820", 7u);
    assert_int_equal(n, 9);
    assert_int_equal(s.len, 9);
    assert_memory_equal(s.buf, "E820-007\n", 9);
    assert_int_equal(format_print(NULL, &s, "x"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hand_worked_examples),
        cmocka_unit_test(agrees_with_libc),
        cmocka_unit_test(truncates_like_snprintf),
        cmocka_unit_test(hostile_formats_get_an_answer),
        cmocka_unit_test(callback_sees_every_character),
    };
    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
