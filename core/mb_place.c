/* mb_place.c: a relocatable Multiboot 2 image moved as a whole into free RAM, within the
 * bounds its relocatable tag sets. (An image that stays where it is linked is elf_place's.) */
#include <string.h>

#include "multiboot.h"

/* Is every frame of [base, base + n * gran) free? If not, *bad is the highest one that is
 * not: a candidate below must end at or below it. */
static bool mb_run_free(const struct frames *f, uint64_t base, uint64_t n, uint64_t *bad)
{
    for (uint64_t i = n; i-- > 0;) {
        bool free_ = false;
        uint64_t a = base + i * f->gran;
        if (frames_is_free(f, a, &free_) != ERR_OK || !free_) {
            *bad = a;
            return false;
        }
    }
    return true;
}

/* The highest base (a multiple of align) of n free frames in [above, below). */
static err_t mb_alloc_high(struct frames *f, uint64_t n, uint64_t align, uint64_t above,
                           uint64_t below, uint64_t *out)
{
    uint64_t bytes = n * f->gran, base, bad = 0;

    if (bytes / f->gran != n || below < bytes || below - bytes < above)
        return ERR_NO_MEMORY;
    base = (below - bytes) & ~(align - 1u);
    while (base >= above) {
        if (mb_run_free(f, base, n, &bad)) {
            *out = base;
            return ERR_OK;
        }
        if (bad < bytes)
            break;
        base = (bad - bytes) & ~(align - 1u);
    }
    return ERR_NO_MEMORY;
}

err_t mb_place_relocated(struct elf_info *info, const struct mb_header *h,
                         const struct elf_place_env *env)
{
    uint64_t gran, align, above, below, size, n, base = 0, delta;
    err_t e;

    if (!info || !h || !env || !env->frames || !env->map || (env->avoid_count && !env->avoid))
        return ERR_INVALID_ARG;
    if (info->err != ERR_OK || info->seg_count == 0 || info->seg_count > ELF_MAX_SEGMENTS)
        return elf_fail(info, ERR_INVALID_ARG, "image not validated");
    gran = env->frames->gran;
    if (!h->relocatable || h->min_addr > h->max_addr || (h->align & (h->align - 1u)))
        return elf_fail(info, ERR_INVALID_ARG, "no usable relocatable tag");
    align = h->align > gran ? h->align : gran;
    size = info->paddr_hi - info->paddr_lo;
    n = size / gran + (size % gran != 0);
    above = h->min_addr;
    for (uint32_t i = 0; i < env->avoid_count; i++)
        if (env->avoid[i].end > above)
            above = env->avoid[i].end;
    below = (uint64_t)h->max_addr + (h->max_addr == 0xffffffffu); /* "ends at or below" */
    if (below > ELF_LOAD_LIMIT)
        below = ELF_LOAD_LIMIT;
    if (h->preference == MB2_RELOC_HIGH) {
        e = mb_alloc_high(env->frames, n, align, above, below, &base);
        if (e == ERR_OK)
            e = frames_reserve_typed(env->frames, env->map, env->kernel_type, base, n);
    } else {
        e = frames_alloc_range(env->frames, n, align, above, below, &base);
        if (e == ERR_OK && (e = memmap_set_type(env->map, base, n * gran, env->kernel_type)))
            (void)frames_free(env->frames, base, n);
    }
    if (e != ERR_OK)
        return elf_fail(info, e, "relocatable kernel: no free run of %llu KiB aligned to 0x%llx "
                        "in 0x%llx-0x%llx", (unsigned long long)(size / 1024u),
                        (unsigned long long)align, (unsigned long long)above,
                        (unsigned long long)below);
    delta = base - info->paddr_lo;
    for (uint32_t i = 0; i < info->seg_count; i++)
        info->seg[i].load = info->seg[i].paddr + delta;
    info->load_lo = base;
    info->load_hi = info->paddr_hi + delta;
    info->relocated = delta != 0;
    int at = elf_segment_at(info, info->entry);
    if (at >= 0)
        info->entry_phys = info->entry - info->seg[at].vaddr + info->seg[at].load;
    return ERR_OK;
}
