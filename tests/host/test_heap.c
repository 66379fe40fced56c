/* test_heap.c: the boot heap: placement in the bitmap and the map (fits, shrinks with a
 * warning, refuses below the minimum), bump allocation with any power-of-two alignment,
 * freeing the most recent allocation, reset, overflow-proof arithmetic, stats and the debug
 * records. Offsets are worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "fake_storage.h"
#include "frames.h"
#include "heap.h"
#include "memmap.h"

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull

static uint8_t arena[64 * KiB] __attribute__((aligned(4096)));

/* ---- bump allocation on caller memory at physical 16 MiB ---- */

static void offsets_follow_alignment(void **state)
{
    (void)state;
    struct heap h;
    assert_int_equal(heap_init_mem(&h, arena, 16 * MiB, 4096), ERR_OK);
    uint8_t *a = heap_alloc(&h, 10, 1);   /* [0, 10) */
    uint8_t *b = heap_alloc(&h, 1, 16);   /* 10 -> 16: [16, 17) */
    uint8_t *c = heap_alloc(&h, 8, 8);    /* 17 -> 24: [24, 32) */
    uint8_t *d = heap_alloc(&h, 5, 0);    /* align 0 = 1: [32, 37) */
    uint8_t *e = heap_alloc(&h, 64, 1024);/* 37 -> 1024: [1024, 1088) */
    assert_ptr_equal(a, arena);
    assert_ptr_equal(b, arena + 16);
    assert_ptr_equal(c, arena + 24);
    assert_ptr_equal(d, arena + 32);
    assert_ptr_equal(e, arena + 1024);
    assert_int_equal(heap_phys(&h, e), 16 * MiB + 1024);
    assert_int_equal(heap_phys(&h, arena + 4096), 0); /* one past the end */
    struct heap_stats s;
    heap_stats(&h, &s);
    assert_int_equal(s.used, 1088);
    assert_int_equal(s.peak, 1088);
    assert_int_equal(s.allocations, 5);
    assert_int_equal(s.failures, 0);
    assert_int_equal(s.size, 4096);
    /* the rest exactly: 4096 - 1088 = 3008 bytes, then nothing */
    assert_non_null(heap_alloc(&h, 3008, 1));
    assert_null(heap_alloc(&h, 1, 1));
    heap_stats(&h, &s);
    assert_int_equal(s.used, 4096);
    assert_int_equal(s.failures, 1);
}

/* Alignment is of the physical address: a heap based at 0x1008 aligns its first 16-byte
 * allocation to offset 8. */
static void alignment_is_physical(void **state)
{
    (void)state;
    struct heap h;
    assert_int_equal(heap_init_mem(&h, arena, 0x1008, 256), ERR_OK);
    uint8_t *p = heap_alloc(&h, 1, 16);
    assert_ptr_equal(p, arena + 8);
    assert_int_equal(heap_phys(&h, p) % 16, 0);
}

static void hostile_sizes_and_alignments_fail_cleanly(void **state)
{
    (void)state;
    struct heap h;
    assert_int_equal(heap_init_mem(&h, arena, 16 * MiB, 4096), ERR_OK);
    assert_non_null(heap_alloc(&h, 100, 1));
    assert_null(heap_alloc(&h, 0, 1));                 /* size 0 */
    assert_null(heap_alloc(&h, 1, 3));                 /* not a power of two */
    assert_null(heap_alloc(&h, 1, 48));
    assert_null(heap_alloc(&h, UINT64_MAX, 1));
    assert_null(heap_alloc(&h, UINT64_MAX - 50, 1));   /* 100 + that wraps */
    assert_null(heap_alloc(&h, 1, 1ull << 63));        /* rounds past the end */
    assert_null(heap_alloc(&h, 4097, 1));
    assert_null(heap_alloc(&h, 3997, 1));              /* one byte too many */
    struct heap_stats s;
    heap_stats(&h, &s);
    assert_int_equal(s.used, 100);
    assert_int_equal(s.failures, 8);
    assert_int_equal(s.allocations, 1);
    assert_non_null(heap_alloc(&h, 3996, 1));

    /* A heap ending 8 KiB below 2^64: rounding the address up would wrap. */
    assert_int_equal(heap_init_mem(&h, arena, UINT64_MAX - 8191, 4096), ERR_OK);
    assert_null(heap_alloc(&h, 1, 1ull << 63));
    assert_null(heap_alloc(&h, 1, 1ull << 14));
    assert_non_null(heap_alloc(&h, 4096, 4096));
    assert_null(heap_alloc(&h, 1, 1));

    assert_int_equal(heap_init_mem(&h, arena, UINT64_MAX - 4095, 4096), ERR_OVERFLOW);
    assert_int_equal(heap_init_mem(&h, arena, 0, 0), ERR_INVALID_ARG);
    assert_int_equal(heap_init_mem(&h, NULL, 0, 16), ERR_INVALID_ARG);
    assert_int_equal(heap_init_mem(NULL, arena, 0, 16), ERR_INVALID_ARG);
    assert_null(heap_alloc(NULL, 1, 1));
}

/* Random sizes and alignments: every block inside the heap, aligned, disjoint from all
 * others; checked against a list of the live ranges. */
static void random_allocations_never_overlap(void **state)
{
    (void)state;
    struct heap h;
    uint64_t lo[4096], hi[4096];
    uint32_t n = 0;
    uint64_t x = 12345;
    assert_int_equal(heap_init_mem(&h, arena, 0x40000, sizeof(arena)), ERR_OK);
    for (int i = 0; i < 20000 && n < 4096; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t size = 1 + (x >> 33) % 300;
        uint64_t align = 1ull << ((x >> 20) % 13);
        uint8_t *p = heap_alloc(&h, size, align);
        if (!p) {
            heap_reset(&h);
            n = 0;
            continue;
        }
        uint64_t a = heap_phys(&h, p);
        assert_int_equal(a % align, 0);
        assert_true(p >= arena && p + size <= arena + sizeof(arena));
        for (uint32_t k = 0; k < n; k++)
            assert_true(a + size <= lo[k] || a >= hi[k]);
        memset(p, 0x5a, (size_t)size); /* ASan: the whole block is ours */
        if ((x >> 40) % 4 == 0) {       /* sometimes give the newest one back */
            assert_int_equal(heap_free(&h, p), ERR_OK);
            continue;
        }
        lo[n] = a;
        hi[n] = a + size;
        n++;
    }
}

static void zeroed_allocation_is_zero(void **state)
{
    (void)state;
    struct heap h;
    memset(arena, 0xff, sizeof(arena));
    assert_int_equal(heap_init_mem(&h, arena, 0, sizeof(arena)), ERR_OK);
    assert_non_null(heap_alloc(&h, 3, 1));
    uint8_t *p = heap_alloc_zeroed(&h, 1000, 64);
    assert_ptr_equal(p, arena + 64);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(p[i], 0);
    assert_int_equal(arena[64 + 1000], 0xff); /* not a byte more */
    assert_null(heap_alloc_zeroed(&h, sizeof(arena), 1));
}

static void free_returns_only_the_newest(void **state)
{
    (void)state;
    struct heap h;
    struct heap_stats s;
    assert_int_equal(heap_init_mem(&h, arena, 0, 4096), ERR_OK);
    uint8_t *p = heap_alloc(&h, 100, 1);  /* [0, 100) */
    uint8_t *q = heap_alloc(&h, 50, 64);  /* [128, 178) */
    assert_int_equal(heap_free(&h, q), ERR_OK);
    heap_stats(&h, &s);
    assert_int_equal(s.used, 100);        /* back to before q, padding included */
    assert_int_equal(s.peak, 178);
    assert_ptr_equal(heap_alloc(&h, 50, 64), q); /* the same place again */
    assert_int_equal(heap_free(&h, q), ERR_OK);
    assert_int_equal(heap_free(&h, q), ERR_ALREADY_FREE);  /* double free */
    assert_int_equal(heap_free(&h, arena + 3000), ERR_ALREADY_FREE); /* never handed out */
    /* p is live but no longer the newest tracked: accepted, space kept until reset */
    assert_int_equal(heap_free(&h, p), ERR_OK);
    heap_stats(&h, &s);
    assert_int_equal(s.used, 100);
    assert_int_equal(heap_free(&h, NULL), ERR_INVALID_ARG);
    assert_int_equal(heap_free(&h, arena + 4096), ERR_NOT_OWNED);
    assert_int_equal(heap_free(&h, arena + 5000), ERR_NOT_OWNED);
    uint8_t other;
    assert_int_equal(heap_free(&h, &other), ERR_NOT_OWNED);

    heap_reset(&h);
    heap_stats(&h, &s);
    assert_int_equal(s.used, 0);
    assert_int_equal(s.peak, 178);
    assert_int_equal(s.allocations, 3);
    assert_ptr_equal(heap_alloc(&h, 1, 1), arena);
    assert_int_equal(heap_free(&h, arena), ERR_OK);
}

/* ---- debug records ---- */
struct lines {
    int n;
    char text[8][160];
};

static void collect(void *ctx, const char *line)
{
    struct lines *l = ctx;
    if (l->n < 8)
        snprintf(l->text[l->n], sizeof(l->text[0]), "%s", line);
    l->n++;
}

static void debug_mode_records_call_sites(void **state)
{
    (void)state;
    struct heap h;
    struct heap_debug_rec recs[3];
    struct lines out = {0};
    char want[160];

    assert_int_equal(heap_init_mem(&h, arena, 0x200000, 4096), ERR_OK);
    heap_debug_print(&h, collect, &out); /* debug off: nothing */
    assert_int_equal(out.n, 0);
    heap_debug_enable(&h, recs, 3);
    int line_a = __LINE__ + 1;
    assert_non_null(heap_alloc(&h, 100, 1));          /* 0x200000 */
    int line_b = __LINE__ + 1;
    assert_non_null(heap_alloc_zeroed(&h, 4, 256));   /* 0x200100 */
    assert_non_null(heap_alloc(&h, 7, 1));            /* 0x200104, then freed */
    assert_int_equal(heap_free(&h, h.mem + 0x104), ERR_OK);
    int line_c = __LINE__ + 1;
    assert_non_null(heap_alloc(&h, 9, 8));            /* 0x200108 */
    assert_non_null(heap_alloc(&h, 1, 1));            /* no room in recs: dropped */
    heap_debug_print(&h, collect, &out);
    assert_int_equal(out.n, 4);
    snprintf(want, sizeof(want), "heap: %s:%d size 100 at 0x200000", __FILE__, line_a);
    assert_string_equal(out.text[0], want);
    snprintf(want, sizeof(want), "heap: %s:%d size 4 at 0x200100", __FILE__, line_b);
    assert_string_equal(out.text[1], want);
    snprintf(want, sizeof(want), "heap: %s:%d size 9 at 0x200108", __FILE__, line_c);
    assert_string_equal(out.text[2], want);
    assert_string_equal(out.text[3], "heap: 3 live records, 1 dropped");
    /* an older allocation freed: its space stays until reset, but it is no longer listed */
    assert_int_equal(heap_free(&h, h.mem + 0x100), ERR_OK);
    assert_int_equal(recs[1].live, 0);
    out.n = 0;
    heap_debug_print(&h, collect, &out);
    assert_int_equal(out.n, 3);
    assert_string_equal(out.text[1], want); /* the 9-byte one at 0x200108 */
    assert_string_equal(out.text[2], "heap: 2 live records, 1 dropped");
    heap_reset(&h);
    out.n = 0;
    heap_debug_print(&h, collect, &out);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.text[0], "heap: 0 live records, 0 dropped");
}

/* ---- placement through the frame bitmap ---- */
static struct e820_entry store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(16) / 8];

/* usable [0, 0x9fc00), [1 MiB, 1 MiB + ram) and [4 GiB, 4 GiB + 16 MiB): the bitmap
 * (3 + ram/256K + 64 words and 3 regions: under 4 KiB for ram <= 63 MiB) takes the frame at
 * 1 MiB. The 16 MiB above 4 GiB would hold a default heap, but it must stay below 4 GiB. */
static void setup(struct memmap *m, struct frames *f, struct fake_storage *fk, uint64_t ram)
{
    const struct e820_entry raw[] = {{0, 0x9fc00, 1, 0}, {0x9fc00, 0x400, 2, 0},
                                     {MiB, ram, 1, 0}, {4 * GiB, 16 * MiB, 1, 0}};
    memmap_init(m, store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(m, raw, NULL, 4, scratch, sizeof(scratch), NULL), ERR_OK);
    assert_int_equal(frames_init(f, m, 4096, MiB, fake_storage_ptr, fk), ERR_OK);
    assert_int_equal(f->storage_phys, MiB);
    assert_int_equal(f->storage_frames, 1);
}

static void heap_goes_after_the_bitmap_with_defaults(void **state)
{
    (void)state;
    struct memmap m;
    struct frames f;
    struct fake_storage fk = {0};
    struct boot_config c;
    struct heap h;
    struct multios_heap_info info;

    setup(&m, &f, &fk, 63 * MiB);
    config_defaults(&c);
    uint64_t free_before = f.free;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_OK);
    assert_int_equal(h.base, 0x101000);
    assert_int_equal(h.size, 16 * MiB);
    assert_false(h.shrunk);
    assert_int_equal(f.free, free_before - 4096);
    assert_int_equal(memmap_type_at(&m, 0x101000), E820_TYPE_BOOT_HEAP);
    assert_int_equal(memmap_type_at(&m, 0x1100fff), E820_TYPE_BOOT_HEAP);
    assert_int_equal(memmap_type_at(&m, 0x1101000), E820_TYPE_RAM);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_BOOT_HEAP), 16 * MiB);
    bool fr = true;
    assert_int_equal(frames_is_free(&f, 0x1100000, &fr), ERR_OK);
    assert_false(fr);
    assert_non_null(heap_alloc(&h, 10, 1));
    heap_info(&h, &info);
    assert_int_equal(info.base, 0x101000);
    assert_int_equal(info.size, 16 * MiB);
    assert_int_equal(info.used, 10);
    assert_int_equal(info.allocations, 1);
    fake_storage_release(&fk);

    /* 2 MiB alignment puts it at 2 MiB; a 1 KiB size rounds up to one frame */
    setup(&m, &f, &fk, 63 * MiB);
    c.heap_align = 2 * MiB;
    c.heap_size = KiB;
    c.heap_min_size = KiB;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_OK);
    assert_int_equal(h.base, 2 * MiB);
    assert_int_equal(h.size, 4096);
    fake_storage_release(&fk);
}

/* [1 MiB, 11 MiB) usable: after the bitmap frame, 2559 frames (10 MiB - 4 KiB) remain below
 * 4 GiB; the 16 MiB above 4 GiB do not count (the heap must be reachable from 32-bit). The
 * shrunk heap takes half the free frames of its window, 2559 / 2 = 1279, leaving the rest
 * for the kernel; a larger minimum that still fits wins over the half. */
static void heap_shrinks_to_fit_or_fails_below_minimum(void **state)
{
    (void)state;
    struct memmap m;
    struct frames f;
    struct fake_storage fk = {0};
    struct boot_config c;
    struct heap h;

    setup(&m, &f, &fk, 10 * MiB);
    config_defaults(&c);
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_OK);
    assert_true(h.shrunk);
    assert_int_equal(h.requested, 16 * MiB);
    assert_int_equal(h.size, 1279 * 4096ull);
    assert_int_equal(h.base, 0x101000);
    assert_int_equal(f.free, 2559 - 1279 + 159 + 4096); /* + region 0 and above 4 GiB */
    fake_storage_release(&fk);

    setup(&m, &f, &fk, 10 * MiB);
    c.heap_min_size = 10 * MiB; /* 2560 frames needed, 2559 there */
    uint64_t free_before = f.free;
    uint32_t count_before = m.count;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_TOO_SMALL);
    assert_int_equal(f.free, free_before);
    assert_int_equal(m.count, count_before);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_BOOT_HEAP), 0);
    c.heap_min_size = 10 * MiB - 4096;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_OK);
    assert_true(h.shrunk);
    assert_int_equal(h.size, 2559 * 4096ull);
    fake_storage_release(&fk);

    /* Two runs in the window: [0x101000, 0x200000) and [0x201000, 0xb00000), 255 + 2303
     * free frames; half of all free = 1279, and it fits in the second run. */
    setup(&m, &f, &fk, 10 * MiB);
    config_defaults(&c);
    assert_int_equal(frames_reserve(&f, 0x200000, 1), ERR_OK);
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_OK);
    assert_int_equal(h.size, 1279 * 4096ull);
    assert_int_equal(h.base, 0x201000);
    fake_storage_release(&fk);
}

static void heap_init_errors_take_nothing(void **state)
{
    (void)state;
    struct memmap m;
    struct frames f;
    struct fake_storage fk = {0};
    struct boot_config c;
    struct heap h;

    setup(&m, &f, &fk, 63 * MiB);
    uint64_t free_before = f.free;
    uint32_t count_before = m.count;
    config_defaults(&c);
    c.heap_min_size = c.heap_size + 1;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    config_defaults(&c);
    c.heap_align = 3000;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    config_defaults(&c);
    assert_int_equal(heap_init(&h, &f, &m, NULL, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    assert_int_equal(heap_init(&h, &f, &m, &c, NULL, &fk), ERR_INVALID_ARG);
    fk.fail = true; /* memory not reachable: frames given back */
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_NOT_USABLE);
    fk.fail = false;
    m.capacity = m.count; /* no room for the split: frames given back */
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_CAPACITY);
    m.capacity = MEMMAP_MAX;
    /* minimum address above all RAM below 4 GiB */
    c.heap_min_addr = 64 * MiB;
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_TOO_SMALL);
    config_defaults(&c);
    frames_seal(&f);
    assert_int_equal(heap_init(&h, &f, &m, &c, fake_storage_ptr, &fk), ERR_SEALED);
    assert_int_equal(f.free, free_before);
    assert_int_equal(m.count, count_before);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_BOOT_HEAP), 0);
    fake_storage_release(&fk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offsets_follow_alignment),
        cmocka_unit_test(alignment_is_physical),
        cmocka_unit_test(hostile_sizes_and_alignments_fail_cleanly),
        cmocka_unit_test(random_allocations_never_overlap),
        cmocka_unit_test(zeroed_allocation_is_zero),
        cmocka_unit_test(free_returns_only_the_newest),
        cmocka_unit_test(debug_mode_records_call_sites),
        cmocka_unit_test(heap_goes_after_the_bitmap_with_defaults),
        cmocka_unit_test(heap_shrinks_to_fit_or_fails_below_minimum),
        cmocka_unit_test(heap_init_errors_take_nothing),
    };
    return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
