/* lowmem.h: a loader's low memory in the memory map, as pure policy: the check that the low
 * memory it already runs in is RAM, its low memory typed LOADER_RECLAIMABLE in pages, and the
 * conventional memory above it held out of the frame allocator until the hand-off. The
 * loader's addresses come in as parameters; the core holds none of them. */
#ifndef LOWMEM_H
#define LOWMEM_H

#include <stdint.h>

#include "error.h"
#include "frames.h"
#include "memmap.h"

/* Usable ranges of low memory handled: real maps have one or two (RAM below an EBDA). */
#define LOWMEM_RANGES_MAX 8u

/* One part of low memory a loader uses without asking the map: [base, end). */
struct lowmem_part {
    uint64_t base, end;
    const char *what; /* for the panic: "stage2 and its stacks", ... */
};

/* NULL if every one of the `count` parts is usable RAM in the (sanitized) map m; else the
 * first part that is not, and *bad = its first byte that is not (a gap or another type). */
const struct lowmem_part *lowmem_unusable(const struct memmap *m,
                                          const struct lowmem_part *parts, uint32_t count,
                                          uint64_t *bad);

/* The usable RAM of [0, end) becomes E820_TYPE_LOADER_RECLAIMABLE in m, in whole pages of
 * `page` bytes (a power of two; page 0 included), and every free bitmap frame that holds any
 * of it is reserved (with frames larger than the RAM around it, none is covered: nothing to
 * do). Independent of f->gran, so any frame size works. On failure, *failed is the range and
 * the error is returned (frames already reserved stay reserved). */
err_t lowmem_reserve(struct frames *f, struct memmap *m, uint64_t end, uint64_t page,
                     struct memmap_range *failed);

/* Conventional memory held out of the allocator by lowmem_hold, for lowmem_release. Starts
 * zeroed (empty). */
struct lowmem_held {
    struct memmap_range range[LOWMEM_RANGES_MAX];
    uint32_t count;
};

/* The usable RAM of [lo, hi), in whole frames, reserved in the bitmap only (the map keeps it
 * usable) and recorded in *h, so that no allocation lands there before lowmem_release.
 * ERR_INVALID_ARG if *h already holds something. On failure, *failed is the range that
 * could not be held; *h keeps those that were. */
err_t lowmem_hold(struct frames *f, const struct memmap *m, uint64_t lo, uint64_t hi,
                  struct lowmem_held *h, struct memmap_range *failed);

/* Free in the bitmap what *h holds; *h is empty after. On failure, *failed is the range that
 * could not be freed; *h keeps it and those not yet freed. */
err_t lowmem_release(struct frames *f, struct lowmem_held *h, struct memmap_range *failed);

#endif
