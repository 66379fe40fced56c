/* frames_bits.c: bit-run primitives over 64-bit words for the frame bitmap. Searches test a
 * whole word at a time and use count-trailing-zeros inside it, so a run of full (or empty)
 * words costs one compare per 64 frames. */
#include "frames.h"

/* Count trailing zeros of a non-zero word: one instruction on x86-64; on i686 two 32-bit BSFs
 * instead of libgcc's __ctzdi2 call. */
static inline unsigned ctz64(uint64_t x)
{
#if UINTPTR_MAX > 0xffffffffu
    return (unsigned)__builtin_ctzll(x);
#else
    uint32_t lo = (uint32_t)x;
    return lo ? (unsigned)__builtin_ctz(lo) : 32u + (unsigned)__builtin_ctz((uint32_t)(x >> 32));
#endif
}

/* Bits [lo, hi) of one word set, 0 <= lo < hi <= 64. */
static uint64_t mask_of(uint64_t lo, uint64_t hi)
{
    uint64_t upper = hi == 64 ? UINT64_MAX : (UINT64_C(1) << hi) - 1;
    return upper & (UINT64_MAX << lo);
}

bool frames_bits_get(const uint64_t *words, uint64_t bit)
{
    return (words[bit / 64] >> (bit % 64)) & 1u;
}

/* Apply set (or clear) to bits [bit, bit + n): partial words by mask, whole ones at once. */
static void bits_apply(uint64_t *words, uint64_t bit, uint64_t n, bool set)
{
    uint64_t end = bit + n;

    while (bit < end) {
        uint64_t w = bit / 64;
        uint64_t lo = bit % 64;
        uint64_t hi = end - w * 64 < 64 ? end - w * 64 : 64;
        uint64_t m = mask_of(lo, hi);
        if (set)
            words[w] |= m;
        else
            words[w] &= ~m;
        bit = w * 64 + hi;
    }
}

void frames_bits_set(uint64_t *words, uint64_t bit, uint64_t n)
{
    bits_apply(words, bit, n, true);
}

void frames_bits_clear(uint64_t *words, uint64_t bit, uint64_t n)
{
    bits_apply(words, bit, n, false);
}

/* First bit in [from, to) whose value is `one`; `to` if none. */
static uint64_t bits_find(const uint64_t *words, uint64_t from, uint64_t to, bool one)
{
    if (from >= to)
        return to;
    uint64_t w = from / 64;
    uint64_t last = (to - 1) / 64;
    /* Bits of the first word below `from` are masked away. */
    uint64_t x = (one ? words[w] : ~words[w]) & (UINT64_MAX << (from % 64));
    for (;;) {
        if (x) {
            uint64_t b = w * 64 + ctz64(x);
            return b < to ? b : to;
        }
        if (w == last)
            return to;
        w++;
        x = one ? words[w] : ~words[w];
    }
}

uint64_t frames_bits_find_zero(const uint64_t *words, uint64_t from, uint64_t to)
{
    return bits_find(words, from, to, false);
}

uint64_t frames_bits_find_one(const uint64_t *words, uint64_t from, uint64_t to)
{
    return bits_find(words, from, to, true);
}
