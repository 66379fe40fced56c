/* pool.c: fixed-size block pools. The free list lives in a separate link table, one word per
 * block, which doubles as the block's state: a used block's word is POOL_LINK_USED. So
 * alloc and free are O(1), and a double free or a stray pointer is seen and refused. */
#include "pool.h"

#include "arith.h"

#define POOL_LINK_USED 0xffffffffu
#define POOL_LINK_END  0xfffffffeu

/* An empty pool: allocations fail, every pointer is foreign. What a failed pool_init leaves,
 * so a caller that ignores the error still gets answers instead of wild pointers; a
 * zero-filled struct behaves the same (blocks == 0). */
static void pool_empty(struct pool *p)
{
    p->mem = NULL;
    p->block_size = 0;
    p->blocks = 0;
    p->link = NULL;
    p->free_head = POOL_LINK_END;
    p->used = 0;
    p->peak = 0;
    p->failures = 0;
    p->bad_frees = 0;
}

err_t pool_init(struct pool *p, struct heap *h, uint64_t block_size, uint32_t blocks,
                uint64_t align)
{
    if (!p)
        return ERR_INVALID_ARG;
    pool_empty(p);
    if (!h || block_size == 0 || blocks == 0 || blocks > POOL_MAX_BLOCKS)
        return ERR_INVALID_ARG;
    if (align == 0)
        align = 8;
    if (!arith_is_pow2(align))
        return ERR_INVALID_ARG;
    if (block_size > UINT64_MAX - (align - 1))
        return ERR_OVERFLOW;
    uint64_t bs = (block_size + align - 1) & ~(align - 1);
    if (bs > UINT64_MAX / blocks || bs > SIZE_MAX)
        return ERR_OVERFLOW;
    uint64_t bytes = bs * blocks;
    /* Blocks and their link table come from ONE heap allocation, so a heap too small for
     * either leaves the heap exactly as it was (two allocations would need the first given
     * back, and the heap can only give back its newest). */
    uint64_t link_off = (bytes + 3u) & ~(uint64_t)3u;
    if (link_off < bytes || link_off > UINT64_MAX - (uint64_t)blocks * sizeof(uint32_t))
        return ERR_OVERFLOW;
    uint64_t total = link_off + (uint64_t)blocks * sizeof(uint32_t);
    if (total > SIZE_MAX)
        return ERR_OVERFLOW;

    uint8_t *mem = heap_alloc(h, total, align < sizeof(uint32_t) ? sizeof(uint32_t) : align);
    if (!mem)
        return ERR_NO_MEMORY;
    uint32_t *link = (uint32_t *)(void *)(mem + link_off);
    for (uint32_t i = 0; i < blocks; i++)
        link[i] = i + 1 < blocks ? i + 1 : POOL_LINK_END;
    p->mem = mem;
    p->block_size = bs;
    p->blocks = blocks;
    p->link = link;
    p->free_head = 0;
    return ERR_OK;
}

void *pool_alloc(struct pool *p)
{
    if (!p)
        return NULL;
    if (p->blocks == 0 || p->free_head >= p->blocks) { /* full (END), or an empty pool */
        p->failures++;
        return NULL;
    }
    uint32_t i = p->free_head;
    p->free_head = p->link[i];
    p->link[i] = POOL_LINK_USED;
    p->used++;
    if (p->used > p->peak)
        p->peak = p->used;
    return p->mem + (size_t)i * (size_t)p->block_size;
}

/* Index of the block blk starts, or -1 if it is not a block start of p. */
static int64_t pool_index(const struct pool *p, const void *blk)
{
    uintptr_t up = (uintptr_t)blk, ub = (uintptr_t)p->mem;
    size_t bs = (size_t)p->block_size;

    if (!blk || bs == 0 || p->blocks == 0 || up < ub)
        return -1;
    uintptr_t off = up - ub;
    if (off / bs >= p->blocks || off % bs != 0)
        return -1;
    return (int64_t)(off / bs);
}

err_t pool_free(struct pool *p, void *blk)
{
    if (!p)
        return ERR_INVALID_ARG;
    int64_t i = pool_index(p, blk);
    if (i < 0) {
        p->bad_frees++;
        return ERR_NOT_OWNED;
    }
    if (p->link[i] != POOL_LINK_USED) {
        p->bad_frees++;
        return ERR_ALREADY_FREE;
    }
    p->link[i] = p->free_head;
    p->free_head = (uint32_t)i;
    p->used--;
    return ERR_OK;
}

bool pool_owns(const struct pool *p, const void *blk)
{
    if (!p)
        return false;
    int64_t i = pool_index(p, blk);
    return i >= 0 && p->link[i] == POOL_LINK_USED;
}

void pool_stats(const struct pool *p, struct pool_stats *s)
{
    if (!p || !s)
        return;
    s->block_size = p->block_size;
    s->blocks = p->blocks;
    s->used = p->used;
    s->free = p->blocks - p->used;
    s->peak = p->peak;
    s->failures = p->failures;
    s->bad_frees = p->bad_frees;
    s->utilization_pct = p->blocks ? (uint32_t)((uint64_t)p->used * 100u / p->blocks) : 0;
}
