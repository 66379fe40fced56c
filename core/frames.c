/* frames.c: the frame bitmap: setup from the memory map, allocation, reserve, free.
 * Bits are scanned a 64-bit word at a time (count-trailing-zeros); `hint` is a word index
 * below which every word is full, so single-frame allocation does not rescan used memory. */
#include "frames_bits.h"

#include <string.h>

/* log2 of a power of two (no libgcc call on i686). */
static uint32_t log2_pow2(uint64_t x)
{
    uint32_t s = 0;
    while (x > 1) {
        x >>= 1;
        s++;
    }
    return s;
}

static bool gran_ok(uint64_t gran)
{
    return arith_is_pow2(gran) && gran >= 4096u;
}

/* The usable range of map entry i in whole frames. memmap_usable_ranges is asked about a
 * one-entry view of the map, so no scratch table is needed (a sanitized map is merged, so
 * each usable entry is one range). */
static bool entry_range(const struct memmap *m, uint32_t i, uint64_t gran,
                        struct memmap_range *r)
{
    struct memmap one;
    uint32_t n = 0;

    if (m->entry[i].type != E820_TYPE_RAM)
        return false;
    one.entry = m->entry + i;
    one.count = 1;
    one.capacity = 1;
    if (memmap_usable_ranges(&one, gran, r, 1, &n) != ERR_OK || n != 1)
        return false;
    return r->end > r->base;
}

struct layout {
    uint64_t words;
    uint64_t total;
    uint32_t regions;
};

/* Sizes of the bitmap for m. ERR_INVALID_ARG for a map that is not sorted and
 * non-overlapping (not sanitized): the region table must be in address order. */
static err_t layout_of(const struct memmap *m, uint64_t gran, struct layout *l)
{
    uint32_t shift = log2_pow2(gran);
    struct memmap_range r;
    uint64_t prev_end = 0;

    l->words = 0;
    l->total = 0;
    l->regions = 0;
    if (!m->entry && m->count)
        return ERR_INVALID_ARG;
    for (uint32_t i = 0; i < m->count; i++) {
        if (!entry_range(m, i, gran, &r))
            continue;
        if (l->regions && r.base < prev_end)
            return ERR_INVALID_ARG;
        prev_end = r.end;
        uint64_t frames = (r.end - r.base) >> shift;
        l->words += (frames + 63) / 64;
        l->total += frames;
        l->regions++;
    }
    return ERR_OK;
}

static uint64_t layout_bytes(const struct layout *l)
{
    return l->words * 8u + (uint64_t)l->regions * sizeof(struct multios_frame_region);
}

err_t frames_storage_bytes(const struct memmap *m, uint64_t gran, uint64_t *bytes,
                           uint32_t *regions)
{
    struct layout l;

    if (!m || !bytes || !gran_ok(gran))
        return ERR_INVALID_ARG;
    err_t e = layout_of(m, gran, &l);
    if (e != ERR_OK)
        return e;
    *bytes = layout_bytes(&l);
    if (regions)
        *regions = l.regions;
    return ERR_OK;
}

/* First usable frames at/above min_addr holding `frames` frames and ending <= 4 GiB. */
static bool place_storage(const struct memmap *m, uint64_t gran, uint64_t min_addr,
                          uint64_t frames, uint64_t *where)
{
    uint32_t shift = log2_pow2(gran);
    struct memmap_range r;

    if (min_addr > UINT64_MAX - (gran - 1))
        return false;
    min_addr = (min_addr + gran - 1) & ~(gran - 1);
    for (uint32_t i = 0; i < m->count; i++) {
        if (!entry_range(m, i, gran, &r))
            continue;
        uint64_t start = r.base > min_addr ? r.base : min_addr;
        uint64_t end = r.end < FRAMES_BELOW_4G ? r.end : FRAMES_BELOW_4G;
        if (start >= end || ((end - start) >> shift) < frames)
            continue;
        *where = start;
        return true;
    }
    return false;
}

err_t frames_init(struct frames *f, struct memmap *m, uint64_t gran, uint64_t min_addr,
                  frames_ptr_fn ptr, void *ctx)
{
    struct frames nf;
    struct layout l;
    struct memmap_range r;
    uint64_t where = 0;

    if (!f || !m || !ptr || !gran_ok(gran))
        return ERR_INVALID_ARG;
    err_t e = layout_of(m, gran, &l);
    if (e != ERR_OK)
        return e;
    if (l.regions == 0)
        return ERR_NO_MEMORY;

    memset(&nf, 0, sizeof(nf));
    nf.gran = gran;
    nf.gran_shift = log2_pow2(gran);
    nf.region_count = l.regions;
    nf.words = l.words;
    nf.storage_bytes = layout_bytes(&l);
    nf.storage_frames = (nf.storage_bytes + gran - 1) >> nf.gran_shift;
    nf.total = l.total;
    if (!place_storage(m, gran, min_addr, nf.storage_frames, &where))
        return ERR_NO_MEMORY;
    nf.storage_phys = where;
    uint8_t *mem = ptr(ctx, where, nf.storage_bytes);
    if (!mem)
        return ERR_NOT_USABLE;
    if ((uintptr_t)mem % 8u)
        return ERR_MISALIGNED; /* the bits are uint64_t words */
    nf.bits = (uint64_t *)(void *)mem;
    nf.region = (struct multios_frame_region *)(void *)(mem + nf.words * 8u);

    /* All free, then the tail bits of each region's last word set for good. */
    memset(nf.bits, 0, (size_t)(nf.words * 8u));
    uint32_t k = 0;
    uint64_t word = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        if (!entry_range(m, i, gran, &r))
            continue;
        struct multios_frame_region *g = &nf.region[k++];
        g->base = r.base;
        g->frames = (r.end - r.base) >> nf.gran_shift;
        g->bit_offset = word * 64u;
        word += (g->frames + 63) / 64;
        if (g->frames % 64)
            nf.bits[word - 1] |= UINT64_MAX << (g->frames % 64);
    }
    nf.free = nf.total;

    /* The storage covers itself: its frames are used. */
    long ri = frames_region_of(&nf, where);
    if (ri < 0)
        return ERR_NOT_USABLE; /* cannot happen: placed inside a usable range */
    uint64_t b = nf.region[ri].bit_offset + ((where - nf.region[ri].base) >> nf.gran_shift);
    frames_bits_set(nf.bits, b, nf.storage_frames);
    nf.free -= nf.storage_frames;
    frames_hint_move(&nf, 0);

    e = memmap_set_type(m, where, nf.storage_frames << nf.gran_shift,
                        E820_TYPE_FRAME_BITMAP);
    if (e != ERR_OK)
        return e;
    *f = nf;
    return ERR_OK;
}

/* Check [addr, addr + n frames) and turn it into a bit range; shared by reserve and free. */
static err_t range_bits(const struct frames *f, uint64_t addr, uint64_t n, uint64_t *bit)
{
    if (f->sealed)
        return ERR_SEALED;
    if (n == 0)
        return ERR_INVALID_ARG;
    if (addr & (f->gran - 1))
        return ERR_MISALIGNED;
    if (n > ((UINT64_MAX - addr) >> f->gran_shift))
        return ERR_OVERFLOW;
    long ri = frames_region_of(f, addr);
    if (ri < 0)
        return ERR_NOT_USABLE;
    uint64_t idx = (addr - f->region[ri].base) >> f->gran_shift;
    if (n > f->region[ri].frames - idx)
        return ERR_NOT_USABLE;
    *bit = f->region[ri].bit_offset + idx;
    return ERR_OK;
}

err_t frames_reserve(struct frames *f, uint64_t addr, uint64_t n)
{
    uint64_t b;

    if (!f)
        return ERR_INVALID_ARG;
    err_t e = range_bits(f, addr, n, &b);
    if (e != ERR_OK)
        return e;
    if (frames_bits_find_one(f->bits, b, b + n) != b + n)
        return ERR_IN_USE;
    frames_bits_set(f->bits, b, n);
    f->free -= n;
    frames_hint_advance(f);
    return ERR_OK;
}

err_t frames_free(struct frames *f, uint64_t addr, uint64_t n)
{
    uint64_t b;

    if (!f)
        return ERR_INVALID_ARG;
    err_t e = range_bits(f, addr, n, &b);
    if (e != ERR_OK)
        return e;
    if (frames_bits_find_zero(f->bits, b, b + n) != b + n)
        return ERR_ALREADY_FREE;
    frames_bits_clear(f->bits, b, n);
    f->free += n;
    if (b / 64 < f->hint)
        frames_hint_move(f, b / 64);
    return ERR_OK;
}

/* Frame-index window [*lo, *hi) of region g allowed by above/below; false if empty. */
static bool region_window(const struct frames *f, const struct multios_frame_region *g,
                          uint64_t above, uint64_t below, uint64_t *lo, uint64_t *hi)
{
    uint64_t l = 0, h = g->frames;

    if (above > g->base) {
        uint64_t d = above - g->base;
        l = (d >> f->gran_shift) + ((d & (f->gran - 1)) != 0);
    }
    if (below <= g->base)
        return false;
    if (((below - g->base) >> f->gran_shift) < h)
        h = (below - g->base) >> f->gran_shift;
    *lo = l;
    *hi = h;
    return l < h;
}

/* First index >= i (region-relative) where the physical address is a multiple of align_f
 * frames; rb is the region base in frames. No overflow: rb < 2^52, i <= 2^52, align_f <=
 * 2^51. */
static uint64_t align_index(uint64_t rb, uint64_t i, uint64_t align_f)
{
    return ((rb + i + align_f - 1) & ~(align_f - 1)) - rb;
}

/* One frame, any frame-sized alignment, no lower bound: the lowest free frame is the first
 * clear bit of the hint word (tail bits are set, so it is a real frame) at hint_base, so the
 * common case is a few loads, one ctz and one store, with no region lookup and no scan.
 * False (nothing changed): take the general path, e.g. when `below` refuses that frame. */
static inline bool alloc_one_fast(struct frames *f, uint64_t below, uint64_t *addr)
{
    /* Locals, not re-reads: a store through bits (uint64_t *) may alias f's uint64_t
     * fields as far as the compiler knows, so it would load them all again. */
    uint64_t h = f->hint;
    if (h >= f->words)
        return false;
    uint64_t *wp = &f->bits[h];
    uint64_t w = *wp;
    if (w == UINT64_MAX)
        return false; /* the hint invariant is broken: let the scan decide */
    unsigned b = frames_ctz64(~w);
    uint64_t a = f->hint_base + ((uint64_t)b << f->gran_shift);
    if (a >= below || below - a < f->gran)
        return false;
    w |= w + 1; /* sets the lowest clear bit, bit b: a shorter chain than a shift by b */
    *wp = w;
    f->free--;
    *addr = a;
    if (w == UINT64_MAX)
        frames_hint_move(f, h + 1); /* once per 64 allocations at most */
    return true;
}

err_t frames_alloc_range(struct frames *f, uint64_t n, uint64_t align, uint64_t above,
                         uint64_t below, uint64_t *addr)
{
    if (!f || !addr || n == 0 || (align != 0 && !arith_is_pow2(align)))
        return ERR_INVALID_ARG;
    if (f->sealed)
        return ERR_SEALED;
    uint64_t align_f = align > f->gran ? align >> f->gran_shift : 1;
    if (n == 1 && align_f == 1 && above == 0 && alloc_one_fast(f, below, addr))
        return ERR_OK;
    uint64_t hint_bit = f->hint * 64u;

    for (uint32_t ri = 0; ri < f->region_count; ri++) {
        const struct multios_frame_region *g = &f->region[ri];
        uint64_t lo, hi;
        if (g->bit_offset + g->frames <= hint_bit)
            continue; /* all full */
        if (below <= g->base)
            break;
        if (!region_window(f, g, above, below, &lo, &hi) || hi - lo < n)
            continue;
        uint64_t off = g->bit_offset;
        uint64_t rb = g->base >> f->gran_shift;
        uint64_t i = lo;
        if (hint_bit > off + i)
            i = hint_bit - off;
        while (i < hi) {
            i = frames_bits_find_zero(f->bits, off + i, off + hi) - off;
            if (i >= hi)
                break;
            i = align_index(rb, i, align_f);
            if (i >= hi || hi - i < n)
                break;
            uint64_t u = frames_bits_find_one(f->bits, off + i, off + i + n) - off;
            if (u == i + n) {
                frames_bits_set(f->bits, off + i, n);
                f->free -= n;
                frames_hint_advance(f);
                *addr = g->base + (i << f->gran_shift);
                return ERR_OK;
            }
            i = u + 1;
        }
    }
    return ERR_NO_MEMORY;
}

/* The single-frame fast path is tried here first, so the common call does not pay for
 * frames_alloc_range's argument checks and window set-up. */
err_t frames_alloc(struct frames *f, uint64_t n, uint64_t align, uint64_t below,
                   uint64_t *addr)
{
    if (f && addr && n == 1 && (align & (align - 1)) == 0 && align <= f->gran &&
        !f->sealed && alloc_one_fast(f, below, addr))
        return ERR_OK;
    return frames_alloc_range(f, n, align, 0, below, addr);
}

err_t frames_alloc_typed(struct frames *f, struct memmap *m, uint32_t type, uint64_t n,
                         uint64_t align, uint64_t below, uint64_t *addr)
{
    uint64_t a;

    if (!m)
        return ERR_INVALID_ARG;
    err_t e = frames_alloc(f, n, align, below, &a);
    if (e != ERR_OK)
        return e;
    e = memmap_set_type(m, a, n << f->gran_shift, type);
    if (e != ERR_OK) {
        frames_free(f, a, n);
        return e;
    }
    *addr = a;
    return ERR_OK;
}

err_t frames_reserve_typed(struct frames *f, struct memmap *m, uint32_t type, uint64_t addr,
                           uint64_t n)
{
    if (!m)
        return ERR_INVALID_ARG;
    err_t e = frames_reserve(f, addr, n);
    if (e != ERR_OK)
        return e;
    e = memmap_set_type(m, addr, n << f->gran_shift, type);
    if (e != ERR_OK)
        frames_free(f, addr, n);
    return e;
}

void frames_seal(struct frames *f)
{
    if (f)
        f->sealed = true;
}
