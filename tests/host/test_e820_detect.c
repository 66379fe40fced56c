/* test_e820_detect.c: the E820 loop and its fallbacks against simulated BIOSes: the tables
 * SeaBIOS really returns, quirky BIOSes (CF after the last entry, EBX never 0, 20- and
 * 24-byte entries, clobbered registers) and broken ones (no E820, 'SMAP' lost mid-list,
 * endless lists), each with the fallback it should end in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "e820_detect.h"
#include "sim_bios.h"
#include "testutil.h"

/* The repo's copies of /work/shared/e820/seabios, relative to the top of the tree. */
#define FIXTURES "tests/fixtures/inspector/seabios"

static uint8_t bounce[SIM_BOUNCE_SIZE];
static struct sim_bios sim;
static struct e820_detect det;

/* SeaBIOS 1.16.2, QEMU 7.2, -M q35 -m 8G (seabios/q35-8G.log), typed in by hand, bases and
 * lengths from its "start - end" lines. */
static const struct e820_entry q35_8g[] = {
    { 0x0000000000000000ull, 0x000000000009fc00ull, 1, 1 },
    { 0x000000000009fc00ull, 0x0000000000000400ull, 2, 1 },
    { 0x00000000000f0000ull, 0x0000000000010000ull, 2, 1 },
    { 0x0000000000100000ull, 0x000000007fedf000ull, 1, 1 },
    { 0x000000007ffdf000ull, 0x0000000000021000ull, 2, 1 },
    { 0x00000000b0000000ull, 0x0000000010000000ull, 2, 1 },
    { 0x00000000fed1c000ull, 0x0000000000004000ull, 2, 1 },
    { 0x00000000fffc0000ull, 0x0000000000040000ull, 2, 1 },
    { 0x0000000100000000ull, 0x0000000180000000ull, 1, 1 },
    { 0x000000fd00000000ull, 0x0000000300000000ull, 2, 1 },
};
#define Q35_8G_N (sizeof q35_8g / sizeof q35_8g[0])

static int setup(void **state)
{
    (void)state;
    sim_bios_init(&sim, bounce);
    memset(&det, 0x5a, sizeof det); /* e820_detect must not depend on a zeroed result */
    return 0;
}

static err_t run(void)
{
    struct bios_iface b = sim_bios_iface(&sim);
    return e820_detect(&b, &det);
}

static void assert_table(const struct e820_entry *want, uint32_t n)
{
    testutil_assert_entries(det.entry, det.count, want, n);
}

static void assert_e820_used(void)
{
    assert_int_equal(det.e820_err, ERR_OK);
    assert_null(det.reason);
    assert_null(det.fallback);
    assert_int_equal(det.source & MULTIOS_BOOT_E820, MULTIOS_BOOT_E820);
    assert_int_equal(sim.e801_calls + sim.e88_calls, 0);
    assert_int_equal(sim.bad_requests, 0);
    assert_int_equal(sim.attr_not_preset, 0);
    assert_int_equal(sim.other_calls, 0);
}

/* ---- well-behaved ------------------------------------------------------------------- */

static void seabios_q35_8g(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_int_equal(det.source, MULTIOS_BOOT_E820); /* 20-byte entries: no ATTRS flag */
    assert_table(q35_8g, Q35_8G_N);
    for (uint32_t i = 0; i < det.count; i++) {
        assert_int_equal(det.size[i], 20);
        assert_int_equal(det.entry[i].attr, 1); /* the pre-filled "enabled" bit survives */
    }
    assert_int_equal(det.e820_calls, Q35_8G_N); /* EBX = 0 with the last: no extra call */
    assert_int_equal(det.quirks, 0);
    assert_int_equal(det.next[Q35_8G_N - 1], 0);
}

/* Every SeaBIOS log of the fixtures comes back exactly as the BIOS holds it. */
static void seabios_all_fixture_logs(void **state)
{
    (void)state;
    static const char *const logs[] = { "pc-32M", "pc-1G", "pc-4G", "q35-128M",
                                        "q35-2G-full-debug", "q35-3G", "q35-4G-kvm", "q35-8G" };
    static const uint32_t want_n[] = { 7, 7, 8, 9, 9, 10, 11, 10 }; /* "map has N items" */
    char path[256];
    for (size_t f = 0; f < sizeof logs / sizeof logs[0]; f++) {
        sim_bios_init(&sim, bounce);
        snprintf(path, sizeof path, "%s/%s.log", FIXTURES, logs[f]);
        char *log = testutil_read_file(path, NULL); /* a missing log fails the test */
        uint32_t n = sim_bios_load_seabios_log(&sim, log);
        free(log);
        assert_int_equal(n, want_n[f]);
        assert_int_equal(run(), ERR_OK);
        assert_e820_used();
        assert_table(sim.table, n);
        /* Every SeaBIOS map starts with 639 KiB of RAM at 0 and ends at the 1 TiB hole. */
        assert_int_equal(det.entry[0].base, 0);
        assert_int_equal(det.entry[0].length, 639 * 1024);
        assert_int_equal(det.entry[n - 1].base + det.entry[n - 1].length, 1ull << 40);
    }
}

/* ---- quirky --------------------------------------------------------------------------- */

static void cf_after_last_entry(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.end = SIM_END_CF;
    sim.clobber = true; /* and it trashes registers in the failing call too */
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_table(q35_8g, Q35_8G_N);
    assert_true(det.quirks & E820_QUIRK_CF_END);
    assert_int_equal(det.e820_calls, Q35_8G_N + 1);
}

static void ebx_never_zero_clamped(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.end = SIM_END_CLAMP;
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_table(q35_8g, Q35_8G_N); /* the repeated last entry is not kept */
    assert_true(det.quirks & E820_QUIRK_EBX_LOOP);
    assert_true(det.e820_calls <= Q35_8G_N + 2);
}

static void ebx_never_zero_wraps_around(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.end = SIM_END_WRAP;
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_table(q35_8g, Q35_8G_N); /* the second lap is not kept */
    assert_true(det.quirks & E820_QUIRK_EBX_LOOP);
    assert_true(det.e820_calls <= Q35_8G_N + 2);
}

/* EBX is not a cursor for every BIOS: a constant EBX with a position kept inside must not
 * be mistaken for a loop. */
static void constant_ebx_stateful_bios(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.end = SIM_END_STATEFUL;
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_table(q35_8g, Q35_8G_N);
    assert_false(det.quirks & E820_QUIRK_EBX_LOOP);
}

static void entries_of_24_bytes_keep_attributes(void **state)
{
    (void)state;
    /*  0        9fc00  a0000       100000           8000000
     *  |  RAM   | res  |            |  RAM (attr 0)  |   one disabled range (ACPI 3.0)
     */
    static const struct e820_entry t[] = {
        { 0, 0x9fc00, 1, 1 },
        { 0x9fc00, 0x400, 2, 1 },
        { 0x100000, 0x3f00000, 1, 1 },
        { 0x4000000, 0x4000000, 1, 0 },
    };
    sim_bios_set_table(&sim, t, 4);
    sim.ecx_ret = 24;
    assert_int_equal(run(), ERR_OK);
    assert_e820_used(); /* attr 0 written by one call is pre-set to 1 again for the next */
    assert_int_equal(det.source, MULTIOS_BOOT_E820 | MULTIOS_BOOT_E820_ATTRS);
    assert_table(t, 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(det.size[i], 24);
        assert_int_equal(det.entry[i].attr, t[i].attr); /* raw: the sanitizer decides */
    }
}

static void odd_ecx_answers(void **state)
{
    (void)state;
    static const struct { uint32_t ecx; uint8_t size; uint32_t quirk; } c[] = {
        { 0, 20, E820_QUIRK_ECX_SHORT }, { 19, 20, E820_QUIRK_ECX_SHORT },
        { 22, 20, E820_QUIRK_ECX_ODD }, { 32, 24, E820_QUIRK_ECX_LONG },
        { 0x10018, 24, 0 }, { 0xffff0000u, 20, E820_QUIRK_ECX_SHORT },
    };
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        sim_bios_init(&sim, bounce);
        sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
        sim.ecx_ret = c[k].ecx;
        assert_int_equal(run(), ERR_OK);
        assert_e820_used();
        assert_table(q35_8g, Q35_8G_N);
        assert_int_equal(det.size[0], c[k].size);
        assert_int_equal(det.quirks, c[k].quirk);
    }
}

/* A BIOS that trashes ESI, EDI, EBP, EDX, ES and DS: every call must still be well-formed. */
static void registers_clobbered(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.clobber = true;
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_table(q35_8g, Q35_8G_N);
    /* ECX came back as 0xabcd0014: CX = 20 is the answer, the upper half is junk */
    for (uint32_t i = 0; i < det.count; i++)
        assert_int_equal(det.size[i], 20);
    assert_int_equal(det.source, MULTIOS_BOOT_E820);
    assert_int_equal(det.quirks, 0);
}

static void exactly_the_cap_is_accepted(void **state)
{
    (void)state;
    static struct e820_entry t[MEMMAP_RAW_MAX];
    for (uint32_t i = 0; i < MEMMAP_RAW_MAX; i++)
        t[i] = (struct e820_entry){ (uint64_t)i << 21, 1u << 20, 1 + (i & 1), 1 };
    sim_bios_set_table(&sim, t, MEMMAP_RAW_MAX);
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_table(t, MEMMAP_RAW_MAX);

    sim_bios_init(&sim, bounce); /* the same, ended by CF on call 513 */
    sim_bios_set_table(&sim, t, MEMMAP_RAW_MAX);
    sim.end = SIM_END_CF;
    assert_int_equal(run(), ERR_OK);
    assert_e820_used();
    assert_int_equal(det.count, MEMMAP_RAW_MAX);
    assert_int_equal(det.e820_calls, MEMMAP_RAW_MAX + 1);
}

/* ---- broken: each ends in the right fallback ----------------------------------------- */

/* 128 MiB by E801 (AX = 15 MiB in KiB, BX = 112 MiB in 64 KiB blocks), INT 12h = 639 KiB:
 *   0       9fc00 a0000    f0000 100000       1000000              8000000
 *   | RAM   | res |  hole  | res |  RAM 15 MiB |  RAM 112 MiB        |
 */
static const struct e820_entry e801_128m[] = {
    { 0, 0x9fc00, 1, 0 },
    { 0x9fc00, 0x400, 2, 0 },
    { 0xf0000, 0x10000, 2, 0 },
    { 0x100000, 0xf00000, 1, 0 },
    { 0x1000000, 0x7000000, 1, 0 },
};

static void e801_128m_bios(void)
{
    sim.e801_ok = true;
    sim.e801_ax = 0x3c00;
    sim.e801_bx = 112 * 16;
    sim.int12_ax = 639;
}

static void assert_fallback(err_t why, uint32_t source, const char *word)
{
    assert_int_equal(det.e820_err, why);
    assert_int_equal(det.source, source);
    char line[160];
    assert_non_null(det.reason);
    assert_non_null(det.fallback);
    snprintf(line, sizeof line, "%s; %s", det.reason, det.fallback); /* as stage2 logs it */
    assert_non_null(strstr(line, word));
    for (uint32_t i = 0; i < det.count; i++)
        assert_int_equal(det.size[i], 20);
}

static void no_e820_falls_back_to_e801(void **state)
{
    (void)state;
    sim.no_e820 = true;
    e801_128m_bios();
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_UNSUPPORTED, MULTIOS_BOOT_E801, "E801");
    assert_table(e801_128m, 5);
    assert_int_equal(det.low_kib, 639);
    assert_int_equal(det.e820_calls, 1);
    assert_int_equal(sim.e88_calls, 0);
}

static void garbage_signature_is_no_e820(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.garbage_sig = true;
    e801_128m_bios();
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_UNSUPPORTED, MULTIOS_BOOT_E801, "SMAP");
    assert_table(e801_128m, 5);
}

static void smap_lost_mid_list_discards_table(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.lose_smap_at = 3;
    e801_128m_bios();
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_BAD_SIGNATURE, MULTIOS_BOOT_E801, "mid-list");
    assert_int_equal(det.e820_count, 3);
    assert_int_equal(det.e820_calls, 4);
    assert_table(e801_128m, 5);
}

static void endless_list_hits_the_cap(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.end = SIM_END_ENDLESS;
    e801_128m_bios();
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_CAPACITY, MULTIOS_BOOT_E801, "512");
    assert_int_equal(det.e820_count, MEMMAP_RAW_MAX);
    assert_int_equal(det.e820_calls, MEMMAP_RAW_MAX + 1);
    assert_table(e801_128m, 5);
}

static void cf_on_first_call_e801_cx_dx(void **state)
{
    (void)state;
    sim.no_e820 = true;
    e801_128m_bios();
    sim.e801_cx = sim.e801_ax;
    sim.e801_dx = sim.e801_bx;
    sim.e801_ax = sim.e801_bx = 0;
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_UNSUPPORTED, MULTIOS_BOOT_E801, "E801");
    assert_true(det.quirks & E820_QUIRK_E801_CXDX);
    assert_table(e801_128m, 5);
}

static void e801_with_isa_hole_ignores_high_ram(void **state)
{
    (void)state;
    sim.no_e820 = true;
    e801_128m_bios();
    sim.e801_ax = 14 * 1024; /* 1..15 MiB, hole at 15..16 MiB */
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_UNSUPPORTED, MULTIOS_BOOT_E801, "E801");
    assert_true(det.quirks & E820_QUIRK_E801_HOLE);
    const struct e820_entry want[] = { e801_128m[0], e801_128m[1], e801_128m[2],
                                       { 0x100000, 0xe00000, 1, 0 } };
    assert_table(want, 4);
}

static void e820_without_ram_falls_back(void **state)
{
    (void)state;
    static const struct e820_entry t[] = { { 0xf0000, 0x10000, 2, 1 }, { 0xfffc0000, 0x40000, 2, 1 } };
    sim_bios_set_table(&sim, t, 2);
    e801_128m_bios();
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_NOT_FOUND, MULTIOS_BOOT_E801, "no usable RAM");
}

/* The warning stage2 logs ("e820: <reason>; <fallback> (<error>)"), word for word, for each
 * fallback that can win. */
static void fallback_log_lines(void **state)
{
    (void)state;
    static const char *const want[3] = {
        "E820 not supported (CF or no 'SMAP' on the first call); using E801",
        "E820 not supported (CF or no 'SMAP' on the first call); E801 failed, using INT 15h 88h",
        "E820 not supported (CF or no 'SMAP' on the first call); E801 and 88h failed, using "
        "low memory only",
    };
    char line[160];
    for (int i = 0; i < 3; i++) {
        sim_bios_init(&sim, bounce);
        sim.no_e820 = true;
        sim.e801_ok = i == 0;
        sim.e801_ax = 0x3c00;
        sim.e88_ok = i == 1;
        sim.e88_ax = 0xfc00;
        assert_int_equal(run(), ERR_OK);
        snprintf(line, sizeof line, "%s; %s", det.reason, det.fallback);
        assert_string_equal(line, want[i]);
    }
    /* a table without RAM: the reason says so */
    sim_bios_init(&sim, bounce);
    static const struct e820_entry no_ram[] = { { 0xf0000, 0x10000, 2, 0 } };
    sim_bios_set_table(&sim, no_ram, 1);
    assert_int_equal(run(), ERR_OK);
    assert_string_equal(det.reason, "E820 reported no usable RAM");
    assert_string_equal(det.fallback, "E801 and 88h failed, using low memory only");
}

static void bogus_e801_falls_to_88h(void **state)
{
    (void)state;
    sim.no_e820 = true;
    e801_128m_bios();
    sim.e801_ax = 15 * 1024 + 1; /* more than 15 MiB between 1 and 16 MiB: impossible */
    sim.e88_ok = true;
    sim.e88_ax = 0xfc00; /* 63 MiB above 1 MiB */
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_UNSUPPORTED, MULTIOS_BOOT_INT15_88, "88h");
    const struct e820_entry want[] = { e801_128m[0], e801_128m[1], e801_128m[2],
                                       { 0x100000, 63ull << 20, 1, 0 } };
    assert_table(want, 4);
}

static void everything_fails_low_guess(void **state)
{
    (void)state;
    sim.no_e820 = true; /* E801 and 88h fail, INT 12h does nothing */
    assert_int_equal(run(), ERR_OK);
    assert_fallback(ERR_E820_UNSUPPORTED, MULTIOS_BOOT_LOW_GUESS, "low memory");
    assert_true(det.quirks & E820_QUIRK_INT12_BAD);
    assert_int_equal(det.low_kib, 0);
    /* 639 KiB by default: the last KiB below 640 is the usual EBDA. */
    const struct e820_entry want[] = { { 0, 639 * 1024, 1, 0 }, { 639 * 1024, 1024, 2, 0 },
                                       { 0xf0000, 0x10000, 2, 0 } };
    assert_table(want, 3);

    sim_bios_init(&sim, bounce); /* with a sane INT 12h: 576 KiB, a 64 KiB EBDA */
    sim.no_e820 = true;
    sim.int12_ax = 576;
    assert_int_equal(run(), ERR_OK);
    assert_int_equal(det.source, MULTIOS_BOOT_LOW_GUESS);
    assert_int_equal(det.low_kib, 576);
    const struct e820_entry want2[] = { { 0, 0x90000, 1, 0 }, { 0x90000, 0x10000, 2, 0 },
                                        { 0xf0000, 0x10000, 2, 0 } };
    assert_table(want2, 3);

    sim_bios_init(&sim, bounce); /* INT 12h claiming more than 640 KiB is not believed */
    sim.no_e820 = true;
    sim.int12_ax = 1024;
    assert_int_equal(run(), ERR_OK);
    assert_int_equal(det.entry[0].length, 639 * 1024);
}

static void bad_arguments(void **state)
{
    (void)state;
    struct bios_iface b = sim_bios_iface(&sim);
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    assert_int_equal(e820_detect(NULL, &det), ERR_INVALID_ARG);
    assert_int_equal(e820_detect(&b, NULL), ERR_INVALID_ARG);
    b.bounce_size = 20;
    assert_int_equal(e820_detect(&b, &det), ERR_INVALID_ARG);
    assert_int_equal(det.count, 0);
    b = sim_bios_iface(&sim);
    b.bounce_phys = 0x100000; /* not reachable from real mode */
    assert_int_equal(e820_detect(&b, &det), ERR_INVALID_ARG);
    b.bounce_phys = 0xffff0;
    assert_int_equal(e820_detect(&b, &det), ERR_INVALID_ARG);
    b = sim_bios_iface(&sim);
    b.call = NULL;
    assert_int_equal(e820_detect(&b, &det), ERR_INVALID_ARG);
    assert_int_equal(sim.e820_calls, 0);
}

/* The bounce buffer at an address that is not a multiple of 16: ES:DI carries the rest. */
static void bounce_at_odd_address(void **state)
{
    (void)state;
    sim_bios_set_table(&sim, q35_8g, Q35_8G_N);
    sim.bounce_phys = SIM_BOUNCE_PHYS - 0x7; /* bounce pointer = that address */
    struct bios_iface b = sim_bios_iface(&sim);
    assert_int_equal(e820_detect(&b, &det), ERR_OK);
    assert_e820_used();
    assert_table(q35_8g, Q35_8G_N);
}

/* ---- a chaotic BIOS: random answers, checked against invariants ----------------------- */

struct chaos {
    uint64_t rng;
    uint32_t mode;                /* shapes the randomness per run */
    uint32_t calls;
    struct e820_entry written[MEMMAP_RAW_MAX + 8];
};
static struct chaos ch;

static uint32_t chaos_rand(void)
{
    ch.rng ^= ch.rng << 13;
    ch.rng ^= ch.rng >> 7;
    ch.rng ^= ch.rng << 17;
    return (uint32_t)(ch.rng >> 11);
}

static void chaos_call(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out)
{
    (void)ctx;
    struct bios_regs r = *in;
    r.eflags = chaos_rand() % 4 ? (in->eflags & ~EFLAGS_CF) : (in->eflags | EFLAGS_CF);
    r.eax = chaos_rand();
    r.ebx = chaos_rand();
    r.ecx = chaos_rand();
    r.edx = chaos_rand();
    r.esi = chaos_rand();
    r.edi = chaos_rand();
    r.es = (uint16_t)chaos_rand();
    if (vec == 0x15 && in->eax == 0xE820u) {
        uint32_t k = ch.calls++;
        struct e820_entry e = { (uint64_t)chaos_rand() << 32 | chaos_rand(),
                                (uint64_t)chaos_rand() << (chaos_rand() % 40), chaos_rand() % 6,
                                chaos_rand() % 3 };
        memcpy(bounce + (rm_phys(in->es, (uint16_t)in->edi) - SIM_BOUNCE_PHYS), &e,
               chaos_rand() % 2 ? 24 : 20);
        memcpy(&e, bounce + (rm_phys(in->es, (uint16_t)in->edi) - SIM_BOUNCE_PHYS), sizeof e);
        if (k < sizeof ch.written / sizeof ch.written[0])
            ch.written[k] = e;
        /* mostly a plausible answer, sometimes not */
        r.eflags = chaos_rand() % (ch.mode % 3 ? 60 : 4) ? (r.eflags & ~EFLAGS_CF) : (r.eflags | EFLAGS_CF);
        r.eax = chaos_rand() % (ch.mode % 5 ? 300 : 3) ? 0x534D4150u : chaos_rand();
        r.ecx = chaos_rand() % 4 ? 20 + 4 * (chaos_rand() % 2) : chaos_rand();
        switch (ch.mode % 4) {
        case 0: r.ebx = chaos_rand() % 8; break;                       /* loops, zeros */
        case 1: r.ebx = k + 1; break;                                  /* endless */
        case 2: r.ebx = chaos_rand() % 50 ? chaos_rand() | 1 : 0; break; /* random walk */
        default: r.ebx = chaos_rand() % 3 ? in->ebx : 0; break;        /* stuck */
        }
    }
    *out = r;
}

static void chaotic_bios_invariants(void **state)
{
    (void)state;
    struct bios_iface b = { .call = chaos_call, .ctx = NULL, .bounce = bounce,
                            .bounce_phys = SIM_BOUNCE_PHYS, .bounce_size = SIM_BOUNCE_SIZE };
    uint32_t by_source[32] = { 0 };
    for (uint32_t run = 0; run < 3000; run++) {
        ch = (struct chaos){ .rng = 0x9e3779b97f4a7c15ull * (run + 1), .mode = run };
        assert_int_equal(e820_detect(&b, &det), ERR_OK);
        uint32_t src = det.source & ~MULTIOS_BOOT_E820_ATTRS;
        assert_true(src == MULTIOS_BOOT_E820 || src == MULTIOS_BOOT_E801 ||
                    src == MULTIOS_BOOT_INT15_88 || src == MULTIOS_BOOT_LOW_GUESS);
        by_source[src]++;
        assert_true(det.count >= 1 && det.count <= MEMMAP_RAW_MAX);
        assert_true(det.e820_calls >= 1 && det.e820_calls <= MEMMAP_RAW_MAX + 1);
        assert_int_equal(det.e820_calls, ch.calls);
        if (src == MULTIOS_BOOT_E820) {
            assert_int_equal(det.e820_err, ERR_OK);
            assert_null(det.reason);
            assert_null(det.fallback);
            bool ram = false, attrs = false;
            for (uint32_t i = 0; i < det.count; i++) {
                assert_true(det.size[i] == 20 || det.size[i] == 24);
                attrs |= det.size[i] == 24;
                ram |= det.entry[i].type == 1 && det.entry[i].length;
                /* stored in call order, exactly as written (only a looping tail is cut) */
                assert_memory_equal(&det.entry[i], &ch.written[i], sizeof det.entry[i]);
            }
            assert_true(ram);
            assert_int_equal(!!(det.source & MULTIOS_BOOT_E820_ATTRS), attrs);
        } else {
            assert_int_not_equal(det.e820_err, ERR_OK);
            assert_non_null(det.reason);
            assert_non_null(det.fallback);
            assert_false(det.source & MULTIOS_BOOT_E820_ATTRS);
            for (uint32_t i = 0; i < det.count; i++) {
                assert_int_equal(det.size[i], 20);
                assert_true(det.entry[i].base + det.entry[i].length > det.entry[i].base);
                assert_true(det.entry[i].base + det.entry[i].length <= 0x100000000ull);
            }
        }
    }
    /* the runs did reach E820 success and every fallback */
    assert_true(by_source[MULTIOS_BOOT_E820] > 100);
    assert_true(by_source[MULTIOS_BOOT_E801] > 10);
    assert_true(by_source[MULTIOS_BOOT_INT15_88] > 10);
    assert_true(by_source[MULTIOS_BOOT_LOW_GUESS] > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(seabios_q35_8g, setup),
        cmocka_unit_test_setup(seabios_all_fixture_logs, setup),
        cmocka_unit_test_setup(cf_after_last_entry, setup),
        cmocka_unit_test_setup(ebx_never_zero_clamped, setup),
        cmocka_unit_test_setup(ebx_never_zero_wraps_around, setup),
        cmocka_unit_test_setup(constant_ebx_stateful_bios, setup),
        cmocka_unit_test_setup(entries_of_24_bytes_keep_attributes, setup),
        cmocka_unit_test_setup(odd_ecx_answers, setup),
        cmocka_unit_test_setup(registers_clobbered, setup),
        cmocka_unit_test_setup(exactly_the_cap_is_accepted, setup),
        cmocka_unit_test_setup(no_e820_falls_back_to_e801, setup),
        cmocka_unit_test_setup(garbage_signature_is_no_e820, setup),
        cmocka_unit_test_setup(smap_lost_mid_list_discards_table, setup),
        cmocka_unit_test_setup(endless_list_hits_the_cap, setup),
        cmocka_unit_test_setup(cf_on_first_call_e801_cx_dx, setup),
        cmocka_unit_test_setup(e801_with_isa_hole_ignores_high_ram, setup),
        cmocka_unit_test_setup(e820_without_ram_falls_back, setup),
        cmocka_unit_test_setup(bogus_e801_falls_to_88h, setup),
        cmocka_unit_test_setup(everything_fails_low_guess, setup),
        cmocka_unit_test_setup(fallback_log_lines, setup),
        cmocka_unit_test_setup(bad_arguments, setup),
        cmocka_unit_test_setup(bounce_at_odd_address, setup),
        cmocka_unit_test_setup(chaotic_bios_invariants, setup),
    };
    return cmocka_run_group_tests_name("e820_detect", tests, NULL, NULL);
}
