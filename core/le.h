/* le.h: little-endian fields read from and written to byte buffers at any alignment
 * (on-disk and in-file structures: the MBR, FAT32, ELF; the packed Multiboot structures),
 * each width written once. */
#ifndef LE_H
#define LE_H

#include <stdint.h>

static inline uint16_t le_read16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t le_read32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t le_read64(const uint8_t *p)
{
    return (uint64_t)le_read32(p) | ((uint64_t)le_read32(p + 4) << 32);
}

static inline void le_write16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void le_write32(uint8_t *p, uint32_t v)
{
    le_write16(p, (uint16_t)v);
    le_write16(p + 2, (uint16_t)(v >> 16));
}

static inline void le_write64(uint8_t *p, uint64_t v)
{
    le_write32(p, (uint32_t)v);
    le_write32(p + 4, (uint32_t)(v >> 32));
}

#endif
