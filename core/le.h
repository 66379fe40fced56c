/* le.h: little-endian fields read from byte buffers at any alignment (on-disk and in-file
 * structures: the MBR, FAT32, ELF), each width written once. */
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

#endif
