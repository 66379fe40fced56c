/* modcheck.c: a test module checked against its pattern (modcheck.h). */
#include "modcheck.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *modcheck(const uint8_t *p, uint64_t size)
{
    static const char magic[8] = { 'M', 'O', 'D', 'T', 'E', 'S', 'T', '1' };
    uint32_t seed;

    if (size < 16)
        return "shorter than its header";
    for (unsigned i = 0; i < 8; i++)
        if (p[i] != magic[i])
            return "no MODTEST1 magic";
    seed = rd32(p + 8);
    if (rd32(p + 12) != size)
        return "its size field differs from the size given";
    for (uint64_t i = 16; i < size; i++)
        if (p[i] != (uint8_t)(i * 7u + (i >> 8) * 13u + seed))
            return "a byte differs from the pattern";
    return 0;
}
