/* frames.h: the physical frame allocator: one bit per frame of usable RAM (a set bit is a used
 * frame), grouped in regions so its size follows usable RAM, not the highest address (QEMU's
 * reserved range at 1 TiB costs nothing). The kernel can adopt it as is: the region table is
 * struct multios_frame_region from multios/bootinfo.h.
 *
 * Pure core. Addresses are physical (uint64_t). The allocator reads and writes its bitmap
 * only through the pointer that the caller's frames_ptr_fn returns for its physical range; in
 * stage2 that is the identity (the bitmap is placed below 4 GiB), in host tests a buffer.
 *
 * Storage layout (placed by frames_init in the first usable frames at/above min_addr that
 * hold it and end at or below 4 GiB; marked used in the bitmap and E820_TYPE_FRAME_BITMAP in
 * the map):
 *     [bits: words of uint64_t][region table: struct multios_frame_region[region_count]]
 * Each region's bits start on a 64-bit word (bit_offset % 64 == 0); the unused tail bits of a
 * region's last word are set (used) and never change. Regions are sorted by base, so bit
 * order is address order. Every usable (type 1) map entry becomes one region: the entry's
 * start rounded up and end rounded down to whole frames (memmap_usable_ranges); the bitmap's
 * own frames are covered too (used), so a kernel that copies it can free them.
 *
 * Mutating calls fail with ERR_SEALED after frames_seal() (the map was handed off). Every
 * call that fails changes nothing. */
#ifndef FRAMES_H
#define FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "memmap.h"
#include "pc.h"
#include "multios/bootinfo.h"

/* Returns a pointer through which the physical range [phys, phys + bytes) can be read and
 * written, or NULL if it cannot be reached (the caller then gets ERR_NOT_USABLE). In stage2:
 * (void *)(uintptr_t)phys. */
typedef void *(*frames_ptr_fn)(void *ctx, uint64_t phys, uint64_t bytes);

/* Common `below` limits for frames_alloc: the allocation must END at or below the limit. */
#define FRAMES_BELOW_1M  ((uint64_t)PC_HIGH_MEM) /* real-mode buffers */
#define FRAMES_BELOW_4G  0x100000000ull     /* reachable from 32-bit code */
#define FRAMES_ANYWHERE  UINT64_MAX

struct frames {
    uint64_t gran;                        /* bytes per frame, power of two >= 4096 */
    uint32_t gran_shift;                  /* log2(gran) */
    uint32_t region_count;
    uint64_t *bits;                       /* caller's pointer to the bits */
    struct multios_frame_region *region;  /* caller's pointer to the region table */
    uint64_t words;                       /* 64-bit words of bits */
    uint64_t storage_phys;                /* physical base of the storage (bits first) */
    uint64_t storage_bytes;               /* bits + region table, exact */
    uint64_t storage_frames;              /* frames the storage occupies */
    uint64_t total;                       /* frames covered */
    uint64_t free;                        /* of which free */
    uint64_t hint;                        /* every word below this one is full */
    uint64_t hint_base;                   /* physical address of bit 0 of word `hint` (a
                                           * word never spans two regions), so the
                                           * single-frame path needs no region lookup */
    bool sealed;
};

struct frames_stats {
    uint64_t total;        /* frames covered (usable RAM at init) */
    uint64_t free;
    uint64_t used;         /* total - free */
    uint64_t largest_run;  /* longest run of free frames (runs never cross regions) */
    uint64_t free_runs;    /* number of maximal free runs */
};

/* Exact bytes of storage (bits + region table) a bitmap of map m at granularity gran needs;
 * the storage takes ceil(bytes / gran) frames. *regions (may be NULL) gets the region count.
 * ERR_INVALID_ARG for a bad gran (not a power of two, < 4096) or NULL arguments. */
err_t frames_storage_bytes(const struct memmap *m, uint64_t gran, uint64_t *bytes,
                           uint32_t *regions);

/* Build the bitmap for the usable RAM of m (a sanitized map: sorted, non-overlapping): place
 * the storage (see top), get its pointer from ptr(ctx, phys, bytes), mark everything free
 * except the storage and the tail bits, then write the storage back into m as
 * E820_TYPE_FRAME_BITMAP. Errors: ERR_INVALID_ARG (bad gran, NULL, map not sorted),
 * ERR_NO_MEMORY (no usable RAM at all, or no place for the storage below 4 GiB at/above
 * min_addr), ERR_NOT_USABLE (ptr returned NULL), ERR_MISALIGNED (the pointer is not 8-byte
 * aligned), ERR_CAPACITY (m has no room for the split; m unchanged). The pointer must stay
 * valid for the allocator's life.
 *
 * Everything the bitmap does not cover is simply not allocatable. Frames that stage2 uses
 * itself (low memory, its stack, the bounce buffer) are usable RAM in the firmware map: take
 * them with frames_reserve_typed before allocating anything else. */
err_t frames_init(struct frames *f, struct memmap *m, uint64_t gran, uint64_t min_addr,
                  frames_ptr_fn ptr, void *ctx);

/* *is_free = whether the frame containing addr is free (addr need not be aligned).
 * ERR_NOT_USABLE if that frame is not covered. Allowed after sealing. */
err_t frames_is_free(const struct frames *f, uint64_t addr, bool *is_free);

/* Allocate n contiguous frames whose base is a multiple of align (bytes, a power of two;
 * 0 or anything below gran means gran), at the lowest such address >= above whose end is
 * <= below. *addr gets the base. ERR_INVALID_ARG (n == 0, align not a power of two, NULL),
 * ERR_NO_MEMORY (nothing fits; huge n or align simply do not fit), ERR_SEALED. */
err_t frames_alloc_range(struct frames *f, uint64_t n, uint64_t align, uint64_t above,
                         uint64_t below, uint64_t *addr);

/* frames_alloc_range with above = 0. Neither writes the map: for memory that must show up
 * in the final map under its own type, use frames_alloc_typed. */
err_t frames_alloc(struct frames *f, uint64_t n, uint64_t align, uint64_t below,
                   uint64_t *addr);

/* Take exactly [addr, addr + n*gran). ERR_MISALIGNED (addr not a multiple of gran),
 * ERR_INVALID_ARG (n == 0), ERR_OVERFLOW (range wraps), ERR_NOT_USABLE (some frame not
 * covered), ERR_IN_USE (some frame already used), ERR_SEALED. All or nothing. */
err_t frames_reserve(struct frames *f, uint64_t addr, uint64_t n);

/* Give back [addr, addr + n*gran). ERR_MISALIGNED, ERR_INVALID_ARG (n == 0), ERR_OVERFLOW,
 * ERR_NOT_USABLE (some frame never usable), ERR_ALREADY_FREE (some frame already free:
 * double free), ERR_SEALED. All or nothing. */
err_t frames_free(struct frames *f, uint64_t addr, uint64_t n);

/* Allocate / reserve, then write the range back into m as `type` (e.g. E820_TYPE_KERNEL,
 * E820_TYPE_PAGE_TABLES). If the map update fails (ERR_CAPACITY) the frames are given back
 * and the error returned: nothing changes. */
err_t frames_alloc_typed(struct frames *f, struct memmap *m, uint32_t type, uint64_t n,
                         uint64_t align, uint64_t below, uint64_t *addr);
err_t frames_reserve_typed(struct frames *f, struct memmap *m, uint32_t type, uint64_t addr,
                           uint64_t n);

/* Longest run of free frames, in frames, whose base is a multiple of align (as in
 * frames_alloc_range) and which lies in [above, below). Used to shrink the boot heap. */
uint64_t frames_largest_run(const struct frames *f, uint64_t align, uint64_t above,
                            uint64_t below);

/* Free frames whose whole frame lies in [above, below). */
uint64_t frames_free_in(const struct frames *f, uint64_t above, uint64_t below);

void frames_stats(const struct frames *f, struct frames_stats *s);

/* Refuse every later change (alloc, reserve, free): the map has been handed off. */
void frames_seal(struct frames *f);

/* What the kernel needs to adopt the bitmap (physical addresses of bits and region table,
 * sizes, granularity, totals). */
void frames_info(const struct frames *f, struct multios_frame_bitmap *out);

#endif
