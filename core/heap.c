/* heap.c: the boot heap: placement in the frame bitmap and the map, and a bump allocator
 * whose arithmetic is done on physical addresses with explicit overflow checks, so no size or
 * alignment, however large, can produce a pointer outside the heap. */
#include "heap.h"

#include <string.h>

#include "arith.h"
#include "format.h"

static void heap_setup(struct heap *h, void *mem, uint64_t base, uint64_t size)
{
    memset(h, 0, sizeof(*h));
    h->mem = mem;
    h->base = base;
    h->size = size;
    h->requested = size;
}

err_t heap_init_mem(struct heap *h, void *mem, uint64_t base, uint64_t size)
{
    if (!h || !mem || size == 0)
        return ERR_INVALID_ARG;
    if (size > UINT64_MAX - base)
        return ERR_OVERFLOW;
    heap_setup(h, mem, base, size);
    return ERR_OK;
}

err_t heap_init(struct heap *h, struct frames *f, struct memmap *m,
                const struct boot_config *cfg, frames_ptr_fn ptr, void *ctx)
{
    uint64_t addr;

    if (!h || !f || !m || !ptr || config_validate(cfg) != ERR_OK)
        return ERR_INVALID_ARG;
    if (f->sealed)
        return ERR_SEALED;
    uint32_t sh = f->gran_shift;
    uint64_t mask = f->gran - 1;
    uint64_t want = (cfg->heap_size >> sh) + ((cfg->heap_size & mask) != 0);
    uint64_t need = (cfg->heap_min_size >> sh) + ((cfg->heap_min_size & mask) != 0);
    uint64_t n = want;
    bool shrunk = false;

    err_t e = frames_alloc_range(f, n, cfg->heap_align, cfg->heap_min_addr, FRAMES_BELOW_4G,
                                 &addr);
    if (e == ERR_NO_MEMORY) {
        /* RAM is short. Taking the largest run would leave nothing for the kernel, its page
         * tables and the boot info, so the heap takes at most half of the free frames of
         * its window (but the minimum whenever the minimum fits). */
        uint64_t run = frames_largest_run(f, cfg->heap_align, cfg->heap_min_addr,
                                          FRAMES_BELOW_4G);
        uint64_t half = frames_free_in(f, cfg->heap_min_addr, FRAMES_BELOW_4G) / 2;
        if (run < need || run == 0)
            return ERR_TOO_SMALL;
        n = run < half ? run : half;
        if (n < need)
            n = need;
        shrunk = true;
        e = frames_alloc_range(f, n, cfg->heap_align, cfg->heap_min_addr, FRAMES_BELOW_4G,
                               &addr);
    }
    if (e != ERR_OK)
        return e;
    uint64_t bytes = n << sh;
    void *mem = ptr(ctx, addr, bytes);
    if (!mem) {
        frames_free(f, addr, n);
        return ERR_NOT_USABLE;
    }
    e = memmap_set_type(m, addr, bytes, E820_TYPE_BOOT_HEAP);
    if (e != ERR_OK) {
        frames_free(f, addr, n);
        return e;
    }
    heap_setup(h, mem, addr, bytes);
    h->requested = cfg->heap_size;
    h->shrunk = shrunk;
    return ERR_OK;
}

static void *heap_fail(struct heap *h)
{
    h->failures++;
    return NULL;
}

void *heap_alloc_at(struct heap *h, uint64_t size, uint64_t align, const char *file,
                    uint32_t line)
{
    if (!h)
        return NULL;
    if (align == 0)
        align = 1;
    if (size == 0 || !arith_is_pow2(align))
        return heap_fail(h);
    uint64_t cur = h->base + h->top;           /* no wrap: checked at init */
    if (cur > UINT64_MAX - (align - 1))
        return heap_fail(h);
    uint64_t a = (cur + align - 1) & ~(align - 1);
    uint64_t end = h->base + h->size;
    if (a > end || size > end - a)
        return heap_fail(h);

    uint64_t off = a - h->base;
    h->last_prev_top = h->top;
    h->last = off;
    h->has_last = true;
    h->top = off + size;
    if (h->top > h->peak)
        h->peak = h->top;
    h->count++;
    if (h->dbg) {
        if (h->dbg_count < h->dbg_cap) {
            struct heap_debug_rec *r = &h->dbg[h->dbg_count++];
            r->file = file;
            r->line = line;
            r->live = 1;
            r->size = size;
            r->offset = off;
        } else {
            h->dbg_dropped++;
        }
    }
    return h->mem + (size_t)off;
}

void *heap_alloc_zeroed_at(struct heap *h, uint64_t size, uint64_t align, const char *file,
                           uint32_t line)
{
    void *p = heap_alloc_at(h, size, align, file, line);
    if (p)
        memset(p, 0, (size_t)size);
    return p;
}

err_t heap_free(struct heap *h, void *p)
{
    if (!h || !p)
        return ERR_INVALID_ARG;
    uintptr_t up = (uintptr_t)p, ub = (uintptr_t)h->mem;
    if (up < ub || (uint64_t)(up - ub) >= h->size)
        return ERR_NOT_OWNED;
    uint64_t off = up - ub;
    if (h->has_last && off == h->last) {
        h->top = h->last_prev_top;
        h->has_last = false;
        if (h->dbg && h->dbg_count > 0 && h->dbg[h->dbg_count - 1].offset == off &&
            h->dbg[h->dbg_count - 1].live)
            h->dbg_count--;
        return ERR_OK;
    }
    if (off >= h->top)
        return ERR_ALREADY_FREE;
    /* An older allocation: its space comes back at reset, but debug mode stops listing it
     * (a linear search, paid only in debug mode). */
    for (uint32_t i = 0; h->dbg && i < h->dbg_count; i++)
        if (h->dbg[i].live && h->dbg[i].offset == off) {
            h->dbg[i].live = 0;
            break;
        }
    return ERR_OK;
}

void heap_reset(struct heap *h)
{
    if (!h)
        return;
    h->top = 0;
    h->has_last = false;
    h->dbg_count = 0;
    h->dbg_dropped = 0;
}

uint64_t heap_phys(const struct heap *h, const void *p)
{
    if (!h || !p)
        return 0;
    uintptr_t up = (uintptr_t)p, ub = (uintptr_t)h->mem;
    if (up < ub || (uint64_t)(up - ub) >= h->size)
        return 0;
    return h->base + (up - ub);
}

void heap_stats(const struct heap *h, struct heap_stats *s)
{
    if (!h || !s)
        return;
    s->size = h->size;
    s->used = h->top;
    s->peak = h->peak;
    s->allocations = h->count;
    s->failures = h->failures;
}

void heap_info(const struct heap *h, struct multios_heap_info *out)
{
    if (!h || !out)
        return;
    out->base = h->base;
    out->size = h->size;
    out->used = h->top;
    out->peak = h->peak;
    out->allocations = h->count;
    out->failures = h->failures;
}

void heap_debug_enable(struct heap *h, struct heap_debug_rec *recs, uint32_t cap)
{
    if (!h)
        return;
    h->dbg = recs;
    h->dbg_cap = recs ? cap : 0;
    h->dbg_count = 0;
    h->dbg_dropped = 0;
}

void heap_debug_print(const struct heap *h, heap_print_fn print, void *ctx)
{
    char line[128]; /* cut there, always NUL-terminated */
    uint32_t live = 0;

    if (!h || !h->dbg || !print)
        return;
    for (uint32_t i = 0; i < h->dbg_count; i++) {
        const struct heap_debug_rec *r = &h->dbg[i];
        if (!r->live)
            continue;
        live++;
        format_snprint(line, sizeof(line), "heap: %s:%u size %llu at 0x%llx",
                       r->file ? r->file : "?", (unsigned)r->line, (unsigned long long)r->size,
                       (unsigned long long)(h->base + r->offset));
        print(ctx, line);
    }
    format_snprint(line, sizeof(line), "heap: %u live records, %u dropped", (unsigned)live,
                   (unsigned)h->dbg_dropped);
    print(ctx, line);
}
