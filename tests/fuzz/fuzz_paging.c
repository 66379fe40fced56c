/* fuzz_paging.c: libFuzzer harness for paging_map / paging_translate. Table frames come from
 * a fake physical memory (with an allocation budget from the input); map requests land in
 * four 64 MiB virtual windows (bottom and top of the lower half, bottom and top of the upper
 * half), or are malformed on purpose. A per-page model predicts every answer, including
 * where 2 MiB leaves are used and what PAGING_MERGE widens. Invariants, abort() on a
 * violation:
 *   - the result is the model's (ERR_OK, ERR_OVERLAP, or the argument error);
 *   - a refused request leaves every table byte and counter unchanged;
 *   - translate() agrees with the model on every page of the request and its neighbours
 *     after each step, and on every page of every touched 2 MiB slot at the end (physical
 *     address, page size, write / exec / global), unmapped pages are ERR_NOT_FOUND;
 *   - table and leaf counters equal what the model built.
 * Input: [0] bit0 NX, bits1-2 allocator misbehaviour at init, [1] table budget (0: plenty),
 * then 8-byte requests (see req_decode). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_tables.h"
#include "fuzz_check.h"
#include "paging.h"

#define WINDOWS 4u
#define SLOTS 32u                      /* 2 MiB slots per window */
#define WPAGES (SLOTS * 512u)          /* 4 KiB pages per window */
#define FRAMES 256u
#define MEM_PHYS 0x200000ull

static const uint64_t wbase[WINDOWS] = {0, 0x00007ffffc000000ull, 0xffff800000000000ull,
                                        0xfffffffffc000000ull};

/* ---- fake physical memory for the tables ---- */
static _Alignas(4096) uint8_t mem[FRAMES][4096], snap[FRAMES * 4096];
static struct fake_tables ft;

/* ---- the model ---- */
#define M_MAPPED 1u
#define M_W 2u
#define M_G 4u
#define M_X 8u

static struct {
    uint64_t phys[WINDOWS][WPAGES];
    uint8_t st[WINDOWS][WPAGES];
    uint8_t present[WINDOWS][SLOTS], big[WINDOWS][SLOTS];
    uint64_t n4k, n2m;
    bool nx;
} md;

/* Whether two permission sets make the same leaf (exec only counts with NX). */
static bool same_bits(uint8_t a, uint8_t b)
{
    uint8_t mask = M_W | M_G | (md.nx ? M_X : 0);
    return (a & mask) == (b & mask);
}

static uint8_t req_bits(uint32_t flags)
{
    return (uint8_t)(M_MAPPED | (flags & PAGING_WRITE ? M_W : 0) |
                     (flags & PAGING_GLOBAL ? M_G : 0) | (flags & PAGING_EXEC ? M_X : 0));
}

/* Would [page, page + n) in window w map to phys without conflict? */
static bool model_fits(uint32_t w, uint32_t page, uint32_t n, uint64_t phys, uint32_t flags)
{
    uint8_t b = req_bits(flags);
    for (uint32_t k = 0; k < n; k++) {
        uint8_t s = md.st[w][page + k];
        if (!(s & M_MAPPED))
            continue;
        if (md.phys[w][page + k] != phys + (uint64_t)k * 4096)
            return false;
        if (!same_bits(s, b) && !(flags & PAGING_MERGE))
            return false;
    }
    return true;
}

/* Apply as paging.c builds: a 2 MiB leaf where the slot is empty and alignment and length
 * allow, else 4 KiB leaves in a page table; merging widens a whole 2 MiB leaf. */
static void model_apply(uint32_t w, uint32_t page, uint32_t n, uint64_t phys, uint32_t flags)
{
    uint8_t b = req_bits(flags);
    uint32_t k = 0;
    while (k < n) {
        uint32_t pg = page + k, slot = pg / 512;
        uint64_t ph = phys + (uint64_t)k * 4096;
        if (!md.present[w][slot] && pg % 512 == 0 && ph % PAGE_SIZE_2M == 0 && n - k >= 512) {
            md.present[w][slot] = md.big[w][slot] = 1;
            for (uint32_t i = 0; i < 512; i++) {
                md.st[w][pg + i] = b;
                md.phys[w][pg + i] = ph + (uint64_t)i * 4096;
            }
            md.n2m++;
            k += 512;
            continue;
        }
        if (md.big[w][slot]) {
            uint32_t end = (slot + 1) * 512 - page; /* k of the slot's end */
            if (!same_bits(md.st[w][pg], b))
                for (uint32_t i = 0; i < 512; i++)
                    md.st[w][slot * 512 + i] |= b & (M_W | M_G | M_X);
            k = end < n ? end : n;
            continue;
        }
        md.present[w][slot] = 1;
        if (!(md.st[w][pg] & M_MAPPED)) {
            md.st[w][pg] = b;
            md.phys[w][pg] = ph;
            md.n4k++;
        } else if (!same_bits(md.st[w][pg], b)) {
            md.st[w][pg] |= b & (M_W | M_G | M_X);
        }
        k++;
    }
}

static uint32_t model_tables(void)
{
    uint32_t t = 1;
    for (uint32_t w = 0; w < WINDOWS; w++) {
        uint32_t used = 0;
        for (uint32_t s = 0; s < SLOTS; s++) {
            used |= md.present[w][s];
            t += md.present[w][s] && !md.big[w][s];
        }
        t += used ? 2 : 0; /* each window lies inside one PD under one PDPT */
    }
    return t;
}

static void check_page(const struct paging *pg, uint32_t w, int64_t page)
{
    struct paging_walk wk;
    if (page < 0 || page >= (int64_t)WPAGES)
        return;
    uint64_t va = wbase[w] + (uint64_t)page * 4096;
    uint8_t s = md.st[w][page];
    err_t e = paging_translate(pg, va + (page & 0xfff), &wk);
    if (!(s & M_MAPPED)) {
        CHECK(e == ERR_NOT_FOUND);
        return;
    }
    CHECK(e == ERR_OK);
    CHECK(wk.phys == md.phys[w][page] + (page & 0xfff));
    CHECK(wk.page_size == (md.big[w][page / 512] ? PAGE_SIZE_2M : PAGE_SIZE_4K));
    CHECK(!!(wk.flags & PAGING_WRITE) == !!(s & M_W));
    CHECK(!!(wk.flags & PAGING_GLOBAL) == !!(s & M_G));
    CHECK(!!(wk.flags & PAGING_EXEC) == (!md.nx || (s & M_X)));
    CHECK(!!(wk.pte & PTE_NX) == (md.nx && !(s & M_X)));
}

static void check_counters(const struct paging *pg)
{
    CHECK(pg->tables == ft.used && pg->tables == model_tables());
    CHECK(pg->pages_4k == md.n4k && pg->pages_2m == md.n2m);
}

/* A request: b0 bits0-2 WRITE/EXEC/GLOBAL, bit3 MERGE, bits4-7 defect (12 misaligned,
 * 13 non-canonical / crossing the hole / wrapping, 14 physical past 2^52, 15 size 0 or an
 * unknown flag; else well-formed); b1 bits0-1 window, bit2 start on 2 MiB, bits3-4 phys
 * mode; b2 b3 start page; b4 length; b5 b6 b7 physical selector. */
struct req {
    uint64_t virt, phys, size;
    uint32_t flags;
    err_t want_arg;     /* the argument error expected, or ERR_OK */
    uint32_t w, page, n;
};

static struct req req_decode(const uint8_t *b)
{
    struct req r = {0};
    r.flags = (b[0] & 7) | (b[0] & 8 ? PAGING_MERGE : 0);
    r.w = b[1] & 3;
    r.page = (uint32_t)(b[2] | b[3] << 8) % WPAGES;
    if (b[1] & 4)
        r.page &= ~511u;
    uint8_t l = b[4];
    r.n = l < 128 ? 1 + (l & 15) : l < 224 ? (uint32_t)(l - 127) * 37 : 512u * (1 + (l & 7));
    if (r.n > WPAGES - r.page)
        r.n = WPAGES - r.page;
    uint64_t sel = (uint64_t)(b[5] | b[6] << 8 | b[7] << 16);
    switch ((b[1] >> 3) & 3) {
    case 0: r.phys = 0x40000000ull + (uint64_t)r.page * 4096; break; /* 2 MiB-congruent */
    case 1: r.phys = sel << 12; break;
    case 2: r.phys = (sel & 0x3ff) << 21; break;
    default: {
        /* The physical address some page already maps to: re-maps, aliases, merges. */
        uint32_t w2 = b[5] & 3, p2 = (uint32_t)(b[6] | b[7] << 8) % WPAGES;
        uint64_t base = md.st[w2][p2] & M_MAPPED ? md.phys[w2][p2] : sel << 12;
        if (w2 == r.w && (md.st[r.w][r.page] & M_MAPPED))
            base = md.phys[r.w][r.page]; /* the same mapping again */
        r.phys = base;
        break;
    }
    }
    if (r.phys + (uint64_t)r.n * 4096 > PAGING_PHYS_LIMIT)
        r.phys = 0;
    r.virt = wbase[r.w] + (uint64_t)r.page * 4096;
    r.size = (uint64_t)r.n * 4096;
    r.want_arg = ERR_OK;
    switch (b[0] >> 4) {
    case 12:
        r.want_arg = ERR_MISALIGNED;
        switch (b[5] % 3) {
        case 0: r.virt += 1 + b[6] % 4095; break;
        case 1: r.phys += 1 + b[6] % 4095; break;
        default: r.size += 1 + b[6] % 4095; break;
        }
        break;
    case 13:
        r.want_arg = ERR_INVALID_ARG;
        switch (b[5] % 3) {
        case 0: /* in the hole */
            r.virt = 0x0000800000000000ull + ((uint64_t)b[6] << 30) + ((uint64_t)r.page << 12);
            break;
        case 1: /* from the lower half across the hole */
            r.virt = 0x0000800000000000ull - 4096ull * (1 + b[6] % 8);
            r.size = 4096ull * (9 + b[6] % 8);
            break;
        default: /* from the top of the upper half past 2^64 */
            r.virt = 0ull - 4096ull * (1 + b[6] % 8);
            r.size = 4096ull * (9 + b[6] % 8);
            break;
        }
        break;
    case 14:
        r.want_arg = ERR_OVERFLOW;
        r.phys = b[5] & 1 ? PAGING_PHYS_LIMIT + ((uint64_t)b[6] << 12)
                          : PAGING_PHYS_LIMIT - 4096ull * (b[6] % (r.n ? r.n : 1));
        if (r.phys + r.size <= PAGING_PHYS_LIMIT)
            r.phys = PAGING_PHYS_LIMIT;
        break;
    case 15:
        r.want_arg = ERR_INVALID_ARG;
        if (b[5] & 1)
            r.size = 0;
        else
            r.flags |= 1u << (3 + b[6] % 5); /* bits 3..7: not flags */
        break;
    default:
        break;
    }
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct paging pg;

    if (size < 2)
        return 0;
    memset(&md, 0, sizeof(md));
    md.nx = data[0] & 1;
    /* the source misbehaves at init: a frame not 4 KiB aligned, or one above 4 GiB */
    uint32_t misbehave = (data[0] >> 1) & 3;
    ft = (struct fake_tables){ .frame = mem, .base = MEM_PHYS, .count = FRAMES,
                               .budget = data[1] ? data[1] : FRAMES, .strict = true,
                               .bad_phys = misbehave == 1 ? MEM_PHYS + 8
                                         : misbehave == 2 ? 0x100000000ull : 0 };
    err_t e = paging_init(&pg, fake_tables_alloc, fake_tables_ptr, &ft, md.nx, PAGING_TABLES_BELOW_4G);
    if (misbehave == 1 || misbehave == 2) {
        CHECK(e == (misbehave == 1 ? ERR_MISALIGNED : ERR_NOT_USABLE));
        return 0;
    }
    CHECK(e == ERR_OK);
    struct paging_walk wk;
    CHECK(paging_translate(&pg, 0, &wk) == ERR_NOT_FOUND);
    CHECK(paging_translate(&pg, 0x0000800000000000ull, &wk) == ERR_NOT_FOUND);

    for (size_t at = 2; at + 8 <= size; at += 8) {
        struct req r = req_decode(data + at);
        size_t snap_bytes = (size_t)ft.used * 4096;
        memcpy(snap, mem, snap_bytes);
        uint32_t t0 = pg.tables;
        uint64_t c4 = pg.pages_4k, c2 = pg.pages_2m;

        e = paging_map(&pg, r.virt, r.phys, r.size, r.flags);
        if (r.want_arg != ERR_OK) {
            CHECK(e == r.want_arg);
        } else if (!model_fits(r.w, r.page, r.n, r.phys, r.flags)) {
            CHECK(e == ERR_OVERLAP);
        } else if (e == ERR_NO_MEMORY) {
            /* Only when the budget ran out; a prefix may be mapped: stop here, after
             * checking that nothing outside the request moved. */
            CHECK(ft.used == ft.budget);
            for (uint32_t w = 0; w < WINDOWS; w++)
                for (uint32_t s = 0; s < SLOTS; s++)
                    if (md.present[w][s] && (w != r.w || s < r.page / 512 ||
                                             s > (r.page + r.n - 1) / 512))
                        for (int64_t p = s * 512; p < (s + 1) * 512; p += 97)
                            check_page(&pg, w, p);
            return 0;
        } else {
            CHECK(e == ERR_OK);
            model_apply(r.w, r.page, r.n, r.phys, r.flags);
        }
        if (e != ERR_OK) {
            /* Refused: not one byte of the tables changed. */
            CHECK(ft.used * 4096ull == snap_bytes && memcmp(snap, mem, snap_bytes) == 0);
            CHECK(pg.tables == t0 && pg.pages_4k == c4 && pg.pages_2m == c2);
        }
        check_counters(&pg);
        if (r.want_arg == ERR_OK) {
            uint32_t step = r.n > 1024 ? 61 : 1;
            for (int64_t p = (int64_t)r.page - 1; p <= (int64_t)(r.page + r.n); p += step)
                check_page(&pg, r.w, p);
            check_page(&pg, r.w, (int64_t)(r.page + r.n) - 1);
        }
    }

    /* Every page of every touched slot, plus each window's edges. */
    for (uint32_t w = 0; w < WINDOWS; w++) {
        check_page(&pg, w, 0);
        check_page(&pg, w, WPAGES - 1);
        for (uint32_t s = 0; s < SLOTS; s++)
            if (md.present[w][s])
                for (int64_t p = s * 512; p < (s + 1) * 512; p++)
                    check_page(&pg, w, p);
    }
    check_counters(&pg);
    return 0;
}
