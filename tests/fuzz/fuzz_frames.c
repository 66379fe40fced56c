/* fuzz_frames.c: libFuzzer harness for the frame allocator. The input draws a memory map
 * (sanitized by the real sanitizer), a granularity and a placement floor, then drives
 * alloc / alloc_range / reserve / free / is_free / typed variants / queries. A plain
 * byte-per-frame model answers each request by brute force; after every step the answer,
 * the address, the free count and the frames the step touched must agree, and at the end
 * every frame, the run statistics and (after sealing) the refusals. abort() on a mismatch.
 *
 * Input: [0] gran (4/8/16 KiB) and seal bit, [1] floor for the storage (MiB), [2] number of
 * map entries n (<= 16), then n entries of 5 bytes:
 *   b0 b1 base in 4 KiB pages, b2 length units minus 1, b3 bits0-2 type, bit4 64 KiB units,
 *   bit5 +4 GiB, bit7 unaligned start (+16*b4 bytes);
 * then ops of 6 bytes: kind, region, frame offset (2 bytes), count, align/window. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "memmap.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, \
                                          #c); abort(); } } while (0)

#define MiB 0x100000ull
#define GiB 0x40000000ull
#define MAXRAW 16u
#define MAXREG 32u
#define STORE 256u

/* ---- the reference: regions straight from the map, one byte per frame ---- */
struct model {
    uint64_t gran;
    uint32_t nreg;
    uint64_t base[MAXREG], frames[MAXREG];
    uint8_t *used[MAXREG];
    uint64_t free;
};

static struct model md;
static uint8_t pool_bytes[1u << 22];
static size_t pool_top;

static uint8_t *model_bytes(uint64_t n)
{
    uint8_t *p = pool_bytes + pool_top;
    pool_top += (size_t)n;
    return p;
}

static bool model_find(uint64_t addr, uint32_t *r, uint64_t *i)
{
    for (uint32_t k = 0; k < md.nreg; k++)
        if (addr >= md.base[k] && (addr - md.base[k]) / md.gran < md.frames[k]) {
            *r = k;
            *i = (addr - md.base[k]) / md.gran;
            return true;
        }
    return false;
}

static err_t model_range(uint64_t addr, uint64_t n, uint32_t *r, uint64_t *i)
{
    if (n == 0)
        return ERR_INVALID_ARG;
    if (addr % md.gran)
        return ERR_MISALIGNED;
    if (n > (UINT64_MAX - addr) / md.gran)
        return ERR_OVERFLOW;
    if (!model_find(addr, r, i) || *i + n > md.frames[*r])
        return ERR_NOT_USABLE;
    return ERR_OK;
}

static err_t model_set(uint64_t addr, uint64_t n, uint8_t to, bool apply)
{
    uint32_t r;
    uint64_t i;
    err_t e = model_range(addr, n, &r, &i);
    if (e)
        return e;
    for (uint64_t k = 0; k < n; k++)
        if (md.used[r][i + k] == to)
            return to ? ERR_IN_USE : ERR_ALREADY_FREE;
    if (apply) {
        memset(md.used[r] + i, to, (size_t)n);
        md.free = to ? md.free - n : md.free + n;
    }
    return ERR_OK;
}

static err_t model_alloc(uint64_t n, uint64_t align, uint64_t above, uint64_t below,
                         uint64_t *addr, bool apply)
{
    if (n == 0 || (align & (align - 1)))
        return ERR_INVALID_ARG;
    if (align < md.gran)
        align = md.gran;
    for (uint32_t r = 0; r < md.nreg; r++)
        for (uint64_t i = 0; i + n <= md.frames[r]; i++) {
            uint64_t a = md.base[r] + i * md.gran;
            if (a < above || a % align || (unsigned __int128)a + n * md.gran > below)
                continue;
            uint64_t k = 0;
            while (k < n && !md.used[r][i + k])
                k++;
            if (k == n) {
                if (apply) {
                    memset(md.used[r] + i, 1, (size_t)n);
                    md.free -= n;
                }
                *addr = a;
                return ERR_OK;
            }
            i += k; /* the run broke at i + k: no start before it can fit */
        }
    return ERR_NO_MEMORY;
}

/* ---- the allocator under test ---- */
static uint64_t bitmap_mem[(1u << 20) / 8];
static bool ptr_fail;

static void *buf_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    (void)phys;
    if (ptr_fail || bytes > sizeof(bitmap_mem))
        return NULL;
    return bitmap_mem;
}

/* The frames [addr - gran, addr + (n + 1) * gran) read back as the model says. */
static void compare_near(const struct frames *f, uint64_t addr, uint64_t n)
{
    CHECK(f->free == md.free);
    if (n > 4096)
        n = 4096;
    for (uint64_t k = 0; k < n + 2; k++) {
        uint64_t a = addr - md.gran + k * md.gran;
        uint32_t r;
        uint64_t i;
        bool fr;
        if (model_find(a, &r, &i)) {
            CHECK(frames_is_free(f, a, &fr) == ERR_OK);
            CHECK(fr == !md.used[r][i]);
        } else {
            CHECK(frames_is_free(f, a, &fr) == ERR_NOT_USABLE);
        }
    }
}

static void compare_all(const struct frames *f)
{
    CHECK(f->free == md.free);
    uint64_t runs = 0, largest = 0;
    for (uint32_t r = 0; r < md.nreg; r++) {
        uint64_t len = 0;
        for (uint64_t i = 0; i <= md.frames[r]; i++) {
            bool fr;
            if (i < md.frames[r]) {
                CHECK(frames_is_free(f, md.base[r] + i * md.gran, &fr) == ERR_OK);
                CHECK(fr == !md.used[r][i]);
                CHECK(frames_is_free(f, md.base[r] + i * md.gran + md.gran - 1, &fr) ==
                      ERR_OK && fr == !md.used[r][i]);
            }
            if (i < md.frames[r] && !md.used[r][i]) {
                len++;
                continue;
            }
            runs += len != 0;
            largest = len > largest ? len : largest;
            len = 0;
        }
    }
    struct frames_stats st;
    frames_stats(f, &st);
    CHECK(st.free == md.free && st.used == st.total - st.free);
    CHECK(st.free_runs == runs && st.largest_run == largest);
}

/* Largest aligned run and free count among whole frames in [above, below), by brute force. */
static void model_window(uint64_t align, uint64_t above, uint64_t below, uint64_t *largest,
                         uint64_t *nfree)
{
    if (align < md.gran)
        align = md.gran;
    *largest = *nfree = 0;
    for (uint32_t r = 0; r < md.nreg; r++)
        for (uint64_t i = 0; i < md.frames[r]; i++) {
            uint64_t a = md.base[r] + i * md.gran;
            if (a < above || a + md.gran > below || md.used[r][i])
                continue;
            (*nfree)++;
            if (a % align)
                continue;
            uint64_t k = 0;
            while (i + k < md.frames[r] && !md.used[r][i + k] &&
                   a + (k + 1) * md.gran <= below)
                k++;
            if (k > *largest)
                *largest = k;
        }
}

static uint64_t pick_addr(const uint8_t *b)
{
    uint32_t r = b[1] % md.nreg;
    uint64_t off = (uint64_t)(b[2] | b[3] << 8) % (md.frames[r] + 1);
    uint64_t a = md.base[r] + off * md.gran;
    switch (b[1] >> 5) {
    case 0: return a + 1 + b[3] % (md.gran - 1);  /* unaligned */
    case 1: return a - md.gran;                     /* just before */
    case 2: return (uint64_t)b[2] << 56 | (uint64_t)b[3] << 12; /* wild */
    default: return a;
    }
}

static uint64_t pick_n(uint8_t b)
{
    if (b < 128)
        return 1 + (b & 7);
    if (b < 240)
        return b - 127;
    if (b < 250)
        return (uint64_t)(b - 239) * 300;
    return b == 250 ? 0 : b == 251 ? UINT64_MAX : (UINT64_MAX >> 12) + (b - 252);
}

static const uint64_t align_set[8] = {0, 4096, 8192, 65536, 1u << 20, 3, 1ull << 63, 2 * MiB};
static const uint32_t type_set[8] = {1, 1, 1, 2, 3, 4, 5, 1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct e820_entry raw[MAXRAW], store[STORE];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MAXRAW) / 8];

    if (size < 3)
        return 0;
    uint64_t gran = 4096ull << (data[0] % 3);
    uint64_t floor_addr = (uint64_t)data[1] * MiB;
    uint32_t n = data[2] % (MAXRAW + 1);
    const uint8_t *p = data + 3;
    size_t left = size - 3;
    if (left < n * 5u)
        return 0;
    for (uint32_t i = 0; i < n; i++, p += 5, left -= 5) {
        uint64_t unit = p[3] & 0x10 ? 0x10000 : 0x1000;
        raw[i].base = (uint64_t)(p[0] | p[1] << 8) << 12;
        if (p[3] & 0x20)
            raw[i].base += 4 * GiB;
        if (p[3] & 0x80)
            raw[i].base += 16u * p[4];
        raw[i].length = (p[2] + 1u) * unit;
        raw[i].type = type_set[p[3] & 7];
        raw[i].attr = 0;
    }

    struct memmap m;
    memmap_init(&m, store, STORE);
    CHECK(memmap_sanitize(&m, raw, NULL, n, scratch, sizeof(scratch), NULL) == ERR_OK);

    /* The model's regions: every usable entry rounded inward to whole frames. */
    memset(&md, 0, sizeof(md));
    pool_top = 0;
    md.gran = gran;
    for (uint32_t i = 0; i < m.count; i++) {
        const struct e820_entry *e = &m.entry[i];
        if (e->type != E820_TYPE_RAM)
            continue;
        uint64_t b = (e->base + gran - 1) / gran * gran;
        uint64_t end = (e->base + e->length) / gran * gran;
        if (end <= b)
            continue;
        CHECK(md.nreg < MAXREG);
        md.base[md.nreg] = b;
        md.frames[md.nreg] = (end - b) / gran;
        md.used[md.nreg] = model_bytes(md.frames[md.nreg]);
        memset(md.used[md.nreg], 0, (size_t)md.frames[md.nreg]);
        md.free += md.frames[md.nreg];
        md.nreg++;
    }

    /* frames_init: the storage goes where the model's first fit below 4 GiB says. */
    struct frames f;
    uint64_t words = 0, where = 0;
    for (uint32_t r = 0; r < md.nreg; r++)
        words += (md.frames[r] + 63) / 64;
    uint64_t bytes = words * 8 + md.nreg * 24ull;
    uint64_t sbytes = 0;
    uint32_t sreg = 0;
    CHECK(frames_storage_bytes(&m, gran, &sbytes, &sreg) == ERR_OK);
    CHECK(sbytes == bytes && sreg == md.nreg);
    ptr_fail = left > 0 && p[0] == 0xff && (left--, p++, true);
    err_t want = md.nreg == 0 ? ERR_NO_MEMORY
                              : model_alloc((bytes + gran - 1) / gran, 0, floor_addr,
                                            4 * GiB, &where, true);
    if (want == ERR_OK && ptr_fail)
        want = ERR_NOT_USABLE;
    err_t got = frames_init(&f, &m, gran, floor_addr, buf_ptr, NULL);
    CHECK(got == want);
    if (got != ERR_OK)
        return 0;
    CHECK(f.storage_phys == where && f.storage_bytes == bytes);
    CHECK(memmap_type_at(&m, where) == E820_TYPE_FRAME_BITMAP);
    compare_all(&f);

    for (; left >= 6; p += 6, left -= 6) {
        uint64_t a = 0, b = 0, cnt = pick_n(p[4]);
        uint64_t al = align_set[p[5] & 7];
        switch (p[0] % 9) {
        case 0:
        case 1: {
            uint64_t above = p[5] & 0x10 ? pick_addr(p) : 0;
            uint64_t below = p[5] & 0x20 ? pick_addr(p + 1) : FRAMES_ANYWHERE;
            if (p[5] & 0x40)
                below = p[5] & 0x80 ? FRAMES_BELOW_4G : FRAMES_BELOW_1M;
            want = model_alloc(cnt, al, above, below, &b, true);
            got = frames_alloc_range(&f, cnt, al, above, below, &a);
            CHECK(got == want);
            if (got == ERR_OK) {
                CHECK(a == b && a >= above && a + cnt * gran <= below);
                CHECK(a % (al > gran ? al : gran) == 0);
            }
            compare_near(&f, got == ERR_OK ? a : md.base[0], cnt);
            break;
        }
        case 2:
            a = pick_addr(p);
            want = model_set(a, cnt, 1, true);
            CHECK(frames_reserve(&f, a, cnt) == want);
            compare_near(&f, a - a % gran, cnt);
            break;
        case 3:
        case 4:
            a = pick_addr(p);
            want = model_set(a, cnt, 0, true);
            CHECK(frames_free(&f, a, cnt) == want);
            compare_near(&f, a - a % gran, cnt);
            break;
        case 5: {
            bool fr = false;
            uint32_t r;
            uint64_t i;
            a = pick_addr(p);
            if (model_find(a - a % gran, &r, &i))
                CHECK(frames_is_free(&f, a, &fr) == ERR_OK && fr == !md.used[r][i]);
            else
                CHECK(frames_is_free(&f, a, &fr) == ERR_NOT_USABLE);
            break;
        }
        case 6:
        case 7: {
            /* Typed: the map may be nearly full; a map failure gives the frames back. */
            uint32_t type = p[5] & 8 ? E820_TYPE_KERNEL : E820_TYPE_PAGE_TABLES;
            uint32_t oldn = m.count;
            m.capacity = oldn + (p[5] >> 6) < STORE ? oldn + (p[5] >> 6) : STORE;
            bool typed_alloc = p[0] % 9 == 6;
            if (typed_alloc) {
                want = model_alloc(cnt, al, 0, FRAMES_BELOW_4G, &b, false);
                got = frames_alloc_typed(&f, &m, type, cnt, al, FRAMES_BELOW_4G, &a);
                a = got == ERR_OK ? a : b;
            } else {
                a = pick_addr(p);
                b = a;
                want = model_set(a, cnt, 1, false);
                got = frames_reserve_typed(&f, &m, type, a, cnt);
            }
            if (want == ERR_OK && got == ERR_CAPACITY) {
                CHECK(m.count == oldn); /* nothing changed: the model stays as it was */
            } else {
                CHECK(got == want);
                if (got == ERR_OK) {
                    CHECK(a == b);
                    if (typed_alloc)
                        model_alloc(cnt, al, 0, FRAMES_BELOW_4G, &b, true);
                    else
                        model_set(a, cnt, 1, true);
                    CHECK(memmap_type_at(&m, a) == type);
                    CHECK(memmap_type_at(&m, a + cnt * gran - 1) == type);
                }
            }
            m.capacity = STORE;
            compare_near(&f, a - a % gran, cnt);
            break;
        }
        default: {
            uint64_t above = p[5] & 0x10 ? pick_addr(p) : 0;
            uint64_t below = p[5] & 0x20 ? pick_addr(p + 1) : FRAMES_ANYWHERE;
            uint64_t wl, wf;
            if (al & (al - 1))
                al = 0;
            model_window(al, above, below, &wl, &wf);
            CHECK(frames_largest_run(&f, al, above, below) == wl);
            CHECK(frames_free_in(&f, above, below) == wf);
            break;
        }
        }
    }
    compare_all(&f);

    if (data[0] & 0x80) {
        /* Sealed: every change refused and nothing changes; queries still answer. */
        frames_seal(&f);
        uint64_t a = 0, some = md.base[0];
        CHECK(frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &a) == ERR_SEALED);
        CHECK(frames_reserve(&f, some, 1) == ERR_SEALED);
        CHECK(frames_free(&f, some, 1) == ERR_SEALED);
        CHECK(frames_alloc_typed(&f, &m, E820_TYPE_KERNEL, 1, 0, FRAMES_ANYWHERE, &a) ==
              ERR_SEALED);
        compare_all(&f);
    }
    return 0;
}
