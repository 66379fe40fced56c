/* fuzz_heap_pool.c: libFuzzer harness for the bump heap and the block pools. The input picks
 * the heap (size, physical base: aligned, odd, or at the very top of the address space) and
 * a sequence of heap operations (alloc, alloc_zeroed, free of the newest / an older / a freed
 * / a foreign pointer, reset), then optionally a pool carved from the heap and pool
 * operations. A model of the heap (top, newest allocation, live set) and of the pool (state
 * of every block) predicts every answer. Invariants, abort() on a violation:
 *   - an allocation is inside the heap, aligned (physical address), overlaps no live one,
 *     and is refused exactly when it cannot fit; zeroed ones read as zeros;
 *   - frees: newest gives its space back, older ones are accepted, pointers into the free
 *     part are ERR_ALREADY_FREE, foreign ones ERR_NOT_OWNED; what live allocations hold is
 *     never disturbed (each is filled with its own byte and checked);
 *   - pools: blocks aligned, at block starts, distinct, NULL only when full; double,
 *     interior and foreign frees refused without changing anything; a pool that does not
 *     fit leaves the heap as it was.
 * Input: [0..1] heap size - 1, [2] base mode, then 4-byte ops. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "heap.h"
#include "pool.h"

typedef unsigned __int128 u128;

#define HEAP_MAX 65536u

#define MAXLIVE 256u
#define MAXBLK 1024u

static _Alignas(4096) uint8_t arena[HEAP_MAX + 4096];
/* The heap's memory: as in stage2 (pointer == physical address), a pointer is aligned
 * exactly as its physical address, up to 4 KiB. */
static uint8_t *hmem;

struct alloc {
    uint64_t off, size;
    uint8_t fill;
};

static struct model {
    uint64_t base, size, top, last, last_prev;
    bool has_last;
    struct alloc live[MAXLIVE];
    uint32_t nlive;
} hm;

static void fill_check(const struct alloc *a)
{
    for (uint64_t i = 0; i < a->size; i++)
        CHECK(hmem[a->off + i] == a->fill);
}

static void live_check_all(void)
{
    for (uint32_t i = 0; i < hm.nlive; i++)
        fill_check(&hm.live[i]);
}

static void live_remove(uint32_t i)
{
    fill_check(&hm.live[i]);
    hm.live[i] = hm.live[--hm.nlive];
}

/* Where an allocation of size/align would go (offset), false if it cannot. */
static bool model_fit(uint64_t size, uint64_t align, uint64_t *off)
{
    if (align == 0)
        align = 1;
    if (size == 0 || (align & (align - 1)))
        return false;
    u128 cur = (u128)hm.base + hm.top;
    u128 a = (cur + align - 1) / align * align;
    if (a + size > (u128)hm.base + hm.size)
        return false;
    *off = (uint64_t)(a - hm.base);
    return true;
}

static void model_take(uint64_t off, uint64_t size)
{
    hm.last_prev = hm.top;
    hm.last = off;
    hm.has_last = true;
    hm.top = off + size;
}

static uint64_t pick_size(uint8_t b, uint8_t c)
{
    switch (b >> 6) {
    case 0: return b & 63;                                  /* small, 0 included */
    case 1: return (uint64_t)(b & 63) << (c & 15);          /* up to the heap size */
    case 2: return (uint64_t)c * 16 + (b & 15);
    default: return c & 1 ? UINT64_MAX - (b & 63) : (uint64_t)1 << (40 + (c & 23));
    }
}

static uint64_t pick_align(uint8_t b)
{
    if (b < 200)
        return (uint64_t)1 << (b % 14);
    static const uint64_t odd[8] = {0, 3, 24, 1ull << 63, 0xffffffffffffffffull, 1ull << 40,
                                    4096, 6};
    return odd[b & 7];
}

static void heap_consistent(const struct heap *h)
{
    struct heap_stats st;
    heap_stats(h, &st);
    CHECK(st.size == hm.size && st.used == hm.top && st.used <= st.size);
    CHECK(st.peak >= st.used && st.peak <= st.size);
}

/* ---- pools ---- */
static struct {
    uint8_t state[MAXBLK];   /* 0 free, else the fill byte of the allocation */
    uint32_t used;
} pm;

/* Returns false when no pool was made (the heap operations go on). */
static bool pool_phase(struct heap *h, const uint8_t *p, size_t left)
{
    struct pool pool;
    uint64_t bsz = 1 + (p[0] | (p[1] & 3) << 8);
    uint32_t blocks = 1 + (uint32_t)(p[2] | (p[1] >> 2 & 3) << 8);
    uint64_t align = (uint64_t)1 << (p[3] % 10);
    if (p[3] & 0x80) /* the odd ones too: 0, 3, 2^63 (sizes wrap), ... */
        align = pick_align(p[3] & 0x40 ? 200 + (p[3] & 7) : p[3] & 0x3f);
    if (p[3] == 0x40)
        align = 0; /* the default, 8 */
    p += 4;
    left -= 4;

    uint64_t al = align ? align : 8;
    bool pow2 = (al & (al - 1)) == 0;
    uint64_t bs = pow2 ? (bsz + al - 1) / al * al : 0;
    /* One heap allocation: the blocks, then the link table on a 4-byte boundary. */
    u128 total128 = ((u128)bs * blocks + 3) / 4 * 4 + (u128)blocks * 4;
    bool wraps = total128 > UINT64_MAX;
    uint64_t link_off = (bs * blocks + 3) / 4 * 4, total = link_off + (uint64_t)blocks * 4;
    uint64_t mem_off = 0;
    bool fits = pow2 && !wraps && model_fit(total, al < 4 ? 4 : al, &mem_off);
    err_t e = pool_init(&pool, h, bsz, blocks, align);
    if (e != ERR_OK) {
        CHECK(e == (!pow2 ? ERR_INVALID_ARG : wraps ? ERR_OVERFLOW : ERR_NO_MEMORY) && !fits);
        heap_consistent(h); /* the heap is left as it was */
        /* and the pool is an empty one */
        CHECK(pool_alloc(&pool) == NULL && pool_free(&pool, hmem) == ERR_NOT_OWNED);
        CHECK(!pool_owns(&pool, hmem));
        return false;
    }
    CHECK(fits);
    model_take(mem_off, total);
    heap_consistent(h);
    CHECK(pool.mem == hmem + mem_off && pool.block_size == bs && pool.blocks == blocks);
    CHECK((uint8_t *)pool.link == pool.mem + link_off);

    memset(&pm, 0, sizeof(pm));
    uint8_t fill = 1;
    for (; left >= 3; p += 3, left -= 3) {
        uint32_t k = (uint32_t)(p[1] | p[2] << 8) % blocks;
        uint8_t *blk = pool.mem + (size_t)k * bs;
        switch (p[0] % 6) {
        case 0:
        case 1: {
            uint8_t *b = pool_alloc(&pool);
            if (pm.used == blocks) {
                CHECK(b == NULL);
                break;
            }
            CHECK(b != NULL && b >= pool.mem && b < pool.mem + (size_t)bs * blocks);
            uint64_t off = (uint64_t)(b - pool.mem);
            CHECK(off % bs == 0 && heap_phys(h, b) % al == 0);
            uint32_t i = (uint32_t)(off / bs);
            CHECK(pm.state[i] == 0); /* not handed out twice */
            pm.state[i] = fill;
            memset(b, fill, (size_t)bs);
            fill = fill == 255 ? 1 : fill + 1;
            pm.used++;
            break;
        }
        case 2:
        case 3: {
            err_t want = pm.state[k] ? ERR_OK : ERR_ALREADY_FREE;
            if (pm.state[k])
                for (uint64_t j = 0; j < bs; j++)
                    CHECK(blk[j] == pm.state[k]);
            CHECK(pool_free(&pool, blk) == want);
            if (want == ERR_OK) {
                pm.state[k] = 0;
                pm.used--;
            }
            break;
        }
        case 4: {
            /* Interior, one past the end, before the start, NULL, elsewhere in the heap. */
            uint8_t *bad;
            switch (p[1] % 5) {
            case 0: bad = bs > 1 ? blk + 1 + p[2] % (bs - 1) : NULL; break;
            case 1: bad = pool.mem + (size_t)bs * blocks; break;
            case 2: bad = (uint8_t *)((uintptr_t)pool.mem - 1 - p[2]); break;
            case 3: bad = NULL; break;
            default: bad = (uint8_t *)pool.link; break;
            }
            CHECK(pool_free(&pool, bad) == ERR_NOT_OWNED);
            CHECK(!pool_owns(&pool, bad));
            break;
        }
        default:
            CHECK(pool_owns(&pool, blk) == (pm.state[k] != 0));
            break;
        }
        struct pool_stats st;
        pool_stats(&pool, &st);
        CHECK(st.used == pm.used && st.free == blocks - pm.used && st.blocks == blocks);
    }
    for (uint32_t k = 0; k < blocks; k++)
        if (pm.state[k])
            for (uint64_t j = 0; j < bs; j++)
                CHECK(pool.mem[(size_t)k * bs + j] == pm.state[k]);
    live_check_all();
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct heap h;

    if (size < 3)
        return 0;
    memset(&hm, 0, sizeof(hm));
    hm.size = 1 + (uint64_t)(data[0] | data[1] << 8);
    switch (data[2] & 3) {
    case 0: hm.base = 0x100000; break;
    case 1: hm.base = 0x100000 + (data[2] >> 2); break;          /* odd physical base */
    case 2: hm.base = UINT64_MAX - hm.size - (data[2] >> 2); break; /* top of 2^64 */
    default: hm.base = UINT64_MAX - (data[2] >> 2) % hm.size; break; /* wraps */
    }
    hmem = arena + (hm.base & 4095);
    err_t e = heap_init_mem(&h, hmem, hm.base, hm.size);
    if ((data[2] & 3) == 3) {
        CHECK(e == ERR_OVERFLOW);
        return 0;
    }
    CHECK(e == ERR_OK);
    memset(hmem, 0xdd, (size_t)hm.size);

    const uint8_t *p = data + 3;
    size_t left = size - 3;
    uint8_t fill = 1;
    for (; left >= 4; p += 4, left -= 4) {
        uint8_t op = p[0] % 9;
        if (op == 8) {
            if (left < 5)
                break;
            if (pool_phase(&h, p + 1, left - 1))
                return 0;
            continue;
        }
        switch (op) {
        case 0:
        case 1:
        case 2: {
            uint64_t sz = pick_size(p[1], p[2]), align = pick_align(p[3]), off = 0;
            bool fits = model_fit(sz, align, &off);
            uint8_t *a = op == 2 ? heap_alloc_zeroed(&h, sz, align) : heap_alloc(&h, sz, align);
            if (!fits) {
                CHECK(a == NULL);
                break;
            }
            CHECK(a == hmem + off);
            uint64_t phys = heap_phys(&h, a);
            CHECK(phys == hm.base + off && phys % (align ? align : 1) == 0);
            CHECK(off + sz <= hm.size); /* inside the heap */
            for (uint32_t i = 0; i < hm.nlive; i++)  /* overlaps no live allocation */
                CHECK(off >= hm.live[i].off + hm.live[i].size ||
                      hm.live[i].off >= off + sz);
            if (op == 2)
                for (uint64_t i = 0; i < sz; i++)
                    CHECK(a[i] == 0);
            model_take(off, sz);
            if (hm.nlive < MAXLIVE) {
                hm.live[hm.nlive] = (struct alloc){off, sz, fill};
                memset(a, fill, (size_t)sz);
                hm.nlive++;
                fill = fill == 255 ? 1 : fill + 1;
            }
            break;
        }
        case 3:
        case 4: {
            /* Free a live allocation (newest or older). */
            if (!hm.nlive)
                break;
            uint32_t i = p[1] % hm.nlive;
            if (op == 3 && hm.has_last)
                for (uint32_t k = 0; k < hm.nlive; k++)
                    if (hm.live[k].off == hm.last)
                        i = k;
            uint64_t off = hm.live[i].off;
            CHECK(heap_free(&h, hmem + off) == ERR_OK);
            if (hm.has_last && off == hm.last) {
                hm.top = hm.last_prev;
                hm.has_last = false;
            }
            live_remove(i);
            break;
        }
        case 5: {
            /* A pointer into the free part: a double free, or never allocated. */
            if (hm.top >= hm.size)
                break;
            uint64_t off = hm.top + (uint64_t)(p[1] | p[2] << 8) % (hm.size - hm.top);
            CHECK(heap_free(&h, hmem + off) == ERR_ALREADY_FREE);
            break;
        }
        case 6: {
            /* Foreign pointers: NULL, just past the end, before the start, elsewhere. */
            uint8_t local;
            CHECK(heap_free(&h, NULL) == ERR_INVALID_ARG);
            CHECK(heap_free(&h, hmem + hm.size + p[1]) == ERR_NOT_OWNED);
            CHECK(heap_free(&h, (void *)((uintptr_t)hmem - 1 - p[2])) == ERR_NOT_OWNED);
            CHECK(heap_free(&h, &local) == ERR_NOT_OWNED);
            CHECK(heap_phys(&h, hmem + hm.size) == 0);
            break;
        }
        default:
            live_check_all();
            heap_reset(&h);
            hm.top = 0;
            hm.has_last = false;
            hm.nlive = 0;
            break;
        }
        heap_consistent(&h);
    }
    live_check_all();
    return 0;
}
