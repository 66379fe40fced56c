/* elf_place.c: decide where a validated kernel's segments go in physical memory and reserve
 * their frames. ELF32 kernels run with paging off, so they load at p_paddr or not at all.
 * ELF64 kernels are paged: a segment may go elsewhere as long as every virtual page still maps
 * one physical page, so segments that share a virtual page move together ("groups"). */
#include "elf.h"
#include "frames.h"
#include "pc.h"

#include <stdarg.h>
#include <string.h>

#include "arith.h"
#include "format.h"

#define PAGE_MASK ((uint64_t)ELF_PAGE_SIZE - 1u)
#define BIG_PAGE  0x200000ull /* 2 MiB: relocate big groups so the paging code can use big pages */
#define LOW_END   ((uint64_t)PC_HIGH_MEM) /* relocated segments prefer memory above the first MiB */

/* A group of segments that share virtual pages (ELF64) or the whole kernel (ELF32 is placed
 * segment by segment, each its own group: no paging means no page sharing constraints). */
struct group {
    uint32_t first;      /* index into order[] */
    uint32_t count;
    uint64_t vstart;     /* 4 KiB page-rounded virtual span [vstart, vend) */
    uint64_t vend;
    bool at_paddr;
    uint64_t base;       /* relocated: physical address of vstart */
};

struct placer {
    struct elf_info *info;
    const struct elf_place_env *env;
    bool paged;                           /* ELF64 run with paging: segments may move */
    uint64_t gran;
    uint8_t order[ELF_MAX_SEGMENTS];      /* segment indices sorted by vaddr */
    struct group grp[ELF_MAX_SEGMENTS];
    uint32_t ngrp;
    /* Frames reserved or allocated so far, to undo on failure. */
    uint64_t taken_base[2u * ELF_MAX_SEGMENTS];
    uint64_t taken_n[2u * ELF_MAX_SEGMENTS];
    uint32_t ntaken;
};

static uint64_t round_down(uint64_t v, uint64_t a)
{
    return v & ~(a - 1u);
}

/* Round up; saturates instead of wrapping (callers check against 4 GiB anyway). */
static uint64_t round_up(uint64_t v, uint64_t a)
{
    if (v > UINT64_MAX - (a - 1u))
        return round_down(UINT64_MAX, a);
    return (v + a - 1u) & ~(a - 1u);
}

/* ERR_OVERLAP: "segment N (phdr M) at 0xA-0xB " and the printf-style rest. */
static err_t fail_segment(struct elf_info *info, uint32_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static err_t fail_segment(struct elf_info *info, uint32_t i, const char *fmt, ...)
{
    const struct elf_segment *s = &info->seg[i];
    char rest[sizeof(info->reason)];
    va_list ap;
    va_start(ap, fmt);
    format_vsnprint(rest, sizeof(rest), fmt, ap);
    va_end(ap);
    return elf_fail(info, ERR_OVERLAP, "segment %u (phdr %u) at 0x%llx-0x%llx %s", (unsigned)i,
                    (unsigned)s->index, (unsigned long long)s->paddr,
                    (unsigned long long)(s->paddr + s->memsz), rest);
}

/* Bytes of usable (type 1) RAM below 4 GiB in the map. */
static uint64_t usable_below_4g(const struct memmap *m)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entry[i];
        if (e->type != E820_TYPE_RAM || e->base >= ELF_LOAD_LIMIT || e->length == 0)
            continue;
        uint64_t len = e->length;
        if (len > ELF_LOAD_LIMIT - e->base)
            len = ELF_LOAD_LIMIT - e->base;
        total += len;
    }
    return total;
}

/* Sort segment indices by vaddr (insertion sort: at most 16). */
static void sort_by_vaddr(struct placer *p)
{
    const struct elf_info *info = p->info;
    for (uint32_t i = 0; i < info->seg_count; i++) {
        uint8_t v = (uint8_t)i;
        uint32_t j = i;
        while (j > 0 && info->seg[p->order[j - 1]].vaddr > info->seg[v].vaddr) {
            p->order[j] = p->order[j - 1];
            j--;
        }
        p->order[j] = v;
    }
}

static void make_groups(struct placer *p)
{
    const struct elf_info *info = p->info;
    bool is64 = p->paged;
    p->ngrp = 0;
    for (uint32_t k = 0; k < info->seg_count; k++) {
        const struct elf_segment *s = &info->seg[p->order[k]];
        uint64_t vs = round_down(s->vaddr, ELF_PAGE_SIZE);
        uint64_t ve = round_up(s->vaddr + s->memsz, ELF_PAGE_SIZE);
        struct group *g = p->ngrp ? &p->grp[p->ngrp - 1] : NULL;
        if (is64 && g && vs < g->vend) {
            g->count++;
            if (ve > g->vend)
                g->vend = ve;
            continue;
        }
        g = &p->grp[p->ngrp++];
        memset(g, 0, sizeof(*g));
        g->first = k;
        g->count = 1;
        g->vstart = vs;
        g->vend = ve;
    }
}

/* Loader-owned ranges: no segment's p_paddr range may touch one (both classes). */
static err_t check_avoid(struct placer *p)
{
    struct elf_info *info = p->info;
    const struct elf_place_env *env = p->env;
    for (uint32_t i = 0; i < info->seg_count; i++) {
        const struct elf_segment *s = &info->seg[i];
        for (uint32_t a = 0; a < env->avoid_count; a++) {
            const struct elf_avoid *av = &env->avoid[a];
            if (av->end > av->base && s->paddr < av->end && av->base < s->paddr + s->memsz)
                return fail_segment(info, i, "overlaps %s", av->name ? av->name : "the loader");
        }
    }
    return ERR_OK;
}

/* Why a range cannot be used where it is. */
enum blocker { FITS, ABOVE_4G, NOT_COVERED, IN_USE };

/* Is every frame of [base, end) (gran-rounded) free RAM below 4 GiB? If not, *bad is the first
 * address that is not, and the result says why. */
static enum blocker frames_all_free(const struct placer *p, uint64_t base, uint64_t end,
                                    uint64_t *bad)
{
    uint64_t a = round_down(base, p->gran);
    if (end > ELF_LOAD_LIMIT) {
        *bad = base > ELF_LOAD_LIMIT ? base : ELF_LOAD_LIMIT;
        return ABOVE_4G;
    }
    for (; a < end; a += p->gran) {
        bool free_ = false;
        err_t e = frames_is_free(p->env->frames, a, &free_);
        if (e != ERR_OK || !free_) {
            *bad = a > base ? a : base;
            return e != ERR_OK ? NOT_COVERED : IN_USE;
        }
    }
    return FITS;
}

/* Why can't segment i stay at its p_paddr (bad = first address that is not free RAM)? */
static err_t fail_at_paddr(struct placer *p, uint32_t i, enum blocker why, uint64_t bad)
{
    struct elf_info *info = p->info;
    char name[24];
    if (why == ABOVE_4G)
        return fail_segment(info, i, "overlaps memory above 4 GiB");
    uint32_t type = memmap_type_at(p->env->map, bad);
    const char *what, *type_name = "", *close = "";
    if (type == 0) {
        what = "no memory (a hole in the map)";
    } else if (type == E820_TYPE_RAM && why == IN_USE) {
        what = "memory in use by the loader";
    } else if (type == E820_TYPE_RAM) {
        what = "a partial frame of usable RAM";
    } else if (memmap_type_is_usable_or_loader(type)) {
        what = "the loader's ";
        type_name = memmap_type_name(type, name, sizeof(name));
    } else {
        what = "non-usable memory (";
        type_name = memmap_type_name(type, name, sizeof(name));
        close = ")";
    }
    return fail_segment(info, i, "overlaps %s%s%s at 0x%llx", what, type_name, close,
                        (unsigned long long)bad);
}

/* Can group g stay where its p_paddr says? Needs the same vaddr->paddr delta for all its
 * segments, page-congruent for ELF64, and every frame free. Returns the blocking address. */
static enum blocker group_fits_at_paddr(const struct placer *p, const struct group *g,
                                       uint32_t *seg, uint64_t *bad)
{
    const struct elf_info *info = p->info;
    const struct elf_segment *s0 = &info->seg[p->order[g->first]];
    uint64_t delta = s0->paddr - s0->vaddr;
    for (uint32_t k = g->first; k < g->first + g->count; k++) {
        const struct elf_segment *s = &info->seg[p->order[k]];
        *seg = p->order[k];
        if (p->paged &&
            (s->paddr - s->vaddr != delta || ((s->paddr ^ s->vaddr) & PAGE_MASK))) {
            *bad = s->paddr;
            return IN_USE; /* not reported: only ELF64 gets here, and it relocates */
        }
        enum blocker why = frames_all_free(p, s->paddr, s->paddr + s->memsz, bad);
        if (why != FITS)
            return why;
    }
    return FITS;
}

static void undo(struct placer *p)
{
    while (p->ntaken) {
        p->ntaken--;
        uint64_t b = p->taken_base[p->ntaken], n = p->taken_n[p->ntaken];
        (void)frames_free(p->env->frames, b, n);
        (void)memmap_set_type(p->env->map, b, n * p->gran, E820_TYPE_RAM);
    }
}

/* Reserve the frames of every segment placed at p_paddr. Segments may share frames (one ends
 * where the next begins), so take each frame once: reserve only the part of each segment's
 * frame span that an earlier reservation does not already hold. */
static err_t reserve_at_paddr(struct placer *p)
{
    struct elf_info *info = p->info;
    uint64_t span_b[ELF_MAX_SEGMENTS], span_e[ELF_MAX_SEGMENTS];
    uint32_t n = 0;
    for (uint32_t gi = 0; gi < p->ngrp; gi++) {
        const struct group *g = &p->grp[gi];
        if (!g->at_paddr)
            continue;
        for (uint32_t k = g->first; k < g->first + g->count; k++) {
            const struct elf_segment *s = &info->seg[p->order[k]];
            span_b[n] = round_down(s->paddr, p->gran);
            span_e[n] = round_up(s->paddr + s->memsz, p->gran);
            n++;
        }
    }
    /* Sort spans by base, then merge touching/overlapping ones. */
    for (uint32_t i = 1; i < n; i++) {
        uint64_t b = span_b[i], e = span_e[i];
        uint32_t j = i;
        while (j > 0 && span_b[j - 1] > b) {
            span_b[j] = span_b[j - 1];
            span_e[j] = span_e[j - 1];
            j--;
        }
        span_b[j] = b;
        span_e[j] = e;
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (m && span_b[i] <= span_e[m - 1]) {
            if (span_e[i] > span_e[m - 1])
                span_e[m - 1] = span_e[i];
            continue;
        }
        span_b[m] = span_b[i];
        span_e[m] = span_e[i];
        m++;
    }
    for (uint32_t i = 0; i < m; i++) {
        uint64_t frames = (span_e[i] - span_b[i]) / p->gran;
        err_t e = frames_reserve_typed(p->env->frames, p->env->map, p->env->kernel_type,
                                       span_b[i], frames);
        if (e)
            return elf_fail(info, e, "cannot reserve the kernel's frames at 0x%llx: %s",
                            (unsigned long long)span_b[i], err_str(e));
        p->taken_base[p->ntaken] = span_b[i];
        p->taken_n[p->ntaken] = frames;
        p->ntaken++;
    }
    return ERR_OK;
}

/* Give group g fresh frames below 4 GiB, keeping its layout and page offsets. */
static err_t relocate_group(struct placer *p, struct group *g)
{
    struct elf_info *info = p->info;
    uint64_t bytes = g->vend - g->vstart;
    uint64_t n = bytes / p->gran + (bytes % p->gran != 0);
    err_t e = ERR_NO_MEMORY;
    uint64_t base = 0;
    /* Preference order: above 1 MiB (low memory is precious to kernels: real-mode
     * trampolines, DMA below 16 MiB can still come from above it), 2 MiB-aligned for a big
     * group whose virtual start is 2 MiB-aligned (so the page tables can use 2 MiB pages);
     * then anywhere below 4 GiB. */
    struct {
        uint64_t align, above;
    } tries[3] = { { BIG_PAGE, LOW_END }, { 0, LOW_END }, { 0, 0 } };
    for (uint32_t t = 0; t < 3 && e; t++) {
        if (tries[t].align == BIG_PAGE && (bytes < BIG_PAGE || (g->vstart & (BIG_PAGE - 1u))))
            continue;
        e = frames_alloc_range(p->env->frames, n, tries[t].align, tries[t].above,
                               ELF_LOAD_LIMIT, &base);
    }
    if (!e) {
        e = memmap_set_type(p->env->map, base, n * p->gran, p->env->kernel_type);
        if (e)
            (void)frames_free(p->env->frames, base, n);
    }
    if (e == ERR_NO_MEMORY)
        return elf_fail(info, e, "kernel too large: no free run of %llu KiB below 4 GiB for "
                        "segment %u", (unsigned long long)(bytes / 1024u),
                        (unsigned)p->order[g->first]);
    if (e)
        return elf_fail(info, e, "cannot take frames for segment %u: %s",
                        (unsigned)p->order[g->first], err_str(e));
    p->taken_base[p->ntaken] = base;
    p->taken_n[p->ntaken] = n;
    p->ntaken++;
    g->base = base;
    return ERR_OK;
}

static void record_loads(struct placer *p)
{
    struct elf_info *info = p->info;
    info->load_lo = UINT64_MAX;
    info->load_hi = 0;
    info->relocated = false;
    for (uint32_t gi = 0; gi < p->ngrp; gi++) {
        const struct group *g = &p->grp[gi];
        for (uint32_t k = g->first; k < g->first + g->count; k++) {
            struct elf_segment *s = &info->seg[p->order[k]];
            s->load = g->at_paddr ? s->paddr : g->base + (s->vaddr - g->vstart);
            if (!g->at_paddr)
                info->relocated = true;
            if (s->load < info->load_lo)
                info->load_lo = s->load;
            if (s->load + s->memsz > info->load_hi)
                info->load_hi = s->load + s->memsz;
        }
    }
    int at = elf_segment_at(info, info->entry);
    if (at >= 0)
        info->entry_phys = info->entry - info->seg[at].vaddr + info->seg[at].load;
}

err_t elf_place(struct elf_info *info, const struct elf_place_env *env)
{
    if (!info)
        return ERR_INVALID_ARG;
    if (info->err != ERR_OK || info->seg_count == 0 || info->seg_count > ELF_MAX_SEGMENTS)
        return elf_fail(info, ERR_INVALID_ARG, "ELF not validated");
    if (!env || !env->map || !env->frames || (env->avoid_count && !env->avoid))
        return elf_fail(info, ERR_INVALID_ARG, "no memory map or frame allocator");

    struct placer p;
    memset(&p, 0, sizeof(p));
    p.info = info;
    p.env = env;
    p.gran = env->frames->gran;
    if (p.gran < ELF_PAGE_SIZE || !arith_is_pow2(p.gran))
        return elf_fail(info, ERR_INVALID_ARG, "bad frame granularity");
    bool is64 = info->elf_class == ELF_CLASS_64 && !env->at_paddr;
    p.paged = is64;

    sort_by_vaddr(&p);
    make_groups(&p);

    /* Too large first: a 4 GiB bss says "too large", not "overlaps reserved memory". Each
     * group costs its page span plus up to one frame of rounding. */
    uint64_t need = 0, have = usable_below_4g(env->map);
    for (uint32_t gi = 0; gi < p.ngrp; gi++) {
        uint64_t bytes = p.grp[gi].vend - p.grp[gi].vstart;
        need = arith_add_sat(need, bytes);
    }
    if (need > have)
        return elf_fail(info, ERR_NO_MEMORY, "kernel too large: needs %llu KiB, %llu KiB usable "
                        "below 4 GiB", (unsigned long long)(need / 1024u),
                        (unsigned long long)(have / 1024u));

    err_t e = check_avoid(&p);
    if (e)
        return e;

    for (uint32_t gi = 0; gi < p.ngrp; gi++) {
        uint32_t seg = 0;
        uint64_t bad = 0;
        enum blocker why = group_fits_at_paddr(&p, &p.grp[gi], &seg, &bad);
        p.grp[gi].at_paddr = why == FITS;
        if (why != FITS && !is64)
            return fail_at_paddr(&p, seg, why, bad);
    }
    e = reserve_at_paddr(&p);
    for (uint32_t gi = 0; !e && gi < p.ngrp; gi++)
        if (!p.grp[gi].at_paddr)
            e = relocate_group(&p, &p.grp[gi]);
    if (e) {
        undo(&p);
        return e;
    }
    record_loads(&p);
    return elf_fail(info, ERR_OK, info->relocated ? "ok (relocated)" : "ok");
}
