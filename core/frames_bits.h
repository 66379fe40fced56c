/* frames_bits.h: private to frames*.c (and their host tests): the word-at-a-time bit-run
 * primitives of frames_bits.c and the helpers the frame allocator's files share. Not part of
 * the frames.h API: a kernel adopting the bitmap needs only the layout described there. */
#ifndef FRAMES_BITS_H
#define FRAMES_BITS_H

#include <stdbool.h>
#include <stdint.h>

#include "arith.h"
#include "frames.h"

/* Count trailing zeros of a non-zero word: one instruction on x86-64; on i686 two 32-bit BSFs
 * instead of libgcc's __ctzdi2 call. */
static inline unsigned frames_ctz64(uint64_t x)
{
#if UINTPTR_MAX > 0xffffffffu
    return (unsigned)__builtin_ctzll(x);
#else
    uint32_t lo = (uint32_t)x;
    return lo ? (unsigned)__builtin_ctz(lo) : 32u + (unsigned)__builtin_ctz((uint32_t)(x >> 32));
#endif
}

/* Bit i is bit (i % 64) of words[i / 64]; ranges are [from, to) in bits. */
bool frames_bits_get(const uint64_t *words, uint64_t bit);
void frames_bits_set(uint64_t *words, uint64_t bit, uint64_t n);
void frames_bits_clear(uint64_t *words, uint64_t bit, uint64_t n);
/* First clear (find_zero) / set (find_one) bit in [from, to), or `to` if none. Whole words
 * that cannot match are skipped with one compare each. */
uint64_t frames_bits_find_zero(const uint64_t *words, uint64_t from, uint64_t to);
uint64_t frames_bits_find_one(const uint64_t *words, uint64_t from, uint64_t to);

/* Region index holding physical address addr, or -1 (binary search on base). */
long frames_region_of(const struct frames *f, uint64_t addr);
/* Region whose bits hold `bit`, a frame bit (binary search on bit_offset). */
uint32_t frames_region_of_bit(const struct frames *f, uint64_t bit);
/* Put the hint at word h, which no free frame may precede, then past full words, and
 * recompute hint_base (see struct frames). */
void frames_hint_move(struct frames *f, uint64_t h);

/* After taking frames: move the hint only if its word became full. Amortized O(1): the hint
 * only moves back on free, and the region lookup in frames_hint_move runs at most once per
 * 64 single-frame allocations. */
static inline void frames_hint_advance(struct frames *f)
{
    if (f->hint >= f->words || f->bits[f->hint] == UINT64_MAX)
        frames_hint_move(f, f->hint);
}

#endif
