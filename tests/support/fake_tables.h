/* fake_tables.h: the frames a page-table builder gets from paging_alloc_fn and reaches
 * through paging_ptr_fn, as a pool of 4 KiB frames at a physical base. Frames are handed
 * out in address order and dirty (paging must zero what it gets); only a frame handed out
 * can be reached. */
#ifndef FAKE_TABLES_H
#define FAKE_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct fake_tables {
    /* what the test sets */
    uint8_t (*frame)[4096]; /* the pool: frame[i] is at base + i * 4096 */
    uint64_t base;
    uint32_t count;         /* frames in the pool */
    uint32_t budget;        /* ERR_NO_MEMORY once this many are out */
    uint64_t bad_phys;      /* if nonzero, hand out this address instead (a broken source) */
    bool strict;            /* abort() on a request for a frame not handed out (fuzzers) */
    /* what the fake records */
    uint32_t used;          /* frames handed out */
};

/* paging_alloc_fn: the next frame of the pool, or bad_phys. */
err_t fake_tables_alloc(void *ctx, uint64_t *phys);

/* paging_ptr_fn: the frame at phys if it was handed out, else NULL. */
void *fake_tables_ptr(void *ctx, uint64_t phys);

#endif
