/* paging.c: 4-level long-mode page tables: map, translate. Every map request is walked
 * twice: a dry run that only reads (so a conflict changes nothing), then the real one. */
#include <string.h>

#include "paging.h"

#define TABLE_ENTRIES 512u
#define TABLE_FLAGS   (PTE_PRESENT | PTE_WRITE) /* permissions are decided at the leaf */
/* Leaf bits two mappings must agree on to be "the same mapping". */
#define LEAF_BITS     (PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_PWT | PTE_PCD | PTE_GLOBAL | PTE_NX)
/* ... and the ones PAGING_MERGE may widen. */
#define SOFT_BITS     (PTE_WRITE | PTE_GLOBAL | PTE_NX)
#define FOUR_GIB      0x100000000ull

static uint64_t span_of(int level)
{
    return 1ull << (12 + 9 * (level - 1));
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Canonical: bits 63..47 all equal (48-bit virtual addresses, 4-level paging). */
static bool canonical(uint64_t v)
{
    uint64_t top = v >> 47;
    return top == 0 || top == 0x1ffffu;
}

static err_t table_new(struct paging *pg, uint64_t *out)
{
    uint64_t phys = 0;
    err_t e = pg->alloc(pg->ctx, &phys);
    if (e != ERR_OK)
        return e;
    if (phys & (PAGE_SIZE_4K - 1))
        return ERR_MISALIGNED;
    /* The caller writes the tables and loads CR3 from code that reaches only this far. */
    if (phys > pg->table_limit - PAGE_SIZE_4K)
        return ERR_NOT_USABLE;
    void *p = pg->ptr(pg->ctx, phys);
    if (!p)
        return ERR_INVALID_ARG;
    memset(p, 0, PAGE_SIZE_4K);
    pg->tables++;
    *out = phys;
    return ERR_OK;
}

err_t paging_init(struct paging *pg, paging_alloc_fn alloc, paging_ptr_fn ptr, void *ctx,
                  bool nx, uint64_t table_limit)
{
    if (!pg)
        return ERR_INVALID_ARG;
    *pg = (struct paging){ .alloc = alloc, .ptr = ptr, .ctx = ctx, .nx = nx,
                           .table_limit = table_limit };
    if (!alloc || !ptr || table_limit < PAGE_SIZE_4K || table_limit > PAGING_PHYS_LIMIT)
        return ERR_INVALID_ARG;
    return table_new(pg, &pg->root);
}

static uint64_t leaf_bits(const struct paging *pg, uint32_t flags)
{
    uint64_t b = PTE_PRESENT;
    if (flags & PAGING_WRITE)
        b |= PTE_WRITE;
    if (flags & PAGING_GLOBAL)
        b |= PTE_GLOBAL;
    if (!(flags & PAGING_EXEC) && pg->nx)
        b |= PTE_NX;
    return b;
}

/* An existing leaf maps virt: fine if it maps it to phys with the same bits; with merge and
 * the same phys, its permissions are widened (in the real pass). */
static err_t leaf_check(uint64_t *e, int level, uint64_t virt, uint64_t phys, uint64_t bits,
                        bool merge, bool dry)
{
    uint64_t span = span_of(level);
    uint64_t base = *e & PTE_ADDR_MASK & ~(span - 1);

    if (base + (virt & (span - 1)) != phys)
        return ERR_OVERLAP;
    uint64_t have = *e & LEAF_BITS;
    if (have == bits)
        return ERR_OK;
    if (!merge || ((have ^ bits) & ~SOFT_BITS))
        return ERR_OVERLAP;
    if (!dry) {
        uint64_t nx = have & bits & PTE_NX; /* executable if either is */
        *e = (*e & ~SOFT_BITS) | ((have | bits) & (PTE_WRITE | PTE_GLOBAL)) | nx;
    }
    return ERR_OK;
}

/* Map the first piece of [virt, virt+left) and say in *done how many bytes it covered: a
 * 2 MiB leaf where alignment and length allow (and not `small`), else one 4 KiB leaf; in a
 * dry run, a whole empty subtree at once. */
static err_t map_step(struct paging *pg, uint64_t virt, uint64_t phys, uint64_t left,
                      uint64_t bits, bool merge, bool small, bool dry, uint64_t *done)
{
    uint64_t table = pg->root;

    for (int level = 4; level >= 1; level--) {
        uint64_t span = span_of(level);
        uint64_t off = virt & (span - 1);
        uint64_t *t = pg->ptr(pg->ctx, table);
        if (!t)
            return ERR_INVALID_ARG;
        uint64_t *e = &t[(virt >> (12 + 9 * (level - 1))) & (TABLE_ENTRIES - 1)];
        bool leaf_here = level == 1 || (level == 2 && !small && off == 0 &&
                                        (phys & (span - 1)) == 0 && left >= span);

        if (!(*e & PTE_PRESENT)) {
            if (leaf_here) {
                if (!dry) {
                    *e = phys | bits | (level == 2 ? PTE_PS : 0);
                    if (level == 2)
                        pg->pages_2m++;
                    else
                        pg->pages_4k++;
                }
                *done = span;
                return ERR_OK;
            }
            if (dry) { /* nothing is mapped anywhere below this entry */
                *done = min_u64(left, span - off);
                return ERR_OK;
            }
            uint64_t nt;
            err_t err = table_new(pg, &nt);
            if (err != ERR_OK)
                return err;
            *e = nt | TABLE_FLAGS;
        } else if (level == 1 || (level <= 3 && (*e & PTE_PS))) {
            err_t err = leaf_check(e, level, virt, phys, bits, merge, dry);
            if (err != ERR_OK)
                return err;
            *done = min_u64(left, span - off);
            return ERR_OK;
        }
        table = *e & PTE_ADDR_MASK;
    }
    return ERR_INVALID_ARG; /* not reached: level 1 always returns */
}

/* paging_map, with `small` forcing 4 KiB leaves (the plan's ranges of mixed memory). */
static err_t map_range(struct paging *pg, uint64_t virt, uint64_t phys, uint64_t size,
                       uint32_t flags, bool small)
{
    if (!pg || !pg->ptr || !pg->alloc || pg->tables == 0)
        return ERR_INVALID_ARG;
    if (flags & ~(PAGING_WRITE | PAGING_EXEC | PAGING_GLOBAL | PAGING_MERGE))
        return ERR_INVALID_ARG;
    if (size == 0)
        return ERR_INVALID_ARG;
    if ((virt | phys | size) & (PAGE_SIZE_4K - 1))
        return ERR_MISALIGNED;
    uint64_t last = virt + (size - 1);
    if (last < virt || !canonical(virt) || !canonical(last) || (virt >> 47) != (last >> 47))
        return ERR_INVALID_ARG;
    if (phys >= PAGING_PHYS_LIMIT || size > PAGING_PHYS_LIMIT - phys)
        return ERR_OVERFLOW;

    uint64_t bits = leaf_bits(pg, flags);
    bool merge = (flags & PAGING_MERGE) != 0;
    for (int pass = 0; pass < 2; pass++) {
        uint64_t v = virt, p = phys, left = size;
        while (left) {
            uint64_t done;
            err_t e = map_step(pg, v, p, left, bits, merge, small, pass == 0, &done);
            if (e != ERR_OK)
                return e;
            v += done; /* may wrap to 0 after the very last page: left is 0 then */
            p += done;
            left -= done;
        }
    }
    return ERR_OK;
}

err_t paging_map(struct paging *pg, uint64_t virt, uint64_t phys, uint64_t size,
                 uint32_t flags)
{
    return map_range(pg, virt, phys, size, flags, false);
}

err_t paging_translate(const struct paging *pg, uint64_t virt, struct paging_walk *w)
{
    if (!pg || !w || !pg->ptr || pg->tables == 0)
        return ERR_INVALID_ARG;
    if (!canonical(virt))
        return ERR_NOT_FOUND;

    uint64_t table = pg->root;
    bool write = true, exec = true;
    for (int level = 4; level >= 1; level--) {
        const uint64_t *t = pg->ptr(pg->ctx, table);
        if (!t)
            return ERR_INVALID_ARG;
        uint64_t e = t[(virt >> (12 + 9 * (level - 1))) & (TABLE_ENTRIES - 1)];
        if (!(e & PTE_PRESENT))
            return ERR_NOT_FOUND;
        /* Effective permissions: every level must allow writing; NX anywhere forbids exec. */
        write = write && (e & PTE_WRITE);
        exec = exec && !(pg->nx && (e & PTE_NX));
        if (level == 1 || (level <= 3 && (e & PTE_PS))) {
            uint64_t span = span_of(level);
            w->phys = (e & PTE_ADDR_MASK & ~(span - 1)) + (virt & (span - 1));
            w->page_size = span;
            w->pte = e;
            w->flags = (write ? PAGING_WRITE : 0u) | (exec ? PAGING_EXEC : 0u) |
                       ((e & PTE_GLOBAL) ? PAGING_GLOBAL : 0u);
            return ERR_OK;
        }
        table = e & PTE_ADDR_MASK;
    }
    return ERR_NOT_FOUND;
}

/* ---- the stage2 plan ------------------------------------------------------------------ */

/* RAM a kernel may want to reach through the identity map and the HHDM: what it may use,
 * what the loader put there, and the ACPI tables. Persistent memory and MMIO are left out. */
static bool plan_type_is_ram(uint32_t type)
{
    return type == MULTIOS_MEM_USABLE || type == MULTIOS_MEM_ACPI_RECLAIMABLE ||
           type == MULTIOS_MEM_ACPI_NVS || MULTIOS_MEM_IS_LOADER(type);
}

/* The whole pages around a RAM entry, cut at PAGING_PLAN_PHYS_MAX: [*b, *e). False if the
 * entry is not RAM or nothing of it is left. Adds what was cut to *clipped (may be NULL). */
static bool plan_entry_pages(const struct e820_entry *m, uint64_t *b, uint64_t *e,
                             uint64_t *clipped)
{
    if (!plan_type_is_ram(m->type) || m->length == 0)
        return false;
    uint64_t base = m->base & ~(PAGE_SIZE_4K - 1);
    uint64_t last = memmap_entry_last(m);
    if (last >= PAGING_PLAN_PHYS_MAX) {
        uint64_t from = m->base > PAGING_PLAN_PHYS_MAX ? m->base : PAGING_PLAN_PHYS_MAX;
        if (clipped)
            *clipped += last - from + 1;
        if (base >= PAGING_PLAN_PHYS_MAX)
            return false;
        last = PAGING_PLAN_PHYS_MAX - 1;
    }
    *b = base;
    *e = (last | (PAGE_SIZE_4K - 1)) + 1;
    return true;
}

static err_t plan_fail(struct paging_plan_result *res, enum paging_plan_step step,
                       uint32_t index, err_t e)
{
    res->fail_step = step;
    res->fail_index = index;
    return e;
}

/* Memory kinds for the large-page rule. The loader only relabels usable RAM, so usable and
 * loader types are one kind; every other type is a kind of its own; no entry at all is
 * another (above 32 bits, so no type collides with it). */
#define PLAN_KIND_HOLE (1ull << 32)

static uint64_t plan_kind(uint32_t type)
{
    return (type == MULTIOS_MEM_USABLE || MULTIOS_MEM_IS_LOADER(type)) ? MULTIOS_MEM_USABLE
                                                                        : type;
}

/* Is the 2 MiB range at `chunk` all one kind in the map? A large page over memory of
 * different MTRR types is undefined (Intel SDM vol. 3, 11.11.9), and the map is our only
 * hint where those types change. Works on unsorted and overlapping maps too: every entry
 * that touches the range must be of one kind and, unless none does, they must cover it
 * without a gap. */
static bool plan_chunk_uniform(const struct memmap *map, uint64_t chunk)
{
    uint64_t last = chunk + (PAGE_SIZE_2M - 1); /* chunk < 2^46: no wrap */
    uint64_t kind = PLAN_KIND_HOLE;
    for (uint32_t i = 0; i < map->count; i++) {
        const struct e820_entry *m = &map->entry[i];
        if (m->length == 0 || m->base > last || memmap_entry_last(m) < chunk)
            continue;
        uint64_t k = plan_kind(m->type);
        if (kind != PLAN_KIND_HOLE && k != kind)
            return false;
        kind = k;
    }
    if (kind == PLAN_KIND_HOLE)
        return true;
    /* Covered from chunk up: each round moves pos past an entry that holds it (a sorted
     * map needs one round; each round that moves at all consumes an entry's end). */
    uint64_t pos = chunk;
    for (bool moved = true; moved;) {
        moved = false;
        for (uint32_t i = 0; i < map->count; i++) {
            const struct e820_entry *m = &map->entry[i];
            if (m->length == 0 || m->base > pos || memmap_entry_last(m) < pos)
                continue;
            if (memmap_entry_last(m) >= last)
                return true;
            pos = memmap_entry_last(m) + 1;
            moved = true;
        }
    }
    return false;
}

/* Identity and HHDM for one run of [base, end) that is all large-page-able or all not. */
static err_t plan_map_run(struct paging *pg, uint64_t hhdm, uint64_t base, uint64_t end,
                          bool small, uint32_t index, struct paging_plan_result *res)
{
    err_t e = map_range(pg, base, base, end - base, PAGING_WRITE | PAGING_EXEC, small);
    if (e != ERR_OK)
        return plan_fail(res, PAGING_STEP_IDENTITY, index, e);
    e = map_range(pg, hhdm + base, base, end - base, PAGING_WRITE, small);
    if (e != ERR_OK)
        return plan_fail(res, PAGING_STEP_HHDM, index, e);
    return ERR_OK;
}

/* Identity and HHDM for [base, end) (page-aligned, end <= PAGING_PLAN_PHYS_MAX): 2 MiB
 * leaves only for a whole 2 MiB that is one kind in the map, never for the first 2 MiB
 * (RAM, the VGA window and the BIOS ROM share it everywhere); 4 KiB leaves elsewhere.
 * Consecutive chunks with the same answer go to paging_map as one run. The map is read
 * again for each chunk: the allocator may rewrite it between chunks (only ever RAM to a
 * loader type, the same kind). */
static err_t plan_map_ram(struct paging *pg, const struct memmap *map, uint64_t hhdm,
                          uint64_t base, uint64_t end, uint32_t index,
                          struct paging_plan_result *res)
{
    uint64_t run = base;
    bool run_small = false;
    for (uint64_t p = base; p < end;) {
        uint64_t chunk = p & ~(PAGE_SIZE_2M - 1);
        uint64_t stop = min_u64(chunk + PAGE_SIZE_2M, end);
        bool small = chunk == 0 || p != chunk || stop != chunk + PAGE_SIZE_2M ||
                     !plan_chunk_uniform(map, chunk);
        if (p != run && small != run_small) {
            err_t e = plan_map_run(pg, hhdm, run, p, run_small, index, res);
            if (e != ERR_OK)
                return e;
            run = p;
        }
        run_small = small;
        p = stop;
    }
    return plan_map_run(pg, hhdm, run, end, run_small, index, res);
}

err_t paging_plan_build(struct paging *pg, paging_alloc_fn alloc, paging_ptr_fn ptr, void *ctx,
                        bool nx, uint64_t table_limit, const struct memmap *map,
                        uint64_t hhdm_offset, const struct paging_segment *seg,
                        uint32_t seg_count, struct paging_plan_result *res)
{
    struct paging_plan_result local;
    if (!res)
        res = &local;
    *res = (struct paging_plan_result){ .fail_step = PAGING_STEP_NONE };

    if (!pg || !map || (map->count && !map->entry) || (seg_count && !seg))
        return ERR_INVALID_ARG;
    if ((hhdm_offset & (PAGE_SIZE_4K - 1)) || hhdm_offset < PAGING_HHDM_OFFSET ||
        hhdm_offset > 0ull - PAGING_PLAN_PHYS_MAX)
        return ERR_INVALID_ARG;

    err_t e = paging_init(pg, alloc, ptr, ctx, nx, table_limit);
    if (e != ERR_OK)
        return plan_fail(res, PAGING_STEP_ROOT, 0, e);

    /* All of the low 4 GiB, whatever the map says: the loader runs there, and MMIO and
     * firmware tables a kernel wants early (APIC, HPET, ACPI) live there. */
    e = plan_map_ram(pg, map, hhdm_offset, 0, FOUR_GIB, UINT32_MAX, res);
    if (e != ERR_OK)
        return e;
    res->identity_end = FOUR_GIB;

    /* RAM beyond the low 4 GiB. Page-table frames come from the caller's allocator, which
     * in stage2 writes them back into this very map (frames_alloc_typed): entries split,
     * merge and move while we map. So the walk goes by address, not by index: each round
     * maps the lowest RAM not yet covered, wherever it sits in the array now. */
    for (uint32_t i = 0; i < map->count; i++) { /* count what lies past the limit, once */
        uint64_t unused_b, unused_e;
        plan_entry_pages(&map->entry[i], &unused_b, &unused_e, &res->clipped);
    }
    for (uint64_t cursor = FOUR_GIB;;) {
        uint64_t best_b = UINT64_MAX, best_e = 0;
        uint32_t best_i = 0;
        for (uint32_t i = 0; i < map->count; i++) {
            uint64_t b, en;
            if (!plan_entry_pages(&map->entry[i], &b, &en, NULL) || en <= cursor)
                continue;
            if (b < cursor)
                b = cursor;
            if (b < best_b) {
                best_b = b;
                best_e = en;
                best_i = i;
            }
        }
        if (best_b == UINT64_MAX)
            break;
        e = plan_map_ram(pg, map, hhdm_offset, best_b, best_e, best_i, res);
        if (e != ERR_OK)
            return e;
        res->identity_end = best_e;
        cursor = best_e;
    }

    for (uint32_t i = 0; i < seg_count; i++) {
        const struct paging_segment *s = &seg[i];
        if (s->size == 0)
            continue;
        uint64_t off = s->virt & (PAGE_SIZE_4K - 1);
        if (off != (s->phys & (PAGE_SIZE_4K - 1)))
            return plan_fail(res, PAGING_STEP_KERNEL, i, ERR_MISALIGNED);
        if (s->size > UINT64_MAX - off - (PAGE_SIZE_4K - 1))
            return plan_fail(res, PAGING_STEP_KERNEL, i, ERR_OVERFLOW);
        uint64_t size = (s->size + off + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
        uint32_t flags = (s->flags & (PAGING_WRITE | PAGING_EXEC)) | PAGING_MERGE;
        e = paging_map(pg, s->virt - off, s->phys - off, size, flags);
        if (e != ERR_OK)
            return plan_fail(res, PAGING_STEP_KERNEL, i, e);
    }
    return ERR_OK;
}
