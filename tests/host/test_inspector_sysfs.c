/* test_inspector_sysfs.c: the /sys/firmware/memmap reader on a directory tree the test builds
 * from a real table (the MacBookPro11,1 of tests/fixtures/e820/06-apple-macbookpro11-1.txt,
 * 22 entries, so entry 10 must come after 9, not after 1), and on broken trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/e820/parse.h"
#include "testutil.h"

static struct e820_input in;
static struct parse_error pe;

struct want {
    uint64_t base, length;
    uint32_t type;
};

/* The Apple table as its fixture gives it (type 20 is GRUB's EFI runtime code). */
static const struct want apple[] = {
    { 0x0, 0x58000, 1 },           { 0x58000, 0x1000, 2 },      { 0x59000, 0x36000, 1 },
    { 0x8f000, 0x1000, 2 },        { 0x90000, 0x10000, 1 },     { 0xa0000, 0x20000, 2 },
    { 0x100000, 0x8ac14000, 1 },   { 0x8ad14000, 0x3f000, 4 },  { 0x8ad53000, 0xf000, 1 },
    { 0x8ad62000, 0x2d000, 3 },    { 0x8ad8f000, 0xaa000, 1 },  { 0x8ae39000, 0x56000, 2 },
    { 0x8ae8f000, 0x41000, 1 },    { 0x8aed0000, 0x2f000, 20 }, { 0x8aeff000, 0x7a000, 1 },
    { 0x8af79000, 0x6c000, 2 },    { 0x8afe5000, 0x1b000, 1 },  { 0x8b000000, 0x4a00000, 2 },
    { 0xe00f8000, 0x1000, 2 },     { 0xfed1c000, 0x4000, 2 },   { 0xffe10000, 0x30000, 2 },
    { 0x100000000, 0x16f600000, 1 },
};
#define APPLE_N (sizeof apple / sizeof apple[0])

/* What Linux's e820_type_to_string writes for each type. */
static const char *sysfs_name(uint32_t type)
{
    switch (type) {
    case 1: return "System RAM";
    case 2: return "Reserved";
    case 3: return "ACPI Tables";
    case 4: return "ACPI Non-volatile Storage";
    case 5: return "Unusable memory";
    case 7: return "Persistent Memory";
    case 12: return "Persistent Memory (legacy)";
    case 0xefffffffu: return "Soft Reserved";
    default: return "Unknown E820 type";
    }
}

static char root[64];

static void write_leaf(unsigned i, const char *leaf, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%u", root, i);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%u/%s", root, i, leaf);
    testutil_write_file(path, text);
}

/* One entry as the kernel shows it: "0x%llx\n" start and inclusive end. */
static void write_entry(unsigned i, uint64_t base, uint64_t length, const char *type)
{
    char buf[64];
    snprintf(buf, sizeof buf, "0x%llx\n", (unsigned long long)base);
    write_leaf(i, "start", buf);
    snprintf(buf, sizeof buf, "0x%llx\n", (unsigned long long)(base + length - 1));
    write_leaf(i, "end", buf);
    snprintf(buf, sizeof buf, "%s\n", type);
    write_leaf(i, "type", buf);
}

static int make_root(void **state)
{
    (void)state;
    return testutil_make_tmpdir(root, sizeof root, "test_inspector_sysfs");
}

static int remove_root(void **state)
{
    (void)state;
    return testutil_remove_tmpdir(root);
}

static void fill_apple(void)
{
    for (unsigned i = 0; i < APPLE_N; i++)
        write_entry(i, apple[i].base, apple[i].length, sysfs_name(apple[i].type));
}

static void reads_a_real_table_in_numeric_order(void **state)
{
    (void)state;
    fill_apple();
    /* Things that are not entries are passed over: a file, a named directory, and "07",
     * which no kernel writes (it numbers from 0 without leading zeros). */
    char other[256];
    snprintf(other, sizeof other, "%s/README", root);
    testutil_write_file(other, "");
    snprintf(other, sizeof other, "%s/power", root);
    assert_int_equal(mkdir(other, 0755), 0);
    snprintf(other, sizeof other, "%s/07", root);
    assert_int_equal(mkdir(other, 0755), 0);

    assert_int_equal(parse_sysfs(root, &in, &pe), ERR_OK);
    assert_int_equal(in.count, APPLE_N);
    for (unsigned i = 0; i < APPLE_N; i++) {
        assert_int_equal(in.entry[i].base, apple[i].base);
        assert_int_equal(in.entry[i].length, apple[i].length);
        /* "Unknown E820 type" reads as reserved: the safe reading. */
        assert_int_equal(in.entry[i].type, apple[i].type == 20 ? 2 : apple[i].type);
        assert_int_equal(in.size[i], 20);
    }
}

static void every_type_name(void **state)
{
    (void)state;
    static const uint32_t types[] = { 1, 2, 3, 4, 5, 7, 12, 0xefffffffu };
    for (unsigned i = 0; i < 8; i++)
        write_entry(i, 0x1000ull * i, 0x1000, sysfs_name(types[i]));
    /* no trailing newline, odd spacing, lower case: still read */
    write_leaf(8, "start", "  0x8000");
    write_leaf(8, "end", "0x8FFF\n");
    write_leaf(8, "type", "system ram");
    assert_int_equal(parse_sysfs(root, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 9);
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(in.entry[i].base, 0x1000ull * i);
        assert_int_equal(in.entry[i].length, 0x1000);
        assert_int_equal(in.entry[i].type, types[i]);
    }
    assert_int_equal(in.entry[8].base, 0x8000);
    assert_int_equal(in.entry[8].length, 0x1000);
    assert_int_equal(in.entry[8].type, 1);
}

static void fails_on(err_t code, const char *needle)
{
    memset(&pe, 0, sizeof pe);
    assert_int_equal(parse_sysfs(root, &in, &pe), code);
    assert_int_equal(pe.line, 0);
    if (!strstr(pe.msg, needle))
        fail_msg("message '%s' lacks '%s'", pe.msg, needle);
}

/* Each broken tree: the Apple table with one file spoiled; the message names the file. */
static void broken_trees_name_the_file(void **state)
{
    char path[256];
    fill_apple();
    write_leaf(13, "start", "0x8aed00zz\n");
    fails_on(ERR_BAD_FORMAT, "13/start");
    assert_int_equal(remove_root(state), 0);
    assert_int_equal(make_root(state), 0);

    fill_apple();
    snprintf(path, sizeof path, "%s/12/end", root);
    assert_int_equal(unlink(path), 0);
    fails_on(ERR_IO, "12/end");
    assert_int_equal(remove_root(state), 0);
    assert_int_equal(make_root(state), 0);

    fill_apple();
    write_leaf(3, "end", "0x8e000\n"); /* below its start 0x8f000 */
    fails_on(ERR_BAD_FORMAT, "3/end");
    write_leaf(3, "end", "0x10000000000000000\n");
    fails_on(ERR_BAD_FORMAT, "64 bits");
    write_leaf(3, "end", "0x8ffff\nextra\n");
    fails_on(ERR_BAD_FORMAT, "more than one line");
    write_leaf(3, "end", "0x8ffff 1\n");
    fails_on(ERR_BAD_FORMAT, "3/end");
    write_leaf(3, "end", "0x8ffff\n");
    write_leaf(3, "type", "\n");
    fails_on(ERR_BAD_FORMAT, "3/type");
    write_leaf(3, "type", "Reserved\n");
    write_leaf(0, "start", "0x0\n");
    write_leaf(0, "end", "0xffffffffffffffff\n");
    fails_on(ERR_BAD_FORMAT, "all of the 64-bit space");
}

static void empty_and_missing_directories(void **state)
{
    (void)state;
    fails_on(ERR_BAD_FORMAT, "no numbered entry");
    memset(&pe, 0, sizeof pe);
    assert_int_equal(parse_sysfs("/nonexistent/memmap", &in, &pe), ERR_IO);
}

static void more_than_512_entries_is_a_capacity_error(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 512; i++)
        write_entry(i, 0x2000ull * i, 0x1000, "System RAM");
    assert_int_equal(parse_sysfs(root, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 512);
    write_entry(512, 0x2000ull * 512, 0x1000, "System RAM");
    fails_on(ERR_CAPACITY, "512");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_a_real_table_in_numeric_order, make_root,
                                        remove_root),
        cmocka_unit_test_setup_teardown(every_type_name, make_root, remove_root),
        cmocka_unit_test_setup_teardown(broken_trees_name_the_file, make_root, remove_root),
        cmocka_unit_test_setup_teardown(empty_and_missing_directories, make_root, remove_root),
        cmocka_unit_test_setup_teardown(more_than_512_entries_is_a_capacity_error, make_root,
                                        remove_root),
    };
    return cmocka_run_group_tests_name("inspector_sysfs", tests, NULL, NULL);
}
