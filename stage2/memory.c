/* memory.c: the memory step of stage2: detect (E820 through the thunk, or its fallbacks),
 * sanitize, log raw and sanitized tables and what was fixed; check, reserve and hold the
 * loader's low memory; then place the frame bitmap and the boot heap and log where they
 * went. The policy lives in the pure core (memmap, frames, lowmem, heap) and the BIOS
 * protocols (e820_detect); this file only wires them to the loader's addresses, the log and
 * the panics. */
#include <stdint.h>
#include <string.h>

#include "bios.h"
#include "console.h"
#include "memory.h"
#include "memtest.h"

void *memory_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    /* Paging is off and pointers are 32 bits: only [0, 4 GiB) is reachable. */
    if (phys >= FRAMES_BELOW_4G || bytes > FRAMES_BELOW_4G - phys)
        return NULL;
    return (void *)(uintptr_t)phys;
}

static const char *memory_source_name(uint32_t source)
{
    if (source & MULTIOS_BOOT_E820)
        return "INT 15h E820";
    if (source & MULTIOS_BOOT_E801)
        return "INT 15h E801";
    if (source & MULTIOS_BOOT_INT15_88)
        return "INT 15h 88h";
    return "built-in low-memory guess";
}

void memory_log_map(const char *title, const struct memmap *m)
{
    char buf[24];

    log_info("%s: %u entries", title, m->count);
    for (uint32_t i = 0; i < m->count; i++) {
        const struct e820_entry *e = &m->entry[i];
        log_info("  0x%016llx-0x%016llx %s", (unsigned long long)e->base,
                 (unsigned long long)(e->base + e->length - 1),
                 memmap_type_name(e->type, buf, sizeof(buf)));
    }
}

static void memory_log_raw(const struct e820_detect *d)
{
    char buf[24];

    log_info("e820 raw (%s): %u entries", memory_source_name(d->source), d->count);
    for (uint32_t i = 0; i < d->count; i++) {
        const struct e820_entry *e = &d->entry[i];
        /* base and length as the BIOS gave them: an entry may wrap, so no end here */
        if (d->size[i] >= 24)
            log_info("  0x%016llx +0x%016llx %s attr 0x%x", (unsigned long long)e->base,
                     (unsigned long long)e->length, memmap_type_name(e->type, buf, sizeof(buf)),
                     e->attr);
        else
            log_info("  0x%016llx +0x%016llx %s", (unsigned long long)e->base,
                     (unsigned long long)e->length, memmap_type_name(e->type, buf, sizeof(buf)));
    }
}

static void memory_log_report(const struct memmap_report *r)
{
    if (!r->overlaps && !r->zero_length && !r->type_zero && !r->wraps_clipped &&
        !r->attr_ignored && !r->merged && !r->unsorted) {
        log_info("e820 sanitize: nothing to fix");
        return;
    }
    log_info("e820 sanitize: %u overlaps resolved, %u zero-length and %u type-0 dropped, "
             "%u wraps clipped, %u disabled by attribute, %u merged%s",
             r->overlaps, r->zero_length, r->type_zero, r->wraps_clipped, r->attr_ignored,
             r->merged, r->unsorted ? ", input unsorted" : "");
}

/* Stage2 has been running in this memory since stage1 jumped to it, without a map to ask:
 * if the firmware now says part of it is not RAM (an EBDA or a BIOS work area below 0x80000,
 * on machines with less conventional memory), the kernel stack, the bounce buffer and the
 * loader-reclaimable range the kernel would be given cannot be trusted. Say so and stop. */
static void memory_check_low(const struct memmap *m)
{
    uint64_t bad = 0;
    const struct lowmem_part *p = lowmem_unusable(m, memory_low_parts(), MEMORY_LOW_PARTS, &bad);
    uint32_t type;
    char buf[24];

    if (!p)
        return;
    type = memmap_type_at(m, bad);
    panic("memory", "low memory 0x%llx-0x%llx for %s is not usable RAM: 0x%llx is %s (an "
          "EBDA below 0x%x?)", (unsigned long long)p->base, (unsigned long long)p->end,
          p->what, (unsigned long long)bad,
          type ? memmap_type_name(type, buf, sizeof(buf)) : "not in the map",
          MEMORY_LOADER_LOW_END);
}

void memory_detect(struct memory *mem, const struct bios_iface *bios)
{
    err_t e;

    e = e820_detect(bios, &mem->det);
    if (e != ERR_OK)
        panic("memory", "memory detection failed: %s", err_str(e));
    if (mem->det.reason)
        log_warn("e820: %s; %s (%s)", mem->det.reason, mem->det.fallback,
                 err_str(mem->det.e820_err));
    if (mem->det.quirks)
        log_info("e820: BIOS quirks worked around: 0x%x (%u calls)", mem->det.quirks,
                 mem->det.e820_calls);
    memory_log_raw(&mem->det);

    /* The bounce buffer is idle between BIOS calls: it is the sanitizer's scratch. */
    _Static_assert(MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) <= 0x10000u, "scratch fits the bounce");
    memmap_init(&mem->map, mem->map_entry, MEMMAP_MAX);
    e = memmap_sanitize(&mem->map, mem->det.entry, mem->det.size, mem->det.count, bios->bounce,
                        bios->bounce_size, &mem->report);
    if (e != ERR_OK)
        panic("memory", "sanitizing the memory map failed: %s", err_str(e));
    memory_log_report(&mem->report);
    memory_log_map("memory map (sanitized)", &mem->map);
    log_info("memory: %llu KiB usable, highest usable address 0x%llx",
             (unsigned long long)(memmap_usable_bytes(&mem->map) >> 10),
             (unsigned long long)memmap_highest_usable(&mem->map));
    if (memmap_usable_bytes(&mem->map) == 0)
        panic("memory", "the memory map has no usable RAM");
    memory_check_low(&mem->map);
}

/* The loader's low memory becomes LOADER_RECLAIMABLE, so that nothing (kernel relocation,
 * page tables) is ever allocated over stage2, its stacks or the bounce buffer. The map is
 * typed in 4 KiB pages, independent of the bitmap's frame size: with 2 MiB frames, rounding
 * [0, 0x80000) to frames left nothing (the frame [0, 2 MiB) is not all RAM), and the kernel
 * stack was reported as not usable RAM. Page 0 (IVT, BDA) goes with it: the allocator never
 * hands it out and a kernel that wants the BIOS data reads it before reclaiming. */
static void memory_reserve_low(struct memory *mem)
{
    struct memmap_range failed = { 0, 0 };
    err_t e = lowmem_reserve(&mem->frames, &mem->map, MEMORY_LOADER_LOW_END, MEMORY_PAGE,
                             &failed);

    if (e != ERR_OK)
        panic("memory", "cannot reserve the loader's low memory 0x%llx-0x%llx: %s",
              (unsigned long long)failed.base, (unsigned long long)failed.end, err_str(e));
    /* memory_detect checked that all of it was RAM, so now all of it is the loader's:
     * stage2, the kernel stack and the bounce buffer included. */
}

/* Conventional memory above the loader (0x80000 up to the EBDA) stays out of every loader
 * allocation (a relocated kernel, page tables, the boot info), which the allocator would
 * otherwise hand out first, lowest address first. It is held in the bitmap only, the map
 * keeps it usable, and memory_release_low gives it back before the hand-off. */
static void memory_hold_conventional(struct memory *mem)
{
    struct memmap_range failed = { 0, 0 };
    err_t e = lowmem_hold(&mem->frames, &mem->map, MEMORY_LOADER_LOW_END, MEMORY_ALLOC_MIN,
                          &mem->held, &failed);

    if (e != ERR_OK)
        panic("memory", "cannot hold conventional memory 0x%llx-0x%llx: %s",
              (unsigned long long)failed.base, (unsigned long long)failed.end, err_str(e));
}

void memory_release_low(struct memory *mem)
{
    struct memmap_range failed = { 0, 0 };
    err_t e = lowmem_release(&mem->frames, &mem->held, &failed);

    if (e != ERR_OK)
        panic("memory", "cannot release conventional memory 0x%llx-0x%llx: %s",
              (unsigned long long)failed.base, (unsigned long long)failed.end, err_str(e));
}

void memory_frames(struct memory *mem, const struct boot_config *cfg, uint64_t keep_end)
{
    struct frames_stats fs;
    uint64_t min = MEMORY_ALLOC_MIN;
    err_t e = ERR_NO_MEMORY;

    mem->cfg = *cfg;
    /* Above the kernel's range when it lies in reach; a failed frames_init changes nothing,
     * so the plain minimum is the fallback (a kernel asking for absurd addresses then gets
     * its error from elf_place, not from here). */
    if (keep_end > min && keep_end < FRAMES_BELOW_4G)
        e = frames_init(&mem->frames, &mem->map, cfg->frame_gran, keep_end, memory_ptr, NULL);
    if (e != ERR_OK)
        e = frames_init(&mem->frames, &mem->map, cfg->frame_gran, min, memory_ptr, NULL);
    if (e != ERR_OK)
        panic("frames", "no room for the frame bitmap: %s", err_str(e));
    frames_stats(&mem->frames, &fs);
    log_info("frames: bitmap at 0x%llx, %llu bytes (%u regions), %llu frames of %llu KiB, "
             "%llu free",
             (unsigned long long)mem->frames.storage_phys,
             (unsigned long long)mem->frames.storage_bytes, mem->frames.region_count,
             (unsigned long long)fs.total, (unsigned long long)(mem->frames.gran >> 10),
             (unsigned long long)fs.free);
    memory_reserve_low(mem);
    memory_hold_conventional(mem);
}

/* A configured heap_min above every free run big enough for the heap minimum (below 4 GiB,
 * where the heap must be) would stop the boot at the heap step: a setting in the config
 * file must not make the machine unbootable, so the default is used instead. */
static void memory_heap_fit(struct boot_config *c, const struct frames *f)
{
    uint64_t run;

    if (c->heap_min_addr == CONFIG_DEFAULT_HEAP_MIN_ADDR)
        return;
    run = frames_largest_run(f, c->heap_align, c->heap_min_addr, FRAMES_BELOW_4G) * f->gran;
    if (run >= c->heap_min_size)
        return;
    log_warn("config: heap_min 0x%llx leaves %llu KiB for the %llu KiB heap minimum: the "
             "default 0x%llx is used", (unsigned long long)c->heap_min_addr,
             (unsigned long long)(run >> 10), (unsigned long long)(c->heap_min_size >> 10),
             (unsigned long long)CONFIG_DEFAULT_HEAP_MIN_ADDR);
    c->heap_min_addr = CONFIG_DEFAULT_HEAP_MIN_ADDR;
}

void memory_heap(struct memory *mem)
{
    const struct boot_config *cfg = &mem->cfg;
    struct heap_stats hs;
    err_t e;

    memory_heap_fit(&mem->cfg, &mem->frames);
    e = heap_init(&mem->heap, &mem->frames, &mem->map, cfg, memory_ptr, NULL);
    if (e == ERR_TOO_SMALL)
        panic("boot heap", "not enough RAM for the boot heap: need %llu KiB, the largest free "
              "run above 0x%llx is %llu KiB",
              (unsigned long long)(cfg->heap_min_size >> 10),
              (unsigned long long)cfg->heap_min_addr,
              (unsigned long long)((frames_largest_run(&mem->frames, cfg->heap_align,
                                                       cfg->heap_min_addr, FRAMES_BELOW_4G) *
                                    mem->frames.gran) >> 10));
    if (e != ERR_OK)
        panic("boot heap", "cannot place the boot heap: %s", err_str(e));
    heap_stats(&mem->heap, &hs);
    if (mem->heap.shrunk)
        log_warn("heap: only %llu KiB fit of the %llu KiB asked for",
                 (unsigned long long)(hs.size >> 10), (unsigned long long)(cfg->heap_size >> 10));
    log_info("heap: 0x%llx-0x%llx (%llu KiB)", (unsigned long long)mem->heap.base,
             (unsigned long long)(mem->heap.base + hs.size - 1),
             (unsigned long long)(hs.size >> 10));
}

static uint32_t memory_read32(void *ctx, uint64_t addr)
{
    (void)ctx;
    return *(volatile uint32_t *)(uintptr_t)addr;
}

static void memory_write32(void *ctx, uint64_t addr, uint32_t value)
{
    (void)ctx;
    *(volatile uint32_t *)(uintptr_t)addr = value;
}

void memory_test(struct memory *mem)
{
    static const struct memtest_ops ops = { memory_read32, memory_write32, NULL };
    struct memtest_report rep;
    err_t e;

    if (!mem->cfg.memtest)
        return;
    /* Free frames below 4 GiB only: stage2 cannot reach the rest with paging off. */
    e = memtest_run(&ops, &mem->frames, &mem->map, 0, FRAMES_BELOW_4G, &rep);
    if (e != ERR_OK && e != ERR_MEMTEST_FAILED)
        panic("memtest", "memory test could not run: %s", err_str(e));
    log_info("memtest: %llu frames tested, %llu skipped, %llu bad",
             (unsigned long long)rep.frames_tested, (unsigned long long)rep.frames_skipped,
             (unsigned long long)rep.bad_frames);
    for (uint32_t i = 0; i < rep.first_bad_count; i++)
        log_warn("memtest: bad frame at 0x%llx, now marked unusable",
                 (unsigned long long)rep.first_bad[i]);
}
