/* pool.h: fixed-size block pools carved from the boot heap. O(1) alloc and free through a
 * free list kept OUTSIDE the blocks (one uint32_t per block), so a write into a freed block
 * cannot corrupt the pool, and the same word tells a used block from a free one: double
 * frees and foreign or interior pointers are refused. Pure core. */
#ifndef POOL_H
#define POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "heap.h"

/* Most blocks one pool can have (two index values are reserved as markers). */
#define POOL_MAX_BLOCKS 0xfffffff0u

struct pool {
    uint8_t *mem;         /* first block */
    uint64_t block_size;  /* bytes per block (the requested size rounded up to align) */
    uint32_t blocks;
    uint32_t *link;       /* per block: next free index, or a marker for "used" / "end" */
    uint32_t free_head;
    uint32_t used;
    uint32_t peak;
    uint32_t failures;    /* allocations refused because the pool was full */
    uint32_t bad_frees;   /* frees refused (double, foreign, interior) */
};

struct pool_stats {
    uint64_t block_size;
    uint32_t blocks;
    uint32_t used;
    uint32_t free;
    uint32_t peak;
    uint32_t failures;
    uint32_t bad_frees;
    uint32_t utilization_pct; /* used * 100 / blocks, rounded down */
};

/* A pool of `blocks` blocks of block_size bytes, each aligned to align (a power of two; 0
 * means 8), allocated from h (blocks and link table). ERR_INVALID_ARG (NULL, block_size 0,
 * blocks 0 or > POOL_MAX_BLOCKS, bad align), ERR_OVERFLOW (size computations wrap),
 * ERR_NO_MEMORY (heap too small; the heap is left as it was). On any error (p not NULL) *p
 * is an empty pool: alloc returns NULL, free refuses every pointer. A zero-filled struct
 * pool is an empty pool too. */
err_t pool_init(struct pool *p, struct heap *h, uint64_t block_size, uint32_t blocks,
                uint64_t align);

/* A free block or NULL when the pool is full. O(1). Contents are not cleared. */
void *pool_alloc(struct pool *p);

/* ERR_OK, or ERR_NOT_OWNED (NULL, outside the pool, not a block's start), ERR_ALREADY_FREE
 * (double free). A refused free changes nothing. O(1). */
err_t pool_free(struct pool *p, void *blk);

/* Whether blk is a currently allocated block of p. */
bool pool_owns(const struct pool *p, const void *blk);

void pool_stats(const struct pool *p, struct pool_stats *s);

#endif
