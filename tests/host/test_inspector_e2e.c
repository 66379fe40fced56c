/* test_inspector_e2e.c: build/e820 as a user runs it: every output format, --align, stdin, a
 * sysfs-shaped directory, and the exit statuses. The fixture output must read back (with the
 * fixture reader) to the map worked out by hand, and the tool must be idempotent on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/e820/parse.h"
#include "testutil.h"

#define TOOL "build/e820"
#define DIR "tests/fixtures/inspector/"
#define FIXTURES "tests/fixtures/e820/"

static char out[1 << 16];
static char tmp[64];
static struct e820_input in;

#define run(...) testutil_run(out, sizeof out, __VA_ARGS__)

static int setup(void **state)
{
    (void)state;
    return testutil_tool_setup(TOOL, tmp, sizeof tmp, "test_inspector_e2e");
}

static int teardown(void **state)
{
    (void)state;
    return testutil_remove_tmpdir(tmp);
}

/*
 * A messy raw table and its sanitized form, worked out by hand:
 *
 *   0        9f000 9fc00 a0000     100000   180000 181000   200000    300000
 *   |##########|#####|               |#######################|#########|   usable (3 entries)
 *              |rrrrrrrrrrr|                |r|                            reserved
 *
 *   -> 0x0      0x9f000  1     usable up to where the reserved page starts
 *      0x9f000  0x1000   2     reserved wins its whole page
 *      0x100000 0x80000  1
 *      0x180000 0x1000   2     reserved splits the usable MiB
 *      0x181000 0x17f000 1     rest of 1-2 MiB merged with the touching 2-3 MiB
 * plus a zero-length entry to drop and an unsorted order.
 */
static const char messy[] = "# messy: unsorted, nested, overlapping, touching\n"
                            "0x100000 0x100000 1\n"
                            "0x0 0x9fc00 1\n"
                            "0x180000 0x1000 2\n"
                            "0x9f000 0x1000 2\n"
                            "0x200000 0x0 1\n"
                            "0x200000 0x100000 1\n";
static const char messy_sane[] = "0x0 0x9f000 1\n"
                                 "0x9f000 0x1000 2\n"
                                 "0x100000 0x80000 1\n"
                                 "0x180000 0x1000 2\n"
                                 "0x181000 0x17f000 1\n";

/* messy written to the scratch directory; returns its path. */
static const char *messy_file(void)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/messy.txt", tmp);
    testutil_write_file(path, messy);
    return path;
}

static void fixture_output_reads_back_and_is_a_fixed_point(void **state)
{
    (void)state;
    const char *path = messy_file();
    char again[128];
    assert_int_equal(run(TOOL " --format fixture %s", path), 0);
    assert_string_equal(out, messy_sane);
    /* read back with the fixture reader */
    struct parse_error pe;
    assert_int_equal(parse_fixture(out, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 5);
    assert_int_equal(in.entry[4].base, 0x181000);
    assert_int_equal(in.entry[4].length, 0x300000 - 0x181000);
    /* sanitizing the sanitized map changes nothing */
    snprintf(again, sizeof again, "%s/sane.txt", tmp);
    testutil_write_file(again, out);
    assert_int_equal(run(TOOL " --format=fixture %s", again), 0);
    assert_string_equal(out, messy_sane);
}

/* A real map that its OS already sanitized comes out exactly as it went in. */
static void real_sanitized_map_is_unchanged(void **state)
{
    (void)state;
    assert_int_equal(run(TOOL " --format fixture " FIXTURES "19-virtualbox-bios-6g.txt"), 0);
    assert_string_equal(out, "0x0 0x9fc00 1\n"
                             "0x9fc00 0x400 2\n"
                             "0xf0000 0x10000 2\n"
                             "0x100000 0xdfef0000 1\n"
                             "0xdfff0000 0x10000 3\n"
                             "0xfec00000 0x1000 2\n"
                             "0xfee00000 0x1000 2\n"
                             "0xfffc0000 0x40000 2\n"
                             "0x100000000 0xa0000000 1\n");
}

/* The whole SeaBIOS log, through stdin, with 4 KiB frames: only the usable range below the
 * EBDA loses its partial page (0x9fc00 rounds down to 0x9f000); reserved stays byte-exact. */
static void seabios_log_on_stdin_aligned_to_4k(void **state)
{
    (void)state;
    assert_int_equal(run(TOOL " --align 4096 --format fixture - < "
                         DIR "seabios/q35-2G-full-debug.log"), 0);
    assert_string_equal(out, "0x0 0x9f000 1\n"
                             "0x9fc00 0x400 2\n"
                             "0xf0000 0x10000 2\n"
                             "0x100000 0x7fedf000 1\n"
                             "0x7ffdf000 0x21000 2\n"
                             "0xb0000000 0x10000000 2\n"
                             "0xfed1c000 0x4000 2\n"
                             "0xfffc0000 0x40000 2\n"
                             "0xfd00000000 0x300000000 2\n");
    /* 2 MiB frames: usable [0x100000, 0x7ffdf000) becomes [0x200000, 0x7fe00000), the low
     * 640 KiB vanishes */
    assert_int_equal(run(TOOL " --align 0x200000 --format fixture "
                         DIR "seabios/q35-2G-full-debug.log"), 0);
    assert_non_null(strstr(out, "0x9fc00 0x400 2\n0xf0000 0x10000 2\n0x200000 0x7fc00000 1\n"));
    assert_null(strstr(out, "0x0 "));
}

static void json_output(void **state)
{
    (void)state;
    const char *path = messy_file();
    assert_int_equal(run(TOOL " --format json %s", path), 0);
    assert_non_null(strstr(out, "\"input_form\": \"fixture\""));
    assert_non_null(strstr(out, "\"raw_entries\": 6"));
    assert_non_null(strstr(out, "{\"base\": \"0x181000\", \"length\": \"0x17f000\", \"type\": 1"));
    /* usable bytes: 0x9f000 + 0x80000 + 0x17f000 */
    char want[160];
    snprintf(want, sizeof want, "\"usable_bytes\": %llu", 0x9f000ull + 0x80000 + 0x17f000);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "\"highest_usable\": \"0x300000\""));
    assert_non_null(strstr(out, "\"zero_length\": 1"));
    assert_non_null(strstr(out, "\"unsorted\": true"));
    unsigned bases = 0;
    for (const char *p = out; (p = strstr(p, "\"base\"")) != NULL; p++)
        bases++;
    assert_int_equal(bases, 5);
    /* and it is JSON: python's parser agrees, and sees the same five entries */
    snprintf(want, sizeof want, "%s/out.json", tmp);
    testutil_write_file(want, out);
    assert_int_equal(run("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                         "print(len(d[\"entries\"]), d[\"report\"][\"zero_length\"])' %s", want),
                     0);
    assert_string_equal(out, "5 1\n");
}

static void table_output(void **state)
{
    (void)state;
    const char *path = messy_file();
    assert_int_equal(run(TOOL " %s", path), 0);
    assert_non_null(strstr(out, "fixture input, 6 raw entries -> 5 sanitized"));
    assert_non_null(strstr(out, "0x0000000000181000  0x0000000000300000     1.49 MiB  usable"));
    assert_non_null(strstr(out, "  input was not sorted by base\n"));
    assert_non_null(strstr(out, "  zero-length entries dropped                1\n"));
    assert_null(strstr(out, "type-0 entries"));  /* nothing of that kind: not listed */

    assert_int_equal(run(TOOL " " DIR "seabios/pc-4G.log"), 0);
    assert_non_null(strstr(out, "seabios input, 8 raw entries -> 8 sanitized"));
    /* the 1 GiB of RAM above 4 GiB: 0x100000000-0x140000000 */
    assert_non_null(strstr(out, "0x0000000100000000  0x0000000140000000        1 GiB  usable"));
    assert_non_null(strstr(out, "0x000000000009fc00  0x00000000000a0000        1 KiB  reserved"));
    /* usable: 0x9fc00 + (0xbffe0000 - 0x100000) + 0x40000000 = 4294184960 bytes */
    char want[160];
    snprintf(want, sizeof want, "%llu bytes in 3 entries",
             0x9fc00ull + (0xbffe0000ull - 0x100000) + 0x40000000);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "nothing to fix"));
    /* the picture: 64 columns between bars, starting with usable low memory */
    const char *bar = strstr(out, "  |#");
    assert_non_null(bar);
    const char *end = strchr(bar + 3, '|');
    assert_non_null(end);
    assert_int_equal(end - (bar + 3), 64);
    assert_non_null(strstr(out, "log scale"));
}

static void sysfs_directory(void **state)
{
    (void)state;
    /* the pc-32M SeaBIOS table as /sys/firmware/memmap would show it (inclusive ends) */
    static const char *const e[][3] = {
        { "0x0", "0x9fbff", "System RAM" },     { "0x9fc00", "0x9ffff", "Reserved" },
        { "0xf0000", "0xfffff", "Reserved" },   { "0x100000", "0x1fdffff", "System RAM" },
        { "0x1fe0000", "0x1ffffff", "Reserved" }, { "0xfffc0000", "0xffffffff", "Reserved" },
    };
    char path[256];
    for (unsigned i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/memmap", tmp);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/memmap/%u", tmp, i);
        assert_int_equal(mkdir(path, 0755), 0);
        static const char *const leaf[3] = { "start", "end", "type" };
        for (unsigned k = 0; k < 3; k++) {
            char text[64];
            snprintf(path, sizeof path, "%s/memmap/%u/%s", tmp, i, leaf[k]);
            snprintf(text, sizeof text, "%s\n", e[i][k]);
            testutil_write_file(path, text);
        }
    }
    assert_int_equal(run(TOOL " --format fixture %s/memmap", tmp), 0);
    assert_string_equal(out, "0x0 0x9fc00 1\n0x9fc00 0x400 2\n0xf0000 0x10000 2\n"
                             "0x100000 0x1ee0000 1\n0x1fe0000 0x20000 2\n"
                             "0xfffc0000 0x40000 2\n");
    assert_int_equal(run(TOOL " --format json %s/memmap", tmp), 0);
    assert_non_null(strstr(out, "\"input_form\": \"sysfs\""));
}

static void errors_and_exit_statuses(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.txt", tmp);
    testutil_write_file(path, "# ok so far\n0x0 0x9fc00 1\n0x9fc00 0xzz 2\n");
    /* malformed input: 1, and the message names file and line */
    assert_int_equal(run(TOOL " %s 2>&1 >/dev/null", path), 1);
    char want[192];
    snprintf(want, sizeof want, "e820: %s:3: length '0xzz'", path);
    if (strncmp(out, want, strlen(want)) != 0)
        fail_msg("stderr '%s' does not start with '%s'", out, want);
    /* a dmesg with a bad line, through stdin */
    assert_int_equal(run("printf 'x\\nBIOS-e820: [mem 0x1000-0x0fff] usable\\n' | " TOOL
                         " - 2>&1 >/dev/null"), 1);
    assert_non_null(strstr(out, "e820: <stdin>:2: end 0xfff is below start 0x1000"));
    /* a truncated SeaBIOS table */
    assert_int_equal(run("printf 'e820 map has 2 items:\\n  0: 0000000000000000 - "
                         "0000000000001000 = 1 RAM\\nBooting\\n' | " TOOL " - 2>&1"), 1);
    assert_non_null(strstr(out, "<stdin>:3: table truncated"));
    /* a NUL byte: skipped in a log's chatter, an error inside an entry line */
    assert_int_equal(run("printf 'Boot\\000ing\\ne820 map has 1 items:\\n  0: 0000000000000000 - "
                         "0000000000001000 = 1 RAM\\n' | " TOOL " --format fixture - 2>&1"), 0);
    assert_string_equal(out, "0x0 0x1000 1\n");
    assert_int_equal(run("printf '0x0 0x1000 1\\n0x1000 0x10\\00000 2\\n' | " TOOL " - 2>&1"), 1);
    assert_non_null(strstr(out, "<stdin>:2: length '0x10\\x1a00'"));
    /* text that is nothing we know */
    assert_int_equal(run("echo hello | " TOOL " - 2>&1"), 1);
    assert_non_null(strstr(out, "<stdin>:1:"));
    assert_non_null(strstr(out, "no dmesg or SeaBIOS table"));
    /* missing file: 1 */
    assert_int_equal(run(TOOL " /nonexistent/map.txt 2>&1"), 1);
    assert_non_null(strstr(out, "e820: /nonexistent/map.txt: cannot open"));
    /* usage errors: 2 */
    assert_int_equal(run(TOOL " 2>/dev/null"), 2);
    assert_int_equal(run(TOOL " --format xml %s 2>/dev/null", path), 2);
    assert_int_equal(run(TOOL " --align 3000 %s 2>/dev/null", path), 2);
    assert_int_equal(run(TOOL " --align 0 %s 2>/dev/null", path), 2);
    assert_int_equal(run(TOOL " --bogus %s 2>/dev/null", path), 2);
    assert_int_equal(run(TOOL " %s %s 2>/dev/null", path, path), 2);
    assert_int_equal(run(TOOL " --input seabios " FIXTURES "19-virtualbox-bios-6g.txt 2>&1"), 1);
    assert_non_null(strstr(out, "no 'e820 map has"));
    assert_int_equal(run(TOOL " --help"), 0);
    assert_non_null(strstr(out, "usage: e820"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_output_reads_back_and_is_a_fixed_point),
        cmocka_unit_test(real_sanitized_map_is_unchanged),
        cmocka_unit_test(seabios_log_on_stdin_aligned_to_4k),
        cmocka_unit_test(json_output),
        cmocka_unit_test(table_output),
        cmocka_unit_test(sysfs_directory),
        cmocka_unit_test(errors_and_exit_statuses),
    };
    return cmocka_run_group_tests_name("inspector_e2e", tests, setup, teardown);
}
