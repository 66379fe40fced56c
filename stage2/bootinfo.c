/* bootinfo.c: the hand-off structure. Layout of the BOOT_INFO allocation:
 *   [struct multios_boot_info][final map: map_cap entries][raw E820: count entries]
 * The command line and the segment table are allocated from the boot heap. All addresses in
 * it are physical (identity-mapped for a 64-bit kernel, and at hhdm_offset + phys too). */
#include <string.h>

#include "bootinfo.h"
#include "console.h"
#include "rsdp_find.h"

static uint64_t bootinfo_align8(uint64_t v)
{
    return (v + 7u) & ~7ull;
}

/* The raw copy and the final map are placed right after the structure, in this order. */
static uint64_t bootinfo_raw_offset(const struct bootinfo *b)
{
    return bootinfo_align8(sizeof(struct multios_boot_info)) +
           (uint64_t)b->map_cap * sizeof(struct multios_mmap_entry);
}

void bootinfo_alloc(struct bootinfo *b, struct memory *mem)
{
    uint64_t gran = mem->frames.gran;
    uint64_t raw_bytes = (uint64_t)mem->det.count * sizeof(struct multios_mmap_entry);
    err_t e;

    /* This allocation and the heap's, which follows, split at most one map entry in three
     * each (+4); frame_align only drops entries. Four more for good measure. */
    b->map_cap = mem->map.count + 8;
    b->bytes = bootinfo_raw_offset(b) + bootinfo_align8(raw_bytes);
    e = frames_alloc_typed(&mem->frames, &mem->map, E820_TYPE_BOOT_INFO,
                           (b->bytes + gran - 1) / gran, 0, FRAMES_BELOW_4G, &b->phys);
    if (e != ERR_OK)
        panic("boot info", "cannot allocate %llu bytes for the boot info: %s",
              (unsigned long long)b->bytes, err_str(e));
    b->bi = memory_ptr(NULL, b->phys, b->bytes);
    memset(b->bi, 0, (size_t)b->bytes);
}

uint64_t bootinfo_find_rsdp(void)
{
    return rsdp_find(memory_ptr, NULL); /* paging is off: the first MiB is where it is */
}

/* A heap copy of a string for the kernel: its physical address. Panics "boot info". */
static uint64_t bootinfo_heap_str(struct memory *mem, const char *src)
{
    size_t n = strlen(src) + 1;
    char *p = heap_alloc(&mem->heap, n, 1);

    if (!p)
        panic("boot info", "boot heap: no room for a %u-byte string", (unsigned)n);
    memcpy(p, src, n);
    return heap_phys(&mem->heap, p);
}

/* The segment table: where each PT_LOAD went. Panics "boot info". */
static void bootinfo_segments(struct multios_boot_info *bi, struct memory *mem,
                              const struct bootinfo_kernel *k)
{
    struct multios_segment *t;

    bi->segment_entry_size = sizeof(*t);
    if (!k->seg_count)
        return;
    t = heap_alloc_zeroed(&mem->heap, (uint64_t)k->seg_count * sizeof(*t), 8);
    if (!t)
        panic("boot info", "boot heap: no room for %u segment records", k->seg_count);
    for (uint32_t i = 0; i < k->seg_count; i++)
        t[i] = (struct multios_segment){ .vaddr = k->seg[i].vaddr, .phys = k->seg[i].load,
                                         .memsz = k->seg[i].memsz, .paddr = k->seg[i].paddr,
                                         .flags = k->seg[i].flags };
    bi->segments = heap_phys(&mem->heap, t);
    bi->segment_count = k->seg_count;
}

/* The module table (in BOOT_INFO frames since the modules were loaded): each record's path
 * and command line, copied to the boot heap. */
static void bootinfo_modules(struct multios_boot_info *bi, struct memory *mem,
                             const struct modules *ms)
{
    const struct config_module *m = ms ? ms->cfg : NULL;

    bi->module_entry_size = sizeof(struct multios_module);
    if (!ms || !ms->count)
        return;
    for (uint32_t i = 0; i < ms->count && m; i++, m = m->next) {
        ms->rec[i].path = bootinfo_heap_str(mem, m->path);
        ms->rec[i].cmdline = bootinfo_heap_str(mem, m->cmdline);
    }
    bi->modules = ms->rec_phys;
    bi->module_count = ms->count;
}

static void bootinfo_copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void bootinfo_fill(struct bootinfo *b, struct memory *mem, const struct bootinfo_kernel *k)
{
    struct multios_boot_info *bi = b->bi;
    uint8_t *base = (uint8_t *)bi;
    uint64_t map_off = bootinfo_align8(sizeof(*bi));
    uint64_t raw_off = bootinfo_raw_offset(b);
    struct memmap final;
    err_t e;

    bi->magic = MULTIOS_BOOTINFO_MAGIC;
    bi->version = MULTIOS_BOOTINFO_VERSION;
    bi->size = sizeof(*bi);
    bootinfo_copy_str(bi->loader_name, sizeof(bi->loader_name), MULTIOS_LOADER_NAME);
    bootinfo_copy_str(bi->loader_version, sizeof(bi->loader_version), MULTIOS_LOADER_VERSION);
    bi->boot_drive = k->boot_drive;
    bi->flags = mem->det.source | (k->long_mode ? MULTIOS_BOOT_LONG_MODE : 0);
    /* The configuration's command line ("" without one): always a string, never 0. */
    bi->cmdline = bootinfo_heap_str(mem, k->cmdline ? k->cmdline : "");
    bootinfo_segments(bi, mem, k);
    bootinfo_modules(bi, mem, k->mods);
    bi->rsdp = bootinfo_find_rsdp();
    bi->hhdm_offset = k->hhdm_offset;
    bi->page_table_root = k->page_table_root;
    bi->kernel_phys_base = k->phys_base;
    bi->kernel_phys_size = k->phys_size;
    bi->kernel_entry = k->entry;
    bi->stack_base = k->stack_base;
    bi->stack_size = k->stack_size;
    video_bootinfo(k->video, &bi->framebuffer);

    /* The final map: every loader allocation is already written back into mem->map; usable
     * and loader entries are cut to whole frames here. */
    final.entry = (struct e820_entry *)(base + map_off);
    final.count = 0;
    final.capacity = b->map_cap;
    e = memmap_frame_align(&mem->map, mem->frames.gran, &final);
    if (e != ERR_OK)
        panic("boot info", "cannot build the final memory map: %s", err_str(e));
    /* Every entry that survived sanitizing is enabled (disabled ones were dropped), so say
     * so: a kernel applying the ACPI 3.0 rule to 24-byte entries must not drop the map. */
    for (uint32_t i = 0; i < final.count; i++)
        final.entry[i].attr = MULTIOS_MEM_ATTR_ENABLED;
    bi->mmap = b->phys + map_off;
    bi->mmap_count = final.count;
    bi->mmap_entry_size = sizeof(struct multios_mmap_entry);

    memcpy(base + raw_off, mem->det.entry, (size_t)mem->det.count * 24u);
    bi->e820_raw = b->phys + raw_off;
    bi->e820_raw_count = mem->det.count;
    bi->e820_raw_entry_size = sizeof(struct multios_mmap_entry);

    bi->sanitize = (struct multios_sanitize_report){
        .overlaps = mem->report.overlaps,
        .zero_length = mem->report.zero_length,
        .type_zero = mem->report.type_zero,
        .wraps_clipped = mem->report.wraps_clipped,
        .attr_ignored = mem->report.attr_ignored,
        .merged = mem->report.merged,
        .unsorted = mem->report.unsorted ? 1u : 0u,
    };
    frames_info(&mem->frames, &bi->frames);
    heap_info(&mem->heap, &bi->heap);

    memory_log_map("memory map (final)", &final);
    log_info("frames: sealed with %llu of %llu frames free",
             (unsigned long long)bi->frames.frames_free,
             (unsigned long long)bi->frames.frames_total);
    log_info("heap: %u allocations, %llu bytes in use (command line, %u segment records, %u "
             "modules' strings)", bi->heap.allocations, (unsigned long long)bi->heap.used,
             bi->segment_count, bi->module_count);
    log_info("boot info at 0x%llx (%llu bytes), RSDP %s0x%llx",
             (unsigned long long)b->phys, (unsigned long long)b->bytes,
             bi->rsdp ? "at " : "not found, ", (unsigned long long)bi->rsdp);
}
