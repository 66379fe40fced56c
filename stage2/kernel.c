/* kernel.c: the kernel step of stage2. The disk is read only through the FAT32 reader, and
 * the ELF file only through elf.h: validation sees the headers first, so nothing is copied
 * before the whole file has been judged, and segments are read straight from the file to
 * where they belong (no staging copy that could sit where the kernel wants to go). */
#include <string.h>

#include "console.h"
#include "kernel.h"
#include "mbr.h"

/* The headers are read in one go when they fit in the first read; elf.h says how much more
 * it needs, at most the ELF header plus ELF_MAX_PHNUM 64-byte program headers. */
#define KERNEL_HEADER_GUESS 4096u
#define KERNEL_HEADER_MAX   (64u + ELF_MAX_PHNUM * 64u)

/* Static, not from the heap: the kernel is read before the heap exists, so the heap can be
 * placed where the kernel is not. Also holds the partition table sector before that. */
static uint8_t kernel_hdr[KERNEL_HEADER_MAX];

static err_t kernel_disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    return disk_read(ctx, lba, count, buf);
}

static err_t kernel_file_read(void *ctx, uint64_t offset, void *dst, uint64_t len)
{
    struct kernel *k = ctx;
    uint64_t got = 0;
    err_t e = fat32_read(&k->fs, &k->file, offset, dst, len, &got);

    if (e == ERR_OK && got != len)
        return ERR_TRUNCATED;
    return e;
}

void kernel_mount(struct kernel *k, struct disk *disk)
{
    struct mbr_part part;
    uint8_t *sector = kernel_hdr;
    err_t e;

    k->disk = disk;
    e = disk_read(disk, 0, 1, sector);
    if (e == ERR_DISK_READ)
        disk_panic(disk, "reading the partition table");
    if (e != ERR_OK)
        panic("disk", "cannot read the partition table of drive 0x%x: %s", disk->drive,
              err_str(e));
    /* Disk size 0 = unchecked: AH=48h and CHS geometry both understate real disks. */
    e = mbr_find_fat32(sector, DISK_SECTOR_SIZE, 0, &part);
    if (e != ERR_OK)
        panic("disk", "no FAT32 partition on drive 0x%x: %s", disk->drive, err_str(e));
    log_info("disk: FAT32 partition %u at LBA %u, %u sectors", part.index, part.lba_start,
             part.lba_count);
    e = fat32_mount(&k->fs, kernel_disk_read, disk, part.lba_start, part.lba_count);
    if (e == ERR_DISK_READ)
        disk_panic(disk, "mounting the FAT32 partition");
    if (e != ERR_OK)
        panic("disk", "cannot mount the FAT32 partition: %s", err_str(e));
    log_info("fat32: %u-byte clusters, %u clusters", k->fs.cluster_bytes, k->fs.cluster_count);
}

/* The configuration file, read whole (it is small); static for the same reason as
 * kernel_hdr. */
static char kernel_cfg_text[CONFIG_FILE_MAX];

static void kernel_config_warn(void *ctx, const struct config_error *e)
{
    (void)ctx;
    /* A refused value leaves the default (a refused duplicate, the first value). */
    if (e->key != CONFIG_KEY_NONE && e->problem != CONFIG_DUPLICATE)
        log_warn("config: %s line %u: %s '%s': ignored, default kept", CONFIG_PATH, e->line,
                 config_problem_str(e->problem), e->key_text);
    else if (e->key_text[0])
        log_warn("config: %s line %u: %s '%s': ignored", CONFIG_PATH, e->line,
                 config_problem_str(e->problem), e->key_text);
    else
        log_warn("config: %s line %u: %s: ignored", CONFIG_PATH, e->line,
                 config_problem_str(e->problem));
}

/* One line per setting the file gave, in the file's terms. */
static void kernel_config_log(const struct config_file *cf)
{
    static const char *const level[] = { "error", "warn", "info", "debug" };
    const struct boot_config *c = &cf->cfg;

    for (unsigned key = 0; key < CONFIG_KEY_COUNT; key++) {
        const char *name = config_key_name((enum config_key)key);
        if (!(cf->set & (1u << key)))
            continue;
        switch (key) {
        case CONFIG_KEY_KERNEL:
            log_info("config: %s = %s", name, cf->kernel);
            break;
        case CONFIG_KEY_CMDLINE:
            log_info("config: %s = \"%s\"", name, cf->cmdline);
            break;
        case CONFIG_KEY_HEAP_SIZE:
            log_info("config: %s = %llu KiB", name, (unsigned long long)(c->heap_size >> 10));
            break;
        case CONFIG_KEY_FRAME_SIZE:
            log_info("config: %s = %llu KiB", name, (unsigned long long)(c->frame_gran >> 10));
            break;
        case CONFIG_KEY_HEAP_MIN:
            log_info("config: %s = 0x%llx", name, (unsigned long long)c->heap_min_addr);
            break;
        case CONFIG_KEY_MEMTEST:
            log_info("config: %s = %s", name, c->memtest ? "on" : "off");
            break;
        default:
            log_info("config: %s = %s", name, level[c->log_level & 3u]);
            break;
        }
    }
}

void kernel_config(struct kernel *k, struct config_file *cf)
{
    struct fat32_file f;
    uint64_t got = 0;
    err_t e;

    config_file_defaults(cf);
    e = fat32_open(&k->fs, CONFIG_PATH, &f);
    if (e == ERR_DISK_READ)
        disk_panic(k->disk, "looking up " CONFIG_PATH);
    if (e == ERR_NOT_FOUND) {
        log_info("config: no %s, defaults used (kernel %s)", CONFIG_PATH, cf->kernel);
        return;
    }
    if (e == ERR_OK && f.is_dir)
        e = ERR_INVALID_ARG;
    if (e != ERR_OK) {
        log_warn("config: cannot open %s: %s; defaults used", CONFIG_PATH, err_str(e));
        return;
    }
    if (f.size > CONFIG_FILE_MAX)
        log_warn("config: %s is %u bytes: only the first %u are read", CONFIG_PATH, f.size,
                 CONFIG_FILE_MAX);
    e = fat32_read(&k->fs, &f, 0, kernel_cfg_text,
                   f.size < CONFIG_FILE_MAX ? f.size : CONFIG_FILE_MAX, &got);
    if (e == ERR_DISK_READ)
        disk_panic(k->disk, "reading " CONFIG_PATH);
    if (e != ERR_OK) {
        log_warn("config: cannot read %s: %s; defaults used", CONFIG_PATH, err_str(e));
        return;
    }
    e = config_parse(kernel_cfg_text, (size_t)got, cf, kernel_config_warn, NULL);
    log_info("config: %s, %u bytes, %u lines, %u refused", CONFIG_PATH, (unsigned)got,
             cf->lines, cf->errors);
    kernel_config_log(cf);
}

void kernel_find(struct kernel *k, const char *path)
{
    uint64_t len, got = 0;
    struct disk *disk = k->disk;
    err_t e;

    k->path = path;
    e = fat32_open(&k->fs, path, &k->file);
    if (e == ERR_DISK_READ)
        disk_panic(disk, "looking up the kernel");
    if (e == ERR_NOT_FOUND)
        panic("kernel", "kernel not found: no %s on the boot partition", path);
    if (e == ERR_OK && k->file.is_dir)
        panic("kernel", "kernel not found: %s is a directory", path);
    if (e != ERR_OK)
        panic("kernel", "kernel not found: cannot open %s: %s", path, err_str(e));
    log_info("kernel: %s, %u bytes", path, k->file.size);

    len = k->file.size < KERNEL_HEADER_GUESS ? k->file.size : KERNEL_HEADER_GUESS;
    for (int pass = 0; pass < 2; pass++) {
        e = fat32_read(&k->fs, &k->file, 0, kernel_hdr, len, &got);
        if (e == ERR_DISK_READ)
            disk_panic(disk, "reading the kernel's headers");
        if (e != ERR_OK)
            panic("disk", "cannot read %s: %s", path, err_str(e));
        e = elf_validate_headers(kernel_hdr, got, k->file.size, &k->info);
        /* Program headers past the first read: elf.h says how many bytes it needs. */
        if (e == ERR_TRUNCATED && pass == 0 && k->info.headers_end > got &&
            k->info.headers_end <= k->file.size && k->info.headers_end <= KERNEL_HEADER_MAX) {
            len = k->info.headers_end;
            continue;
        }
        break;
    }
    if (e != ERR_OK)
        panic("kernel", "invalid ELF: %s", k->info.reason);
    if (k->info.paddr_hi > k->info.paddr_lo)
        k->keep_end = (k->info.paddr_hi + ELF_PAGE_SIZE - 1) & ~(uint64_t)(ELF_PAGE_SIZE - 1);
    log_info("kernel: ELF%u, entry 0x%llx, %u segments, virtual 0x%llx-0x%llx",
             k->info.elf_class == ELF_CLASS_64 ? 64u : 32u, (unsigned long long)k->info.entry,
             k->info.seg_count, (unsigned long long)k->info.vaddr_lo,
             (unsigned long long)k->info.vaddr_hi);
}

void kernel_place(struct kernel *k, struct memory *mem)
{
    /* Everything of the loader's below 0x80000; the bitmap, heap and page tables above 1 MiB
     * are frames in use, which elf_place refuses on its own. */
    static const struct elf_avoid avoid[] = {
        { 0, MEMORY_LOADER_LOW_END, "the loader" },
    };
    struct elf_place_env env = {
        .map = &mem->map,
        .frames = &mem->frames,
        .avoid = avoid,
        .avoid_count = sizeof(avoid) / sizeof(avoid[0]),
        .kernel_type = E820_TYPE_KERNEL,
    };
    err_t e;

    e = elf_place(&k->info, &env);
    if (e != ERR_OK)
        panic("kernel", "%s", k->info.reason);
    for (uint32_t i = 0; i < k->info.seg_count; i++) {
        const struct elf_segment *s = &k->info.seg[i];
        log_info("kernel: segment %u: 0x%llx+0x%llx -> phys 0x%llx (%c%c%c)", i,
                 (unsigned long long)s->vaddr, (unsigned long long)s->memsz,
                 (unsigned long long)s->load, s->flags & ELF_PF_R ? 'r' : '-',
                 s->flags & ELF_PF_W ? 'w' : '-', s->flags & ELF_PF_X ? 'x' : '-');
    }
    if (k->info.relocated)
        log_info("kernel: p_paddr not free or not usable: segments placed elsewhere");
}

void kernel_load(struct kernel *k)
{
    err_t e = elf_load(&k->info, kernel_file_read, k, memory_ptr, NULL);
    if (e == ERR_DISK_READ)
        disk_panic(k->disk, "loading the kernel's segments");
    if (e != ERR_OK)
        panic("kernel", "loading %s failed: %s (%s)", k->path, k->info.reason, err_str(e));
    log_info("kernel: loaded at 0x%llx-0x%llx", (unsigned long long)k->info.load_lo,
             (unsigned long long)k->info.load_hi);
}

/* Page-table frames: anywhere above the first MiB, below 4 GiB (CR3 is loaded from 32-bit
 * code), typed PAGE_TABLES in the map. */
static err_t kernel_pt_alloc(void *ctx, uint64_t *phys)
{
    struct memory *mem = ctx;
    return frames_alloc_typed(&mem->frames, &mem->map, E820_TYPE_PAGE_TABLES, 1, 0,
                              FRAMES_BELOW_4G, phys);
}

static void *kernel_pt_ptr(void *ctx, uint64_t phys)
{
    (void)ctx;
    return memory_ptr(NULL, phys, 4096);
}

void kernel_map(struct kernel *k, struct memory *mem, bool nx)
{
    static const char *const step_name[] = { "", "the root table", "the identity map",
                                             "the direct map", "kernel segment" };
    struct paging_segment seg[ELF_MAX_SEGMENTS];
    struct paging_plan_result res = { 0 };
    err_t e;

    for (uint32_t i = 0; i < k->info.seg_count; i++) {
        const struct elf_segment *s = &k->info.seg[i];
        seg[i] = (struct paging_segment){
            .virt = s->vaddr,
            .phys = s->load,
            .size = s->memsz,
            .flags = (s->flags & ELF_PF_W ? PAGING_WRITE : 0) |
                     (s->flags & ELF_PF_X ? PAGING_EXEC : 0),
        };
    }
    e = paging_plan_build(&k->pg, kernel_pt_alloc, kernel_pt_ptr, mem, nx,
                          PAGING_TABLES_BELOW_4G, &mem->map, PAGING_HHDM_OFFSET, seg,
                          k->info.seg_count, &res);
    if (e != ERR_OK)
        panic("paging", "building %s failed (index %d): %s",
              step_name[res.fail_step <= PAGING_STEP_KERNEL ? res.fail_step : 0],
              (int)res.fail_index, err_str(e));
    log_info("paging: CR3 0x%llx, %u tables, %llu 2 MiB + %llu 4 KiB pages, RAM mapped up to "
             "0x%llx, HHDM at 0x%llx%s",
             (unsigned long long)k->pg.root, k->pg.tables, (unsigned long long)k->pg.pages_2m,
             (unsigned long long)k->pg.pages_4k, (unsigned long long)res.identity_end,
             (unsigned long long)PAGING_HHDM_OFFSET, nx ? ", NX on" : "");
    if (res.clipped)
        log_warn("paging: %llu MiB of RAM above 64 TiB left unmapped",
                 (unsigned long long)(res.clipped >> 20));
}
