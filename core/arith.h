/* arith.h: the core's small integer helpers, each written once: powers of two and saturating
 * addition. */
#ifndef ARITH_H
#define ARITH_H

#include <stdbool.h>
#include <stdint.h>

/* True for 1, 2, 4, ... 2^63; false for 0 and everything else. */
static inline bool arith_is_pow2(uint64_t x)
{
    return x != 0 && (x & (x - 1u)) == 0;
}

/* a + b, or UINT64_MAX where the sum does not fit (totals that may cover all of 2^64). */
static inline uint64_t arith_add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#endif
