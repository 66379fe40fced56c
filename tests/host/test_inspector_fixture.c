/* test_inspector_fixture.c: the fixture-format reader of the E820 inspector, on a real table
 * and on every kind of malformed line, with the failing line number asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/e820/parse.h"

static struct e820_input in;
static struct parse_error pe;

static void assert_entry(uint32_t i, uint64_t base, uint64_t length, uint32_t type,
                         uint32_t attr, uint8_t size)
{
    assert_true(i < in.count);
    assert_int_equal(in.entry[i].base, base);
    assert_int_equal(in.entry[i].length, length);
    assert_int_equal(in.entry[i].type, type);
    assert_int_equal(in.entry[i].attr, attr);
    assert_int_equal(in.size[i], size);
}

/* The Xen HVM table of tests/fixtures/e820/23-xen-hvm-seabios-raw.txt, typed in by hand from
 * its SeaBIOS lines (exclusive ends: length = end - start). */
static void reads_a_real_table_with_comments(void **state)
{
    (void)state;
    const char *text =
        "# Xen HVM guest, hvmloader + SeaBIOS\n"
        "0x0 0x9fc00 1\n"
        "0x9fc00 0x400 2   # EBDA\n"
        "\n"
        "0xf0000 0x10000 2\n"
        "0x100000 0x7f6ff000 1\n"
        "0x7f7ff000 0x1000 2\n"
        "0xfc000000 0x1ffd000 2\n"
        "0xfdffd000 0x3000 4\n"
        "0xfe000000 0x2000000 2\n";
    assert_int_equal(parse_fixture(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 8);
    assert_entry(0, 0x0, 0x9fc00, 1, 0, 20);
    assert_entry(1, 0x9fc00, 0xa0000 - 0x9fc00, 2, 0, 20);
    assert_entry(3, 0x100000, 0x7f7ff000 - 0x100000, 1, 0, 20);
    assert_entry(6, 0xfdffd000, 0xfe000000 - 0xfdffd000, 4, 0, 20);
    assert_entry(7, 0xfe000000, 0x100000000 - 0xfe000000, 2, 0, 20);
}

static void attributes_make_24_byte_entries_and_hex_types_read(void **state)
{
    (void)state;
    const char *text = "0x0 0x1000 1 1\r\n"
                       "\t0X1000  0x1000\t0xefffffff 0x0\n"
                       "0x100000000 0xFFFFFFFFFFFFFFFF 0x2\n"
                       "0xffffffffffffffff 0x0 0"; /* no final newline */
    assert_int_equal(parse_fixture(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 4);
    assert_entry(0, 0, 0x1000, 1, 1, 24);
    assert_entry(1, 0x1000, 0x1000, 0xefffffffu, 0, 24);
    /* wrapping and zero-length entries are the sanitizer's business, not the reader's */
    assert_entry(2, 0x100000000ull, UINT64_MAX, 2, 0, 20);
    assert_entry(3, UINT64_MAX, 0, 0, 0, 20);
}

static void empty_and_comment_only_inputs_have_no_entries(void **state)
{
    (void)state;
    assert_int_equal(parse_fixture("", &in, &pe), ERR_OK);
    assert_int_equal(in.count, 0);
    assert_int_equal(parse_fixture("# nothing\n\n   \n#0x0 0x1 1\n", &in, &pe), ERR_OK);
    assert_int_equal(in.count, 0);
}

/* Each malformed text fails with ERR_BAD_FORMAT on the given line, and the message names
 * the offending field. */
static void malformed_lines_name_their_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned line;
        const char *needle;
    } cases[] = {
        { "0x0 0x1000 1\n0x1000 0xzz 2\n", 2, "length" },            /* bad hex */
        { "0x0 0x1000 1\n\n# c\n0x1000 0x1000\n", 4, "missing type" }, /* missing field */
        { "0x0\n", 1, "missing length" },
        { "1000 0x1000 1\n", 1, "base" },                            /* no 0x prefix */
        { "0x 0x1000 1\n", 1, "base" },                              /* prefix, no digits */
        { "0x0 0x10000000000000000 1\n", 1, "64 bits" },             /* 65-bit length */
        { "0x0 0x1000 4294967296\n", 1, "32 bits" },                 /* 33-bit type */
        { "0x0 0x1000 1 0x100000000\n", 1, "32 bits" },              /* 33-bit attr */
        { "0x0 0x1000 1 1 1\n", 1, "at most 4 fields" },             /* extra field */
        { "0x0 0x1000 usable\n", 1, "type" },                        /* named type */
        { "0x0,0x1000,1\n", 1, "base" },                             /* wrong separator */
        { "0x0 0x1000 1x\n", 1, "type" },                            /* trailing junk */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(&pe, 0, sizeof pe);
        assert_int_equal(parse_fixture(cases[i].text, &in, &pe), ERR_BAD_FORMAT);
        assert_int_equal(pe.line, cases[i].line);
        if (!strstr(pe.msg, cases[i].needle))
            fail_msg("case %zu: message '%s' lacks '%s'", i, pe.msg, cases[i].needle);
    }
}

/* 512 entries fit exactly; the 513th is refused with ERR_CAPACITY on its own line. */
static void more_than_512_entries_is_a_capacity_error(void **state)
{
    (void)state;
    size_t cap = 600 * 40;
    char *text = malloc(cap), *p = text;
    assert_non_null(text);
    p += sprintf(p, "# header\n");
    for (unsigned i = 0; i < MEMMAP_RAW_MAX; i++)
        p += sprintf(p, "0x%x 0x1000 1\n", i * 0x2000u);
    assert_int_equal(parse_fixture(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 512);
    assert_entry(511, 511 * 0x2000u, 0x1000, 1, 0, 20);
    sprintf(p, "0x%x 0x1000 2\n", 512 * 0x2000u);
    assert_int_equal(parse_fixture(text, &in, &pe), ERR_CAPACITY);
    assert_int_equal(pe.line, 1 + 512 + 1);
    assert_non_null(strstr(pe.msg, "512"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_a_real_table_with_comments),
        cmocka_unit_test(attributes_make_24_byte_entries_and_hex_types_read),
        cmocka_unit_test(empty_and_comment_only_inputs_have_no_entries),
        cmocka_unit_test(malformed_lines_name_their_line),
        cmocka_unit_test(more_than_512_entries_is_a_capacity_error),
    };
    return cmocka_run_group_tests_name("inspector_fixture", tests, NULL, NULL);
}
