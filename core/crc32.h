/* crc32.h: CRC-32 as gzip (RFC 1952), zlib and Ethernet compute it (reflected polynomial
 * 0xedb88320, initial and final XOR 0xffffffff), eight bytes a step over eight 256-entry
 * tables ("slicing by 8"). The tables live in the caller's struct crc32_table, filled by
 * crc32_table_init: the core keeps no state of its own and computes them in a few thousand
 * steps rather than carrying 8 KiB of constants. */
#ifndef CRC32_H
#define CRC32_H

#include <stddef.h>
#include <stdint.h>

struct crc32_table {
    uint32_t t[8][256];
};

/* Fill the tables (about 4000 shifts and XORs). */
void crc32_table_init(struct crc32_table *tab);

/* The CRC of buf[0..len) continued from `crc`, the CRC of what came before (0 for none):
 * crc32_update(t, crc32_update(t, 0, a, n), b, m) is the CRC of a followed by b. */
uint32_t crc32_update(const struct crc32_table *tab, uint32_t crc, const void *buf, size_t len);

#endif
