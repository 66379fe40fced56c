/* modules.h: the files an entry's `module` lines name, loaded beside the kernel by every
 * protocol: each at its own page-aligned (or more) run of free RAM below 4 GiB, typed KERNEL
 * in the map (the kernel-and-modules type), so none overlaps the kernel, the boot
 * information or another module. Their records are struct multios_module, in BOOT_INFO
 * frames: the native protocol hands that table over as it is; the Multiboot protocols
 * copy what they need into their own structures. */
#ifndef MODULES_H
#define MODULES_H

#include <stdint.h>

#include "config.h"
#include "memory.h"
#include "multios/bootinfo.h"
#include "volume.h"

struct modules {
    struct multios_module *rec;  /* count records (base, size; path and cmdline are the
                                    hand-off's to fill), NULL when there are none */
    uint64_t rec_phys;
    uint32_t count;
    const struct config_module *cfg; /* the entry's list, in the same order */
};

/* Load every module of entry e, in order, each at a multiple of `align` (a power of two; the
 * frame size when smaller). Call in a protocol's load, after the kernel's frames are taken.
 * Panics "module": a module that is missing or a directory, modules that need more RAM
 * than is free below 4 GiB or find no run of free frames big enough, a read that fails. */
void modules_load(struct modules *ms, struct memory *mem, struct volume *vol,
                  const struct config_entry *e, uint64_t align);

#endif
