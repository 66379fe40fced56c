/* crc32.h: the CRC-32 of ISO 3309 / IEEE 802.3 (reflected polynomial 0xEDB88320, initial and
 * final XOR 0xffffffff), as GPT headers and partition arrays, gzip (RFC 1952), zlib and PNG
 * compute it. Two speeds of the one function: crc32_update needs no set-up and holds a
 * 16-entry table (for headers and partition arrays), crc32_update_tab folds eight bytes a
 * step over 8 KiB of tables the caller keeps (for decompressed streams of many MiB). */
#ifndef CRC32_H
#define CRC32_H

#include <stddef.h>
#include <stdint.h>

/* The CRC of len more bytes after `crc`, the CRC of what came before (0 to start): chaining
 * calls over the pieces of a buffer gives the buffer's CRC, as zlib's crc32(). */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

/* Slicing by eight: t[0] is the byte-at-a-time table, t[k][b] the CRC of byte b followed by
 * k zero bytes. The core keeps no state of its own, so the tables are the caller's. */
struct crc32_table {
    uint32_t t[8][256];
};

/* Fill the tables (about 4000 shifts and XORs). */
void crc32_table_init(struct crc32_table *tab);

/* crc32_update with the tables: the same result for every input. */
uint32_t crc32_update_tab(const struct crc32_table *tab, uint32_t crc, const void *buf,
                          size_t len);

#endif
