/* mbr.h: the classic MBR partition table (four 16-byte entries at 0x1BE, 0x55 0xAA at 510),
 * parsed from one sector in memory. Pure core: the caller reads sector 0. Extended
 * partitions are not followed; a GPT protective MBR is told apart (mbr_is_protective) for
 * the caller to read the GPT (gpt.h). */
#ifndef MBR_H
#define MBR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MBR_SECTOR_SIZE     512u
#define MBR_TABLE_OFFSET    0x1BEu
#define MBR_ENTRY_SIZE      16u
#define MBR_ENTRY_COUNT     4u
#define MBR_SIG_OFFSET      510u   /* 0x55 at 510, 0xAA at 511 */

#define MBR_STATUS_ACTIVE   0x80u  /* the only other valid status byte is 0x00 */

#define MBR_TYPE_EMPTY      0x00u
#define MBR_TYPE_FAT32_CHS  0x0Bu
#define MBR_TYPE_FAT32_LBA  0x0Cu
#define MBR_TYPE_EXTENDED   0x05u
#define MBR_TYPE_EXTENDED_LBA 0x0Fu
#define MBR_TYPE_GPT_PROTECTIVE 0xEEu

/* One entry as we use it (CHS fields are ignored: LBA is authoritative). */
struct mbr_part {
    uint32_t index;      /* 0..3: slot in the table */
    uint8_t  status;     /* 0x00 or 0x80 */
    uint8_t  type;       /* MBR_TYPE_*; 0 = empty slot */
    uint32_t lba_start;
    uint32_t lba_count;
};

/* Parse all four slots of `sector` (len bytes, >= 512) into part[0..3] (empty slots have
 * type 0). Errors: ERR_INVALID_ARG (NULL), ERR_TRUNCATED (len < 512), ERR_BAD_MAGIC (no
 * 0x55AA), ERR_BAD_FORMAT (a status byte other than 0x00/0x80: this is a boot sector
 * without a table, e.g. a superfloppy VBR; or a used slot with zero sectors or starting at
 * LBA 0, over the MBR itself), ERR_OVERFLOW (start + count past 2^32 sectors), ERR_OVERLAP
 * (two used slots share sectors). part is written only on ERR_OK. */
err_t mbr_parse(const uint8_t *sector, size_t len, struct mbr_part part[MBR_ENTRY_COUNT]);

/* Whether a slot is a GPT protective entry (type 0xEE): the disk is partitioned with a GPT
 * (or a hybrid MBR mirrors some of its partitions). */
bool mbr_is_protective(const struct mbr_part part[MBR_ENTRY_COUNT]);

/* The FAT32 partition to boot from, after mbr_parse accepted the whole table: of the slots
 * of type 0x0C or 0x0B, the active one (status 0x80), else the first in table order.
 * *count (may be NULL) says how many FAT32 slots there are (written unless the table was
 * refused). disk_sectors is the disk size in sectors (0 = unknown: not checked); a chosen
 * partition ending past it is ERR_TRUNCATED. ERR_NOT_FOUND if there is none; ERR_UNSUPPORTED
 * if there is none and the table is a GPT protective MBR (read the GPT). *out written only
 * on ERR_OK. */
err_t mbr_find_fat32(const uint8_t *sector, size_t len, uint64_t disk_sectors,
                     struct mbr_part *out, uint32_t *count);

#endif
