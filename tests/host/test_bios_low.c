/* test_bios_low.c: what a BIOS machine says about its first MiB: INT 12h (against the
 * scripted BIOS of sim_bios.c), the BDA's EBDA segment and base memory words, and the RSDP
 * search over the EBDA's first KiB and 0xE0000-0xFFFFF (against a fake first MiB):
 *
 *   0 .. IVT .. 0x400 BDA 0x500 ....... RAM ........ EBDA | 0xA0000 ... 0xE0000 BIOS 1 MiB */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bda.h"
#include "int12.h"
#include "rsdp_find.h"
#include "sim_bios.h"

/* ---- INT 12h --------------------------------------------------------------------------- */

static uint8_t bounce[SIM_BOUNCE_SIZE];
static struct sim_bios sim;

static void test_int12_answer(void **state)
{
    (void)state;
    sim_bios_init(&sim, bounce);
    struct bios_iface b = sim_bios_iface(&sim);
    sim.int12_ax = 639;
    assert_int_equal(int12_kib(&b), 639);
    assert_int_equal(sim.int12_calls, 1);
    assert_int_equal(sim.other_calls + sim.e820_calls + sim.e801_calls + sim.e88_calls, 0);
}

/* Only AX is the answer: junk in EAX's upper half is not KiB. */
static void test_int12_upper_half_ignored(void **state)
{
    (void)state;
    sim_bios_init(&sim, bounce);
    struct bios_iface b = sim_bios_iface(&sim);
    sim.int12_ax = 576;
    sim.clobber = true;
    assert_int_equal(int12_kib(&b), 576);
}

/* A BIOS without INT 12h changes nothing: the zeroed registers read as 0 KiB. */
static void test_int12_missing(void **state)
{
    (void)state;
    sim_bios_init(&sim, bounce);
    struct bios_iface b = sim_bios_iface(&sim);
    assert_int_equal(int12_kib(&b), 0);
    assert_int_equal(sim.int12_calls, 1);
}

/* ---- a fake first MiB ------------------------------------------------------------------ */

static uint8_t low[PC_HIGH_MEM];
static uint32_t reads;        /* ptr calls */
static uint64_t deny_from;    /* ranges reaching at or past this are unreadable */

static void *low_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    reads++;
    if (phys > sizeof low || bytes > sizeof low - phys || phys + bytes > deny_from)
        return NULL;
    return low + phys;
}

static void low_reset(void)
{
    memset(low, 0, sizeof low);
    reads = 0;
    deny_from = UINT64_MAX;
}

static void low_word(uint32_t phys, uint16_t w)
{
    memcpy(low + phys, &w, sizeof w);
}

static void test_bda_base_kib(void **state)
{
    (void)state;
    low_reset();
    low_word(PC_BDA_BASE_KIB, 639);
    assert_int_equal(bda_base_kib(low_ptr, NULL), 639);
    low_word(PC_BDA_BASE_KIB, 0xffff); /* read as it is: sanity is the caller's */
    assert_int_equal(bda_base_kib(low_ptr, NULL), 0xffff);
    deny_from = 0; /* nothing readable */
    assert_int_equal(bda_base_kib(low_ptr, NULL), 0);
}

static void test_bda_ebda(void **state)
{
    (void)state;
    low_reset();
    low_word(PC_BDA_EBDA_SEG, 0x9fc0); /* q35/SeaBIOS: 1 KiB below 640 KiB */
    assert_int_equal(bda_ebda(low_ptr, NULL), 0x9fc00);
    low_word(PC_BDA_EBDA_SEG, 0x0050); /* the first paragraph after the BDA */
    assert_int_equal(bda_ebda(low_ptr, NULL), PC_BDA_END);
    deny_from = PC_BDA_EBDA_SEG + 1; /* the word half readable: not read */
    assert_int_equal(bda_ebda(low_ptr, NULL), 0);
}

/* A segment word that cannot be an EBDA: none (0), inside the IVT or BDA, the VGA hole, ROM. */
static void test_bda_ebda_insane(void **state)
{
    (void)state;
    static const uint16_t bad[] = { 0x0000, 0x0001, 0x004f, 0xa000, 0xe000, 0xffff };
    low_reset();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        low_word(PC_BDA_EBDA_SEG, bad[i]);
        if (bda_ebda(low_ptr, NULL) != 0)
            fail_msg("EBDA segment 0x%x taken", bad[i]);
    }
}

/* ---- the RSDP search ------------------------------------------------------------------- */

/* An ACPI 1.0 RSDP at phys with a valid checksum. */
static void put_rsdp(uint32_t phys)
{
    uint8_t *p = low + phys, sum = 0;
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "MULTIO", 6);
    p[15] = 0;                 /* revision: ACPI 1.0 */
    memset(p + 16, 0x11, 4);   /* RSDT address */
    p[8] = 0;
    for (int i = 0; i < 20; i++)
        sum = (uint8_t)(sum + p[i]);
    p[8] = (uint8_t)-sum;
}

static void test_rsdp_in_bios_area(void **state)
{
    (void)state;
    low_reset();
    put_rsdp(0xf5a40);
    assert_int_equal(rsdp_find(low_ptr, NULL), 0xf5a40);
    put_rsdp(PC_BIOS_AREA); /* the first one found wins */
    assert_int_equal(rsdp_find(low_ptr, NULL), PC_BIOS_AREA);
    low_reset();
    put_rsdp(PC_HIGH_MEM - 32); /* the last 16-byte slot a 20-byte RSDP fits in */
    assert_int_equal(rsdp_find(low_ptr, NULL), PC_HIGH_MEM - 32);
}

/* The EBDA's first KiB comes first; past it, the EBDA is not searched. */
static void test_rsdp_in_ebda(void **state)
{
    (void)state;
    low_reset();
    low_word(PC_BDA_EBDA_SEG, 0x9f00);
    put_rsdp(0x9f000 + RSDP_FIND_EBDA_BYTES - 32); /* the last slot a 20-byte one fits in */
    put_rsdp(0xf0000);
    assert_int_equal(rsdp_find(low_ptr, NULL), 0x9f3e0);
    low_reset();
    low_word(PC_BDA_EBDA_SEG, 0x9f00);
    put_rsdp(0x9f000 + RSDP_FIND_EBDA_BYTES); /* the EBDA's second KiB */
    assert_int_equal(rsdp_find(low_ptr, NULL), 0);
}

/* An EBDA whose first KiB would reach into the VGA hole is not searched; nor one the BDA
 * does not name. */
static void test_rsdp_ebda_not_searched(void **state)
{
    (void)state;
    low_reset();
    low_word(PC_BDA_EBDA_SEG, 0x9fd0); /* 0x9fd00 + 1 KiB > 0xA0000 */
    put_rsdp(0x9fd00);
    assert_int_equal(rsdp_find(low_ptr, NULL), 0);
    low_reset();
    put_rsdp(0x9fc00); /* an RSDP where an EBDA usually is, but the word says none */
    assert_int_equal(rsdp_find(low_ptr, NULL), 0);
}

/* Windows that cannot be read are skipped, not read. */
static void test_rsdp_unreadable(void **state)
{
    (void)state;
    low_reset();
    low_word(PC_BDA_EBDA_SEG, 0x9fc0);
    put_rsdp(0x9fc00);
    put_rsdp(0xe0000);
    deny_from = 0x9fc00 + 16; /* the BDA reads, the EBDA and the BIOS area do not */
    assert_int_equal(rsdp_find(low_ptr, NULL), 0);
    assert_int_equal(reads, 3); /* the BDA word, the EBDA, the BIOS area */
    deny_from = PC_HIGH_MEM; /* all of it, up to 1 MiB */
    assert_int_equal(rsdp_find(low_ptr, NULL), 0x9fc00);
    low[0x9fc00] = 'X'; /* a broken EBDA copy: the BIOS area's is found */
    assert_int_equal(rsdp_find(low_ptr, NULL), 0xe0000);
}

static void test_rsdp_none(void **state)
{
    (void)state;
    low_reset();
    memcpy(low + 0xe0010, "RSD PTR ", 8); /* signature, bad checksum */
    memcpy(low + 0xe0028, "RSD PTR ", 8); /* not on a 16-byte boundary */
    assert_int_equal(rsdp_find(low_ptr, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int12_answer),
        cmocka_unit_test(test_int12_upper_half_ignored),
        cmocka_unit_test(test_int12_missing),
        cmocka_unit_test(test_bda_base_kib),
        cmocka_unit_test(test_bda_ebda),
        cmocka_unit_test(test_bda_ebda_insane),
        cmocka_unit_test(test_rsdp_in_bios_area),
        cmocka_unit_test(test_rsdp_in_ebda),
        cmocka_unit_test(test_rsdp_ebda_not_searched),
        cmocka_unit_test(test_rsdp_unreadable),
        cmocka_unit_test(test_rsdp_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
