/* test_inspector_dmesg.c: the Linux dmesg/syslog reader: both line forms, every prefix a
 * capture may carry, every type name, and malformed lines with their line numbers. */
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

#define DIR "tests/fixtures/inspector/"

static struct e820_input in;
static struct parse_error pe;

static void assert_table(const struct e820_entry *w, uint32_t n)
{
    testutil_assert_entries(in.entry, in.count, w, n);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(in.size[i], 20);
}

/* A kern.log with two boots: the second boot's table (the VirtualBox 6 GiB VM of
 * tests/fixtures/e820/19-virtualbox-bios-6g.txt) is the answer. Inclusive ends: length =
 * end - start + 1. */
static void syslog_with_two_boots_gives_the_last_table(void **state)
{
    (void)state;
    static const struct e820_entry w[] = {
        { 0x0, 0x9fc00, 1, 0 },
        { 0x9fc00, 0x400, 2, 0 },
        { 0xf0000, 0x10000, 2, 0 },
        { 0x100000, 0xdfef0000, 1, 0 },     /* 0xdffeffff - 0x100000 + 1 */
        { 0xdfff0000, 0x10000, 3, 0 },      /* ACPI data */
        { 0xfec00000, 0x1000, 2, 0 },
        { 0xfee00000, 0x1000, 2, 0 },
        { 0xfffc0000, 0x40000, 2, 0 },
        { 0x100000000, 0xa0000000, 1, 0 },  /* up to 0x19fffffff: 2.5 GiB above 4 GiB */
    };
    char *text = testutil_read_file(DIR "dmesg-virtualbox-syslog.log", NULL);
    assert_int_equal(parse_dmesg(text, &in, &pe), ERR_OK);
    free(text);
    assert_table(w, 9);
}

/* Linux 2.6's form, exclusive ends, through syslog's "kernel: " prefix. The machine of
 * tests/fixtures/e820/02-lkml2005-intel-dualcore-4g-no-remap.txt. */
static void old_format_with_exclusive_ends(void **state)
{
    (void)state;
    static const struct e820_entry w[] = {
        { 0x0, 0x9fc00, 1, 0 },
        { 0x9fc00, 0x400, 2, 0 },
        { 0xedbb0, 0x12450, 2, 0 },          /* 0x100000 - 0xedbb0 */
        { 0x100000, 0xceb11000, 1, 0 },
        { 0xcec11000, 0x201000, 4, 0 },
        { 0xcee12000, 0x87d000, 1, 0 },
        { 0xcf68f000, 0x5a000, 4, 0 },
        { 0xcf6e9000, 0x4000, 1, 0 },
        { 0xcf6ed000, 0x12000, 3, 0 },
        { 0xcf6ff000, 0x1000, 1, 0 },
    };
    char *text = testutil_read_file(DIR "dmesg-2.6-old-format.log", NULL);
    assert_int_equal(parse_dmesg(text, &in, &pe), ERR_OK);
    free(text);
    assert_table(w, 10);
}

/* Every name Linux prints, under every prefix a capture carries (dmesg -r printk levels,
 * dmesg -T wall-clock stamps, journalctl, none). */
static void every_type_name_and_prefix(void **state)
{
    (void)state;
    const char *text =
        "<6>[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable\n"
        "[Wed Nov 25 05:00:00 2026] BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] reserved\n"
        "Nov 25 05:00:00 host kernel: BIOS-e820: [mem 0x0000000000002000-0x0000000000002fff] ACPI data\n"
        "BIOS-e820: [mem 0x0000000000003000-0x0000000000003fff] ACPI NVS\n"
        "  BIOS-e820: [mem 0x0000000000004000-0x0000000000004fff] unusable\n"
        "BIOS-e820: [mem 0x0000000000005000-0x0000000000005fff] persistent (type 7)\n"
        "BIOS-e820: [mem 0x0000000000006000-0x0000000000006fff] persistent (type 12)\n"
        "BIOS-e820: [mem 0x0000000000007000-0x0000000000007fff] soft reserved\n"
        "BIOS-e820: [mem 0x0000000000008000-0x0000000000008fff] type 20\n"
        "BIOS-e820: [mem 0x0000000000009000-0x0000000000009fff] unknown-21\n"
        " BIOS-e820: 000000000000a000 - 000000000000b000 (ACPI data)\n"
        " BIOS-e820: 000000000000b000 - 000000000000c000 type 128\n"
        " BIOS-e820: 000000000000c000 - 000000000000c000 (usable)\n"  /* zero length: kept */
        " BIOS-e820: fffffffffffff000 - 0000000000000000 (reserved)\n"; /* ends at 2^64 */
    static const struct e820_entry w[] = {
        { 0x0000, 0x1000, 1, 0 },  { 0x1000, 0x1000, 2, 0 },  { 0x2000, 0x1000, 3, 0 },
        { 0x3000, 0x1000, 4, 0 },  { 0x4000, 0x1000, 5, 0 },  { 0x5000, 0x1000, 7, 0 },
        { 0x6000, 0x1000, 12, 0 }, { 0x7000, 0x1000, 0xefffffffu, 0 },
        { 0x8000, 0x1000, 20, 0 }, { 0x9000, 0x1000, 21, 0 }, { 0xa000, 0x1000, 3, 0 },
        { 0xb000, 0x1000, 128, 0 }, { 0xc000, 0, 1, 0 },
        { 0xfffffffffffff000ull, 0x1000, 2, 0 },
    };
    assert_int_equal(parse_dmesg(text, &in, &pe), ERR_OK);
    assert_table(w, sizeof w / sizeof w[0]);
}

/* The top of the space: an inclusive end of 2^64 - 1 is fine from a non-zero start. */
static void inclusive_end_at_the_top(void **state)
{
    (void)state;
    assert_int_equal(parse_dmesg("BIOS-e820: [mem 0xfffffffffffff000-0xffffffffffffffff] "
                                 "reserved\n", &in, &pe), ERR_OK);
    assert_int_equal(in.count, 1);
    assert_int_equal(in.entry[0].length, 0x1000);
}

static void fails_on(const char *text, err_t code, unsigned line, const char *needle)
{
    memset(&pe, 0, sizeof pe);
    assert_int_equal(parse_dmesg(text, &in, &pe), code);
    assert_int_equal(pe.line, line);
    if (!strstr(pe.msg, needle))
        fail_msg("message '%s' lacks '%s'", pe.msg, needle);
}

static void malformed_lines_name_their_line(void **state)
{
    (void)state;
    const char *ok = "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n";
    char text[512];
    static const struct {
        const char *line;
        const char *needle;
    } cases[] = {
        { "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffzz] reserved", "malformed range" },
        { "BIOS-e820: [mem 0x00000000000f0000-] reserved", "malformed range" },
        { "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff]", "missing type" },
        { "BIOS-e820: [mem 0x00000000000f0000-0x00000000000effff] reserved", "below start" },
        { "BIOS-e820: [mem 0x0000000000000000-0xffffffffffffffff] reserved", "all of the" },
        { "BIOS-e820: [mem 0x00000000000f0000-0x10000000000000000] reserved", "malformed" },
        { "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] bogus", "unknown type" },
        { "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] type 4294967296", "unknown" },
        { "BIOS-e820: 00000000000f0000 00000000000fffff (reserved)", "malformed range" },
        { "BIOS-e820: 0000000000100000 - 00000000000f0000 (reserved)", "below start" },
        { "BIOS-e820: 10000000000000000 - 0 (reserved)", "64 bits" },
        { "BIOS-e820: 00000000000f0000 - 0000000000100000", "missing type" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "Linux version 6.1\n%s%s\n%s", ok, cases[i].line, ok);
        fails_on(text, ERR_BAD_FORMAT, 3, cases[i].needle);
    }
    fails_on("Linux version 6.1\nno memory map here\n", ERR_BAD_FORMAT, 0, "no 'BIOS-e820:'");
}

/* 512 lines fit; the 513th is refused on its line, never dropped. */
static void more_than_512_lines_is_a_capacity_error(void **state)
{
    (void)state;
    char *text = malloc(600 * 80), *p = text;
    assert_non_null(text);
    for (unsigned i = 0; i < 512; i++)
        p += sprintf(p, "BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n", 0x2000ull * i,
                     0x2000ull * i + 0xfff);
    assert_int_equal(parse_dmesg(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 512);
    sprintf(p, "BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n", 0x2000ull * 512,
            0x2000ull * 512 + 0xfff);
    fails_on(text, ERR_CAPACITY, 513, "512");
    free(text);
}

/* The same log with CRLF line ends (captured on Windows or through a serial terminal) gives
 * the same table as the LF original, whose entries the tests above check by hand. */
static void a_crlf_capture_reads_the_same(void **state)
{
    (void)state;
    testutil_assert_crlf_same(parse_dmesg, DIR "dmesg-virtualbox-syslog.log");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syslog_with_two_boots_gives_the_last_table),
        cmocka_unit_test(old_format_with_exclusive_ends),
        cmocka_unit_test(every_type_name_and_prefix),
        cmocka_unit_test(inclusive_end_at_the_top),
        cmocka_unit_test(malformed_lines_name_their_line),
        cmocka_unit_test(more_than_512_lines_is_a_capacity_error),
        cmocka_unit_test(a_crlf_capture_reads_the_same),
    };
    return cmocka_run_group_tests_name("inspector_dmesg", tests, NULL, NULL);
}
