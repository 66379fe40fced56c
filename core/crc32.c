/* crc32.c: CRC-32 (crc32.h): a nibble at a time over a 16-entry table, small enough for stage2
 * and fast enough for a GPT partition array; and by slicing-by-8 over caller-kept tables. */
#include "crc32.h"

static const uint32_t crc32_nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u, 0x6b6b51f4u,
    0x4db26158u, 0x5005713cu, 0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        crc = (crc >> 4) ^ crc32_nibble[crc & 0xfu];
        crc = (crc >> 4) ^ crc32_nibble[crc & 0xfu];
    }
    return ~crc;
}

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

uint32_t crc32_update_tab(const struct crc32_table *tab, uint32_t crc, const void *buf,
                          size_t len)
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
