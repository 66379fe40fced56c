/* frames_query.c: read-only questions about the frame bitmap: is a frame free, free runs,
 * statistics and the hand-off description. Runs are walked as alternating find-zero /
 * find-one searches, so the cost is one compare per full or empty word plus one step per run. */
#include "frames_bits.h"

/* Free runs of region g within frame window [lo, hi): calls back with each run's
 * region-relative [start, end). */
struct run_acc {
    uint64_t align_f;   /* runs are measured from their first aligned frame */
    uint64_t largest;
    uint64_t runs;
    uint64_t frames;    /* free frames seen */
};

static void region_runs(const struct frames *f, const struct multios_frame_region *g,
                        uint64_t lo, uint64_t hi, struct run_acc *acc)
{
    uint64_t off = g->bit_offset;
    uint64_t rb = g->base >> f->gran_shift;
    uint64_t i = lo;

    while (i < hi) {
        i = frames_bits_find_zero(f->bits, off + i, off + hi) - off;
        if (i >= hi)
            break;
        uint64_t j = frames_bits_find_one(f->bits, off + i, off + hi) - off;
        acc->runs++;
        acc->frames += j - i;
        uint64_t a = ((rb + i + acc->align_f - 1) & ~(acc->align_f - 1)) - rb;
        if (a < j && j - a > acc->largest)
            acc->largest = j - a;
        i = j;
    }
}

/* Walk the free runs of [above, below) (frame-rounded inward per region). */
static void window_runs(const struct frames *f, uint64_t above, uint64_t below,
                        struct run_acc *acc)
{
    for (uint32_t ri = 0; ri < f->region_count; ri++) {
        const struct multios_frame_region *g = &f->region[ri];
        uint64_t lo = 0, hi = g->frames;
        if (below <= g->base)
            break;
        if (above > g->base) {
            uint64_t d = above - g->base;
            lo = (d >> f->gran_shift) + ((d & (f->gran - 1)) != 0);
        }
        if (((below - g->base) >> f->gran_shift) < hi)
            hi = (below - g->base) >> f->gran_shift;
        if (lo < hi)
            region_runs(f, g, lo, hi, acc);
    }
}

uint64_t frames_largest_run(const struct frames *f, uint64_t align, uint64_t above,
                            uint64_t below)
{
    struct run_acc acc = { 1, 0, 0, 0 };

    if (!f || (align != 0 && !arith_is_pow2(align)))
        return 0;
    if (align > f->gran)
        acc.align_f = align >> f->gran_shift;
    window_runs(f, above, below, &acc);
    return acc.largest;
}

uint64_t frames_free_in(const struct frames *f, uint64_t above, uint64_t below)
{
    struct run_acc acc = { 1, 0, 0, 0 };

    if (!f)
        return 0;
    window_runs(f, above, below, &acc);
    return acc.frames;
}

err_t frames_is_free(const struct frames *f, uint64_t addr, bool *is_free)
{
    if (!f || !is_free)
        return ERR_INVALID_ARG;
    long ri = frames_region_of(f, addr);
    if (ri < 0)
        return ERR_NOT_USABLE;
    uint64_t b = f->region[ri].bit_offset + ((addr - f->region[ri].base) >> f->gran_shift);
    *is_free = !frames_bits_get(f->bits, b);
    return ERR_OK;
}

void frames_stats(const struct frames *f, struct frames_stats *s)
{
    struct run_acc acc = { 1, 0, 0, 0 };

    if (!f || !s)
        return;
    for (uint32_t ri = 0; ri < f->region_count; ri++)
        region_runs(f, &f->region[ri], 0, f->region[ri].frames, &acc);
    s->total = f->total;
    s->free = f->free;
    s->used = f->total - f->free;
    s->largest_run = acc.largest;
    s->free_runs = acc.runs;
}

void frames_info(const struct frames *f, struct multios_frame_bitmap *out)
{
    if (!f || !out)
        return;
    out->bitmap = f->storage_phys;
    out->bitmap_bytes = f->words * 8u;
    out->regions = f->storage_phys + f->words * 8u;
    out->region_count = f->region_count;
    out->reserved = 0;
    out->granularity = f->gran;
    out->frames_total = f->total;
    out->frames_free = f->free;
}
