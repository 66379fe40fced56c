/* test_frames.c: the frame bitmap on hand-drawn maps: setup and placement, every operation
 * and every error path (a refused call must change nothing), statistics, sealing, and the
 * typed helpers. Expected values are worked out in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_storage.h"
#include "frames.h"
#include "frames_bits.h" /* private bit primitives, tested on their own */
#include "memmap.h"

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull
#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static struct e820_entry map_store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(64) / 8];

static struct memmap map_of(const struct e820_entry *raw, uint32_t n, uint32_t capacity)
{
    struct memmap m;
    memmap_init(&m, map_store, capacity);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, n, scratch, sizeof(scratch), NULL), ERR_OK);
    return m;
}

/* Map A, granularity 4 KiB:
 *   0          0x9f000   0x100000   0x200000   0x300000  0x340000
 *   [usable 159 fr)[res   )[usable 256 fr)[res     )[usable 64 )
 * Bits: region 0 at bit 0 (3 words), region 1 at bit 192 (4 words), region 2 at bit 448
 * (1 word): 8 words = 64 bytes, plus 3 * 24 bytes of region table = 136 bytes: one frame,
 * placed at 0x100000 (min_addr 1 MiB). Total 479 frames, 478 free after setup. */
static const struct e820_entry map_a[] = {
    {0, 0x9f000, 1, 0},
    {0x9f000, 0x61000, 2, 0},
    {0x100000, 0x100000, 1, 0},
    {0x200000, 0x100000, 2, 0},
    {0x300000, 0x40000, 1, 0},
};

struct env {
    struct memmap m;
    struct frames f;
    struct fake_storage fk;
};

static int env_setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    e->m = map_of(map_a, N(map_a), MEMMAP_MAX);
    assert_int_equal(frames_init(&e->f, &e->m, 4096, MiB, fake_storage_ptr, &e->fk), ERR_OK);
    *state = e;
    return 0;
}

static int env_teardown(void **state)
{
    struct env *e = *state;
    fake_storage_release(&e->fk);
    free(e);
    return 0;
}

/* Snapshot of everything a refused call must leave alone. */
struct snap {
    uint64_t bits[8];
    uint64_t free, hint;
};

static struct snap snap_of(const struct frames *f)
{
    struct snap s;
    memcpy(s.bits, f->bits, sizeof(s.bits));
    s.free = f->free;
    s.hint = f->hint;
    return s;
}

static void assert_unchanged(const struct frames *f, const struct snap *s)
{
    struct snap now = snap_of(f);
    assert_memory_equal(now.bits, s->bits, sizeof(s->bits));
    assert_int_equal(now.free, s->free);
    assert_int_equal(now.hint, s->hint);
}

static bool is_free(const struct frames *f, uint64_t a)
{
    bool fr = false;
    assert_int_equal(frames_is_free(f, a, &fr), ERR_OK);
    return fr;
}

static void setup_places_storage_and_writes_map(void **state)
{
    struct env *e = *state;
    struct multios_frame_bitmap info;

    assert_int_equal(e->fk.calls, 1);
    assert_int_equal(e->fk.phys, 0x100000);
    assert_int_equal(e->fk.bytes, 136);
    assert_int_equal(e->f.region_count, 3);
    assert_int_equal(e->f.region[0].base, 0);
    assert_int_equal(e->f.region[0].frames, 159);
    assert_int_equal(e->f.region[0].bit_offset, 0);
    assert_int_equal(e->f.region[1].base, 0x100000);
    assert_int_equal(e->f.region[1].frames, 256);
    assert_int_equal(e->f.region[1].bit_offset, 192);
    assert_int_equal(e->f.region[2].base, 0x300000);
    assert_int_equal(e->f.region[2].frames, 64);
    assert_int_equal(e->f.region[2].bit_offset, 448);
    /* tail bits 159..191 of region 0 are set and stay set */
    assert_int_equal(e->f.bits[2], ~0ull << (159 - 128));
    assert_int_equal(e->f.bits[3], 1); /* bit 192: the storage frame */

    frames_info(&e->f, &info);
    assert_int_equal(info.bitmap, 0x100000);
    assert_int_equal(info.bitmap_bytes, 64);
    assert_int_equal(info.regions, 0x100000 + 64);
    assert_int_equal(info.region_count, 3);
    assert_int_equal(info.granularity, 4096);
    assert_int_equal(info.frames_total, 479);
    assert_int_equal(info.frames_free, 478);

    /* The map now shows the storage as its own type, the rest of the region still usable. */
    assert_int_equal(memmap_type_at(&e->m, 0x100000), E820_TYPE_FRAME_BITMAP);
    assert_int_equal(memmap_type_at(&e->m, 0x100fff), E820_TYPE_FRAME_BITMAP);
    assert_int_equal(memmap_type_at(&e->m, 0x101000), E820_TYPE_RAM);
    assert_int_equal(memmap_bytes_of_type(&e->m, E820_TYPE_FRAME_BITMAP), 4096);
    assert_false(is_free(&e->f, 0x100000));
    assert_true(is_free(&e->f, 0x101000));
}

static void storage_bytes_and_bad_arguments(void **state)
{
    (void)state;
    struct memmap m = map_of(map_a, N(map_a), MEMMAP_MAX);
    uint64_t bytes = 0;
    uint32_t regions = 0;
    struct frames f;
    struct fake_storage fk = {0};

    assert_int_equal(frames_storage_bytes(&m, 4096, &bytes, &regions), ERR_OK);
    assert_int_equal(bytes, 136);
    assert_int_equal(regions, 3);
    /* 8 KiB frames: 79 + 128 + 32 frames -> 2 + 2 + 1 words = 40 bytes + 72 */
    assert_int_equal(frames_storage_bytes(&m, 8192, &bytes, NULL), ERR_OK);
    assert_int_equal(bytes, 112);
    assert_int_equal(frames_storage_bytes(&m, 2048, &bytes, NULL), ERR_INVALID_ARG);
    assert_int_equal(frames_storage_bytes(&m, 3 * 4096, &bytes, NULL), ERR_INVALID_ARG);
    assert_int_equal(frames_storage_bytes(&m, 0, &bytes, NULL), ERR_INVALID_ARG);
    assert_int_equal(frames_storage_bytes(NULL, 4096, &bytes, NULL), ERR_INVALID_ARG);

    assert_int_equal(frames_init(&f, &m, 0, 0, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    assert_int_equal(frames_init(&f, &m, 6144, 0, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    assert_int_equal(frames_init(&f, &m, 4096, 0, NULL, &fk), ERR_INVALID_ARG);
    assert_int_equal(fk.calls, 0);

    /* No place at/above min_addr below 4 GiB: the last usable frame ends at 0x340000. */
    assert_int_equal(frames_init(&f, &m, 4096, 0x340000, fake_storage_ptr, &fk), ERR_NO_MEMORY);
    /* The caller cannot reach the memory: refused, map untouched. */
    fk.fail = true;
    assert_int_equal(frames_init(&f, &m, 4096, MiB, fake_storage_ptr, &fk), ERR_NOT_USABLE);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_FRAME_BITMAP), 0);
    assert_int_equal(m.count, 5);

    /* Not a sanitized map: unsorted, or overlapping usable entries, or no entry storage. */
    struct e820_entry bad[] = {{0x200000, 0x100000, 1, 0}, {0, 0x100000, 1, 0}};
    struct memmap u = {bad, 2, 2};
    assert_int_equal(frames_storage_bytes(&u, 4096, &bytes, NULL), ERR_INVALID_ARG);
    assert_int_equal(frames_init(&f, &u, 4096, 0, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    bad[1].base = 0x2ff000; /* overlaps the first one's last frame */
    assert_int_equal(frames_init(&f, &u, 4096, 0, fake_storage_ptr, &fk), ERR_INVALID_ARG);
    struct memmap z = {NULL, 3, 3};
    assert_int_equal(frames_storage_bytes(&z, 4096, &bytes, NULL), ERR_INVALID_ARG);
    assert_int_equal(fk.calls, 0);

    /* A pointer the bits (uint64_t words) cannot live at: 4 bytes off an 8-byte boundary. */
    fk.fail = false;
    fk.offset = 4;
    assert_int_equal(frames_init(&f, &m, 4096, MiB, fake_storage_ptr, &fk), ERR_MISALIGNED);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_FRAME_BITMAP), 0);
    fk.offset = 0;

    /* A map with no usable RAM. */
    const struct e820_entry none[] = {{0, MiB, 2, 0}};
    struct memmap r = map_of(none, 1, MEMMAP_MAX);
    assert_int_equal(frames_init(&f, &r, 4096, 0, fake_storage_ptr, &fk), ERR_NO_MEMORY);
    fake_storage_release(&fk);
}

/* A map with no room for the split: setup fails with ERR_CAPACITY and the map is intact. */
static void setup_fails_cleanly_when_map_is_full(void **state)
{
    (void)state;
    struct memmap m = map_of(map_a, N(map_a), 5);
    struct frames f;
    struct fake_storage fk = {0};
    assert_int_equal(frames_init(&f, &m, 4096, MiB, fake_storage_ptr, &fk), ERR_CAPACITY);
    assert_int_equal(m.count, 5);
    assert_int_equal(memmap_type_at(&m, 0x100000), E820_TYPE_RAM);
    /* with the storage at 0 the map needs one more entry as well */
    assert_int_equal(frames_init(&f, &m, 4096, 0, fake_storage_ptr, &fk), ERR_CAPACITY);
    fake_storage_release(&fk);
}

static void storage_goes_to_first_fitting_range_at_or_above_min(void **state)
{
    (void)state;
    struct memmap m = map_of(map_a, N(map_a), MEMMAP_MAX);
    struct frames f;
    struct fake_storage fk = {0};
    /* min 0x1800 rounds up to the frame at 0x2000 */
    assert_int_equal(frames_init(&f, &m, 4096, 0x1800, fake_storage_ptr, &fk), ERR_OK);
    assert_int_equal(f.storage_phys, 0x2000);
    assert_false(is_free(&f, 0x2000));
    assert_true(is_free(&f, 0x1000));
    assert_int_equal(memmap_type_at(&m, 0x2000), E820_TYPE_FRAME_BITMAP);
    /* min in the hole between regions 0 and 1 moves it to region 1 */
    m = map_of(map_a, N(map_a), MEMMAP_MAX);
    assert_int_equal(frames_init(&f, &m, 4096, 0xa0000, fake_storage_ptr, &fk), ERR_OK);
    assert_int_equal(f.storage_phys, 0x100000);
    fake_storage_release(&fk);
}

static void is_free_answers_for_any_address(void **state)
{
    struct env *e = *state;
    bool fr = true;
    assert_true(is_free(&e->f, 0));
    assert_true(is_free(&e->f, 0x9efff));          /* last byte of region 0 */
    assert_false(is_free(&e->f, 0x100abc));        /* unaligned: the storage frame */
    assert_int_equal(frames_is_free(&e->f, 0x9f000, &fr), ERR_NOT_USABLE); /* tail */
    assert_int_equal(frames_is_free(&e->f, 0x250000, &fr), ERR_NOT_USABLE);
    assert_int_equal(frames_is_free(&e->f, 0x340000, &fr), ERR_NOT_USABLE);
    assert_int_equal(frames_is_free(&e->f, UINT64_MAX, &fr), ERR_NOT_USABLE);
    assert_int_equal(frames_is_free(&e->f, 0, NULL), ERR_INVALID_ARG);
}

static void alloc_is_lowest_first_and_honours_limits(void **state)
{
    struct env *e = *state;
    uint64_t a = 1;

    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0);
    assert_int_equal(frames_alloc(&e->f, 1, 4096, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x1000);
    /* 64 KiB aligned, 4 frames: 0x0 is taken, next aligned start is 0x10000 */
    assert_int_equal(frames_alloc(&e->f, 4, 64 * KiB, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x10000);
    /* 1 MiB aligned 16 frames: 0x0 used, 0x100000 holds the storage, so 0x300000
     * (0x200000 is reserved) */
    assert_int_equal(frames_alloc(&e->f, 16, MiB, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x300000);
    /* 159 frames do not fit in region 0 any more; region 1 has 255 free after the storage */
    assert_int_equal(frames_alloc(&e->f, 159, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x101000);
    /* below 1 MiB: the next free frame is 0x2000 */
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_BELOW_1M, &a), ERR_OK);
    assert_int_equal(a, 0x2000);
    /* at/above 0x9e001: rounds up to 0x9f000, past region 0's end; in region 1 the first
     * free frame follows the 159 just taken: 0x101000 + 0x9f000 = 0x1a0000 */
    assert_int_equal(frames_alloc_range(&e->f, 1, 0, 0x9e001, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x1a0000);
    /* window [0x3000, 0x5000): exactly two frames */
    assert_int_equal(frames_alloc_range(&e->f, 2, 0, 0x3000, 0x5000, &a), ERR_OK);
    assert_int_equal(a, 0x3000);
    struct snap s = snap_of(&e->f);
    assert_int_equal(frames_alloc_range(&e->f, 1, 0, 0x3000, 0x5000, &a), ERR_NO_MEMORY);
    assert_int_equal(frames_alloc(&e->f, 1, 0, 0, &a), ERR_NO_MEMORY);
    assert_unchanged(&e->f, &s);
    assert_int_equal(e->f.free, 478 - 1 - 1 - 4 - 16 - 159 - 1 - 1 - 2);
}

static void alloc_refuses_bad_and_impossible_requests(void **state)
{
    struct env *e = *state;
    uint64_t a = 77;
    struct snap s = snap_of(&e->f);

    assert_int_equal(frames_alloc(&e->f, 0, 0, FRAMES_ANYWHERE, &a), ERR_INVALID_ARG);
    assert_int_equal(frames_alloc(&e->f, 1, 3 * 4096, FRAMES_ANYWHERE, &a), ERR_INVALID_ARG);
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, NULL), ERR_INVALID_ARG);
    assert_int_equal(frames_alloc(&e->f, UINT64_MAX, 0, FRAMES_ANYWHERE, &a), ERR_NO_MEMORY);
    assert_int_equal(frames_alloc(&e->f, 257, 0, FRAMES_ANYWHERE, &a), ERR_NO_MEMORY);
    /* 4 MiB alignment: candidates 0 (fits 159 frames, not 160) and 4M (no RAM) */
    assert_int_equal(frames_alloc(&e->f, 160, 4 * MiB, FRAMES_ANYWHERE, &a), ERR_NO_MEMORY);
    assert_int_equal(a, 77);
    assert_unchanged(&e->f, &s);
    /* 2^63 alignment is satisfied by address 0 only */
    assert_int_equal(frames_alloc(&e->f, 1, 1ull << 63, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0);
    assert_int_equal(frames_alloc(&e->f, 1, 1ull << 63, FRAMES_ANYWHERE, &a), ERR_NO_MEMORY);
    assert_int_equal(frames_alloc_range(&e->f, 1, 0, UINT64_MAX, FRAMES_ANYWHERE, &a),
                     ERR_NO_MEMORY);
}

static void reserve_and_free_error_paths_change_nothing(void **state)
{
    struct env *e = *state;
    struct snap s = snap_of(&e->f);

    assert_int_equal(frames_reserve(&e->f, 0x1800, 1), ERR_MISALIGNED);
    assert_int_equal(frames_reserve(&e->f, 0x1000, 0), ERR_INVALID_ARG);
    assert_int_equal(frames_reserve(&e->f, 0xfffffffffffff000ull, 2), ERR_OVERFLOW);
    assert_int_equal(frames_reserve(&e->f, 0x1000, UINT64_MAX), ERR_OVERFLOW);
    assert_int_equal(frames_reserve(&e->f, 0x9f000, 1), ERR_NOT_USABLE);   /* hole */
    assert_int_equal(frames_reserve(&e->f, 0x9e000, 2), ERR_NOT_USABLE);   /* runs off */
    assert_int_equal(frames_reserve(&e->f, 0x340000, 1), ERR_NOT_USABLE);
    assert_int_equal(frames_reserve(&e->f, 0xfe000, 4), ERR_NOT_USABLE);   /* starts in hole */
    assert_int_equal(frames_reserve(&e->f, 0xff000, 2), ERR_NOT_USABLE);
    assert_int_equal(frames_reserve(&e->f, 0x100000, 1), ERR_IN_USE);      /* storage */
    assert_int_equal(frames_reserve(&e->f, 0x100000, 3), ERR_IN_USE);      /* storage first */
    assert_int_equal(frames_reserve(&e->f, 0xff000, 3), ERR_NOT_USABLE);   /* hole, then used */
    assert_unchanged(&e->f, &s);

    assert_int_equal(frames_free(&e->f, 0x1800, 1), ERR_MISALIGNED);
    assert_int_equal(frames_free(&e->f, 0x1000, 0), ERR_INVALID_ARG);
    assert_int_equal(frames_free(&e->f, 0xfffffffffffff000ull, 2), ERR_OVERFLOW);
    assert_int_equal(frames_free(&e->f, 0x9f000, 1), ERR_NOT_USABLE);      /* never usable */
    assert_int_equal(frames_free(&e->f, 0x1000, 1), ERR_ALREADY_FREE);     /* never taken */
    /* one used frame followed by a free one: refused as a whole */
    assert_int_equal(frames_free(&e->f, 0x100000, 2), ERR_ALREADY_FREE);
    assert_int_equal(frames_reserve(NULL, 0, 1), ERR_INVALID_ARG);
    assert_int_equal(frames_free(NULL, 0, 1), ERR_INVALID_ARG);
    assert_unchanged(&e->f, &s);
}

static void reserve_then_free_round_trips_and_double_free_is_caught(void **state)
{
    struct env *e = *state;
    uint64_t a;

    /* reserve across the word boundary at bit 64 (0x40000) */
    assert_int_equal(frames_reserve(&e->f, 0x3e000, 4), ERR_OK);
    assert_false(is_free(&e->f, 0x3e000));
    assert_false(is_free(&e->f, 0x41000));
    assert_true(is_free(&e->f, 0x42000));
    assert_true(is_free(&e->f, 0x3d000));
    assert_int_equal(e->f.free, 474);
    assert_int_equal(frames_reserve(&e->f, 0x41000, 1), ERR_IN_USE);
    assert_int_equal(frames_free(&e->f, 0x3e000, 4), ERR_OK);
    assert_int_equal(e->f.free, 478);
    assert_int_equal(frames_free(&e->f, 0x3e000, 1), ERR_ALREADY_FREE);
    /* a whole region */
    assert_int_equal(frames_reserve(&e->f, 0x300000, 64), ERR_OK);
    assert_int_equal(frames_alloc_range(&e->f, 1, 0, 0x300000, FRAMES_ANYWHERE, &a),
                     ERR_NO_MEMORY);
    assert_int_equal(frames_free(&e->f, 0x300000, 64), ERR_OK);
    assert_int_equal(frames_alloc_range(&e->f, 1, 0, 0x300000, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x300000);
}

/* Freeing below the hint must make those frames findable again. */
static void free_below_hint_is_found_again(void **state)
{
    struct env *e = *state;
    uint64_t a;
    for (int i = 0; i < 159; i++)
        assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x9e000);
    assert_true(e->f.hint >= 3);      /* region 0's words are full */
    /* The single-frame fast path must honour `below` exactly: the lowest free frame is
     * 0x101000, so it ends at 0x102000. One byte short refuses (the general path finds
     * nothing lower either); below 1 MiB there is nothing left. */
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_BELOW_1M, &a), ERR_NO_MEMORY);
    assert_int_equal(frames_alloc(&e->f, 1, 4096, 0x101fff, &a), ERR_NO_MEMORY);
    assert_int_equal(e->f.free, 478 - 159);
    assert_int_equal(frames_alloc(&e->f, 1, 0, 0x102000, &a), ERR_OK);
    assert_int_equal(a, 0x101000);
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x102000);
    assert_int_equal(frames_free(&e->f, 0x102000, 1), ERR_OK);
    assert_int_equal(frames_free(&e->f, 0x5000, 1), ERR_OK);
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_BELOW_1M, &a), ERR_OK);
    assert_int_equal(a, 0x5000);
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0x102000); /* the hint went back to 0x5000's word and on again */
}

/* Stats on a drawn pattern (region 0: 159 frames, x = used):
 *   frames 0..9 x, 10..19 free, 20 x, 21..158 free       -> runs 10 and 138
 *   region 1: frame 0 x (storage), 1..255 free           -> run 255
 *   region 2: 0..31 free, 32 x, 33..63 free              -> runs 32 and 31
 * total 479, used 10 + 1 + 1 + 1 = 13, runs 5, largest 255. */
static void stats_count_runs_per_region(void **state)
{
    struct env *e = *state;
    struct frames_stats s;
    assert_int_equal(frames_reserve(&e->f, 0, 10), ERR_OK);
    assert_int_equal(frames_reserve(&e->f, 20 * 4096, 1), ERR_OK);
    assert_int_equal(frames_reserve(&e->f, 0x300000 + 32 * 4096, 1), ERR_OK);
    frames_stats(&e->f, &s);
    assert_int_equal(s.total, 479);
    assert_int_equal(s.used, 13);
    assert_int_equal(s.free, 466);
    assert_int_equal(s.free_runs, 5);
    assert_int_equal(s.largest_run, 255);
    /* largest run in [0, 1 MiB): 138; 64 KiB-aligned in the same window: the run 21..158
     * starts being aligned at frame 32 -> 127; below 0x9a000 (154 frames): 154 - 21 = 133 */
    assert_int_equal(frames_largest_run(&e->f, 0, 0, FRAMES_BELOW_1M), 138);
    assert_int_equal(frames_largest_run(&e->f, 64 * KiB, 0, FRAMES_BELOW_1M), 127);
    assert_int_equal(frames_largest_run(&e->f, 0, 0, 0x9a000), 133);
    assert_int_equal(frames_largest_run(&e->f, 0, 0x300000, FRAMES_ANYWHERE), 32);
    assert_int_equal(frames_largest_run(&e->f, 3, 0, FRAMES_ANYWHERE), 0); /* bad align */
    /* free frames per window: region 0 has 159 - 11 = 148, region 2 has 63 */
    assert_int_equal(frames_free_in(&e->f, 0, FRAMES_BELOW_1M), 148);
    assert_int_equal(frames_free_in(&e->f, 0, FRAMES_ANYWHERE), 466);
    assert_int_equal(frames_free_in(&e->f, 0x300000, FRAMES_ANYWHERE), 63);
    /* 0x300001 rounds up to frame 1, 0x320000 stops before frame 32 (the used one) */
    assert_int_equal(frames_free_in(&e->f, 0x300001, 0x320000), 31);
    assert_int_equal(frames_free_in(NULL, 0, FRAMES_ANYWHERE), 0);
    /* everything taken */
    uint64_t a;
    while (frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a) == ERR_OK)
        ;
    frames_stats(&e->f, &s);
    assert_int_equal(s.free, 0);
    assert_int_equal(s.used, 479);
    assert_int_equal(s.free_runs, 0);
    assert_int_equal(s.largest_run, 0);
    frames_stats(NULL, &s); /* NULL is answered, not followed */
    frames_info(&e->f, NULL);
}

static void sealed_allocator_refuses_changes(void **state)
{
    struct env *e = *state;
    uint64_t a = 5;
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    frames_seal(&e->f);
    struct snap s = snap_of(&e->f);
    assert_int_equal(frames_alloc(&e->f, 1, 0, FRAMES_ANYWHERE, &a), ERR_SEALED);
    assert_int_equal(frames_reserve(&e->f, 0x2000, 1), ERR_SEALED);
    assert_int_equal(frames_free(&e->f, 0, 1), ERR_SEALED);
    assert_int_equal(frames_alloc_typed(&e->f, &e->m, E820_TYPE_KERNEL, 1, 0,
                                        FRAMES_ANYWHERE, &a), ERR_SEALED);
    assert_unchanged(&e->f, &s);
    assert_false(is_free(&e->f, 0)); /* queries still work */
}

static void typed_helpers_write_the_map_or_undo(void **state)
{
    struct env *e = *state;
    uint64_t a;
    assert_int_equal(frames_alloc_typed(&e->f, &e->m, E820_TYPE_PAGE_TABLES, 2, 0,
                                        FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0);
    assert_int_equal(memmap_type_at(&e->m, 0x1fff), E820_TYPE_PAGE_TABLES);
    assert_int_equal(memmap_type_at(&e->m, 0x2000), E820_TYPE_RAM);
    assert_int_equal(frames_reserve_typed(&e->f, &e->m, E820_TYPE_KERNEL, 0x300000, 4), ERR_OK);
    assert_int_equal(memmap_type_at(&e->m, 0x303fff), E820_TYPE_KERNEL);
    assert_int_equal(frames_reserve_typed(&e->f, &e->m, E820_TYPE_KERNEL, 0x300000, 1),
                     ERR_IN_USE);
    /* A map with no spare entries: each typed call needs a split, fails, gives back. */
    e->m.capacity = e->m.count;
    uint64_t before = e->f.free;
    assert_int_equal(frames_alloc_typed(&e->f, &e->m, E820_TYPE_KERNEL, 1, 0,
                                        FRAMES_ANYWHERE, &a), ERR_CAPACITY);
    assert_int_equal(frames_reserve_typed(&e->f, &e->m, E820_TYPE_KERNEL, 0x310000, 1),
                     ERR_CAPACITY);
    assert_int_equal(e->f.free, before);
    assert_true(is_free(&e->f, 0x2000));
    assert_true(is_free(&e->f, 0x310000));
    assert_int_equal(frames_alloc_typed(&e->f, NULL, 1, 1, 0, FRAMES_ANYWHERE, &a),
                     ERR_INVALID_ARG);
}

/* 2 MiB frames on map A: no usable entry holds a whole aligned 2 MiB frame ([0x100000,
 * 0x200000) is 1 MiB and starts off-alignment), so there is nothing to manage at all. */
static void coarse_granularity_drops_partial_frames(void **state)
{
    (void)state;
    struct memmap m = map_of(map_a, N(map_a), MEMMAP_MAX);
    struct frames f;
    struct fake_storage fk = {0};
    assert_int_equal(frames_init(&f, &m, 2 * MiB, 0, fake_storage_ptr, &fk), ERR_NO_MEMORY);
    /* [0, 6M) usable with 2 MiB frames: 3 frames, 1 word + 24 bytes; storage at 2 MiB
     * when min_addr is 1 MiB (rounded up to the next frame). */
    const struct e820_entry six[] = {{0, 6 * MiB, 1, 0}};
    m = map_of(six, 1, MEMMAP_MAX);
    assert_int_equal(frames_init(&f, &m, 2 * MiB, MiB, fake_storage_ptr, &fk), ERR_OK);
    assert_int_equal(f.total, 3);
    assert_int_equal(f.storage_bytes, 32);
    assert_int_equal(f.storage_phys, 2 * MiB);
    assert_int_equal(f.free, 2);
    uint64_t a;
    assert_int_equal(frames_alloc(&f, 2, 0, FRAMES_ANYWHERE, &a), ERR_NO_MEMORY);
    assert_int_equal(frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &a), ERR_OK);
    assert_int_equal(a, 0);
    assert_int_equal(frames_free(&f, 0x100000, 1), ERR_MISALIGNED);
    fake_storage_release(&fk);
}

/* The bit-run primitives against a bit-at-a-time reference, on every (from, to) pair of a
 * 3-word pattern. */
static void bit_primitives_match_a_naive_scan(void **state)
{
    (void)state;
    uint64_t w[3] = {0x8000000000000001ull, 0, ~0ull};
    for (uint64_t from = 0; from <= 192; from++)
        for (uint64_t to = from; to <= 192; to++) {
            uint64_t z = to, o = to;
            for (uint64_t b = to; b-- > from;) {
                if ((w[b / 64] >> (b % 64)) & 1)
                    o = b;
                else
                    z = b;
            }
            assert_int_equal(frames_bits_find_zero(w, from, to), z);
            assert_int_equal(frames_bits_find_one(w, from, to), o);
        }
    uint64_t v[3] = {0, 0, 0};
    frames_bits_set(v, 60, 70); /* bits 60..129 */
    assert_int_equal(v[0], 0xf000000000000000ull);
    assert_int_equal(v[1], ~0ull);
    assert_int_equal(v[2], 0x3);
    frames_bits_clear(v, 63, 2);
    assert_int_equal(v[0], 0x7000000000000000ull);
    assert_int_equal(v[1], ~0ull - 1);
    assert_true(frames_bits_get(v, 129));
    assert_false(frames_bits_get(v, 130));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(setup_places_storage_and_writes_map, env_setup,
                                        env_teardown),
        cmocka_unit_test(storage_bytes_and_bad_arguments),
        cmocka_unit_test(setup_fails_cleanly_when_map_is_full),
        cmocka_unit_test(storage_goes_to_first_fitting_range_at_or_above_min),
        cmocka_unit_test_setup_teardown(is_free_answers_for_any_address, env_setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(alloc_is_lowest_first_and_honours_limits, env_setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(alloc_refuses_bad_and_impossible_requests, env_setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(reserve_and_free_error_paths_change_nothing,
                                        env_setup, env_teardown),
        cmocka_unit_test_setup_teardown(reserve_then_free_round_trips_and_double_free_is_caught,
                                        env_setup, env_teardown),
        cmocka_unit_test_setup_teardown(free_below_hint_is_found_again, env_setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(stats_count_runs_per_region, env_setup, env_teardown),
        cmocka_unit_test_setup_teardown(sealed_allocator_refuses_changes, env_setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(typed_helpers_write_the_map_or_undo, env_setup,
                                        env_teardown),
        cmocka_unit_test(coarse_granularity_drops_partial_frames),
        cmocka_unit_test(bit_primitives_match_a_naive_scan),
    };
    return cmocka_run_group_tests_name("frames", tests, NULL, NULL);
}
