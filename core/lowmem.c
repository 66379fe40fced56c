/* lowmem.c: a loader's low memory in the memory map (lowmem.h). */
#include "lowmem.h"

/* Usable RAM in [lo, hi) of the map, cut to whole `gran` units: at most `cap` ranges. */
static uint32_t lowmem_ranges(const struct memmap *m, uint64_t gran, uint64_t lo, uint64_t hi,
                              struct memmap_range *r, uint32_t cap)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < m->count && n < cap; i++) {
        const struct e820_entry *en = &m->entry[i];
        uint64_t b = en->base, end = en->base + en->length;

        if (en->type != E820_TYPE_RAM || b >= hi || (end > b && end <= lo))
            continue;
        if (b < lo)
            b = lo;
        if (end > hi || end < b)
            end = hi;
        b = (b + gran - 1) & ~(gran - 1);
        end &= ~(gran - 1);
        if (b < end)
            r[n++] = (struct memmap_range){ b, end };
    }
    return n;
}

/* True if the sorted, non-overlapping map has type `type` at every byte of [lo, hi); else
 * *bad = the first byte that is not (a gap or another type). */
static bool lowmem_range_is(const struct memmap *m, uint64_t lo, uint64_t hi, uint32_t type,
                            uint64_t *bad)
{
    uint64_t pos = lo;

    for (uint32_t i = 0; i < m->count && pos < hi; i++) {
        const struct e820_entry *e = &m->entry[i];
        uint64_t end = e->base + e->length;

        if (end < e->base)
            end = UINT64_MAX; /* an entry reaching 2^64 */
        if (end <= pos)
            continue;
        if (e->base > pos || e->type != type)
            break;
        pos = end;
    }
    if (pos >= hi)
        return true;
    *bad = pos;
    return false;
}

const struct lowmem_part *lowmem_unusable(const struct memmap *m,
                                          const struct lowmem_part *parts, uint32_t count,
                                          uint64_t *bad)
{
    for (uint32_t i = 0; i < count; i++)
        if (!lowmem_range_is(m, parts[i].base, parts[i].end, E820_TYPE_RAM, bad))
            return &parts[i];
    return NULL;
}

err_t lowmem_reserve(struct frames *f, struct memmap *m, uint64_t end, uint64_t page,
                     struct memmap_range *failed)
{
    struct memmap_range r[LOWMEM_RANGES_MAX];
    uint32_t n = lowmem_ranges(m, page, 0, end, r, LOWMEM_RANGES_MAX);
    uint64_t gran = f->gran;
    err_t e;

    for (uint32_t i = 0; i < n; i++) {
        /* The bitmap first, in whole frames around the range: any frame it covers that
         * holds loader memory must never be handed out. Frames it does not cover (with
         * large frames, all of low memory) are not allocatable anyway. */
        uint64_t lo = r[i].base & ~(gran - 1);
        uint64_t hi = (r[i].end + gran - 1) & ~(gran - 1);
        for (uint64_t a = lo; a < hi; a += gran) {
            bool is_free;
            if (frames_is_free(f, a, &is_free) != ERR_OK || !is_free)
                continue;
            e = frames_reserve(f, a, 1);
            if (e != ERR_OK) {
                *failed = (struct memmap_range){ a, a + gran };
                return e;
            }
        }
        /* The map in pages: exactly the loader's bytes, whatever the frame size. */
        e = memmap_set_type(m, r[i].base, r[i].end - r[i].base, E820_TYPE_LOADER_RECLAIMABLE);
        if (e != ERR_OK) {
            *failed = r[i];
            return e;
        }
    }
    return ERR_OK;
}

err_t lowmem_hold(struct frames *f, const struct memmap *m, uint64_t lo, uint64_t hi,
                  struct lowmem_held *h, struct memmap_range *failed)
{
    uint32_t n;

    if (h->count)
        return ERR_INVALID_ARG; /* held twice: the first ranges could never be released */
    n = lowmem_ranges(m, f->gran, lo, hi, h->range, LOWMEM_RANGES_MAX);
    for (; h->count < n; h->count++) {
        const struct memmap_range *r = &h->range[h->count];
        err_t e = frames_reserve(f, r->base, (r->end - r->base) / f->gran);
        if (e != ERR_OK) {
            *failed = *r;
            return e;
        }
    }
    return ERR_OK;
}

err_t lowmem_release(struct frames *f, struct lowmem_held *h, struct memmap_range *failed)
{
    /* Last first, so that *h always lists exactly what is still held. */
    while (h->count) {
        const struct memmap_range *r = &h->range[h->count - 1];
        err_t e = frames_free(f, r->base, (r->end - r->base) / f->gran);
        if (e != ERR_OK) {
            *failed = *r;
            return e;
        }
        h->count--;
    }
    return ERR_OK;
}
