/* mbr.c: the four-slot MBR partition table, read from one sector and checked before use. */
#include <stdbool.h>

#include "le.h"
#include "mbr.h"

err_t mbr_parse(const uint8_t *sector, size_t len, struct mbr_part part[MBR_ENTRY_COUNT])
{
    struct mbr_part p[MBR_ENTRY_COUNT];

    if (!sector || !part)
        return ERR_INVALID_ARG;
    if (len < MBR_SECTOR_SIZE)
        return ERR_TRUNCATED;
    if (sector[MBR_SIG_OFFSET] != 0x55 || sector[MBR_SIG_OFFSET + 1] != 0xAA)
        return ERR_BAD_MAGIC;

    for (uint32_t i = 0; i < MBR_ENTRY_COUNT; i++) {
        const uint8_t *e = sector + MBR_TABLE_OFFSET + i * MBR_ENTRY_SIZE;
        p[i] = (struct mbr_part){ .index = i, .status = e[0], .type = e[4],
                                  .lba_start = le_read32(e + 8),
                                  .lba_count = le_read32(e + 12) };
        /* A FAT boot sector (superfloppy, no table) has code or BPB bytes here: a status
         * byte other than 0x00/0x80 is the cheapest reliable tell. */
        if (p[i].status != 0x00 && p[i].status != MBR_STATUS_ACTIVE)
            return ERR_BAD_FORMAT;
        if (p[i].type == MBR_TYPE_EMPTY)
            continue;
        /* LBA 0 is the MBR itself; a used slot of zero sectors is nonsense. */
        if (p[i].lba_count == 0 || p[i].lba_start == 0)
            return ERR_BAD_FORMAT;
        if ((uint64_t)p[i].lba_start + p[i].lba_count > 0x100000000ull)
            return ERR_OVERFLOW;
    }
    /* Two used slots sharing sectors: the table cannot be trusted for either. A protective
     * GPT entry covers the disk on purpose and is never used itself, so it is exempt. */
    for (uint32_t i = 0; i < MBR_ENTRY_COUNT; i++) {
        for (uint32_t j = i + 1; j < MBR_ENTRY_COUNT; j++) {
            if (p[i].type == MBR_TYPE_EMPTY || p[j].type == MBR_TYPE_EMPTY ||
                p[i].type == MBR_TYPE_GPT_PROTECTIVE || p[j].type == MBR_TYPE_GPT_PROTECTIVE)
                continue;
            uint64_t ei = (uint64_t)p[i].lba_start + p[i].lba_count;
            uint64_t ej = (uint64_t)p[j].lba_start + p[j].lba_count;
            if (p[i].lba_start < ej && p[j].lba_start < ei)
                return ERR_OVERLAP;
        }
    }
    for (uint32_t i = 0; i < MBR_ENTRY_COUNT; i++)
        part[i] = p[i];
    return ERR_OK;
}

bool mbr_is_protective(const struct mbr_part part[MBR_ENTRY_COUNT])
{
    for (uint32_t i = 0; i < MBR_ENTRY_COUNT; i++)
        if (part[i].type == MBR_TYPE_GPT_PROTECTIVE)
            return true;
    return false;
}

err_t mbr_find_fat32(const uint8_t *sector, size_t len, uint64_t disk_sectors,
                     struct mbr_part *out, uint32_t *count)
{
    struct mbr_part p[MBR_ENTRY_COUNT];
    const struct mbr_part *pick = NULL;
    uint32_t found = 0;

    if (!out)
        return ERR_INVALID_ARG;
    err_t e = mbr_parse(sector, len, p);
    if (e != ERR_OK)
        return e;
    /* The active FAT32 slot, else the first: what a user who marks one active expects. */
    for (uint32_t i = 0; i < MBR_ENTRY_COUNT; i++) {
        if (p[i].type != MBR_TYPE_FAT32_LBA && p[i].type != MBR_TYPE_FAT32_CHS)
            continue;
        found++;
        if (!pick || (p[i].status == MBR_STATUS_ACTIVE && pick->status != MBR_STATUS_ACTIVE))
            pick = &p[i];
    }
    if (count)
        *count = found;
    if (!pick)
        return mbr_is_protective(p) ? ERR_UNSUPPORTED : ERR_NOT_FOUND;
    if (disk_sectors != 0 && (uint64_t)pick->lba_start + pick->lba_count > disk_sectors)
        return ERR_TRUNCATED;
    *out = *pick;
    return ERR_OK;
}
