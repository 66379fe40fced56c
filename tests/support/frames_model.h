/* frames_model.h: the reference frame allocator that test_frames_model.c and fuzz_frames.c
 * hold core/frames.c to. The map's usable entries rounded inward to whole frames, one byte
 * per frame, every request answered by brute force in address order, never by the
 * allocator's own search. Answers are the err_t codes frames.h documents. */
#ifndef FRAMES_MODEL_H
#define FRAMES_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "frames.h"
#include "memmap.h"

#define FRAMES_MODEL_MAX_REGIONS 32u

struct frames_model {
    uint64_t gran;
    uint32_t nreg;
    uint64_t base[FRAMES_MODEL_MAX_REGIONS];   /* first frame of each region */
    uint64_t frames[FRAMES_MODEL_MAX_REGIONS]; /* frames in each region */
    uint8_t *used[FRAMES_MODEL_MAX_REGIONS];   /* one byte per frame, 1 = used */
    uint64_t free;
};

/* Regions from the type-1 entries of the sanitized map m. False if m has more than
 * FRAMES_MODEL_MAX_REGIONS of them (nothing to release then). */
bool frames_model_init(struct frames_model *md, const struct memmap *m, uint64_t gran);
void frames_model_release(struct frames_model *md);

/* Region r and frame index i of the frame that holds addr; false if no region covers it. */
bool frames_model_find(const struct frames_model *md, uint64_t addr, uint32_t *r, uint64_t *i);

/* The bytes of frames_init's storage: one 64-bit word per 64 frames of each region, then a
 * 24-byte region table entry each. */
uint64_t frames_model_storage_bytes(const struct frames_model *md);

/* frames_init's answer: where its storage goes (the first fit at or above floor that ends
 * at or below 4 GiB), taken. ERR_NO_MEMORY if there is no region or no fit. */
err_t frames_model_init_storage(struct frames_model *md, uint64_t floor, uint64_t *where);

/* frames_alloc_range: the lowest n free frames at an align-aligned address (align 0 or less
 * than a frame: any frame) in [above, below). _fit only answers; _alloc also takes them. */
err_t frames_model_fit(const struct frames_model *md, uint64_t n, uint64_t align,
                       uint64_t above, uint64_t below, uint64_t *addr);
err_t frames_model_alloc(struct frames_model *md, uint64_t n, uint64_t align, uint64_t above,
                         uint64_t below, uint64_t *addr);

/* frames_reserve (used true) or frames_free (used false) of [addr, addr + n frames):
 * _change only answers; _reserve and _free also apply it. */
err_t frames_model_change(const struct frames_model *md, uint64_t addr, uint64_t n, bool used);
err_t frames_model_reserve(struct frames_model *md, uint64_t addr, uint64_t n);
err_t frames_model_free(struct frames_model *md, uint64_t addr, uint64_t n);

/* frames_is_free: ERR_OK and *is_free for any byte of a frame, else ERR_NOT_USABLE. */
err_t frames_model_is_free(const struct frames_model *md, uint64_t addr, bool *is_free);

/* Maximal free runs (never across regions) and the longest one, in frames. */
void frames_model_runs(const struct frames_model *md, uint64_t *runs, uint64_t *largest);

/* frames_largest_run and frames_free_in: among whole frames inside [above, below), the
 * longest free run starting at an aligned address, and the free frames. */
void frames_model_window(const struct frames_model *md, uint64_t align, uint64_t above,
                         uint64_t below, uint64_t *largest, uint64_t *nfree);

/* f against the model: the free count, the first and last byte of every frame, and
 * frames_stats. NULL if they agree, else what differs first (a static string). */
const char *frames_model_check(const struct frames_model *md, const struct frames *f);

/* The same for the free count and the frames [addr - gran, addr + (n + 1) * gran), at most
 * 4098 of them: what a step that touched [addr, addr + n frames) may have changed. */
const char *frames_model_check_near(const struct frames_model *md, const struct frames *f,
                                    uint64_t addr, uint64_t n);

#endif
