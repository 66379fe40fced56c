/* bootcheck_map.c: the final map itself (sorted, non-overlapping, merged, whole frames) and
 * where the loader put things in it: boot info, heap, stack, kernel image, RSDP. */
#include "bootcheck_int.h"
#include "kio.h"

uint64_t bc_last(const struct multios_mmap_entry *e)
{
    return e->base + (e->length - 1);
}

int bc_find(const struct bc *s, uint64_t addr)
{
    if (!s->map)
        return -1;
    for (uint32_t i = 0; i < s->count; i++)
        if (s->map[i].length && s->map[i].base <= addr && addr <= bc_last(&s->map[i]))
            return (int)i;
    return -1;
}

uint32_t bc_range_type(const struct bc *s, uint64_t base, uint64_t len)
{
    int i = bc_find(s, base);
    if (i < 0 || len == 0)
        return 0;
    uint64_t last = base + (len - 1);
    if (last < base || last > bc_last(&s->map[i]))
        return 0;
    return s->map[i].type;
}

static bool usable_or_loader(uint32_t type)
{
    return type == MULTIOS_MEM_USABLE || MULTIOS_MEM_IS_LOADER(type);
}

void bc_check_map(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    if (bi->mmap_entry_size != sizeof(struct multios_mmap_entry)) {
        bc_fail(s, "mmap_entry_size", "%u, want %u", bi->mmap_entry_size,
                (unsigned)sizeof(struct multios_mmap_entry));
        return;
    }
    if (bi->mmap_count == 0 || bi->mmap_count > BC_MAP_MAX) {
        bc_fail(s, "mmap_count", "%u not in 1..%u", bi->mmap_count, BC_MAP_MAX);
        return;
    }
    s->map = s->env->phys(bi->mmap, (uint64_t)bi->mmap_count * sizeof(struct multios_mmap_entry));
    if (!s->map) {
        bc_fail(s, "mmap", "0x%lx not reachable", bi->mmap);
        return;
    }
    s->count = bi->mmap_count;
    s->map_ok = true;

    bool usable = false;
    for (uint32_t i = 0; i < s->count; i++) {
        const struct multios_mmap_entry *e = &s->map[i];
        if (e->length == 0 || e->type == 0 || bc_last(e) < e->base) {
            bc_fail(s, "mmap entry", "#%u 0x%lx 0x%lx %u: empty, type 0 or wraps", i, e->base,
                    e->length, e->type);
            s->map_ok = false;
            continue;
        }
        if (e->attr != MULTIOS_MEM_ATTR_ENABLED)
            bc_fail(s, "mmap attr", "#%u at 0x%lx: attr 0x%x, want enabled (1)", i, e->base,
                    e->attr);
        if (i > 0 && s->map[i - 1].length) {
            const struct multios_mmap_entry *p = &s->map[i - 1];
            if (e->base <= bc_last(p)) {
                bc_fail(s, "mmap order", "#%u at 0x%lx starts before #%u ends (0x%lx)", i,
                        e->base, i - 1, bc_last(p));
                s->map_ok = false;
            } else if (e->base == bc_last(p) + 1 && e->type == p->type &&
                       e->type != MULTIOS_MEM_PRAM && e->type != 0xefffffffu) {
                bc_fail(s, "mmap merged", "#%u and #%u touch with the same type %u", i - 1, i,
                        e->type);
            }
        }
        /* The kernel may allocate usable and loader memory, so it must come in whole
         * frames; firmware-reserved entries stay byte-exact. */
        if (usable_or_loader(e->type) && ((e->base | e->length) & (BC_PAGE - 1)))
            bc_fail(s, "mmap frames", "#%u 0x%lx 0x%lx type %u is not whole 4 KiB frames", i,
                    e->base, e->length, e->type);
        if (e->type == MULTIOS_MEM_USABLE)
            usable = true;
    }
    if (!usable)
        bc_fail(s, "mmap usable", "no usable entry");
}

static void expect_type(struct bc *s, const char *what, uint64_t base, uint64_t len,
                        uint32_t type)
{
    uint32_t got = bc_range_type(s, base, len);
    if (got != type)
        bc_fail(s, what, "[0x%lx, +0x%lx) is type 0x%x, want 0x%x (one entry)", base, len, got,
                type);
}

/* Loader data the boot info points to (strings, tables) lives in the boot heap or in the
 * boot-info frames: memory the kernel is told it owns, never usable. */
static void expect_loader_data(struct bc *s, const char *what, uint64_t base, uint64_t len)
{
    uint32_t got = bc_range_type(s, base, len);
    if (got != MULTIOS_MEM_BOOT_HEAP && got != MULTIOS_MEM_BOOT_INFO)
        bc_fail(s, what, "[0x%lx, +0x%lx) is type 0x%x, want boot heap or boot info (one "
                "entry)", base, len, got);
}

static void check_cmdline(struct bc *s)
{
    uint64_t pa = s->bi->cmdline;
    if (pa == 0) {
        kio_printf("bootinfo: cmdline none\n");
        return;
    }
    expect_loader_data(s, "cmdline", pa, 1);
    const char *str = s->env->phys(pa, 4096);
    if (!str) {
        bc_fail(s, "cmdline", "0x%lx not reachable", pa);
        return;
    }
    for (unsigned i = 0; i < 4096; i++)
        if (str[i] == '\0') {
            kio_printf("bootinfo: cmdline \"%s\"\n", str);
            return;
        }
    bc_fail(s, "cmdline", "no NUL in the first 4 KiB");
}

void bc_check_locations(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    if (!s->map)
        return;
    expect_type(s, "boot_info location", s->env->boot_info, sizeof *bi, MULTIOS_MEM_BOOT_INFO);
    expect_type(s, "mmap location", bi->mmap,
                (uint64_t)bi->mmap_count * sizeof(struct multios_mmap_entry),
                MULTIOS_MEM_BOOT_INFO);
    if (bi->e820_raw_count)
        expect_type(s, "e820_raw location", bi->e820_raw,
                    (uint64_t)bi->e820_raw_count * sizeof(struct multios_mmap_entry),
                    MULTIOS_MEM_BOOT_INFO);
    check_cmdline(s);

    const struct multios_heap_info *h = &bi->heap;
    if (h->size == 0)
        bc_fail(s, "heap", "size 0");
    else
        expect_type(s, "heap location", h->base, h->size, MULTIOS_MEM_BOOT_HEAP);
    if (h->used > h->size || h->peak < h->used || h->peak > h->size)
        bc_fail(s, "heap stats", "used 0x%lx peak 0x%lx size 0x%lx inconsistent", h->used,
                h->peak, h->size);
    /* The loader keeps the command line and the segment table in its heap. */
    if (h->allocations == 0 || h->used == 0)
        bc_fail(s, "heap allocations", "%u allocations, 0x%lx bytes used: the loader's heap "
                "figures are not real", h->allocations, h->used);

    /* Contract: a 64 KiB stack in LOADER_RECLAIMABLE memory, entered as if called: the
     * stack pointer is its top less one return address (8 bytes, 4 in protected mode). */
    if (bi->stack_size < 0x10000)
        bc_fail(s, "stack size", "0x%lx, want at least 64 KiB", bi->stack_size);
    else
        expect_type(s, "stack location", bi->stack_base, bi->stack_size,
                    MULTIOS_MEM_LOADER_RECLAIMABLE);
    uint64_t pa;
    uint64_t ret = s->env->long_mode ? 8u : 4u;
    uint64_t top = s->env->sp + ret; /* the sp the kernel saw is below the return address */
    if (!bc_translate(s, top - 1, &pa))
        bc_fail(s, "stack pointer", "sp 0x%lx: its return address is not mapped", s->env->sp);
    else if (pa + 1 != bi->stack_base + bi->stack_size)
        bc_fail(s, "stack pointer", "sp 0x%lx + %lu (phys 0x%lx) is not stack_base + "
                "stack_size", s->env->sp, ret, pa + 1);
    else if (bc_range_type(s, pa, 1) == MULTIOS_MEM_USABLE)
        bc_fail(s, "stack pointer", "stack at 0x%lx is in usable memory", pa);
}

void bc_check_kernel(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    const struct bootcheck_env *env = s->env;
    if (bi->kernel_entry != env->entry)
        bc_fail(s, "kernel_entry", "0x%lx, our entry is 0x%lx", bi->kernel_entry, env->entry);
    if (bi->kernel_phys_size < env->image_end - env->image_start) {
        bc_fail(s, "kernel_phys_size", "0x%lx, smaller than our image 0x%lx",
                bi->kernel_phys_size, env->image_end - env->image_start);
        return;
    }
    if (!s->map)
        return;
    expect_type(s, "kernel location", bi->kernel_phys_base, bi->kernel_phys_size,
                MULTIOS_MEM_KERNEL);

    /* Every page of our image, .bss included, as the CPU sees it: in KERNEL memory and inside
     * what the boot info calls the image. */
    uint64_t kend = bi->kernel_phys_base + bi->kernel_phys_size;
    for (uint64_t va = env->image_start & ~(uint64_t)(BC_PAGE - 1); va < env->image_end;
         va += BC_PAGE) {
        uint64_t pa;
        if (!bc_translate(s, va, &pa)) {
            bc_fail(s, "kernel image", "page 0x%lx not mapped", va);
            return;
        }
        if (pa < bi->kernel_phys_base || pa >= kend ||
            bc_range_type(s, pa, 1) != MULTIOS_MEM_KERNEL) {
            bc_fail(s, "kernel image", "page 0x%lx is at phys 0x%lx, type 0x%x, outside the "
                    "KERNEL image [0x%lx, 0x%lx)", va, pa, bc_range_type(s, pa, 1),
                    bi->kernel_phys_base, kend);
            return;
        }
    }
    kio_printf("%s: image 0x%lx-0x%lx in KERNEL memory at 0x%lx\n", env->name, env->image_start,
               env->image_end, bi->kernel_phys_base);
}

/* The segment table: where each PT_LOAD went. Each must be KERNEL memory inside the image the
 * boot info describes; a 64-bit kernel's pages must map there (the CPU's view), a 32-bit
 * kernel's must be at p_paddr (paging is off). */
void bc_check_segments(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    const struct multios_segment *t;
    uint64_t kend = bi->kernel_phys_base + bi->kernel_phys_size;

    if (bi->segment_count == 0 || bi->segment_count > 64 ||
        bi->segment_entry_size != sizeof(struct multios_segment)) {
        bc_fail(s, "segments", "count %u (want 1..64), entry size %u (want %u)",
                bi->segment_count, bi->segment_entry_size,
                (unsigned)sizeof(struct multios_segment));
        return;
    }
    t = s->env->phys(bi->segments, (uint64_t)bi->segment_count * sizeof(*t));
    if (!t) {
        bc_fail(s, "segments", "table at 0x%lx not reachable", bi->segments);
        return;
    }
    if (s->map)
        expect_loader_data(s, "segments location", bi->segments,
                           (uint64_t)bi->segment_count * sizeof(*t));
    for (uint32_t i = 0; i < bi->segment_count; i++) {
        const struct multios_segment *g = &t[i];
        kio_printf("segment: %u vaddr 0x%lx phys 0x%lx memsz 0x%lx paddr 0x%lx flags 0x%x\n",
                   i, g->vaddr, g->phys, g->memsz, g->paddr, g->flags);
        if (g->memsz == 0 || g->phys < bi->kernel_phys_base || g->phys + g->memsz > kend ||
            (s->map && bc_range_type(s, g->phys, g->memsz) != MULTIOS_MEM_KERNEL)) {
            bc_fail(s, "segment", "#%u [0x%lx, +0x%lx) not in the KERNEL image [0x%lx, 0x%lx)",
                    i, g->phys, g->memsz, bi->kernel_phys_base, kend);
            return;
        }
        if (!s->env->long_mode) {
            if (g->phys != g->paddr)
                bc_fail(s, "segment", "#%u at 0x%lx, not at its p_paddr 0x%lx (paging off)", i,
                        g->phys, g->paddr);
            continue;
        }
        for (uint64_t off = 0; off < g->memsz; off += BC_PAGE) {
            uint64_t pa;
            if (!bc_translate(s, g->vaddr + off, &pa) || pa != g->phys + off) {
                bc_fail(s, "segment", "#%u: 0x%lx does not map to 0x%lx", i, g->vaddr + off,
                        g->phys + off);
                return;
            }
        }
    }
}

void bc_check_rsdp(struct bc *s)
{
    uint64_t pa = s->bi->rsdp;
    if (pa == 0) {
        bc_fail(s, "rsdp", "not found (SeaBIOS always provides one)");
        return;
    }
    const uint8_t *r = s->env->phys(pa, 36);
    if (!r) {
        bc_fail(s, "rsdp", "0x%lx not reachable", pa);
        return;
    }
    if (memcmp(r, "RSD PTR ", 8) != 0) {
        bc_fail(s, "rsdp", "no \"RSD PTR \" at 0x%lx", pa);
        return;
    }
    uint8_t sum = 0;
    for (unsigned i = 0; i < 20; i++)
        sum = (uint8_t)(sum + r[i]);
    if (sum != 0)
        bc_fail(s, "rsdp", "checksum of the first 20 bytes is 0x%x", sum);
    kio_printf("%s: rsdp at 0x%lx revision %u\n", s->env->name, pa, r[15]);
}
