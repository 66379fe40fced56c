/* frames_bits.c: the frame bitmap's bits: run primitives over 64-bit words, and the mapping
 * between physical addresses and bit numbers through the region table. Searches test a whole
 * word at a time and use count-trailing-zeros inside it, so a run of full (or empty) words
 * costs one compare per 64 frames. */
#include "frames_bits.h"

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

/* First bit in [from, to) whose value is the opposite of every bit of `skip` (0: find a one,
 * all ones: find a zero); `to` if none. XOR with `skip` keeps the word loop branch-free. */
static uint64_t bits_find(const uint64_t *words, uint64_t from, uint64_t to, uint64_t skip)
{
    if (from >= to)
        return to;
    uint64_t w = from / 64;
    uint64_t last = (to - 1) / 64;
    /* Bits of the first word below `from` are masked away. */
    uint64_t x = (words[w] ^ skip) & (UINT64_MAX << (from % 64));
    while (!x) {
        if (w == last)
            return to;
        x = words[++w] ^ skip;
    }
    uint64_t b = w * 64 + frames_ctz64(x);
    return b < to ? b : to;
}

uint64_t frames_bits_find_zero(const uint64_t *words, uint64_t from, uint64_t to)
{
    return bits_find(words, from, to, UINT64_MAX);
}

uint64_t frames_bits_find_one(const uint64_t *words, uint64_t from, uint64_t to)
{
    return bits_find(words, from, to, 0);
}

long frames_region_of(const struct frames *f, uint64_t addr)
{
    uint32_t lo = 0, hi = f->region_count;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->region[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    const struct multios_frame_region *r = &f->region[lo - 1];
    if (((addr - r->base) >> f->gran_shift) >= r->frames)
        return -1;
    return (long)(lo - 1);
}

uint32_t frames_region_of_bit(const struct frames *f, uint64_t bit)
{
    uint32_t lo = 0, hi = f->region_count;

    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->region[mid].bit_offset <= bit)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void frames_hint_move(struct frames *f, uint64_t h)
{
    while (h < f->words && f->bits[h] == UINT64_MAX)
        h++;
    f->hint = h;
    f->hint_base = 0;
    if (h < f->words) {
        const struct multios_frame_region *g = &f->region[frames_region_of_bit(f, h * 64u)];
        f->hint_base = g->base + ((h * 64u - g->bit_offset) << f->gran_shift);
    }
}
