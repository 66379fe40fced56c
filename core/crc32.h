/* crc32.h: the CRC-32 of ISO 3309 / IEEE 802.3 (reflected, polynomial 0xEDB88320), as GPT
 * headers and partition arrays, zlib and PNG use it. */
#ifndef CRC32_H
#define CRC32_H

#include <stddef.h>
#include <stdint.h>

/* The CRC of len more bytes after `crc`, the CRC of what came before (0 to start): chaining
 * calls over the pieces of a buffer gives the buffer's CRC, as zlib's crc32(). */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
