/* frames_model.c: the reference frame allocator of frames_model.h. */
#include "frames_model.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool frames_model_init(struct frames_model *md, const struct memmap *m, uint64_t gran)
{
    memset(md, 0, sizeof(*md));
    md->gran = gran;
    for (uint32_t i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entry[i];
        if (e->type != E820_TYPE_RAM)
            continue;
        uint64_t b = (e->base + gran - 1) / gran * gran;
        uint64_t end = (e->base + e->length) / gran * gran;
        if (end <= b)
            continue;
        if (md->nreg == FRAMES_MODEL_MAX_REGIONS) {
            frames_model_release(md);
            return false;
        }
        md->base[md->nreg] = b;
        md->frames[md->nreg] = (end - b) / gran;
        md->used[md->nreg] = calloc((size_t)md->frames[md->nreg], 1);
        if (!md->used[md->nreg])
            abort();
        md->free += md->frames[md->nreg];
        md->nreg++;
    }
    return true;
}

void frames_model_release(struct frames_model *md)
{
    for (uint32_t r = 0; r < md->nreg; r++)
        free(md->used[r]);
    md->nreg = 0;
}

bool frames_model_find(const struct frames_model *md, uint64_t addr, uint32_t *r, uint64_t *i)
{
    for (uint32_t k = 0; k < md->nreg; k++)
        if (addr >= md->base[k] && (addr - md->base[k]) / md->gran < md->frames[k]) {
            *r = k;
            *i = (addr - md->base[k]) / md->gran;
            return true;
        }
    return false;
}

uint64_t frames_model_storage_bytes(const struct frames_model *md)
{
    uint64_t words = 0;
    for (uint32_t r = 0; r < md->nreg; r++)
        words += (md->frames[r] + 63) / 64;
    return words * 8 + md->nreg * 24ull;
}

err_t frames_model_init_storage(struct frames_model *md, uint64_t floor, uint64_t *where)
{
    if (md->nreg == 0)
        return ERR_NO_MEMORY;
    uint64_t n = (frames_model_storage_bytes(md) + md->gran - 1) / md->gran;
    return frames_model_alloc(md, n, 0, floor, FRAMES_BELOW_4G, where);
}

err_t frames_model_fit(const struct frames_model *md, uint64_t n, uint64_t align,
                       uint64_t above, uint64_t below, uint64_t *addr)
{
    if (n == 0 || (align & (align - 1)))
        return ERR_INVALID_ARG;
    if (align < md->gran)
        align = md->gran;
    for (uint32_t r = 0; r < md->nreg; r++)
        for (uint64_t i = 0; i + n <= md->frames[r]; i++) {
            uint64_t a = md->base[r] + i * md->gran;
            if (a < above || a % align || (unsigned __int128)a + n * md->gran > below)
                continue;
            uint64_t k = 0;
            while (k < n && !md->used[r][i + k])
                k++;
            if (k == n) {
                *addr = a;
                return ERR_OK;
            }
            i += k; /* the run broke at i + k: no start before it can fit */
        }
    return ERR_NO_MEMORY;
}

err_t frames_model_alloc(struct frames_model *md, uint64_t n, uint64_t align, uint64_t above,
                         uint64_t below, uint64_t *addr)
{
    err_t e = frames_model_fit(md, n, align, above, below, addr);
    return e ? e : frames_model_reserve(md, *addr, n);
}

/* The region and first index of [addr, addr + n frames), or why frames.c refuses it. */
static err_t model_range(const struct frames_model *md, uint64_t addr, uint64_t n,
                         uint32_t *r, uint64_t *i)
{
    if (n == 0)
        return ERR_INVALID_ARG;
    if (addr % md->gran)
        return ERR_MISALIGNED;
    if (n > (UINT64_MAX - addr) / md->gran)
        return ERR_OVERFLOW;
    if (!frames_model_find(md, addr, r, i) || *i + n > md->frames[*r])
        return ERR_NOT_USABLE;
    return ERR_OK;
}

/* The answer to changing [addr, addr + n frames) to `used`, with where it is. */
static err_t model_span(const struct frames_model *md, uint64_t addr, uint64_t n, bool used,
                        uint32_t *r, uint64_t *i)
{
    err_t e = model_range(md, addr, n, r, i);
    if (e)
        return e;
    for (uint64_t k = 0; k < n; k++)
        if (md->used[*r][*i + k] == used)
            return used ? ERR_IN_USE : ERR_ALREADY_FREE;
    return ERR_OK;
}

err_t frames_model_change(const struct frames_model *md, uint64_t addr, uint64_t n, bool used)
{
    uint32_t r;
    uint64_t i;
    return model_span(md, addr, n, used, &r, &i);
}

static err_t model_set(struct frames_model *md, uint64_t addr, uint64_t n, bool used)
{
    uint32_t r = 0;
    uint64_t i = 0;
    err_t e = model_span(md, addr, n, used, &r, &i);
    if (e)
        return e;
    memset(md->used[r] + i, used, (size_t)n);
    md->free = used ? md->free - n : md->free + n;
    return ERR_OK;
}

err_t frames_model_reserve(struct frames_model *md, uint64_t addr, uint64_t n)
{
    return model_set(md, addr, n, true);
}

err_t frames_model_free(struct frames_model *md, uint64_t addr, uint64_t n)
{
    return model_set(md, addr, n, false);
}

err_t frames_model_is_free(const struct frames_model *md, uint64_t addr, bool *is_free)
{
    uint32_t r;
    uint64_t i;
    if (!frames_model_find(md, addr - addr % md->gran, &r, &i))
        return ERR_NOT_USABLE;
    *is_free = !md->used[r][i];
    return ERR_OK;
}

void frames_model_runs(const struct frames_model *md, uint64_t *runs, uint64_t *largest)
{
    *runs = *largest = 0;
    for (uint32_t r = 0; r < md->nreg; r++) {
        uint64_t len = 0;
        for (uint64_t i = 0; i <= md->frames[r]; i++) {
            if (i < md->frames[r] && !md->used[r][i]) {
                len++;
                continue;
            }
            if (len) {
                (*runs)++;
                if (len > *largest)
                    *largest = len;
            }
            len = 0;
        }
    }
}

void frames_model_window(const struct frames_model *md, uint64_t align, uint64_t above,
                         uint64_t below, uint64_t *largest, uint64_t *nfree)
{
    if (align < md->gran)
        align = md->gran;
    *largest = *nfree = 0;
    for (uint32_t r = 0; r < md->nreg; r++)
        for (uint64_t i = 0; i < md->frames[r]; i++) {
            uint64_t a = md->base[r] + i * md->gran;
            if (a < above || a + md->gran > below || md->used[r][i])
                continue;
            (*nfree)++;
            if (a % align)
                continue;
            uint64_t k = 0;
            while (i + k < md->frames[r] && !md->used[r][i + k] &&
                   a + (k + 1) * md->gran <= below)
                k++;
            if (k > *largest)
                *largest = k;
        }
}

static char why[192];

/* The allocator's frames_is_free(addr) against the model's; NULL if they agree. */
static const char *check_frame(const struct frames_model *md, const struct frames *f,
                               uint64_t addr)
{
    bool want = false, got = false;
    err_t we = frames_model_is_free(md, addr, &want);
    err_t ge = frames_is_free(f, addr, &got);
    if (ge == we && (we != ERR_OK || got == want))
        return NULL;
    snprintf(why, sizeof why, "frames_is_free(0x%" PRIx64 "): allocator %s, model %s", addr,
             ge != ERR_OK ? err_str(ge) : got ? "free" : "used",
             we != ERR_OK ? err_str(we) : want ? "free" : "used");
    return why;
}

static const char *check_free_count(const struct frames_model *md, const struct frames *f)
{
    if (f->free == md->free)
        return NULL;
    snprintf(why, sizeof why, "free frames: allocator %" PRIu64 ", model %" PRIu64, f->free,
             md->free);
    return why;
}

const char *frames_model_check(const struct frames_model *md, const struct frames *f)
{
    const char *w = check_free_count(md, f);
    for (uint32_t r = 0; r < md->nreg && !w; r++)
        for (uint64_t i = 0; i < md->frames[r] && !w; i++) {
            uint64_t a = md->base[r] + i * md->gran;
            w = check_frame(md, f, a);
            if (!w)
                w = check_frame(md, f, a + md->gran - 1);
        }
    if (w)
        return w;
    struct frames_stats st;
    uint64_t runs, largest;
    frames_stats(f, &st);
    frames_model_runs(md, &runs, &largest);
    if (st.free == md->free && st.used == st.total - st.free && st.free_runs == runs &&
        st.largest_run == largest)
        return NULL;
    snprintf(why, sizeof why, "frames_stats: free %" PRIu64 " used %" PRIu64 " of %" PRIu64
             ", %" PRIu64 " runs, largest %" PRIu64 "; model: free %" PRIu64 ", %" PRIu64
             " runs, largest %" PRIu64, st.free, st.used, st.total, st.free_runs,
             st.largest_run, md->free, runs, largest);
    return why;
}

const char *frames_model_check_near(const struct frames_model *md, const struct frames *f,
                                    uint64_t addr, uint64_t n)
{
    const char *w = check_free_count(md, f);
    if (n > 4096)
        n = 4096;
    for (uint64_t k = 0; k < n + 2 && !w; k++)
        w = check_frame(md, f, addr - md->gran + k * md->gran);
    return w;
}
