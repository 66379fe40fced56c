/* heap.h: the boot heap, a bump allocator in one contiguous block of frames. It hands out
 * aligned memory, takes back only the most recent allocation (or everything, with reset),
 * and never returns memory outside itself or overlapping a live allocation, whatever the size
 * or alignment asked for.
 *
 * Pure core. The heap knows its physical base and reaches its memory through the caller's
 * pointer (frames_ptr_fn, as for the bitmap); alignment is of the PHYSICAL address (in
 * stage2 pointer == physical address; in host tests the buffer should be aligned at least as
 * much as the largest alignment the test checks on pointers). */
#ifndef HEAP_H
#define HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "frames.h"
#include "memmap.h"
#include "multios/bootinfo.h"

/* One recorded allocation (debug mode). */
struct heap_debug_rec {
    const char *file;   /* __FILE__ of the call site (not copied: a string literal) */
    uint32_t line;
    uint32_t live;      /* 0 once an older allocation is freed (its space stays until reset);
                         * a freed most-recent allocation's record is removed */
    uint64_t size;
    uint64_t offset;    /* from the heap base */
};

struct heap {
    uint8_t *mem;            /* caller's pointer to the base */
    uint64_t base;           /* physical base */
    uint64_t size;           /* bytes */
    uint64_t top;            /* offset of the first free byte */
    uint64_t last;           /* offset of the most recent live allocation */
    uint64_t last_prev_top;  /* top before it (what a free of it restores) */
    bool     has_last;       /* `last` is live and may be freed */
    uint64_t peak;           /* highest top ever */
    uint32_t count;          /* successful allocations since init (not reduced by free) */
    uint32_t failures;       /* allocations refused */
    /* placement report of heap_init */
    uint64_t requested;      /* size asked for */
    bool     shrunk;         /* less than requested fitted: warn (size >= the minimum) */
    /* debug mode: NULL unless heap_debug_enable was called */
    struct heap_debug_rec *dbg;
    uint32_t dbg_cap;
    uint32_t dbg_count;
    uint32_t dbg_dropped;    /* allocations not recorded because dbg was full */
};

struct heap_stats {
    uint64_t size;
    uint64_t used;           /* bytes up to top, alignment padding included */
    uint64_t peak;
    uint32_t allocations;
    uint32_t failures;
};

/* Place the heap: cfg->heap_size bytes (rounded up to frames) in the first free frames at or
 * above cfg->heap_min_addr whose base is a multiple of cfg->heap_align and which end at or
 * below 4 GiB; reserve them in f and mark them E820_TYPE_BOOT_HEAP in m. If that much does not
 * fit, RAM is short: the heap shrinks to the smaller of the largest qualifying run and half
 * the free frames in its window (the rest is left for the kernel, page tables and boot info),
 * but never below cfg->heap_min_size (rounded up to frames), and sets h->shrunk (the caller
 * logs a warning). If not even the minimum fits in one run: ERR_TOO_SMALL. Other
 * errors: ERR_INVALID_ARG (NULL, config_validate fails), ERR_SEALED, ERR_NOT_USABLE (ptr
 * returned NULL), ERR_CAPACITY (map full). On error nothing is taken. */
err_t heap_init(struct heap *h, struct frames *f, struct memmap *m,
                const struct boot_config *cfg, frames_ptr_fn ptr, void *ctx);

/* Use caller memory [mem, mem + size) at physical `base` as a heap (no frames, no map):
 * for tests and for sub-heaps. ERR_INVALID_ARG for NULL/zero size, ERR_OVERFLOW if
 * base + size wraps. */
err_t heap_init_mem(struct heap *h, void *mem, uint64_t base, uint64_t size);

/* size bytes aligned to align (a power of two; 0 means 1) or NULL: size 0, bad alignment,
 * or no room (each counts as a failure). Never overflows: size and align up to 2^64-1 just
 * fail. */
#define heap_alloc(h, size, align) heap_alloc_at((h), (size), (align), __FILE__, __LINE__)
/* The same, zero-filled. */
#define heap_alloc_zeroed(h, size, align) \
    heap_alloc_zeroed_at((h), (size), (align), __FILE__, __LINE__)
void *heap_alloc_at(struct heap *h, uint64_t size, uint64_t align, const char *file,
                    uint32_t line);
void *heap_alloc_zeroed_at(struct heap *h, uint64_t size, uint64_t align, const char *file,
                           uint32_t line);

/* Free p. The most recent live allocation gets its space back (ERR_OK); after that, the one
 * before it is NOT the most recent (only one level is tracked). Other pointers into the live
 * part: ERR_OK, space kept until reset (a bump heap). ERR_INVALID_ARG for NULL,
 * ERR_NOT_OWNED for a pointer outside the heap, ERR_ALREADY_FREE for a pointer into the
 * free part (at or above top). */
err_t heap_free(struct heap *h, void *p);

/* Forget every allocation (peak, count and failures are kept; debug records are cleared). */
void heap_reset(struct heap *h);

/* Physical address of a heap pointer, 0 if p is not inside the heap. */
uint64_t heap_phys(const struct heap *h, const void *p);

void heap_stats(const struct heap *h, struct heap_stats *s);
/* For the hand-off header. */
void heap_info(const struct heap *h, struct multios_heap_info *out);

/* Debug mode: record each later allocation's call site, size and offset in recs[cap]
 * (caller storage; records past cap are counted in dbg_dropped). */
void heap_debug_enable(struct heap *h, struct heap_debug_rec *recs, uint32_t cap);

/* Print one line per live recorded allocation, e.g.
 *   "heap: stage2/main.c:42 size 4096 at 0x1000000"
 * then a summary line "heap: N live records, D dropped", through print(ctx, line) (line is
 * NUL-terminated, without newline). Does nothing if debug mode is off. */
typedef void (*heap_print_fn)(void *ctx, const char *line);
void heap_debug_print(const struct heap *h, heap_print_fn print, void *ctx);

#endif
