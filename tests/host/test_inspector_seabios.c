/* test_inspector_seabios.c: the SeaBIOS debug-log reader on the real QEMU logs (including the
 * whole, unedited q35-2G debug log) and on broken tables, with the failing line asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/e820/parse.h"
#include "testutil.h"

#define DIR "tests/fixtures/inspector/seabios/"

static struct e820_input in;
static struct parse_error pe;

static void assert_table(const struct e820_entry *w, uint32_t n)
{
    testutil_assert_entries(in.entry, in.count, w, n);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(in.entry[i].attr, 0);
        assert_int_equal(in.size[i], 20);
    }
}

/* q35, 2 GiB, the whole log: the table sits near the end among ~110 other lines. Lengths are
 * end - start of each printed line, worked out by hand. */
static void whole_q35_2g_debug_log(void **state)
{
    (void)state;
    static const struct e820_entry w[] = {
        { 0x0, 0x9fc00, 1, 0 },
        { 0x9fc00, 0x400, 2, 0 },            /* a0000 - 9fc00 */
        { 0xf0000, 0x10000, 2, 0 },          /* 100000 - f0000 */
        { 0x100000, 0x7fedf000, 1, 0 },      /* 7ffdf000 - 100000 */
        { 0x7ffdf000, 0x21000, 2, 0 },       /* 80000000 - 7ffdf000 */
        { 0xb0000000, 0x10000000, 2, 0 },    /* PCIe MMCONFIG */
        { 0xfed1c000, 0x4000, 2, 0 },
        { 0xfffc0000, 0x40000, 2, 0 },       /* BIOS ROM up to 4 GiB */
        { 0xfd00000000, 0x300000000, 2, 0 }, /* 10000000000 - fd00000000 */
    };
    char *text = testutil_read_file(DIR "q35-2G-full-debug.log", NULL);
    assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
    free(text);
    assert_table(w, 9);
}

/* Eleven items: the two-digit index "10:" and RAM above 4 GiB. */
static void q35_4g_kvm_log(void **state)
{
    (void)state;
    static const struct e820_entry w[] = {
        { 0x0, 0x9fc00, 1, 0 },
        { 0x9fc00, 0x400, 2, 0 },
        { 0xf0000, 0x10000, 2, 0 },
        { 0x100000, 0x7fedf000, 1, 0 },
        { 0x7ffdf000, 0x21000, 2, 0 },
        { 0xb0000000, 0x10000000, 2, 0 },
        { 0xfed1c000, 0x4000, 2, 0 },
        { 0xfeffc000, 0x4000, 2, 0 },         /* the KVM pages: ff000000 - feffc000 */
        { 0xfffc0000, 0x40000, 2, 0 },
        { 0x100000000, 0x80000000, 1, 0 },    /* 180000000 - 100000000: 2 GiB high */
        { 0xfd00000000, 0x300000000, 2, 0 },
    };
    char *text = testutil_read_file(DIR "q35-4G-kvm.log", NULL);
    assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
    free(text);
    assert_table(w, 11);
}

/* Every log against an independent sscanf reading of its `i: S - E = T` lines. */
static void every_log_matches_a_sscanf_reading(void **state)
{
    (void)state;
    static const char *const logs[] = { "pc-1G.log", "pc-32M.log", "pc-4G.log",
                                        "q35-128M.log", "q35-2G-full-debug.log", "q35-3G.log",
                                        "q35-4G-kvm.log", "q35-8G.log" };
    for (size_t k = 0; k < sizeof logs / sizeof logs[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, DIR "%s", logs[k]);
        char *text = testutil_read_file(path, NULL);
        char *h = strstr(text, "e820 map has ");
        assert_non_null(h);
        unsigned items = 0;
        assert_int_equal(sscanf(h, "e820 map has %u items:", &items), 1);
        assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
        assert_int_equal(in.count, items);
        char *line = strchr(h, '\n') + 1;
        for (unsigned i = 0; i < items; i++) {
            unsigned idx, type;
            unsigned long long s, e;
            assert_int_equal(sscanf(line, " %u: %llx - %llx = %u", &idx, &s, &e, &type), 4);
            assert_int_equal(idx, i);
            assert_int_equal(in.entry[i].base, s);
            assert_int_equal(in.entry[i].base + in.entry[i].length, e);
            assert_int_equal(in.entry[i].type, type);
            line = strchr(line, '\n') + 1;
        }
        free(text);
    }
}

/* SeaBIOS prints its table again whenever it changes it; the last one counts, even if an
 * earlier one was cut short. */
static void the_last_table_wins(void **state)
{
    (void)state;
    const char *text = "e820 map has 3 items:\n"
                       "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
                       "Relocating init\n"
                       "e820 map has 2 items:\n"
                       "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
                       "  1: 0000000000100000 - 0000000002000000 = 1 RAM\n"
                       "enter handle_19:\n"
                       "  0: not an entry, after the table\n";
    static const struct e820_entry w[] = { { 0, 0x9fc00, 1, 0 }, { 0x100000, 0x1f00000, 1, 0 } };
    assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
    assert_table(w, 2);
}

/* A Xen HVM guest relays hvmloader/SeaBIOS output with a "(XEN) HVM4: " tag on each line. */
static void xen_relayed_log_with_prefix(void **state)
{
    (void)state;
    const char *text = "(XEN) HVM4: Invoking SeaBIOS ...\n"
                       "(XEN) HVM4: e820 map has 3 items:\n"
                       "(XEN) HVM4:   0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
                       "(XEN) HVM4:   1: 00000000fdffd000 - 00000000fe000000 = 4 NVS\n"
                       "(XEN) HVM4:   2: fffffffffffff000 - 0000000000000000 = 2 RESERVED\n"
                       "(XEN) HVM4: Booting from Hard Disk...\n";
    /* The last range ends exactly at 2^64, which a 64-bit start + size prints as 0. */
    static const struct e820_entry w[] = {
        { 0, 0x9fc00, 1, 0 }, { 0xfdffd000, 0x3000, 4, 0 }, { 0xfffffffffffff000ull, 0x1000, 2, 0 }
    };
    assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
    assert_table(w, 3);
}

/* A serial logger stamps each line with the time: same width, different text. */
static void timestamped_capture(void **state)
{
    (void)state;
    const char *text = "[09:15:02.118] Returned 16642048 bytes of ZoneHigh\n"
                       "[09:15:02.118] e820 map has 2 items:\n"
                       "[09:15:02.119]   0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
                       "  1: 000000000009fc00 - 00000000000a0000 = 2 RESERVED\n"
                       "[09:15:02.121] enter handle_19:\n";
    static const struct e820_entry w[] = { { 0, 0x9fc00, 1, 0 }, { 0x9fc00, 0x400, 2, 0 } };
    assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
    assert_table(w, 2);
}

static void fails_on(const char *text, err_t code, unsigned line, const char *needle)
{
    memset(&pe, 0, sizeof pe);
    assert_int_equal(parse_seabios(text, &in, &pe), code);
    assert_int_equal(pe.line, line);
    if (!strstr(pe.msg, needle))
        fail_msg("message '%s' lacks '%s'", pe.msg, needle);
}

static void broken_tables_name_their_line(void **state)
{
    (void)state;
    /* truncated: 3 announced, other output after 2 */
    fails_on("boot\ne820 map has 3 items:\n"
             "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
             "  1: 000000000009fc00 - 00000000000a0000 = 2 RESERVED\n"
             "enter handle_19:\n",
             ERR_BAD_FORMAT, 5, "truncated");
    /* truncated by the end of the capture */
    fails_on("e820 map has 3 items:\n"
             "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n",
             ERR_BAD_FORMAT, 3, "truncated");
    /* count mismatch: a third entry where the header said 2 */
    fails_on("e820 map has 2 items:\n"
             "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
             "  1: 000000000009fc00 - 00000000000a0000 = 2 RESERVED\n"
             "  2: 00000000000f0000 - 0000000000100000 = 2 RESERVED\n",
             ERR_BAD_FORMAT, 4, "count mismatch");
    /* bad hex */
    fails_on("e820 map has 2 items:\n"
             "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
             "  1: 000000000009fc0g - 00000000000a0000 = 2 RESERVED\n",
             ERR_BAD_FORMAT, 3, "malformed entry 1");
    /* 17 hex digits: more than 64 bits */
    fails_on("e820 map has 1 items:\n"
             "  0: 10000000000000000 - 0000000000000000 = 1 RAM\n",
             ERR_BAD_FORMAT, 2, "too large");
    /* end below start */
    fails_on("e820 map has 1 items:\n"
             "  0: 0000000000100000 - 0000000000001000 = 1 RAM\n",
             ERR_BAD_FORMAT, 2, "below start");
    /* missing field: no type */
    fails_on("e820 map has 1 items:\n"
             "  0: 0000000000000000 - 000000000009fc00 =\n",
             ERR_BAD_FORMAT, 2, "malformed entry 0");
    /* an index out of sequence */
    fails_on("e820 map has 2 items:\n"
             "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
             "  2: 000000000009fc00 - 00000000000a0000 = 2 RESERVED\n",
             ERR_BAD_FORMAT, 3, "numbered 2");
    /* more than the raw capacity announced */
    fails_on("x\ny\ne820 map has 513 items:\n", ERR_CAPACITY, 3, "513");
    /* no table at all */
    fails_on("SeaBIOS (version 1.16.2)\nBooting from Hard Disk...\n", ERR_BAD_FORMAT, 0,
             "no 'e820 map has");
}

/* Exactly MEMMAP_RAW_MAX items fit. */
static void a_512_item_table_fits(void **state)
{
    (void)state;
    char *text = malloc(600 * 64), *p = text;
    assert_non_null(text);
    p += sprintf(p, "e820 map has 512 items:\n");
    for (unsigned i = 0; i < 512; i++)
        p += sprintf(p, "  %u: %016llx - %016llx = 1 RAM\n", i, 0x2000ull * i,
                     0x2000ull * i + 0x1000);
    assert_int_equal(parse_seabios(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 512);
    assert_int_equal(in.entry[511].base, 511 * 0x2000ull);
    assert_int_equal(in.entry[511].length, 0x1000);
    free(text);
}

/* The same log with CRLF line ends (captured on Windows or through a serial terminal) gives
 * the same table as the LF original, whose entries the tests above check by hand. */
static void a_crlf_capture_reads_the_same(void **state)
{
    (void)state;
    testutil_assert_crlf_same(parse_seabios, DIR "q35-2G-full-debug.log");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_q35_2g_debug_log),
        cmocka_unit_test(q35_4g_kvm_log),
        cmocka_unit_test(every_log_matches_a_sscanf_reading),
        cmocka_unit_test(the_last_table_wins),
        cmocka_unit_test(xen_relayed_log_with_prefix),
        cmocka_unit_test(timestamped_capture),
        cmocka_unit_test(broken_tables_name_their_line),
        cmocka_unit_test(a_512_item_table_fits),
        cmocka_unit_test(a_crlf_capture_reads_the_same),
    };
    return cmocka_run_group_tests_name("inspector_seabios", tests, NULL, NULL);
}
