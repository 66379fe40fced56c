/* test_frames_model.c: long random sequences of alloc / reserve / free / is_free against the
 * byte-per-frame reference model (tests/support/frames_model.c), compared after every step
 * (every frame, the free count, the run statistics) and every 64 steps (a random window's
 * largest run and free count). The model answers each request by brute force, never by the
 * allocator's own search. Seeded and reproducible: the seed is printed on failure. */
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
#include "frames_model.h"
#include "memmap.h"

#define MiB 0x100000ull
#define GiB 0x40000000ull

static uint64_t rng_state;
static uint64_t rnd(void) /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static uint64_t rnd_below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

/* The allocator against the model (every frame, the free count, the statistics), plus the
 * hint invariants the single-frame fast path relies on: every word below the hint is full,
 * the hint word is not, and hint_base is the address of its first bit (found here by a
 * linear walk of the region table). */
static void compare(const struct frames *f, const struct frames_model *md)
{
    const char *why = frames_model_check(md, f);
    if (why)
        fail_msg("%s", why);
    for (uint64_t w = 0; w < f->hint && w < f->words; w++)
        assert_true(f->bits[w] == UINT64_MAX);
    if (f->hint < f->words) {
        assert_true(f->bits[f->hint] != UINT64_MAX);
        uint32_t r = 0;
        while (r + 1 < f->region_count && f->region[r + 1].bit_offset <= f->hint * 64)
            r++;
        assert_int_equal(f->hint_base, f->region[r].base +
                                           (f->hint * 64 - f->region[r].bit_offset) * md->gran);
    } else {
        assert_int_equal(f->free, 0);
    }
}

/* An address the op will use: mostly a frame of some region, sometimes just past one, in a
 * gap, unaligned, or wild. */
static uint64_t pick_addr(const struct frames_model *md)
{
    uint32_t r = (uint32_t)rnd_below(md->nreg);
    uint64_t a = md->base[r] + rnd_below(md->frames[r] + 1) * md->gran;
    switch (rnd_below(16)) {
    case 0:
        return a + 1 + rnd_below(md->gran - 1);
    case 1:
        return rnd() & ~(md->gran - 1);
    case 2:
        return a - md->gran;
    default:
        return a;
    }
}

static uint64_t pick_n(void)
{
    uint64_t k = rnd_below(10);
    return k < 5 ? 1 : k < 8 ? 1 + rnd_below(8) : k < 9 ? rnd_below(80) : 1 + rnd_below(400);
}

static void run_model(const struct e820_entry *raw, uint32_t nraw, uint64_t gran,
                      uint64_t seed, int steps)
{
    static struct e820_entry store[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(64) / 8];
    struct memmap m;
    struct frames_model md;
    struct frames f;
    struct fake_storage storage = {0};

    rng_state = seed;
    print_message("# model seed %llu gran %llu\n", (unsigned long long)seed,
                  (unsigned long long)gran);
    memmap_init(&m, store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, nraw, scratch, sizeof(scratch), NULL),
                     ERR_OK);
    assert_true(frames_model_init(&md, &m, gran));
    assert_int_equal(frames_init(&f, &m, gran, MiB, fake_storage_ptr, &storage), ERR_OK);
    /* The storage: expected size from the model's regions, placed at the first address at
     * or above 1 MiB where it fits (found by the model's own search). */
    uint64_t where = 0;
    assert_int_equal(f.storage_bytes, frames_model_storage_bytes(&md));
    assert_int_equal(frames_model_init_storage(&md, MiB, &where), ERR_OK);
    assert_int_equal(f.storage_phys, where);
    compare(&f, &md);

    int ok[4] = {0, 0, 0, 0};
    uint64_t a0 = 0;
    for (int s = 0; s < steps; s++) {
        uint64_t k = rnd_below(100), a = 0, b = 0, n = pick_n();
        if (k < 40) {
            static const uint64_t aligns[] = {0, 4096, 8192, 16384, 65536, 1 << 20, 1ull << 63};
            uint64_t al = aligns[rnd_below(7)];
            uint64_t above = rnd_below(4) ? 0 : pick_addr(&md);
            uint64_t below = rnd_below(3) ? FRAMES_ANYWHERE : pick_addr(&md);
            err_t want = frames_model_alloc(&md, n, al, above, below, &b);
            /* frames_alloc (above 0) has its own single-frame entry: use it half the time */
            err_t got = above == 0 && rnd_below(2) ? frames_alloc(&f, n, al, below, &a)
                                                   : frames_alloc_range(&f, n, al, above,
                                                                        below, &a);
            assert_int_equal(got, want);
            if (want == ERR_OK) {
                assert_int_equal(a, b);
                ok[0]++;
            }
        } else if (k < 60) {
            a = pick_addr(&md);
            err_t want = frames_model_reserve(&md, a, n);
            assert_int_equal(frames_reserve(&f, a, n), want);
            ok[1] += want == ERR_OK;
        } else if (k < 95) {
            a = pick_addr(&md);
            err_t want = frames_model_free(&md, a, n);
            assert_int_equal(frames_free(&f, a, n), want);
            ok[2] += want == ERR_OK;
        } else {
            bool fr = false, want_fr = false;
            a = pick_addr(&md);
            err_t want = frames_model_is_free(&md, a, &want_fr);
            assert_int_equal(frames_is_free(&f, a, &fr), want);
            if (want == ERR_OK)
                assert_int_equal(fr, want_fr);
        }
        compare(&f, &md);
        if (s % 64 == 0) {
            /* a random window and alignment: largest aligned run and free count */
            static const uint64_t aligns[] = {0, 4096, 16384, 65536, 1 << 20};
            uint64_t al = aligns[rnd_below(5)];
            uint64_t above = rnd_below(2) ? 0 : pick_addr(&md);
            uint64_t below = rnd_below(2) ? FRAMES_ANYWHERE : pick_addr(&md);
            uint64_t want_run, want_free;
            frames_model_window(&md, al, above, below, &want_run, &want_free);
            assert_int_equal(frames_largest_run(&f, al, above, below), want_run);
            assert_int_equal(frames_free_in(&f, above, below), want_free);
        }
    }
    /* Sealed: every change refused, nothing changed. */
    frames_seal(&f);
    uint64_t some = md.base[0];
    assert_int_equal(frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &a0), ERR_SEALED);
    assert_int_equal(frames_reserve(&f, some, 1), ERR_SEALED);
    assert_int_equal(frames_free(&f, some, 1), ERR_SEALED);
    compare(&f, &md);
    /* The sequence must have done real work, not only refused calls. */
    print_message("# %d steps: %d allocs, %d reserves, %d frees succeeded\n", steps, ok[0],
                  ok[1], ok[2]);
    assert_true(ok[0] > steps / 20 && ok[1] > steps / 100 && ok[2] > steps / 20);
    frames_model_release(&md);
    fake_storage_release(&storage);
}

/* A fixed map with small odd regions, a one-frame gap, an unaligned start and RAM above
 * 4 GiB. */
static void model_fixed_map(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {
        {0, 0x9fc00, 1, 0},
        {0x9fc00, 0x400, 2, 0},
        {0x100000, 0x80000, 1, 0},
        {0x181000, 0x22000, 1, 0},
        {0x200800, 0x3f800, 1, 0},
        {0x240000, 0x1000, 3, 0},
        {4 * GiB, 0x100000, 1, 0},
    };
    for (uint64_t seed = 1; seed <= 4; seed++)
        run_model(raw, 7, 4096, seed, 20000);
    run_model(raw, 7, 16384, 99, 6000);
}

/* Random maps: 2..20 usable pieces at random places (some touching, some overlapping
 * reserved ones), sanitized, then a random sequence. */
static void model_random_maps(void **state)
{
    (void)state;
    for (uint64_t seed = 1000; seed < 1012; seed++) {
        struct e820_entry raw[24];
        uint32_t n = 0;
        rng_state = seed * 7919;
        uint64_t at = rnd_below(4) * 0x1000 + rnd_below(0x1000);
        uint32_t pieces = 2 + (uint32_t)rnd_below(19);
        for (uint32_t i = 0; i < pieces; i++) {
            uint64_t len = 0x1000 + rnd_below(0x60000);
            raw[n++] = (struct e820_entry){at, len, rnd_below(5) ? 1u : 2u, 0};
            at += len + (rnd_below(3) ? rnd_below(0x20000) : 0);
            if (rnd_below(8) == 0)
                at += 4 * GiB;
        }
        raw[n++] = (struct e820_entry){0xf0000000, 0x10000, 1, 0}; /* room for the bitmap */
        uint64_t gran = rnd_below(3) ? 4096 : 8192;
        struct e820_entry copy[24];
        memcpy(copy, raw, sizeof(raw));
        run_model(copy, n, gran, seed, 3000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_fixed_map),
        cmocka_unit_test(model_random_maps),
    };
    return cmocka_run_group_tests_name("frames_model", tests, NULL, NULL);
}
