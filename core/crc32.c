/* crc32.c: CRC-32 by slicing-by-8 over caller-kept tables (crc32.h). t[0] is the classic
 * byte-at-a-time table; t[k][b] is the CRC of byte b followed by k zero bytes, so eight
 * lookups fold eight input bytes at once. */
#include "crc32.h"

#define CRC32_POLY 0xedb88320u

void crc32_table_init(struct crc32_table *tab)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t c = b;
        for (int i = 0; i < 8; i++)
            c = (c >> 1) ^ (CRC32_POLY & (0u - (c & 1u)));
        tab->t[0][b] = c;
    }
    for (uint32_t b = 0; b < 256; b++)
        for (int k = 1; k < 8; k++)
            tab->t[k][b] = (tab->t[k - 1][b] >> 8) ^ tab->t[0][tab->t[k - 1][b] & 0xffu];
}

uint32_t crc32_update(const struct crc32_table *tab, uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint32_t c = ~crc;

    /* Bytes are combined one by one into 32-bit words, so the loop is endian- and
     * alignment-neutral; GCC turns the shifts into plain loads on x86. */
    for (; len >= 8; p += 8, len -= 8) {
        uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                           (uint32_t)p[3] << 24);
        uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
                      (uint32_t)p[7] << 24;
        c = tab->t[7][lo & 0xffu] ^ tab->t[6][(lo >> 8) & 0xffu] ^
            tab->t[5][(lo >> 16) & 0xffu] ^ tab->t[4][lo >> 24] ^ tab->t[3][hi & 0xffu] ^
            tab->t[2][(hi >> 8) & 0xffu] ^ tab->t[1][(hi >> 16) & 0xffu] ^ tab->t[0][hi >> 24];
    }
    while (len--)
        c = (c >> 8) ^ tab->t[0][(c ^ *p++) & 0xffu];
    return ~c;
}
