/* memtest.h: an optional RAM test over the FREE frames of a physical range: address-in-address
 * (each 32-bit word holds its own address, then its complement; catches address-line and
 * coupling faults) and walking ones (each word gets each single-bit pattern; catches stuck
 * bits). Frames that fail are reserved in the frame bitmap and marked E820_TYPE_UNUSABLE (5)
 * in the map. Used frames (bitmap storage, heap, kernel) are never touched; tested frames stay
 * free and their contents are garbage afterwards.
 *
 * Pure core: memory is accessed only through the ops callbacks, so host tests can inject
 * stuck and coupled cells; stage2 passes volatile 32-bit loads and stores (ranges it can
 * reach, i.e. below 4 GiB). */
#ifndef MEMTEST_H
#define MEMTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "frames.h"
#include "memmap.h"

struct memtest_ops {
    uint32_t (*read32)(void *ctx, uint64_t addr);
    void (*write32)(void *ctx, uint64_t addr, uint32_t value);
    void *ctx;
};

/* Addresses of the first bad frames kept in the report. */
#define MEMTEST_REPORT_MAX 8u

struct memtest_report {
    uint64_t frames_tested;
    uint64_t frames_skipped;   /* used or not covered by the bitmap: not touched */
    uint64_t bad_frames;
    uint64_t bad_words;        /* word reads that mismatched (all patterns) */
    uint64_t first_bad[MEMTEST_REPORT_MAX]; /* bases of the first bad frames, ascending */
    uint32_t first_bad_count;  /* min(bad_frames, MEMTEST_REPORT_MAX) */
    uint32_t map_errors;       /* bad frames the map could not record (ERR_CAPACITY) */
};

/* Test the free frames of [base, base + length) (both multiples of f->gran). Returns ERR_OK
 * if every tested frame passed, ERR_MEMTEST_FAILED if some failed (they are then reserved and
 * marked unusable; the boot can go on), ERR_MISALIGNED, ERR_OVERFLOW (range wraps),
 * ERR_INVALID_ARG (NULL, missing callbacks), ERR_SEALED. rep is always filled on these
 * returns except ERR_INVALID_ARG. */
err_t memtest_run(const struct memtest_ops *ops, struct frames *f, struct memmap *m,
                  uint64_t base, uint64_t length, struct memtest_report *rep);

#endif
