/* test_memory_low.c: the low-memory policy (core/lowmem.c) with stage2's parameters
 * (stage2/memory.h): the loader's [0, 0x80000) typed LOADER_RECLAIMABLE in 4 KiB pages
 * whatever the frame size (2 MiB frames used to leave the kernel stack "not usable RAM" and
 * stop the boot), the bitmap frames that hold it reserved, the check that all the low memory
 * stage2 uses is RAM at all, and conventional memory above it held out of the allocator
 * until the hand-off.
 *
 * The usual machine (q35/SeaBIOS):
 *
 *   0x0 ......... 0x80000 ........ 0x9fc00 ... 0xa0000  0xf0000 .. 0x100000 ....... 0x8000000
 *   |   RAM: the loader's part   | RAM        | EBDA  |  | BIOS   |   RAM               |
 *
 * Expected maps are drawn by hand from that picture, not printed by the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lowmem.h"
#include "memory.h"

#define KiB 0x400ull
#define MiB 0x100000ull

static struct e820_entry store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(16) / 8];
static uint64_t bitmap_buf[1 << 14]; /* the bitmap's storage: 128 KiB, more than needed */
static struct memmap map;
static struct frames fr;

static void *buf_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    (void)phys;
    return bytes <= sizeof bitmap_buf ? bitmap_buf : NULL;
}

static void make_map(const struct e820_entry *raw, uint32_t n)
{
    memmap_init(&map, store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&map, raw, NULL, n, scratch, sizeof scratch, NULL), ERR_OK);
}

static const struct e820_entry q35[] = {
    {0x0, 0x9fc00, 1, 0},
    {0x9fc00, 0x400, 2, 0},
    {0xf0000, 0x10000, 2, 0},
    {0x100000, 0x7f00000, 1, 0},
};

/* The map must be exactly these entries. */
static void assert_map(const struct e820_entry *want, uint32_t n)
{
    if (map.count != n) {
        for (uint32_t i = 0; i < map.count; i++)
            print_message("  0x%llx +0x%llx %u\n", (unsigned long long)map.entry[i].base,
                          (unsigned long long)map.entry[i].length, map.entry[i].type);
        fail_msg("map has %u entries, want %u", map.count, n);
    }
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(map.entry[i].base, want[i].base);
        assert_int_equal(map.entry[i].length, want[i].length);
        assert_int_equal(map.entry[i].type, want[i].type);
    }
}

static bool frame_free(uint64_t addr)
{
    bool f = false;
    assert_int_equal(frames_is_free(&fr, addr, &f), ERR_OK);
    return f;
}

/* The policy with stage2's parameters, as memory.c calls it. */
static err_t loader_reserve(struct memmap_range *failed)
{
    return lowmem_reserve(&fr, &map, MEMORY_LOADER_LOW_END, MEMORY_PAGE, failed);
}

static const struct lowmem_part *loader_unusable(uint64_t *bad)
{
    return lowmem_unusable(&map, memory_low_parts(), MEMORY_LOW_PARTS, bad);
}

/* Boot the step with frames of `gran` bytes; the bitmap goes at 1 MiB or above. */
static void reserve_low(uint64_t gran)
{
    struct memmap_range failed = {0, 0};
    assert_int_equal(frames_init(&fr, &map, gran, MiB, buf_ptr, NULL), ERR_OK);
    assert_int_equal(loader_reserve(&failed), ERR_OK);
}

/* Map of the q35 machine after the step, whatever the frame size, before the bitmap's own
 * frames are typed: [0, 0x80000) loader, [0x80000, 0x9fc00) still usable. */
static void assert_q35_low_typed(void)
{
    assert_int_equal(map.entry[0].base, 0);
    assert_int_equal(map.entry[0].length, 0x80000);
    assert_int_equal(map.entry[0].type, E820_TYPE_LOADER_RECLAIMABLE);
    assert_int_equal(map.entry[1].base, 0x80000);
    assert_int_equal(map.entry[1].length, 0x9fc00 - 0x80000);
    assert_int_equal(map.entry[1].type, E820_TYPE_RAM);
}

static void test_4k_frames(void **state)
{
    (void)state;
    make_map(q35, 4);
    reserve_low(4 * KiB);
    assert_q35_low_typed();
    /* Every page of the loader's part used in the bitmap, the first one above it free. */
    for (uint64_t a = 0; a < 0x80000; a += 4 * KiB)
        if (frame_free(a))
            fail_msg("frame 0x%llx still free", (unsigned long long)a);
    assert_true(frame_free(0x80000));
    assert_true(frame_free(0x9e000));
}

/* The bug: 2 MiB frames. [0, 2 MiB) is not all RAM, so no frame covers low memory: nothing
 * to reserve in the bitmap, but the map must still say the loader's pages are the loader's
 * (the old code typed nothing and the kernel stack check panicked). */
static void test_2m_frames(void **state)
{
    (void)state;
    struct frames_stats before, after;
    make_map(q35, 4);
    assert_int_equal(frames_init(&fr, &map, 2 * MiB, MiB, buf_ptr, NULL), ERR_OK);
    frames_stats(&fr, &before);
    struct memmap_range failed = {0, 0};
    assert_int_equal(loader_reserve(&failed), ERR_OK);
    frames_stats(&fr, &after);
    assert_q35_low_typed();
    assert_int_equal(after.free, before.free);
    assert_int_equal(memmap_type_at(&map, MEMORY_KERNEL_STACK_BASE),
                     E820_TYPE_LOADER_RECLAIMABLE);
    assert_int_equal(memmap_type_at(&map, MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE - 1),
                     E820_TYPE_LOADER_RECLAIMABLE);
    assert_int_equal(memmap_type_at(&map, 0), E820_TYPE_LOADER_RECLAIMABLE); /* page 0 too */
}

/* Every power of two up to 1 GiB: the map comes out the same. */
static void test_every_frame_size(void **state)
{
    (void)state;
    for (uint64_t gran = 4 * KiB; gran <= 1024 * MiB; gran <<= 1) {
        make_map(q35, 4);
        struct memmap_range failed = {0, 0};
        err_t e = frames_init(&fr, &map, gran, MiB, buf_ptr, NULL);
        if (e != ERR_OK) /* 128 MiB of RAM holds no 256 MiB frame: nothing to place */
            continue;
        assert_int_equal(loader_reserve(&failed), ERR_OK);
        assert_int_equal(memmap_type_at(&map, 0x7ffff), E820_TYPE_LOADER_RECLAIMABLE);
        assert_int_equal(memmap_type_at(&map, 0x80000), E820_TYPE_RAM);
    }
}

/* 512 KiB frames: [0, 0x80000) is exactly one frame, reserved; the next ([0x80000, 1 MiB))
 * is not all RAM, so not covered. */
static void test_512k_frames(void **state)
{
    (void)state;
    make_map(q35, 4);
    reserve_low(512 * KiB);
    assert_q35_low_typed();
    assert_false(frame_free(0));
    bool f;
    assert_int_equal(frames_is_free(&fr, 0x80000, &f), ERR_NOT_USABLE);
}

/* A hostile map calling [0, 16 MiB) RAM with 1 MiB frames: the frame [0, 1 MiB) holds the
 * loader, so it is reserved whole; the map types only the loader's pages. */
static void test_frame_larger_than_loader(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {{0x0, 16 * MiB, 1, 0}};
    make_map(raw, 1);
    reserve_low(MiB);
    assert_false(frame_free(0));
    static const struct e820_entry want_head = {0x0, 0x80000, E820_TYPE_LOADER_RECLAIMABLE, 0};
    assert_int_equal(map.entry[0].base, want_head.base);
    assert_int_equal(map.entry[0].length, want_head.length);
    assert_int_equal(map.entry[0].type, want_head.type);
    assert_int_equal(memmap_type_at(&map, 0x80000), E820_TYPE_RAM);
}

/* Reserved holes inside low memory keep their type: only RAM becomes the loader's. */
static void test_reserved_hole_kept(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {
        {0x0, 0x1000, 2, 0},        /* a BIOS that reserves page 0 */
        {0x1000, 0x9f000, 1, 0},
        {0x100000, 0x7f00000, 1, 0},
    };
    static const struct e820_entry want[] = {
        {0x0, 0x1000, 2, 0},
        {0x1000, 0x7f000, E820_TYPE_LOADER_RECLAIMABLE, 0},
        {0x80000, 0x20000, 1, 0},
        {0x100000, 0x7f00000, 1, 0},
    };
    make_map(raw, 3);
    struct memmap_range failed = {0, 0};
    assert_int_equal(frames_init(&fr, &map, 4 * KiB, MiB, buf_ptr, NULL), ERR_OK);
    uint64_t bm = fr.storage_phys, bm_len = (fr.storage_bytes + 4095) & ~4095ull;
    assert_int_equal(loader_reserve(&failed), ERR_OK);
    /* the bitmap's own frames are typed too: cut them out of the comparison */
    assert_int_equal(memmap_set_type(&map, bm, bm_len, 1), ERR_OK);
    assert_map(want, 4);
}

/* ---- the check that the low memory stage2 uses is RAM ---------------------------------- */

static void test_low_all_ram(void **state)
{
    (void)state;
    uint64_t bad = 0;
    make_map(q35, 4);
    assert_null(loader_unusable(&bad));
}

/* The real table of an Apple MacBookPro11,1 (/work/shared/e820/06-apple-macbookpro11-1.txt):
 * a reserved page at 0x58000, inside stage2's own range. */
static void test_low_apple_reserved_page(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {
        {0x0, 0x58000, 1, 0}, {0x58000, 0x1000, 2, 0}, {0x59000, 0x36000, 1, 0},
        {0x8f000, 0x1000, 2, 0}, {0x90000, 0x10000, 1, 0}, {0x100000, 0x7f00000, 1, 0},
    };
    uint64_t bad = 0;
    make_map(raw, 6);
    const struct lowmem_part *p = loader_unusable(&bad);
    assert_non_null(p);
    assert_string_equal(p->what, "stage2 and its stacks");
    assert_int_equal(bad, 0x58000);
    assert_int_equal(p->base, 0x500);
    assert_int_equal(p->end, 0x60000);
}

/* An EBDA of 1 KiB at the top of the bounce buffer (a machine with 511 KiB of low RAM). */
static void test_low_ebda_in_bounce_buffer(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {
        {0x0, 0x7fc00, 1, 0}, {0x7fc00, 0x400, 2, 0}, {0x100000, 0x7f00000, 1, 0},
    };
    uint64_t bad = 0;
    make_map(raw, 3);
    const struct lowmem_part *p = loader_unusable(&bad);
    assert_non_null(p);
    assert_string_equal(p->what, "the BIOS bounce buffer");
    assert_int_equal(bad, 0x7fc00);
}

/* A hole (no entry at all) in the kernel stack. */
static void test_low_gap_in_kernel_stack(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {
        {0x0, 0x65000, 1, 0}, {0x66000, 0x39c00, 1, 0}, {0x100000, 0x7f00000, 1, 0},
    };
    uint64_t bad = 0;
    make_map(raw, 3);
    const struct lowmem_part *p = loader_unusable(&bad);
    assert_non_null(p);
    assert_string_equal(p->what, "the kernel stack");
    assert_int_equal(bad, 0x65000);
}

/* RAM that stops exactly at 0x80000 is enough; one byte less is not. */
static void test_low_ram_to_exactly_0x80000(void **state)
{
    (void)state;
    static const struct e820_entry ok[] = {{0x0, 0x80000, 1, 0}, {0x100000, MiB, 1, 0}};
    static const struct e820_entry short_by_one[] = {{0x0, 0x7ffff, 1, 0},
                                                     {0x100000, MiB, 1, 0}};
    uint64_t bad = 0;
    make_map(ok, 2);
    assert_null(loader_unusable(&bad));
    make_map(short_by_one, 2);
    assert_non_null(loader_unusable(&bad));
    assert_int_equal(bad, 0x7ffff);
}

/* Page 0 reserved is fine for the check: stage2 uses nothing below 0x500. */
static void test_low_page0_reserved_is_fine(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {{0x0, 0x500, 2, 0}, {0x500, 0x9f700, 1, 0}};
    uint64_t bad = 0;
    make_map(raw, 2);
    assert_null(loader_unusable(&bad));
}

/* The policy takes any parts: none is trivially fine, and the first bad one is named. */
static void test_low_parts_are_parameters(void **state)
{
    (void)state;
    static const struct lowmem_part parts[] = {
        { 0x1000, 0x2000, "first" }, { 0x9fc00, 0xa0000, "an EBDA-sized part" },
        { 0xa0000, 0xa1000, "never reached" },
    };
    uint64_t bad = 0;
    make_map(q35, 4);
    assert_null(lowmem_unusable(&map, parts, 0, &bad));
    assert_null(lowmem_unusable(&map, parts, 1, &bad));
    assert_ptr_equal(lowmem_unusable(&map, parts, 3, &bad), &parts[1]);
    assert_int_equal(bad, 0x9fc00);
}

/* An entry whose end wraps past 2^64 reaches the end of every part. */
static void test_low_entry_to_top(void **state)
{
    (void)state;
    static const struct lowmem_part part = { 0x1000, UINT64_MAX, "to the top" };
    struct e820_entry e = { 0, UINT64_MAX - 1, E820_TYPE_RAM, 0 };
    struct memmap m = { .entry = &e, .count = 1, .capacity = 1 };
    uint64_t bad = 0;
    assert_non_null(lowmem_unusable(&m, &part, 1, &bad)); /* one byte short */
    assert_int_equal(bad, UINT64_MAX - 1);
    e.base = 1; /* base + length wraps to 0: the entry reaches 2^64 */
    e.length = UINT64_MAX;
    assert_null(lowmem_unusable(&m, &part, 1, &bad));
}

/* ---- conventional memory held out of the allocator ------------------------------------ */

static struct lowmem_held held;

/* The map, the bitmap with the loader's part reserved, nothing held yet. */
static void hold_setup(const struct e820_entry *raw, uint32_t n, uint64_t gran)
{
    make_map(raw, n);
    reserve_low(gran);
    memset(&held, 0, sizeof held);
}

/* Conventional memory above the loader's part, up to 1 MiB, as memory.c holds it. */
static err_t loader_hold(struct memmap_range *failed)
{
    return lowmem_hold(&fr, &map, MEMORY_LOADER_LOW_END, MEMORY_ALLOC_MIN, &held, failed);
}

/* q35, 4 KiB frames: [0x80000, 0x9f000) is held (0x9fc00 rounds down to a whole frame), the
 * map keeps it usable, and release gives every frame back. */
static void test_hold_q35(void **state)
{
    (void)state;
    struct memmap_range failed = {0, 0};
    hold_setup(q35, 4, 4 * KiB);
    assert_int_equal(loader_hold(&failed), ERR_OK);
    assert_int_equal(held.count, 1);
    assert_int_equal(held.range[0].base, 0x80000);
    assert_int_equal(held.range[0].end, 0x9f000);
    for (uint64_t a = 0x80000; a < 0x9f000; a += 4 * KiB)
        if (frame_free(a))
            fail_msg("frame 0x%llx not held", (unsigned long long)a);
    assert_true(frame_free(MiB + 0x100000)); /* the rest of RAM is untouched */
    assert_q35_low_typed();                  /* the map is not */
    /* holding again would lose the first ranges: refused */
    assert_int_equal(loader_hold(&failed), ERR_INVALID_ARG);
    assert_int_equal(lowmem_release(&fr, &held, &failed), ERR_OK);
    assert_int_equal(held.count, 0);
    for (uint64_t a = 0x80000; a < 0x9f000; a += 4 * KiB)
        assert_true(frame_free(a));
    assert_false(frame_free(0x7f000)); /* the loader's part stays reserved */
    /* nothing held: releasing again does nothing */
    assert_int_equal(lowmem_release(&fr, &held, &failed), ERR_OK);
}

/* A reserved page inside conventional memory splits it: two ranges held, both released. */
static void test_hold_two_ranges(void **state)
{
    (void)state;
    static const struct e820_entry raw[] = {
        {0x0, 0x88000, 1, 0}, {0x88000, 0x1000, 2, 0}, {0x89000, 0x16c00, 1, 0},
        {0x100000, 0x7f00000, 1, 0},
    };
    struct memmap_range failed = {0, 0};
    hold_setup(raw, 4, 4 * KiB);
    assert_int_equal(loader_hold(&failed), ERR_OK);
    assert_int_equal(held.count, 2);
    assert_int_equal(held.range[0].base, 0x80000);
    assert_int_equal(held.range[0].end, 0x88000);
    assert_int_equal(held.range[1].base, 0x89000);
    assert_int_equal(held.range[1].end, 0x9f000);
    assert_false(frame_free(0x87000));
    assert_false(frame_free(0x89000));
    assert_int_equal(lowmem_release(&fr, &held, &failed), ERR_OK);
    assert_true(frame_free(0x87000));
    assert_true(frame_free(0x89000));
}

/* With 2 MiB frames no frame lies in [0x80000, 1 MiB): nothing to hold. */
static void test_hold_large_frames(void **state)
{
    (void)state;
    struct memmap_range failed = {0, 0};
    hold_setup(q35, 4, 2 * MiB);
    assert_int_equal(loader_hold(&failed), ERR_OK);
    assert_int_equal(held.count, 0);
}

/* A frame already taken in the range: the hold fails naming the range, holding nothing; a
 * frame freed behind the holder's back: the release fails naming the range, which stays. */
static void test_hold_release_fail(void **state)
{
    (void)state;
    struct memmap_range failed = {0, 0};
    hold_setup(q35, 4, 4 * KiB);
    assert_int_equal(frames_reserve(&fr, 0x90000, 1), ERR_OK);
    assert_int_equal(loader_hold(&failed), ERR_IN_USE);
    assert_int_equal(held.count, 0);
    assert_int_equal(failed.base, 0x80000);
    assert_int_equal(failed.end, 0x9f000);
    assert_true(frame_free(0x80000)); /* all or nothing */

    assert_int_equal(frames_free(&fr, 0x90000, 1), ERR_OK);
    assert_int_equal(loader_hold(&failed), ERR_OK);
    assert_int_equal(frames_free(&fr, 0x90000, 1), ERR_OK);
    failed = (struct memmap_range){0, 0};
    assert_int_equal(lowmem_release(&fr, &held, &failed), ERR_ALREADY_FREE);
    assert_int_equal(failed.base, 0x80000);
    assert_int_equal(failed.end, 0x9f000);
    assert_int_equal(held.count, 1);
}

/* More usable ranges than LOWMEM_RANGES_MAX below 1 MiB: the first ones are held, no more. */
static void test_hold_many_ranges(void **state)
{
    (void)state;
    struct e820_entry raw[2 * LOWMEM_RANGES_MAX + 2];
    struct memmap_range failed = {0, 0};
    uint32_t n = 0;
    raw[n++] = (struct e820_entry){0x0, 0x80000, 1, 0};
    for (uint32_t i = 0; i < LOWMEM_RANGES_MAX + 1; i++) /* RAM page, reserved page, ... */
        raw[n++] = (struct e820_entry){0x80000 + i * 0x2000ull, 0x1000, 1, 0};
    raw[n++] = (struct e820_entry){0x100000, 0x7f00000, 1, 0};
    hold_setup(raw, n, 4 * KiB);
    assert_int_equal(loader_hold(&failed), ERR_OK);
    assert_int_equal(held.count, LOWMEM_RANGES_MAX);
    assert_int_equal(held.range[LOWMEM_RANGES_MAX - 1].base,
                     0x80000 + (LOWMEM_RANGES_MAX - 1) * 0x2000ull);
    assert_true(frame_free(0x80000 + LOWMEM_RANGES_MAX * 0x2000ull));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_4k_frames),
        cmocka_unit_test(test_2m_frames),
        cmocka_unit_test(test_every_frame_size),
        cmocka_unit_test(test_512k_frames),
        cmocka_unit_test(test_frame_larger_than_loader),
        cmocka_unit_test(test_reserved_hole_kept),
        cmocka_unit_test(test_low_all_ram),
        cmocka_unit_test(test_low_apple_reserved_page),
        cmocka_unit_test(test_low_ebda_in_bounce_buffer),
        cmocka_unit_test(test_low_gap_in_kernel_stack),
        cmocka_unit_test(test_low_ram_to_exactly_0x80000),
        cmocka_unit_test(test_low_page0_reserved_is_fine),
        cmocka_unit_test(test_low_parts_are_parameters),
        cmocka_unit_test(test_low_entry_to_top),
        cmocka_unit_test(test_hold_q35),
        cmocka_unit_test(test_hold_two_ranges),
        cmocka_unit_test(test_hold_large_frames),
        cmocka_unit_test(test_hold_release_fail),
        cmocka_unit_test(test_hold_many_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
