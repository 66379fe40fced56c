/* test_inspector_detect.c: which reader an input needs, decided from its text alone. */
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

#define DIR "tests/fixtures/"

static void real_inputs(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum parse_form form;
    } cases[] = {
        /* fixture headers quote "BIOS-e820: a - b (type)" and "e820 map has 8 items:" in
         * their # comments: still fixtures */
        { "e820/02-lkml2005-intel-dualcore-4g-no-remap.txt", PARSE_FORM_FIXTURE },
        { "e820/23-xen-hvm-seabios-raw.txt", PARSE_FORM_FIXTURE },
        { "e820/19-virtualbox-bios-6g.txt", PARSE_FORM_FIXTURE },
        { "inspector/dmesg-virtualbox-syslog.log", PARSE_FORM_DMESG },
        { "inspector/dmesg-2.6-old-format.log", PARSE_FORM_DMESG },
        { "inspector/seabios/q35-2G-full-debug.log", PARSE_FORM_SEABIOS },
        { "inspector/seabios/pc-32M.log", PARSE_FORM_SEABIOS },
        { "inspector/seabios/q35-4G-kvm.log", PARSE_FORM_SEABIOS },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, DIR "%s", cases[i].file);
        char *text = testutil_read_file(path, NULL);
        enum parse_form got = parse_detect(text);
        free(text);
        if (got != cases[i].form)
            fail_msg("%s: detected %s, want %s", cases[i].file, parse_form_name(got),
                     parse_form_name(cases[i].form));
    }
}

static void small_texts(void **state)
{
    (void)state;
    /* empty or comments only: an empty fixture */
    assert_int_equal(parse_detect(""), PARSE_FORM_FIXTURE);
    assert_int_equal(parse_detect("# nothing yet\n\n"), PARSE_FORM_FIXTURE);
    assert_int_equal(parse_detect("  0X0 0x1000 1\n"), PARSE_FORM_FIXTURE);
    /* a fixture whose 2nd line is broken is still a fixture (its reader names the line) */
    assert_int_equal(parse_detect("0x0 0x1000 1\nBIOS-e820: [mem 0x0-0xfff] usable\n"),
                     PARSE_FORM_FIXTURE);
    assert_int_equal(parse_detect("[ 0.0] BIOS-e820: [mem 0x0-0xfff] usable\n"),
                     PARSE_FORM_DMESG);
    assert_int_equal(parse_detect("kernel:  BIOS-e820: 0000000000000000 - 000000000009f800 "
                                  "(usable)\n"), PARSE_FORM_DMESG);
    /* a serial capture with both: the SeaBIOS table is the raw one */
    assert_int_equal(parse_detect("e820 map has 1 items:\n"
                                  "  0: 0000000000000000 - 000000000009fc00 = 1 RAM\n"
                                  "[ 0.0] BIOS-e820: [mem 0x0-0x9fbff] usable\n"),
                     PARSE_FORM_SEABIOS);
    /* words that only look like the markers */
    assert_int_equal(parse_detect("the e820 map has many items: see below\n"),
                     PARSE_FORM_UNKNOWN);
    assert_int_equal(parse_detect("BIOS-e820: disabled\n"), PARSE_FORM_UNKNOWN);
    assert_int_equal(parse_detect("hello\n0x0 0x1000 1\n"), PARSE_FORM_UNKNOWN);
}

static void dispatch_and_names(void **state)
{
    (void)state;
    static struct e820_input in;
    struct parse_error pe;
    assert_int_equal(parse_text(PARSE_FORM_DMESG, "BIOS-e820: [mem 0x1000-0x1fff] usable\n",
                                &in, &pe), ERR_OK);
    assert_int_equal(in.count, 1);
    assert_int_equal(in.entry[0].length, 0x1000);
    assert_int_equal(parse_text(PARSE_FORM_SYSFS, "x", &in, &pe), ERR_UNSUPPORTED);
    assert_string_equal(parse_form_name(PARSE_FORM_SEABIOS), "seabios");
    assert_string_equal(parse_form_name(PARSE_FORM_SYSFS), "sysfs");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_inputs),
        cmocka_unit_test(small_texts),
        cmocka_unit_test(dispatch_and_names),
    };
    return cmocka_run_group_tests_name("inspector_detect", tests, NULL, NULL);
}
