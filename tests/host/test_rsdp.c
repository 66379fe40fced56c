/* test_rsdp.c: rsdp_valid / rsdp_scan on hand-built RSDPs: ACPI 1.0 and 2.0 structures,
 * broken checksums, a signature off the 16-byte grid, a structure cut off by the end of the
 * window, and the first valid one winning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "rsdp.h"

/* Fix byte `at` so bytes [0, len) sum to 0 mod 256. */
static void fix_sum(uint8_t *p, uint32_t len, uint32_t at)
{
    uint8_t s = 0;
    p[at] = 0;
    for (uint32_t i = 0; i < len; i++)
        s = (uint8_t)(s + p[i]);
    p[at] = (uint8_t)(0x100 - s);
}

/* An RSDP at p: revision 0 (20 bytes) or 2 (36 bytes). */
static void make_rsdp(uint8_t *p, uint8_t revision)
{
    memset(p, 0, revision >= 2 ? 36 : 20);
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "MULTIO", 6); /* OEM id */
    p[15] = revision;
    p[16] = 0x78; /* RSDT address 0x00fe1234 */
    p[17] = 0x12;
    p[18] = 0xfe;
    fix_sum(p, 20, 8);
    if (revision >= 2) {
        p[20] = 36; /* length */
        p[24] = 0x40; /* XSDT address */
        fix_sum(p, 36, 32);
    }
}

static uint8_t sum(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

static void test_valid(void **state)
{
    (void)state;
    uint8_t b[64];

    make_rsdp(b, 0);
    assert_int_equal(sum(b, 20), 0); /* the helper is right, independently */
    assert_true(rsdp_valid(b, 20));
    assert_false(rsdp_valid(b, 19));        /* cut off by the window */
    b[10] ^= 1;
    assert_false(rsdp_valid(b, 64));        /* v1 checksum */

    make_rsdp(b, 2);
    assert_int_equal(sum(b, 36), 0);
    assert_true(rsdp_valid(b, 36));
    assert_false(rsdp_valid(b, 35));        /* extended part cut off */
    b[30] ^= 0x80;                          /* outside the first 20: only the v2 sum sees it */
    assert_int_equal(sum(b, 20), 0);
    assert_false(rsdp_valid(b, 64));

    make_rsdp(b, 2);
    b[20] = 20;                             /* stated length below the v2 size */
    fix_sum(b, 36, 32);
    assert_false(rsdp_valid(b, 64));

    make_rsdp(b, 0);
    b[7] = '_';                             /* "RSD PTR_" */
    fix_sum(b, 20, 8);
    assert_false(rsdp_valid(b, 64));
    assert_false(rsdp_valid(NULL, 64));
}

static void test_scan(void **state)
{
    (void)state;
    static uint8_t win[0x20000];            /* like 0xE0000-0xFFFFF */

    memset(win, 0, sizeof(win));
    assert_int_equal(rsdp_scan(win, 0xE0000, sizeof(win)), 0);

    /* off the 16-byte grid: not found */
    make_rsdp(win + 0x1008, 0);
    assert_int_equal(rsdp_scan(win, 0xE0000, sizeof(win)), 0);

    /* a bad one first, then a good one: the good one's address */
    make_rsdp(win + 0x5000, 2);
    win[0x5000 + 1] ^= 0x20;                /* "rSD PTR " */
    make_rsdp(win + 0x15a30, 2);
    assert_int_equal(rsdp_scan(win, 0xE0000, sizeof(win)), 0xE0000 + 0x15a30);

    /* at the very end of the window, only 20 bytes left: a v1 RSDP fits */
    memset(win, 0, sizeof(win));
    make_rsdp(win + sizeof(win) - 32, 0);
    assert_int_equal(rsdp_scan(win, 0xE0000, sizeof(win) - 12), 0xE0000 + sizeof(win) - 32);

    /* an unaligned window base (an EBDA at 0x9FC08 cannot be, but the math must hold):
     * the scan looks at physical multiples of 16 */
    memset(win, 0, 2048);
    make_rsdp(win + 8, 0);                  /* physical 0x9FC10 */
    assert_int_equal(rsdp_scan(win, 0x9FC08, 1024), 0x9FC10);

    assert_int_equal(rsdp_scan(win, 0, 19), 0);
    assert_int_equal(rsdp_scan(NULL, 0, 1024), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
