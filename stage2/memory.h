/* memory.h: stage2's memory step: the firmware map (E820 or a fallback), sanitized, then the
 * frame bitmap and the boot heap placed in it. Everything the later steps allocate goes
 * through mem->frames and is written back into mem->map under a loader type. */
#ifndef MEMORY_H
#define MEMORY_H

#include <stdint.h>

#include "bios.h"
#include "config.h"
#include "e820_detect.h"
#include "frames.h"
#include "heap.h"
#include "layout.h" /* MEMORY_LOADER_LOW_BASE/END, MEMORY_KERNEL_STACK_BASE/SIZE */
#include "lowmem.h"
#include "memmap.h"

/* The loader's low memory is typed in pages, whatever the frame size (lowmem_reserve). */
#define MEMORY_PAGE 0x1000u
/* The bitmap and everything allocated later stay above the first MiB. */
#define MEMORY_ALLOC_MIN 0x100000ull

struct memory {
    struct e820_detect det;                /* the raw table, in the firmware's order */
    struct memmap_report report;           /* what sanitizing fixed */
    struct memmap map;                     /* sanitized; loader types written back */
    struct e820_entry map_entry[MEMMAP_MAX];
    struct boot_config cfg;
    struct frames frames;
    struct lowmem_held held;               /* conventional memory kept from allocations */
    struct heap heap;
};

/* The parts of low memory stage2 uses without asking the map (contract), in address order.
 * memory_detect panics "memory" if any of them is not usable RAM (lowmem_unusable). */
#define MEMORY_LOW_PARTS 3u
static inline const struct lowmem_part *memory_low_parts(void)
{
    static const struct lowmem_part parts[MEMORY_LOW_PARTS] = {
        { MEMORY_LOADER_LOW_BASE, MEMORY_KERNEL_STACK_BASE, "stage2 and its stacks" },
        { MEMORY_KERNEL_STACK_BASE, MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE,
          "the kernel stack" },
        { BOUNCE_PHYS, BOUNCE_PHYS + BOUNCE_SIZE, "the BIOS bounce buffer" },
    };
    return parts;
}
_Static_assert(BOUNCE_PHYS + BOUNCE_SIZE == MEMORY_LOADER_LOW_END, "the parts end at 0x80000");
_Static_assert(MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE == BOUNCE_PHYS,
               "the parts are contiguous");

/* Physical range -> pointer: stage2 runs with paging off, so the identity below 4 GiB and
 * NULL for anything it cannot reach. Matches frames_ptr_fn and elf_phys_fn. */
void *memory_ptr(void *ctx, uint64_t phys, uint64_t bytes);

/* E820 (or a fallback) through the thunk, sanitize, log both tables and the fixes. Panics
 * ("memory") if no usable RAM is left or if the low memory stage2 already uses is not all
 * usable RAM (memory_low_parts). The sanitizer's scratch is the bounce buffer. */
void memory_detect(struct memory *mem, const struct bios_iface *bios);

/* Frame bitmap (placed at or above MEMORY_ALLOC_MIN and, when it can be, above `keep_end`:
 * the end of the physical range the kernel asks for, so the loader's data never sits where
 * a kernel linked at fixed addresses must go), then the loader's low memory
 * [0, MEMORY_LOADER_LOW_END) reserved as LOADER_RECLAIMABLE in MEMORY_PAGE pages
 * (lowmem_reserve), and usable RAM from there to MEMORY_ALLOC_MIN held out of the allocator
 * until memory_release_low (lowmem_hold). Logs placement and sizes. Panics "frames", or
 * "memory" if the low memory cannot be reserved or held. */
void memory_frames(struct memory *mem, const struct boot_config *cfg, uint64_t keep_end);

/* Give back the conventional memory above 0x80000 that memory_frames held out of the
 * loader's allocations (the bitmap then agrees with the map: it is usable). Call last
 * before frames_seal. */
void memory_release_low(struct memory *mem);

/* With cfg.memtest: test the free frames below 4 GiB (memtest.h); bad ones become
 * unusable in the bitmap and the map. Right after the bitmap, so the kernel, the page tables
 * and the heap all land on tested RAM. */
void memory_test(struct memory *mem);

/* The boot heap, after the kernel has its frames. A configured heap_min that leaves no free
 * run for the heap minimum below 4 GiB falls back to the default, with a warning: a setting
 * must not make the machine unbootable. Panics "boot heap" when RAM is below the heap
 * minimum. */
void memory_heap(struct memory *mem);

/* Log the map with a title, one entry a line (LOG_INFO). */
void memory_log_map(const char *title, const struct memmap *m);

#endif
