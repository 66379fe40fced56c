/* fuzz_paging_plan.c: libFuzzer harness for paging_plan_build. The input draws a memory map
 * (RAM and other types in 1 GiB-spaced slots up to and across PAGING_PLAN_PHYS_MAX, through
 * the real sanitizer), an HHDM offset, kernel segments and a table budget. Checked against
 * references computed here, abort() on a violation:
 *   - argument errors are refused before anything is built; an allocation failure names a
 *     step; otherwise ERR_OK, or the first segment error the reference predicts (a planted
 *     page-offset mismatch, or a segment on the HHDM of other memory);
 *   - the low 4 GiB and every RAM entry (whole pages, cut at PAGING_PLAN_PHYS_MAX) are
 *     identity-mapped writable and executable and mapped at hhdm + phys writable (not
 *     executable under NX); pages of no RAM entry above 4 GiB are not mapped;
 *   - identity_end and clipped equal the references;
 *   - each kernel segment maps its pages to its physical pages with at least its rights;
 *   - below 4 GiB, each 2 MiB is one 2 MiB page exactly when the reference says it is one
 *     kind in the map (never the first), identity and HHDM; above 4 GiB no 2 MiB page of
 *     either covers mixed kinds.
 * Input: [0] bit0 NX, bits1-2 HHDM choice, [1] budget (0: plenty), [2] entries n (<= 16),
 * n entries of 4 bytes (slot, length, type, offset), then segments of 6 bytes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_tables.h"
#include "fuzz_check.h"
#include "memmap.h"
#include "paging.h"

typedef unsigned __int128 u128;

#define FRAMES 1024u
#define MEM_PHYS 0x10000000ull
#define GiB 0x40000000ull
#define MAXRAW 16u
#define MAXSEG 8u

static _Alignas(4096) uint8_t mem[FRAMES][4096];
static struct fake_tables ft;

static const uint32_t type_set[8] = {1, 1, 2, 3, 4, 7, 0x1001u, 5};

static bool ram_type(uint32_t t)
{
    return t == 1 || t == 3 || t == 4 || (t >= 0x1000u && t <= 0x1005u);
}

/* The kind of a type for the large-page rule: usable and loader types are one. */
static uint64_t kind_of(uint32_t t)
{
    return t == 1 || (t >= 0x1000u && t <= 0x1005u) ? 1 : t;
}

/* Reference for "the 2 MiB at c is one kind": the sanitized map is sorted and has no
 * overlaps, so it is one kind iff every entry touching it has one kind and their clipped
 * lengths add up to 2 MiB, or none touches it. */
static bool chunk_one_kind(const struct memmap *m, uint64_t c)
{
    u128 cb = c, ce = (u128)c + 0x200000, covered = 0;
    uint64_t kind = 0;
    bool any = false;
    for (uint32_t i = 0; i < m->count; i++) {
        u128 b = m->entry[i].base, e = b + m->entry[i].length;
        if (e <= cb || b >= ce)
            continue;
        if (any && kind_of(m->entry[i].type) != kind)
            return false;
        any = true;
        kind = kind_of(m->entry[i].type);
        covered += (e < ce ? e : ce) - (b > cb ? b : cb);
    }
    return !any || covered == 0x200000;
}

/* Every 2 MiB leaf of the identity map above 4 GiB and of the HHDM covers one kind. */
static void check_large_leaves(const struct paging *pg, const struct memmap *m, uint64_t hhdm,
                               uint64_t table, int level, uint64_t va)
{
    const uint64_t *t = fake_tables_ptr(&ft, table);
    for (uint64_t i = 0; i < 512; i++) {
        if (!(t[i] & PTE_PRESENT) || level == 1)
            continue;
        uint64_t v = va | i << (12 + 9 * (level - 1));
        if (level == 4 && i >= 256)
            v |= 0xffff000000000000ull; /* sign-extend */
        if (level == 2 && (t[i] & PTE_PS)) {
            uint64_t phys = t[i] & PTE_ADDR_MASK & ~0x1fffffull;
            if (v == phys || (v - hhdm == phys && v < 0xffffffff80000000ull))
                CHECK(phys != 0 && chunk_one_kind(m, phys));
            continue;
        }
        CHECK(!(t[i] & PTE_PS));
        check_large_leaves(pg, m, hhdm, t[i] & PTE_ADDR_MASK, level - 1, v);
    }
}

/* The HHDM is never executable under NX, unless a kernel segment was merged into it. */
static bool hhdm_nx;

static void expect_map(const struct paging *pg, uint64_t virt, uint64_t phys, bool write,
                       bool exec)
{
    struct paging_walk w;
    CHECK(paging_translate(pg, virt, &w) == ERR_OK);
    CHECK(w.phys == phys);
    if (write)
        CHECK(w.flags & PAGING_WRITE);
    if (exec)
        CHECK(w.flags & PAGING_EXEC);
}

static void expect_hhdm(const struct paging *pg, uint64_t hhdm, uint64_t phys)
{
    struct paging_walk w;
    expect_map(pg, hhdm + phys, phys, true, false);
    CHECK(paging_translate(pg, hhdm + phys, &w) == ERR_OK);
    if (hhdm_nx)
        CHECK(!(w.flags & PAGING_EXEC) && (w.pte & PTE_NX));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct e820_entry raw[MAXRAW], store[2 * MAXRAW + 2];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MAXRAW) / 8];
    struct paging_segment seg[MAXSEG];
    struct paging pg;
    struct paging_plan_result res;

    if (size < 3)
        return 0;
    bool nx = data[0] & 1;
    static const uint64_t hhdm_set[4] = {PAGING_HHDM_OFFSET, 0xffffc00000000000ull,
                                         0ull - PAGING_PLAN_PHYS_MAX, PAGING_HHDM_OFFSET + 8};
    uint64_t hhdm = hhdm_set[(data[0] >> 1) & 3];
    bool hhdm_ok = ((data[0] >> 1) & 3) != 3;
    if (data[0] & 0x80)
        hhdm = data[0] & 0x40 ? PAGING_HHDM_OFFSET - 4096 : 0ull - PAGING_PLAN_PHYS_MAX + 4096,
        hhdm_ok = false;
    uint32_t budget = data[1] ? data[1] : FRAMES;
    uint32_t n = data[2] % (MAXRAW + 1);
    const uint8_t *p = data + 3;
    size_t left = size - 3;
    if (left < n * 4u)
        return 0;

    /* Entries in 1 GiB slots: below 4 GiB, above it, and around 2^46 (clipped). */
    for (uint32_t i = 0; i < n; i++, p += 4, left -= 4) {
        uint64_t slot = p[0] & 0x80 ? (PAGING_PLAN_PHYS_MAX >> 30) - 2 + (p[0] & 3)
                                    : (uint64_t)(p[0] & 0x7f);
        raw[i].base = slot * GiB + (uint64_t)p[3] * 0x3000 + (p[2] & 0x80 ? p[3] : 0);
        raw[i].length = (uint64_t)(p[1] + 1) * (p[2] & 0x40 ? 0x100000 : 0x1800);
        if (p[0] & 0x80 && p[2] & 0x20)
            raw[i].length = 3 * GiB; /* runs across 2^46 */
        raw[i].type = type_set[p[2] & 7];
        raw[i].attr = 0;
    }
    struct memmap m;
    memmap_init(&m, store, 2 * MAXRAW + 2);
    CHECK(memmap_sanitize(&m, raw, NULL, n, scratch, sizeof(scratch), NULL) == ERR_OK);

    /* Segments in the top 2 GiB, one after another with gaps, so they never overlap each
     * other; some sit on their own identity or HHDM mapping instead (merged). */
    uint32_t ns = 0;
    int32_t bad = -1;
    uint64_t next = 0xffffffff80000000ull;
    for (; left >= 6 && ns < MAXSEG; p += 6, left -= 6, ns++) {
        struct paging_segment *s = &seg[ns];
        uint64_t off = p[0] & 0x10 ? (p[1] & 0xf) * 0x100u : 0;
        s->phys = (uint64_t)(p[2] | p[3] << 8) * 4096 + off;
        s->size = (uint64_t)(p[4] + (p[5] & 1 ? 256u * p[5] : 0)) * 0x200;
        s->flags = p[0] & 3;
        switch ((p[0] >> 2) & 3) {
        case 1: s->virt = s->phys; break;                      /* inside the identity map */
        case 2: s->virt = hhdm + s->phys; break;               /* inside the HHDM */
        default:
            s->virt = next + off;
            next += (s->size + off + 0x1fffff) / 0x200000 * 0x200000 + 0x200000;
            break;
        }
        if ((p[0] & 0x60) == 0x60 && bad < 0) {
            s->virt += 0x10; /* page offsets differ: ERR_MISALIGNED */
            bad = (int32_t)ns;
        }
    }

    hhdm_nx = nx;
    for (uint32_t i = 0; i < ns; i++)
        if (seg[i].size && seg[i].virt - hhdm == seg[i].phys)
            hhdm_nx = false;
    ft = (struct fake_tables){ .frame = mem, .base = MEM_PHYS, .count = FRAMES,
                               .budget = budget, .strict = true };
    memset(&pg, 0, sizeof(pg));
    err_t e = paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, nx, PAGING_TABLES_BELOW_4G, &m, hhdm,
                                seg, ns, &res);
    if (!hhdm_ok) {
        CHECK(e == ERR_INVALID_ARG && ft.used == 0 && res.fail_step == PAGING_STEP_NONE);
        return 0;
    }
    if (e == ERR_NO_MEMORY) {
        CHECK(ft.used == budget && res.fail_step != PAGING_STEP_NONE);
        return 0;
    }
    /* The first segment that must fail: the planted misaligned one, or one that lands on
     * the HHDM of other memory (an HHDM offset near its maximum puts RAM just under
     * PAGING_PLAN_PHYS_MAX into the top 2 GiB). */
    err_t want = ERR_OK;
    uint32_t fail_at = ns;
    for (uint32_t i = 0; i < ns && want == ERR_OK; i++) {
        const struct paging_segment *s = &seg[i];
        if (s->size == 0)
            continue;
        if ((int32_t)i == bad) {
            want = ERR_MISALIGNED;
            fail_at = i;
            break;
        }
        uint64_t off = s->virt & 4095;
        u128 vb = s->virt - off, ve = vb + (s->size + off + 4095) / 4096 * 4096;
        for (uint32_t j = 0; j < m.count; j++) {
            const struct e820_entry *x = &m.entry[j];
            if (!ram_type(x->type) || x->base >= PAGING_PLAN_PHYS_MAX)
                continue;
            u128 xe = (u128)x->base + x->length;
            if (xe > PAGING_PLAN_PHYS_MAX)
                xe = PAGING_PLAN_PHYS_MAX;
            u128 hb = (u128)hhdm + (x->base & ~4095ull);
            u128 he = (u128)hhdm + (xe + 4095) / 4096 * 4096;
            if (vb < he && hb < ve && s->virt - hhdm != s->phys) {
                want = ERR_OVERLAP;
                fail_at = i;
            }
        }
    }
    CHECK(e == want);
    if (want != ERR_OK) {
        CHECK(res.fail_step == PAGING_STEP_KERNEL && res.fail_index == fail_at);
        ns = fail_at; /* segments before it were mapped */
    } else {
        CHECK(res.fail_step == PAGING_STEP_NONE);
    }
    CHECK(pg.tables == ft.used);

    /* References: identity_end and clipped, from the entries by hand. */
    uint64_t want_end = 0x100000000ull;
    u128 clipped = 0;
    for (uint32_t i = 0; i < m.count; i++) {
        const struct e820_entry *x = &m.entry[i];
        if (!ram_type(x->type))
            continue;
        u128 b = x->base, en = (u128)x->base + x->length;
        if (en > PAGING_PLAN_PHYS_MAX)
            clipped += en - (b > PAGING_PLAN_PHYS_MAX ? b : PAGING_PLAN_PHYS_MAX);
        if (b >= PAGING_PLAN_PHYS_MAX)
            continue;
        if (en > PAGING_PLAN_PHYS_MAX)
            en = PAGING_PLAN_PHYS_MAX;
        uint64_t pe = (uint64_t)((en + 4095) / 4096 * 4096);
        if (pe > want_end)
            want_end = pe;
        /* Identity and HHDM at the first, middle and last page. */
        uint64_t pb = x->base & ~4095ull;
        const uint64_t probe[3] = {pb, pb + (pe - pb) / 2, pe - 1};
        for (int k = 0; k < 3; k++) {
            expect_map(&pg, probe[k], probe[k], true, true);
            expect_hhdm(&pg, hhdm, probe[k]);
        }
    }
    if (e == ERR_OK || res.fail_step == PAGING_STEP_KERNEL) {
        CHECK(res.identity_end == want_end);
        CHECK(res.clipped == (uint64_t)clipped);
    }
    /* The low 4 GiB, whatever the map says; NX on the HHDM. */
    const uint64_t low[4] = {0, 0xb8000, 0xfee00000ull, 0xfffff000ull};
    for (int k = 0; k < 4; k++) {
        expect_map(&pg, low[k], low[k], true, true);
        expect_hhdm(&pg, hhdm, low[k]);
    }
    /* 2 MiB pages exactly where the whole 2 MiB is one kind (and never the first 2 MiB)
     * in the low 4 GiB, identity and HHDM; only over one kind anywhere. */
    for (uint64_t c = 0; c < 0x100000000ull; c += 0x200000) {
        uint64_t want = c != 0 && chunk_one_kind(&m, c) ? PAGE_SIZE_2M : PAGE_SIZE_4K;
        struct paging_walk w;
        CHECK(paging_translate(&pg, c, &w) == ERR_OK && w.page_size == want);
        CHECK(paging_translate(&pg, hhdm + c, &w) == ERR_OK && w.page_size == want);
    }
    check_large_leaves(&pg, &m, hhdm, pg.root, 4, 0);
    /* Above 4 GiB, the page after each entry is unmapped unless RAM covers it. */
    for (uint32_t i = 0; i < m.count; i++) {
        u128 en = (u128)m.entry[i].base + m.entry[i].length;
        uint64_t after = (uint64_t)((en + 4095) / 4096 * 4096);
        if (en >= PAGING_PLAN_PHYS_MAX || after < 0x100000000ull)
            continue;
        bool covered = false;
        for (uint32_t j = 0; j < m.count; j++) {
            const struct e820_entry *x = &m.entry[j];
            u128 xb = x->base & ~4095ull, xe = ((u128)x->base + x->length + 4095) / 4096 * 4096;
            covered |= ram_type(x->type) && xb <= after && after < xe;
        }
        struct paging_walk w;
        if (!covered)
            CHECK(paging_translate(&pg, after, &w) == ERR_NOT_FOUND);
    }
    /* Kernel segments: each page maps to its physical page with at least its rights. */
    for (uint32_t i = 0; i < ns; i++) {
        const struct paging_segment *s = &seg[i];
        if (s->size == 0)
            continue;
        uint64_t off = s->virt & 4095;
        const uint64_t probe[3] = {0, (s->size + off) / 2, s->size + off - 1};
        for (int k = 0; k < 3; k++) {
            uint64_t v = s->virt - off + probe[k];
            expect_map(&pg, v, s->phys - off + probe[k], s->flags & PAGING_WRITE,
                       (s->flags & PAGING_EXEC) || !nx);
        }
    }
    return 0;
}
