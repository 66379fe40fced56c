/* modules.c: the entry's modules, read into free RAM beside the kernel: first every file
 * opened and sized (so a missing one, or too little RAM for all of them, stops the boot
 * before anything is read), then each placed and read in turn. */
#include <string.h>

#include "console.h"
#include "modules.h"

#define MODULES_BELOW FRAMES_BELOW_4G /* Multiboot's addresses are 32-bit */

/* Open one module: panics "module" when it is missing or a directory. */
static void modules_open(struct volume *vol, const char *path, struct volume_file *f)
{
    err_t e = volume_open(vol, path, f, "looking up a module");

    if (e == ERR_NOT_FOUND)
        panic("module", "module not found: no %s on the boot partition", path);
    if (e == ERR_OK && f->is_dir)
        panic("module", "module not found: %s is a directory", path);
    if (e != ERR_OK)
        panic("module", "module not found: cannot open %s: %s", path, err_str(e));
}

/* Frames a module of `size` bytes takes (at least one, so that every module has an address
 * of its own). */
static uint64_t modules_frames(uint64_t size, uint64_t gran)
{
    return size ? (size + gran - 1u) / gran : 1u;
}

/* The files exist, and fit in the free RAM below 4 GiB together. */
static void modules_check(struct memory *mem, struct volume *vol, const struct config_entry *e)
{
    uint64_t gran = mem->frames.gran, need = 0, have;
    struct volume_file f;

    for (const struct config_module *m = e->modules; m; m = m->next) {
        modules_open(vol, m->path, &f);
        need += modules_frames(f.size, gran);
    }
    have = frames_free_in(&mem->frames, 0, MODULES_BELOW);
    if (need > have)
        panic("module", "the modules need %llu KiB (%u files), and only %llu KiB of RAM is "
              "free below 4 GiB", (unsigned long long)(need * (gran >> 10)), e->module_count,
              (unsigned long long)(have * (gran >> 10)));
}

static void modules_read(struct modules *ms, struct memory *mem, struct volume *vol,
                         uint32_t i, const struct config_module *m, uint64_t align)
{
    uint64_t gran = mem->frames.gran, n, phys = 0, got = 0;
    struct volume_file f;
    err_t e;

    modules_open(vol, m->path, &f);
    n = modules_frames(f.size, gran);
    e = frames_alloc_typed(&mem->frames, &mem->map, E820_TYPE_KERNEL, n, align, MODULES_BELOW,
                           &phys);
    if (e != ERR_OK)
        panic("module", "no room for %s (%llu KiB): the largest free run below 4 GiB is %llu "
              "KiB (%s)", m->path, (unsigned long long)(n * (gran >> 10)),
              (unsigned long long)(frames_largest_run(&mem->frames, align, 0, MODULES_BELOW) *
                                   (gran >> 10)), err_str(e));
    e = f.size ? volume_read(vol, &f, 0, memory_ptr(NULL, phys, f.size), f.size, &got,
                             "reading a module")
               : ERR_OK;
    if (e != ERR_OK || got != f.size)
        panic("module", "cannot read %s: %s (%llu of %u bytes)", m->path,
              e != ERR_OK ? err_str(e) : "short read", (unsigned long long)got, f.size);
    ms->rec[i] = (struct multios_module){ .base = phys, .size = f.size };
    log_info("module %u: %s, %u bytes at 0x%llx-0x%llx \"%s\"", i + 1u, m->path, f.size,
             (unsigned long long)phys, (unsigned long long)(phys + f.size), m->cmdline);
}

void modules_load(struct modules *ms, struct memory *mem, struct volume *vol,
                  const struct config_entry *e, uint64_t align)
{
    uint64_t gran = mem->frames.gran, bytes;
    uint32_t i = 0;
    err_t err;

    memset(ms, 0, sizeof(*ms));
    ms->cfg = e->modules;
    if (!e->module_count)
        return;
    modules_check(mem, vol, e);
    if (align < gran)
        align = gran;
    bytes = (uint64_t)e->module_count * sizeof(struct multios_module);
    err = frames_alloc_typed(&mem->frames, &mem->map, E820_TYPE_BOOT_INFO,
                             (bytes + gran - 1u) / gran, 0, MODULES_BELOW, &ms->rec_phys);
    if (err != ERR_OK)
        panic("module", "cannot allocate the table of %u modules: %s", e->module_count,
              err_str(err));
    ms->rec = memory_ptr(NULL, ms->rec_phys, bytes);
    memset(ms->rec, 0, (size_t)bytes);
    ms->count = e->module_count;
    for (const struct config_module *m = e->modules; m; m = m->next, i++)
        modules_read(ms, mem, vol, i, m, align);
}
