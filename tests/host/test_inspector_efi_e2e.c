/* test_inspector_efi_e2e.c: build/e820 on UEFI maps as a user runs it: form detection (the
 * EFI map beats Linux's E820 lines in the same dmesg; --input picks either), the UEFI
 * section of the table, the "efi" object of json (checked by python's parser), the fixture
 * output of a real map, and errors naming their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"

#define TOOL "build/e820"
#define DIR "tests/fixtures/efi/"

static char out[1 << 16], again[1 << 16];
static char tmp[64];

#define run(...) testutil_run(out, sizeof out, __VA_ARGS__)

static int setup(void **state)
{
    (void)state;
    return testutil_tool_setup(TOOL, tmp, sizeof tmp, "test_inspector_efi_e2e");
}

static int teardown(void **state)
{
    (void)state;
    return testutil_remove_tmpdir(tmp);
}

static void assert_has(const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("output lacks '%s':\n%s", needle, out);
}

/* A dmesg with both tables: the EFI map is read unless --input dmesg says otherwise; on
 * this machine the two sanitize to the same map (see test_inspector_efi_dmesg). */
static void efi_map_beats_e820_lines_and_input_picks(void **state)
{
    (void)state;
    const char *f = DIR "dmesg-5.3-asus-zenbook-ux391fa.log";
    assert_int_equal(run(TOOL " %s", f), 0);
    assert_has("efi-dmesg input, 49 raw entries -> 16 sanitized");
    assert_has("UEFI map (49 descriptors -> 49 raw entries): nothing to convert but types");
    assert_has("0x0000000100000000  0x000000047e000000    13.96 GiB  usable");
    assert_int_equal(run(TOOL " --format fixture --input efi-dmesg %s", f), 0);
    memcpy(again, out, sizeof out);
    assert_int_equal(run(TOOL " --input dmesg %s", f), 0);
    assert_has("dmesg input, 16 raw entries -> 16 sanitized");
    if (strstr(out, "UEFI map"))
        fail_msg("an E820 input has no UEFI section");
    assert_int_equal(run(TOOL " --format fixture --input=dmesg %s", f), 0);
    assert_string_equal(out, again);
}

/* text written to NAME in the scratch directory; returns its path (valid until the next
 * call). */
static const char *scratch_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    testutil_write_file(path, text);
    return path;
}

/* A hand-made hostile map through every output: each UEFI count in the table and in json,
 * and the json valid to python with the same numbers. */
static void hostile_map_reports_in_table_and_json(void **state)
{
    (void)state;
    const char *path = scratch_file("hostile.log",
        "efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009ffff] (0MB)\n"
        "efi: mem01: [Conventional|   |  |  |  |  |  |  |  |  |  |   |  |  |  |UC] range=[0x0000000000100000-0x00000000001fffff] (1MB)\n"
        "efi: mem02: [Conventional|   |  |  |SP|  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000100000000-0x000000013fffffff] (1024MB)\n"
        "efi: mem03: [type=1879048193|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000200000-0x0000000000200fff] (0MB)\n"
        "efi: mem04: [Boot Data   |   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000800-0x00000000000017ff] (0MB)\n"
        "efi: mem05: [Reserved    |attr=0x0000000000000000] range=[0x0000000000300000-0x00000000002fffff] (0MB)\n");
    assert_int_equal(run(TOOL " %s", path), 0);
    assert_has("efi-dmesg input, 5 raw entries -> 3 sanitized");
    assert_has("UEFI map (6 descriptors -> 5 raw entries):\n");
    assert_has("  descriptors dropped: zero pages            1\n");
    assert_has("  usable types without WB: reserved          1\n");
    assert_has("  usable types with SP: soft reserved        1\n");
    assert_has("  unknown (OEM/OS) types: reserved           1\n");
    assert_has("  starts not 4 KiB aligned (kept)            1\n");
    assert_has("0x0000000000100000  0x0000000000201000     1.00 MiB  reserved");
    assert_has("0x0000000100000000  0x0000000140000000        1 GiB  soft reserved");
    char json[160];
    snprintf(json, sizeof json, "%s/out.json", tmp);
    assert_int_equal(run(TOOL " --format json %s > %s", path, json), 0);
    assert_int_equal(run("python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))[\"efi\"]; "
                         "print(e[\"descriptors\"], e[\"zero_pages\"], e[\"not_wb\"], "
                         "e[\"soft_reserved\"], e[\"unknown_type\"], e[\"unaligned\"], "
                         "e[\"out_of_range\"])' %s", json), 0);
    assert_string_equal(out, "6 1 1 1 1 1 0\n");
    /* an E820 input says so with null */
    assert_int_equal(run("printf '0x0 0x1000 1\\n' | " TOOL " --format json -"), 0);
    assert_has("\"efi\": null,");
}

/* The UEFI Shell's capture, detected, with the map the shell's own totals confirm. */
static void shell_capture_end_to_end(void **state)
{
    (void)state;
    assert_int_equal(run(TOOL " --align 4096 --format fixture " DIR "shell-edk2-ovmf-128m.txt"),
                     0);
    assert_string_equal(out, "0x0 0xa0000 1\n"
                             "0x100000 0x700000 1\n"
                             "0x800000 0x8000 4\n"
                             "0x808000 0x8000 1\n"
                             "0x810000 0xf0000 4\n"
                             "0x900000 0x6fef000 1\n"
                             "0x78ef000 0x280000 2\n"
                             "0x7b6f000 0x10000 3\n"
                             "0x7b7f000 0x80000 4\n"
                             "0x7bff000 0x2f5000 1\n"
                             "0x7ef4000 0x84000 2\n"
                             "0x7f78000 0x88000 4\n"
                             "0xffc00000 0x400000 2\n");
    assert_int_equal(run(TOOL " - < " DIR "shell-efi1-intel-mac-2006.txt"), 0);
    assert_has("<stdin>: efi-shell input, 33 raw entries -> 18 sanitized");
    assert_int_equal(run(TOOL " --input efi-shell " DIR "dmesg-2.6-intel-mac-2006.log 2>&1"), 1);
    assert_has("no memmap table lines found");
}

static void errors_name_file_and_line(void **state)
{
    (void)state;
    const char *path = scratch_file("broken.log",
        "efi: mem00: type=7, attr=0xf, range=[0x0000000000000000-0x0000000000001000) (0MB)\n"
        "efi: mem02: type=7, attr=0xf, range=[0x0000000000001000-0x0000000000002000) (0MB)\n");
    assert_int_equal(run(TOOL " %s 2>&1", path), 1);
    char want[256];
    snprintf(want, sizeof want, "e820: %s:2: entry mem02 where mem01 was expected", path);
    assert_has(want);
    assert_int_equal(run(TOOL " --input efi %s 2>&1", path), 2);
    assert_has("unknown input form 'efi'");
    assert_int_equal(run(TOOL " --help"), 0);
    assert_has("efi-dmesg|efi-shell");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(efi_map_beats_e820_lines_and_input_picks),
        cmocka_unit_test(hostile_map_reports_in_table_and_json),
        cmocka_unit_test(shell_capture_end_to_end),
        cmocka_unit_test(errors_name_file_and_line),
    };
    return cmocka_run_group_tests_name("inspector_efi_e2e", tests, setup, teardown);
}
