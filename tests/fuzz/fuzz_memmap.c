/* fuzz_memmap.c: libFuzzer harness for the memory-map core. Bytes become a raw E820 table
 * (with per-entry sizes and attributes), then a few memmap_set_type edits; every result is
 * checked against the map invariants and a brute-force reference, abort() on a violation.
 *
 * Input: byte 0 picks the encoding. Odd: compact entries of 4 bytes (base, length, type,
 * flags) on a grid whose scale is 2^(byte1 % 64), so overlaps, nesting and touching are
 * common, and bases >= 0xf0 sit just below 2^64. Even: full entries of 21 bytes (base 8,
 * length 8, type 4, flags 1). The last 16 bytes, if there are more than 16 left over, drive
 * set_type edits. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "memmap.h"

typedef unsigned __int128 u128;
#define TWO64 ((u128)1 << 64)
#define MAXN 256u

static const uint32_t type_pool[16] = {1, 2, 3, 4, 5, 7, 12, 0xefffffffu, 0x1000, 0x1005,
                                       0x20, 0xffffffffu, 0, 1, 2, 12};

static struct e820_entry raw[MAXN];
static uint8_t rsize[MAXN];
static struct e820_entry store[2 * MAXN + 8], copy[2 * MAXN + 8];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MAXN) / 8];
static u128 ks[MAXN], ke[MAXN], pts[2 * MAXN + 4];
static uint32_t kt[MAXN];

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static bool mergeable(uint32_t t)
{
    return t != 12 && t != 0xefffffffu;
}

static u128 end_of(const struct e820_entry *e)
{
    return (u128)e->base + e->length;
}

static uint32_t lin_type(const struct memmap *m, uint64_t a)
{
    for (uint32_t i = 0; i < m->count; i++)
        if (m->entry[i].base <= a && (u128)a < end_of(&m->entry[i]))
            return m->entry[i].type;
    return 0;
}

static void check_shape(const struct memmap *m)
{
    for (uint32_t i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entry[i];
        CHECK(e->length > 0 && e->type != 0 && end_of(e) <= TWO64);
        if (i == 0)
            continue;
        const struct e820_entry *p = &m->entry[i - 1];
        CHECK(end_of(p) <= e->base);
        if (end_of(p) == e->base && p->type == e->type && mergeable(e->type))
            CHECK(m->count == 2 && p->base == 0 && e->base == UINT64_MAX);
    }
}

static int cmp128(const void *a, const void *b)
{
    u128 x = *(const u128 *)a, y = *(const u128 *)b;
    return x < y ? -1 : x > y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    bool compact = data[0] & 1;
    unsigned shift = data[1] % 64;
    const uint8_t *p = data + 2;
    size_t left = size - 2, per = compact ? 4 : 21;
    size_t tail = left > 16 + per ? 16 : 0;
    uint32_t n = (uint32_t)((left - tail) / per);
    if (n > MAXN)
        n = MAXN;
    for (uint32_t i = 0; i < n; i++, p += per) {
        uint8_t flags;
        if (compact) {
            uint64_t scale = (uint64_t)1 << shift;
            raw[i].base = p[0] >= 0xf0 ? 0 - (uint64_t)(0x100 - p[0]) * scale : p[0] * scale;
            raw[i].length = p[1] == 0xff ? UINT64_MAX : p[1] * scale;
            raw[i].type = type_pool[p[2] & 15];
            flags = p[3];
        } else {
            raw[i].base = get64(p);
            raw[i].length = get64(p + 8);
            memcpy(&raw[i].type, p + 16, 4);
            flags = p[20];
        }
        raw[i].attr = (flags >> 1) & 3;
        rsize[i] = flags & 1 ? 24 : 20;
    }
    bool sizes = data[0] & 2;

    struct memmap m;
    struct memmap_report rep;
    memmap_init(&m, store, 2 * MAXN + 8);
    CHECK(memmap_sanitize(&m, raw, sizes ? rsize : NULL, n, scratch, sizeof(scratch), &rep) ==
          ERR_OK);
    CHECK(m.count <= (n ? 2 * n - 1 : 0));
    check_shape(&m);

    /* Reference: kept entries by the same rules, checked at every elementary interval. */
    bool any_enabled = false;
    for (uint32_t i = 0; sizes && i < n; i++)
        any_enabled |= rsize[i] == 24 && (raw[i].attr & 1);
    uint32_t nk = 0, np = 0, dropped = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (raw[i].length == 0 || raw[i].type == 0 ||
            (any_enabled && rsize[i] == 24 && !(raw[i].attr & 1))) {
            dropped++;
            continue;
        }
        ks[nk] = raw[i].base;
        ke[nk] = end_of(&raw[i]) > TWO64 ? TWO64 : end_of(&raw[i]);
        kt[nk] = raw[i].type;
        pts[np++] = ks[nk];
        pts[np++] = ke[nk];
        nk++;
    }
    CHECK(dropped == rep.zero_length + rep.type_zero + rep.attr_ignored);
    qsort(pts, np, sizeof(pts[0]), cmp128);
    for (uint32_t i = 0; i + 1 < np; i++) {
        if (pts[i] == pts[i + 1])
            continue;
        uint32_t want = 0;
        for (uint32_t k = 0; k < nk; k++)
            if (ks[k] <= pts[i] && pts[i] < ke[k] && kt[k] > want)
                want = kt[k];
        CHECK(memmap_type_at(&m, (uint64_t)pts[i]) == want);
        CHECK(memmap_type_at(&m, (uint64_t)(pts[i + 1] - 1)) == want);
    }
    for (uint32_t i = 0; i < m.count; i++) {
        const struct e820_entry *e = &m.entry[i];
        bool split = m.count == 2 && (e->base == UINT64_MAX || end_of(e) == UINT64_MAX) &&
                     m.entry[0].base == 0 && m.entry[1].base == UINT64_MAX;
        bool sb = split, se = split;
        for (uint32_t k = 0; k < np; k++) {
            sb |= pts[k] == e->base;
            se |= pts[k] == end_of(e);
            if (!mergeable(e->type))
                CHECK(!(pts[k] > e->base && pts[k] < end_of(e)));
        }
        CHECK(sb && se);
    }

    /* Edits: set_type keeps the shape and reads back as the model says. */
    const uint8_t *t = data + size - tail;
    for (size_t op = 0; op + 8 <= tail; op += 8) {
        uint64_t scale = (uint64_t)1 << (t[op] % 64);
        uint64_t base = get64(t + op) >> (t[op + 1] % 64);
        uint64_t len = (uint64_t)(t[op + 2] + 1) * scale;
        uint32_t type = type_pool[t[op + 3] & 15];
        uint32_t oldn = m.count;
        memcpy(copy, m.entry, oldn * sizeof(copy[0]));
        struct memmap om = {copy, oldn, oldn};
        m.capacity = oldn + (t[op + 4] & 3);
        err_t e = memmap_set_type(&m, base, len, type);
        if (len == 0) { /* (t+1) * scale wrapped to 0: a no-op */
            CHECK(e == ERR_OK && m.count == oldn);
        } else if (len - 1 > UINT64_MAX - base) {
            CHECK(e == ERR_OVERFLOW && m.count == oldn);
        } else if (e == ERR_CAPACITY) {
            CHECK(m.count == oldn && memcmp(m.entry, copy, oldn * sizeof(copy[0])) == 0);
        } else {
            CHECK(e == ERR_OK);
            check_shape(&m);
            const uint64_t probe[] = {base, base - 1, base + (len - 1), base + len};
            for (unsigned k = 0; k < 4; k++) {
                u128 a = probe[k];
                uint32_t want = a >= base && a < (u128)base + len ? type : lin_type(&om, probe[k]);
                CHECK(lin_type(&m, probe[k]) == want);
                CHECK(memmap_type_at(&m, probe[k]) == want);
            }
            for (uint32_t k = 0; k < oldn; k++) {
                uint64_t a = copy[k].base;
                uint32_t want = a >= base && (u128)a < (u128)base + len ? type : copy[k].type;
                CHECK(memmap_type_at(&m, a) == want);
            }
        }
        m.capacity = 2 * MAXN + 8;
    }
    return 0;
}
