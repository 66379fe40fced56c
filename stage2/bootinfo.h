/* bootinfo.h (stage2): build struct multios_boot_info for the kernel, in frames of type
 * BOOT_INFO. Two steps around frames_seal(): allocate while allocation is still allowed,
 * then fill once the map can no longer change, so the map the kernel gets is the final one. */
#ifndef STAGE2_BOOTINFO_H
#define STAGE2_BOOTINFO_H

#include <stdint.h>

#include "elf.h"
#include "memory.h"
#include "modules.h"
#include "multios/bootinfo.h"
#include "video.h"

#define MULTIOS_LOADER_NAME    "MultiOS"
#define MULTIOS_LOADER_VERSION "0.1.0"

/* Where the structure and its arrays went. */
struct bootinfo {
    uint64_t phys;                   /* struct multios_boot_info (RDI / EBX at entry) */
    uint64_t bytes;                  /* whole allocation */
    uint32_t map_cap;                /* room for final-map entries */
    struct multios_boot_info *bi;
};

/* What the boot info says about the kernel and its entry state. */
struct bootinfo_kernel {
    uint32_t boot_drive;
    bool long_mode;
    uint64_t page_table_root;        /* 0 for 32-bit kernels */
    uint64_t hhdm_offset;            /* 0 for 32-bit kernels */
    uint64_t phys_base, phys_size;
    uint64_t entry;
    uint64_t stack_base, stack_size;
    const struct elf_segment *seg;   /* where each segment went (elf_place) */
    uint32_t seg_count;
    const char *cmdline;             /* the configured command line (NULL: none, as "") */
    const struct modules *mods;      /* loaded, their records to complete (NULL: none) */
    const struct video_mode *video;  /* the screen (video_set, before bootinfo_fill) */
};

/* Allocate (BOOT_INFO frames, below 4 GiB) room for the structure, the final map and the raw
 * E820 copy, whose sizes are known now. At most one more frame allocation (the boot heap) may
 * follow before bootinfo_fill. Panics "boot info". */
void bootinfo_alloc(struct bootinfo *b, struct memory *mem);

/* Fill it: the final map (mem->map frame-aligned), the raw table, the sanitize report, the
 * bitmap figures, the ACPI RSDP; the command line, the segment table and the modules' paths
 * and command lines from the boot heap (sized by what they hold, so they are the heap's to
 * carry), then the heap's figures. Call after frames_seal. Panics "boot info". */
void bootinfo_fill(struct bootinfo *b, struct memory *mem, const struct bootinfo_kernel *k);

/* Physical address of the ACPI RSDP ("RSD PTR " with valid checksums) in the EBDA's first
 * KiB or 0xE0000-0xFFFFF, 0 if none (ACPI spec 5.2.5.1). */
uint64_t bootinfo_find_rsdp(void);

#endif
