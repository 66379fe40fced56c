/* test_inspector_output.c: the pieces of the inspector's output: human sizes, totals by type,
 * and the log-scale picture, against values worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/e820/output.h"

static void human_sizes(void **state)
{
    (void)state;
    static const struct {
        uint64_t bytes;
        const char *want;
    } cases[] = {
        { 0, "0 B" },
        { 1023, "1023 B" },
        { 1024, "1 KiB" },
        { 1536, "1.50 KiB" },
        { 0x9fc00, "639 KiB" },           /* 654336 = 639 * 1024 */
        { 0x7fedf000, "1.99 GiB" },        /* 2146299904 / 2^30 = 1.9989 (truncated) */
        { 0x201000, "2.00 MiB" },          /* 2 MiB + 4 KiB: not a whole 2 */
        { 0x300000000ull, "12 GiB" },
        { 1ull << 60, "1 EiB" },
        { UINT64_MAX, "15.99 EiB" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        output_human_size(cases[i].bytes, buf, sizeof buf);
        assert_string_equal(buf, cases[i].want);
    }
}

static void totals_by_type_in_order_of_appearance(void **state)
{
    (void)state;
    struct e820_entry e[] = {
        { 0x0, 0x9f000, 1, 0 },       { 0x9f000, 0x1000, 2, 0 }, { 0x100000, 0x80000, 1, 0 },
        { 0x180000, 0x1000, 12, 0 },  { 0x181000, 0x1000, 12, 0 },
    };
    struct memmap m = { e, 5, 5 };
    struct output_total t[6];
    assert_int_equal(output_totals(&m, t), 3);
    assert_int_equal(t[0].type, 1);
    assert_int_equal(t[0].entries, 2);
    assert_int_equal(t[0].bytes, 0x9f000 + 0x80000);
    assert_int_equal(t[1].type, 2);
    assert_int_equal(t[1].entries, 1);
    assert_int_equal(t[1].bytes, 0x1000);
    assert_int_equal(t[2].type, 12);
    assert_int_equal(t[2].entries, 2);
    assert_int_equal(t[2].bytes, 0x2000);
}

/* A map covering all 2^64 bytes has a total one past UINT64_MAX: it saturates. */
static void totals_saturate_at_2_to_the_64(void **state)
{
    (void)state;
    struct e820_entry e[] = { { 0, 1ull << 63, 1, 0 }, { 1ull << 63, 1ull << 63, 1, 0 } };
    struct memmap m = { e, 2, 2 };
    struct output_total t[2];
    assert_int_equal(output_totals(&m, t), 1);
    assert_int_equal(t[0].bytes, UINT64_MAX);
    assert_int_equal(t[0].entries, 2);
}

/*
 * [0, 1 MiB) usable, [1 MiB, 2 MiB) reserved. The map ends at 2^21 (< 2^24), so the scale
 * runs from 2^10 to 2^21: column c starts at 2^(10 + 11c/64). Column 58 spans
 * [2^19.969, 2^20.141) = [1026106, 1155960): 22470 usable bytes, 107384 reserved -> 'r'.
 * Column 57 ends at 2^19.969 < 1 MiB: all usable.
 */
static void picture_on_a_log_scale(void **state)
{
    (void)state;
    struct e820_entry e[] = { { 0, 1u << 20, 1, 0 }, { 1u << 20, 1u << 20, 2, 0 } };
    struct memmap m = { e, 2, 2 };
    char line[OUTPUT_PICTURE_COLS + 1], want[OUTPUT_PICTURE_COLS + 1];
    output_picture(&m, line, OUTPUT_PICTURE_COLS);
    memset(want, '#', 58);
    memset(want + 58, 'r', 6);
    want[64] = '\0';
    assert_string_equal(line, want);
    assert_int_equal(output_picture_column_start(&m, 0, 64), 0);
    assert_int_equal(output_picture_column_start(&m, 64, 64), 1u << 21);
    assert_int_equal(output_picture_column_start(&m, 32, 64) >> 10, 45); /* 2^15.5 = 46341 */
}

/* A hole in the middle shows as '.', a column that is only partly mapped shows its entry. */
static void picture_holes_and_types(void **state)
{
    (void)state;
    /* A 4 GiB map: usable to 2 GiB, then nothing but an ACPI NVS page just under 4 GiB. The
     * scale runs from 2^16 to 2^32, a quarter octave a column. */
    struct e820_entry e[] = { { 0, 0x80000000, 1, 0 }, { 0xfffff000, 0x1000, 4, 0 } };
    struct memmap m = { e, 2, 2 };
    char line[OUTPUT_PICTURE_COLS + 1];
    output_picture(&m, line, OUTPUT_PICTURE_COLS);
    assert_int_equal(line[0], '#');
    assert_int_equal(line[59], '#');   /* [2^30.75, 2^31): below 2 GiB */
    assert_int_equal(line[62], '.');   /* [2^31.5, 2^31.75) = [2.83, 3.36) GiB: unmapped */
    assert_int_equal(line[63], 'n');   /* [2^31.75, 2^32): only the NVS page is mapped */
    assert_int_equal(output_picture_char(E820_TYPE_PRAM), 'P');
    assert_int_equal(output_picture_char(E820_TYPE_KERNEL), 'L');
    assert_int_equal(output_picture_char(20), '?');
    /* empty map: all blank or hole, never a crash */
    struct memmap none = { e, 0, 2 };
    output_picture(&none, line, OUTPUT_PICTURE_COLS);
    assert_int_equal(strlen(line), 64);
    assert_null(strpbrk(line, "#rn"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(human_sizes),
        cmocka_unit_test(totals_by_type_in_order_of_appearance),
        cmocka_unit_test(totals_saturate_at_2_to_the_64),
        cmocka_unit_test(picture_on_a_log_scale),
        cmocka_unit_test(picture_holes_and_types),
    };
    return cmocka_run_group_tests_name("inspector_output", tests, NULL, NULL);
}
