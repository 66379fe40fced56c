/* test_memmap_props.c: properties of memmap_sanitize, memmap_type_at, memmap_set_type and the
 * frame views over thousands of seeded random tables, checked against a brute-force
 * reference that uses 128-bit arithmetic and never runs the code under test twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "memmap.h"

typedef unsigned __int128 u128;
#define TWO64 ((u128)1 << 64)
#define MAXN 600u /* above MEMMAP_RAW_MAX on purpose: the sanitizer takes caller storage */

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static uint64_t below(uint64_t n)
{
    return rnd() % n;
}

static const uint32_t type_pool[] = {1, 1, 1, 2, 2, 3, 4, 5, 7, 12, 12, 0xefffffffu,
                                     0x1000, 0x1003, 0x20, 0xffffffffu, 0};

/* Addresses from a coarse grid of a random scale, so entries nest, touch and repeat often;
 * some near 2^64, some anywhere. */
static uint64_t gen_addr(uint64_t scale)
{
    switch (below(8)) {
    case 0:
        return rnd();
    case 1:
        return 0 - below(16) * scale;
    default:
        return below(24) * scale;
    }
}

static uint64_t gen_len(uint64_t base, uint64_t scale)
{
    switch (below(16)) {
    case 0:
        return 0;
    case 1:
        return 0 - base; /* ends exactly at 2^64 (0 when base is 0) */
    case 2:
        return UINT64_MAX - below(4) * scale; /* wraps unless base is tiny */
    case 3:
        return rnd();
    default:
        return (1 + below(8)) * scale;
    }
}

struct table {
    struct e820_entry e[MAXN];
    uint8_t size[MAXN];
    bool sizes;
    uint32_t n;
};

static void gen_table(struct table *t, uint32_t n)
{
    static const uint64_t scales[] = {1, 0x1000, 0x100000, 1ull << 32, 1ull << 60};
    uint64_t scale = scales[below(5)];
    t->n = n;
    t->sizes = below(3) != 0;
    bool attrs_zero = below(3) == 0; /* a BIOS that leaves attr 0 everywhere */
    for (uint32_t i = 0; i < n; i++) {
        struct e820_entry *e = &t->e[i];
        e->base = gen_addr(scale);
        e->length = gen_len(e->base, scale);
        e->type = below(10) == 0 ? (uint32_t)rnd()
                                 : type_pool[below(sizeof(type_pool) / sizeof(type_pool[0]))];
        e->attr = attrs_zero ? 0 : (below(5) == 0 ? 0 : 1) | (uint32_t)(below(4) << 1);
        t->size[i] = below(4) == 0 ? 20 : 24;
    }
}

/* ---- the reference ------------------------------------------------------------------- */

struct rentry {
    u128 start, end; /* [start, end), end <= 2^64 */
    uint32_t type;
};

struct ref {
    struct rentry k[MAXN]; /* kept entries in input order */
    uint32_t nk;
    u128 pt[2 * MAXN]; /* distinct boundary points, sorted */
    uint32_t npt;
    struct memmap_report rep;
};

static int cmp_u128(const void *a, const void *b)
{
    u128 x = *(const u128 *)a, y = *(const u128 *)b;
    return x < y ? -1 : x > y;
}

static bool mergeable(uint32_t t)
{
    return t != 12 && t != 0xefffffffu;
}

/* Largest type of the kept entries covering byte x (0: hole), and the smallest. */
static uint32_t ref_type(const struct ref *r, u128 x, uint32_t *min)
{
    uint32_t best = 0, lo = 0;
    for (uint32_t i = 0; i < r->nk; i++) {
        if (r->k[i].start <= x && x < r->k[i].end) {
            if (r->k[i].type > best)
                best = r->k[i].type;
            if (lo == 0 || r->k[i].type < lo)
                lo = r->k[i].type;
        }
    }
    if (min)
        *min = lo;
    return best;
}

static void ref_build(const struct table *t, struct ref *r)
{
    memset(&r->rep, 0, sizeof(r->rep));
    bool any_enabled = false;
    for (uint32_t i = 0; t->sizes && i < t->n; i++)
        any_enabled |= t->size[i] == 24 && (t->e[i].attr & 1);
    r->nk = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        const struct e820_entry *e = &t->e[i];
        if (e->length == 0) {
            r->rep.zero_length++;
        } else if (e->type == 0) {
            r->rep.type_zero++;
        } else if (any_enabled && t->size[i] == 24 && !(e->attr & 1)) {
            r->rep.attr_ignored++;
        } else {
            u128 end = (u128)e->base + e->length;
            if (end > TWO64) {
                end = TWO64;
                r->rep.wraps_clipped++;
            }
            if (r->nk && e->base < r->k[r->nk - 1].start)
                r->rep.unsorted = true;
            r->k[r->nk++] = (struct rentry){e->base, end, e->type};
        }
    }
    u128 tmp[2 * MAXN];
    uint32_t m = 0;
    for (uint32_t i = 0; i < r->nk; i++) {
        tmp[m++] = r->k[i].start;
        tmp[m++] = r->k[i].end;
    }
    qsort(tmp, m, sizeof(tmp[0]), cmp_u128);
    r->npt = 0;
    for (uint32_t i = 0; i < m; i++)
        if (r->npt == 0 || r->pt[r->npt - 1] != tmp[i])
            r->pt[r->npt++] = tmp[i];

    /* overlaps: runs of consecutive elementary intervals covered by two or more types. */
    bool prev = false;
    for (uint32_t i = 0; i + 1 < r->npt; i++) {
        uint32_t lo, hi = ref_type(r, r->pt[i], &lo);
        bool c = hi != 0 && lo != hi;
        if (c && !prev)
            r->rep.overlaps++;
        prev = c;
    }
    /* merged: entries whose type wins at their first byte where no output entry begins. */
    for (uint32_t i = 0; i < r->npt; i++) {
        u128 s = r->pt[i];
        uint32_t win = ref_type(r, s, NULL), k = 0;
        for (uint32_t j = 0; j < r->nk; j++)
            k += r->k[j].start == s && r->k[j].type == win;
        if (!k)
            continue;
        bool begins = s == 0 || !mergeable(win) || ref_type(r, s - 1, NULL) != win;
        r->rep.merged += begins ? k - 1 : k;
    }
}

static u128 end_of(const struct e820_entry *e)
{
    return (u128)e->base + e->length;
}

static bool is_point(const struct ref *r, u128 x)
{
    for (uint32_t i = 0; i < r->npt; i++)
        if (r->pt[i] == x)
            return true;
    return false;
}

/* The structural invariants of a map (used for sanitize and set_type results). */
static void check_shape(const struct memmap *m)
{
    for (uint32_t i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entry[i];
        assert_true(e->length > 0);
        assert_true(e->type != 0);
        assert_true(end_of(e) <= TWO64);
        if (i == 0)
            continue;
        const struct e820_entry *p = &m->entry[i - 1];
        assert_true(end_of(p) <= e->base); /* sorted, non-overlapping */
        if (end_of(p) == e->base && p->type == e->type && mergeable(e->type))
            /* the only allowed pair: [0, 2^64) cut at its last byte */
            assert_true(p->base == 0 && e->base == UINT64_MAX && i == 1 && m->count == 2);
    }
}

static uint32_t linear_type_at(const struct memmap *m, uint64_t a)
{
    for (uint32_t i = 0; i < m->count; i++)
        if (m->entry[i].base <= a && (u128)a < end_of(&m->entry[i]))
            return m->entry[i].type;
    return 0;
}

static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MAXN) / 8 + 1];
static struct e820_entry out_store[2 * MAXN];
static struct table tbl;
static struct ref ref;

static void check_one(const struct table *t, struct memmap *m)
{
    struct memmap_report rep;
    memmap_init(m, out_store, 2 * MAXN);
    assert_int_equal(memmap_sanitize(m, t->e, t->sizes ? t->size : NULL, t->n, scratch,
                                     sizeof(scratch), &rep), ERR_OK);
    ref_build(t, &ref);
    check_shape(m);

    /* Every output boundary is an input boundary; PRAM/soft-reserved has none inside. */
    bool split_pair = m->count == 2 && m->entry[0].base == 0 &&
                      m->entry[1].base == UINT64_MAX && m->entry[0].type == m->entry[1].type;
    for (uint32_t i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entry[i];
        assert_true(is_point(&ref, e->base) || split_pair);
        assert_true(is_point(&ref, end_of(e)) || split_pair);
        if (!mergeable(e->type))
            for (uint32_t j = 0; j < ref.npt; j++)
                assert_false(ref.pt[j] > e->base && ref.pt[j] < end_of(e));
    }
    /* Every elementary interval has the largest covering type, at its first and last byte;
     * nothing lies outside [first point, last point). */
    for (uint32_t i = 0; i + 1 < ref.npt; i++) {
        uint32_t want = ref_type(&ref, ref.pt[i], NULL);
        assert_int_equal(memmap_type_at(m, (uint64_t)ref.pt[i]), want);
        assert_int_equal(memmap_type_at(m, (uint64_t)(ref.pt[i + 1] - 1)), want);
        assert_int_equal(linear_type_at(m, (uint64_t)ref.pt[i]), want);
    }
    if (m->count) {
        assert_true(m->entry[0].base == ref.pt[0]);
        assert_true(end_of(&m->entry[m->count - 1]) == ref.pt[ref.npt - 1]);
    }
    assert_int_equal(rep.zero_length, ref.rep.zero_length);
    assert_int_equal(rep.type_zero, ref.rep.type_zero);
    assert_int_equal(rep.attr_ignored, ref.rep.attr_ignored);
    assert_int_equal(rep.wraps_clipped, ref.rep.wraps_clipped);
    assert_int_equal(rep.unsorted, ref.rep.unsorted);
    assert_int_equal(rep.overlaps, ref.rep.overlaps);
    assert_int_equal(rep.merged, ref.rep.merged);
}

static void sanitize_matches_reference(void **state)
{
    (void)state;
    struct memmap m;
    rng = 0x9e3779b97f4a7c15ull;
    for (int iter = 0; iter < 20000; iter++) {
        uint32_t n = iter % 1000 == 999 ? MAXN : (uint32_t)below(iter % 10 == 0 ? 120 : 12);
        gen_table(&tbl, n);
        check_one(&tbl, &m);
    }
}

/* Lookups at every boundary, one byte either side, and random addresses. */
static void type_at_matches_linear_scan(void **state)
{
    (void)state;
    struct memmap m;
    rng = 0x1234567887654321ull;
    for (int iter = 0; iter < 5000; iter++) {
        gen_table(&tbl, (uint32_t)below(40));
        check_one(&tbl, &m);
        for (uint32_t i = 0; i < m.count; i++) {
            uint64_t b = m.entry[i].base, l = b + (m.entry[i].length - 1);
            const uint64_t probe[] = {b, b - 1, l, l + 1, b + m.entry[i].length / 2};
            for (unsigned k = 0; k < 5; k++)
                assert_int_equal(memmap_type_at(&m, probe[k]), linear_type_at(&m, probe[k]));
        }
        for (int k = 0; k < 20; k++) {
            uint64_t a = rnd();
            assert_int_equal(memmap_type_at(&m, a), linear_type_at(&m, a));
        }
    }
}

/* memmap_set_type against a model: the new map must read `type` inside the range and the
 * old type everywhere else (at every old and new boundary, and one byte before each). */
static void set_type_matches_model(void **state)
{
    (void)state;
    static struct e820_entry old[2 * MAXN], big[2 * MAXN + 8];
    struct memmap m;
    rng = 0xdeadbeefcafef00dull;
    for (int iter = 0; iter < 5000; iter++) {
        gen_table(&tbl, (uint32_t)below(16));
        check_one(&tbl, &m);
        for (int op = 0; op < 8; op++) {
            static const uint64_t scales[] = {1, 0x1000, 0x100000, 1ull << 32, 1ull << 60};
            uint64_t scale = scales[below(5)];
            uint64_t base = gen_addr(scale), len = gen_len(base, scale);
            uint32_t type = type_pool[below(sizeof(type_pool) / sizeof(type_pool[0]))];
            uint32_t oldn = m.count;
            memcpy(old, m.entry, oldn * sizeof(old[0]));
            struct memmap om = {old, oldn, oldn};

            /* Same operation with ample room first: the size the result really needs. */
            struct memmap bm = {big, oldn, 2 * MAXN + 8};
            memcpy(big, old, oldn * sizeof(old[0]));
            err_t eb = memmap_set_type(&bm, base, len, type);
            bool wraps = len && len - 1 > UINT64_MAX - base;
            assert_int_equal(eb, wraps ? ERR_OVERFLOW : ERR_OK);
            if (wraps)
                continue;
            check_shape(&bm);
            u128 lo = base, hi = (u128)base + len;
            uint64_t probes[4 * (2 * MAXN + 8) + 4];
            uint32_t np = 0;
            for (uint32_t i = 0; i < oldn; i++) {
                probes[np++] = old[i].base;
                probes[np++] = old[i].base - 1;
                probes[np++] = (uint64_t)end_of(&old[i]);
                probes[np++] = (uint64_t)end_of(&old[i]) - 1;
            }
            probes[np++] = base;
            probes[np++] = base - 1;
            probes[np++] = (uint64_t)hi;
            probes[np++] = (uint64_t)hi - 1;
            for (uint32_t k = 0; k < np; k++) {
                uint64_t a = probes[k];
                uint32_t want = (a >= lo && a < hi) ? type : linear_type_at(&om, a);
                assert_int_equal(linear_type_at(&bm, a), want);
            }
            /* Now with a random, possibly too small, capacity. */
            m.capacity = (uint32_t)(oldn + below(4));
            err_t e = memmap_set_type(&m, base, len, type);
            if (bm.count > m.capacity) {
                assert_int_equal(e, ERR_CAPACITY);
                assert_int_equal(m.count, oldn);
                if (oldn)
                    assert_memory_equal(m.entry, old, oldn * sizeof(old[0]));
            } else {
                assert_int_equal(e, ERR_OK);
                assert_int_equal(m.count, bm.count);
                if (bm.count)
                    assert_memory_equal(m.entry, big, bm.count * sizeof(big[0]));
            }
            m.capacity = 2 * MAXN;
        }
    }
}

/* Frame views: every usable byte in a whole usable frame is in exactly one range, nothing
 * else is, and memmap_frame_align keeps every other entry byte-exact. */
static void frame_views_match_reference(void **state)
{
    (void)state;
    static struct memmap_range rg[2 * MAXN];
    static struct e820_entry fa[2 * MAXN];
    struct memmap m;
    rng = 0x0badc0ffee0ddf00ull;
    for (int iter = 0; iter < 5000; iter++) {
        gen_table(&tbl, (uint32_t)below(20));
        check_one(&tbl, &m);
        uint64_t gran = 1ull << below(31);
        uint32_t n;
        assert_int_equal(memmap_usable_ranges(&m, gran, rg, 2 * MAXN, &n), ERR_OK);
        /* Reference: whole frames of each type-1 entry, top frame at 2^64 excluded. */
        uint32_t j = 0;
        for (uint32_t i = 0; i < m.count; i++) {
            const struct e820_entry *e = &m.entry[i];
            if (e->type != 1)
                continue;
            u128 s = ((u128)e->base + gran - 1) / gran * gran;
            u128 t = end_of(e) / gran * gran;
            if (t == TWO64)
                t -= gran;
            if (s >= t)
                continue;
            if (j > 0 && rg[j - 1].end == s) { /* the [0, 2^64) split pair */
                assert_true(m.count == 2);
                assert_true((u128)rg[j - 1].end <= t);
                continue;
            }
            assert_true(j < n);
            assert_true(rg[j].base == s);
            assert_true(rg[j].end == t);
            j++;
        }
        assert_int_equal(j, n);
        if (n > 0)
            assert_int_equal(memmap_usable_ranges(&m, gran, rg, n - 1, &n), ERR_CAPACITY);

        struct memmap f;
        memmap_init(&f, fa, 2 * MAXN);
        assert_int_equal(memmap_frame_align(&m, gran, &f), ERR_OK);
        for (uint32_t i = 0; i < f.count; i++) {
            const struct e820_entry *e = &fa[i];
            assert_true(e->length > 0);
            if (memmap_type_is_usable_or_loader(e->type)) {
                assert_int_equal(e->base % gran, 0);
                assert_int_equal(e->length % gran, 0);
            }
            /* Every byte of the aligned map has its type in the exact map. */
            assert_int_equal(linear_type_at(&m, e->base), e->type);
            assert_int_equal(linear_type_at(&m, e->base + (e->length - 1)), e->type);
        }
        for (uint32_t i = 0; i < m.count; i++)
            if (!memmap_type_is_usable_or_loader(m.entry[i].type)) {
                bool found = false;
                for (uint32_t k = 0; k < f.count; k++)
                    found |= memcmp(&fa[k], &m.entry[i], sizeof(fa[k])) == 0;
                assert_true(found);
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sanitize_matches_reference),
        cmocka_unit_test(type_at_matches_linear_scan),
        cmocka_unit_test(set_type_matches_model),
        cmocka_unit_test(frame_views_match_reference),
    };
    return cmocka_run_group_tests_name("memmap_props", tests, NULL, NULL);
}
