/* memtest.c: address-in-address and walking-ones tests over the free frames of a range.
 * The address pattern is written over the WHOLE range before it is read back, so a write to
 * one cell that disturbs another (coupling, a broken address line aliasing two cells) shows
 * up as a mismatch in the victim. A frame found bad is taken out at once (reserved in the
 * bitmap, type 5 in the map), so later passes skip it. */
#include "memtest.h"

enum pass { WRITE_ADDR, CHECK_ADDR_WRITE_NOT, CHECK_NOT, WALK_ONES };

/* The address pattern: distinct for every word below 4 GiB, mixed above. */
static uint32_t addr_pattern(uint64_t a)
{
    return (uint32_t)a ^ (uint32_t)(a >> 32);
}

static bool frame_is_free(const struct frames *f, uint64_t a)
{
    bool free_ = false;
    return frames_is_free(f, a, &free_) == ERR_OK && free_;
}

static void report_bad(struct memtest_report *rep, uint64_t a)
{
    /* Keep the lowest MEMTEST_REPORT_MAX bases, ascending (passes find them out of order). */
    uint32_t n = rep->first_bad_count;
    if (n == MEMTEST_REPORT_MAX) {
        if (a > rep->first_bad[n - 1])
            return;
        n--;
    }
    uint32_t i = n;
    while (i > 0 && rep->first_bad[i - 1] > a) {
        rep->first_bad[i] = rep->first_bad[i - 1];
        i--;
    }
    rep->first_bad[i] = a;
    rep->first_bad_count = n + 1;
}

static void mark_bad(struct frames *f, struct memmap *m, uint64_t a,
                     struct memtest_report *rep)
{
    rep->bad_frames++;
    report_bad(rep, a);
    frames_reserve(f, a, 1); /* free (checked by the caller) and not sealed: cannot fail */
    if (memmap_set_type(m, a, f->gran, E820_TYPE_UNUSABLE) != ERR_OK)
        rep->map_errors++;
}

/* Run one pass over frame [a, a + gran); returns the number of mismatching reads. */
static uint64_t frame_pass(const struct memtest_ops *ops, uint64_t a, uint64_t gran,
                           enum pass p)
{
    uint64_t bad = 0;

    for (uint64_t w = a; w < a + gran; w += 4) {
        uint32_t pat = addr_pattern(w);
        switch (p) {
        case WRITE_ADDR:
            ops->write32(ops->ctx, w, pat);
            break;
        case CHECK_ADDR_WRITE_NOT:
            bad += ops->read32(ops->ctx, w) != pat;
            ops->write32(ops->ctx, w, ~pat);
            break;
        case CHECK_NOT:
            bad += ops->read32(ops->ctx, w) != (uint32_t)~pat;
            break;
        case WALK_ONES:
            for (unsigned b = 0; b < 32; b++) {
                ops->write32(ops->ctx, w, 1u << b);
                bad += ops->read32(ops->ctx, w) != (1u << b);
            }
            break;
        }
    }
    return bad;
}

/* The part of [base, end) that region g covers, as frame addresses [*lo, *hi); false if
 * none. base and end are multiples of gran; the region's end does not wrap (it is usable
 * RAM from a sanitized map). */
static bool region_window(const struct frames *f, const struct multios_frame_region *g,
                          uint64_t base, uint64_t end, uint64_t *lo, uint64_t *hi)
{
    uint64_t g_end = g->base + (g->frames << f->gran_shift);

    *lo = base > g->base ? base : g->base;
    *hi = end < g_end ? end : g_end;
    return *lo < *hi;
}

err_t memtest_run(const struct memtest_ops *ops, struct frames *f, struct memmap *m,
                  uint64_t base, uint64_t length, struct memtest_report *rep)
{
    if (!ops || !ops->read32 || !ops->write32 || !f || !m || !rep)
        return ERR_INVALID_ARG;
    rep->frames_tested = 0;
    rep->frames_skipped = 0;
    rep->bad_frames = 0;
    rep->bad_words = 0;
    rep->first_bad_count = 0;
    rep->map_errors = 0;
    for (uint32_t i = 0; i < MEMTEST_REPORT_MAX; i++)
        rep->first_bad[i] = 0;
    if (f->sealed)
        return ERR_SEALED;
    if ((base | length) & (f->gran - 1))
        return ERR_MISALIGNED;
    if (length > UINT64_MAX - base)
        return ERR_OVERFLOW;
    uint64_t end = base + length;

    /* Only frames the bitmap covers are visited (region by region), so a range far larger
     * than RAM costs no more than RAM; everything else is counted as skipped at once. */
    uint64_t in_range = length >> f->gran_shift;
    for (int p = WRITE_ADDR; p <= WALK_ONES; p++) {
        for (uint32_t ri = 0; ri < f->region_count; ri++) {
            uint64_t lo, hi;
            if (!region_window(f, &f->region[ri], base, end, &lo, &hi))
                continue;
            for (uint64_t a = lo; a < hi; a += f->gran) {
                if (!frame_is_free(f, a))
                    continue;
                if (p == WRITE_ADDR)
                    rep->frames_tested++; /* the first pass only writes: none is bad yet */
                uint64_t bad = frame_pass(ops, a, f->gran, (enum pass)p);
                if (bad) {
                    rep->bad_words += bad;
                    mark_bad(f, m, a, rep);
                }
            }
        }
    }
    rep->frames_skipped = in_range - rep->frames_tested;
    return rep->bad_frames ? ERR_MEMTEST_FAILED : ERR_OK;
}
