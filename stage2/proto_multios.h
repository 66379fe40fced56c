/* proto_multios.h: the native protocol's state (proto_multios.c): an ELF32 or ELF64 kernel
 * handed struct multios_boot_info. */
#ifndef PROTO_MULTIOS_H
#define PROTO_MULTIOS_H

#include "bootinfo.h"
#include "elf.h"
#include "handoff.h"
#include "modules.h"
#include "paging.h"

struct proto_multios_state {
    struct elf_info elf;      /* validated, then placed */
    struct paging pg;         /* 64-bit kernels: the tables handed over in CR3 */
    struct bootinfo info;     /* where the boot info went */
    struct bootinfo_kernel k; /* what it says about the kernel and its entry state */
    struct modules mods;      /* the entry's modules, loaded */
    struct handoff_long jump; /* 64-bit kernels: read by handoff.asm (identity-mapped) */
};

#endif
