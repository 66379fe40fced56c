/* gpt.c: the GUID partition table (gpt.h): header checks and a scan of the entry array. */
#include <string.h>

#include "crc32.h"
#include "gpt.h"
#include "le.h"

const uint8_t gpt_type_basic_data[16] = { 0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44,
                                          0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7 };
const uint8_t gpt_type_esp[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
                                   0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };
const uint8_t gpt_type_bios_boot[16] = { 0x48, 0x61, 0x68, 0x21, 0x49, 0x64, 0x6f, 0x6e,
                                         0x74, 0x4e, 0x65, 0x65, 0x64, 0x45, 0x46, 0x49 };

/* Header fields (UEFI spec 5.3.2). */
#define GPT_HDR_SIGNATURE    0
#define GPT_HDR_REVISION     8
#define GPT_HDR_SIZE         12
#define GPT_HDR_CRC          16
#define GPT_HDR_MY_LBA       24
#define GPT_HDR_ALTERNATE    32
#define GPT_HDR_FIRST_USABLE 40
#define GPT_HDR_LAST_USABLE  48
#define GPT_HDR_ENTRIES_LBA  72
#define GPT_HDR_ENTRY_COUNT  80
#define GPT_HDR_ENTRY_SIZE   84
#define GPT_HDR_ENTRIES_CRC  88
/* Entry fields (5.3.3). */
#define GPT_ENT_TYPE  0
#define GPT_ENT_FIRST 32
#define GPT_ENT_LAST  40
#define GPT_ENT_ATTRS 48

#define GPT_REVISION_MAJOR 0x00010000u /* 1.0; minor revisions keep the layout */

err_t gpt_header_parse(const uint8_t *sector, size_t len, uint64_t lba, struct gpt_header *out)
{
    uint8_t copy[GPT_SECTOR_SIZE];
    struct gpt_header h;
    uint32_t size, crc;
    uint64_t array_end;

    if (!sector || !out)
        return ERR_INVALID_ARG;
    if (len < GPT_SECTOR_SIZE)
        return ERR_TRUNCATED;
    if (memcmp(sector + GPT_HDR_SIGNATURE, "EFI PART", 8) != 0)
        return ERR_BAD_MAGIC;
    if ((le_read32(sector + GPT_HDR_REVISION) & 0xffff0000u) != GPT_REVISION_MAJOR)
        return ERR_UNSUPPORTED;
    size = le_read32(sector + GPT_HDR_SIZE);
    if (size < GPT_HEADER_MIN_SIZE || size > GPT_SECTOR_SIZE)
        return ERR_BAD_FORMAT;
    /* The CRC covers the header's own size with the CRC field taken as zero. */
    memcpy(copy, sector, size);
    memset(copy + GPT_HDR_CRC, 0, 4);
    crc = crc32_update(0, copy, size);
    if (crc != le_read32(sector + GPT_HDR_CRC))
        return ERR_BAD_FORMAT;

    h = (struct gpt_header){
        .my_lba = le_read64(sector + GPT_HDR_MY_LBA),
        .alternate_lba = le_read64(sector + GPT_HDR_ALTERNATE),
        .first_usable = le_read64(sector + GPT_HDR_FIRST_USABLE),
        .last_usable = le_read64(sector + GPT_HDR_LAST_USABLE),
        .entries_lba = le_read64(sector + GPT_HDR_ENTRIES_LBA),
        .entry_count = le_read32(sector + GPT_HDR_ENTRY_COUNT),
        .entry_size = le_read32(sector + GPT_HDR_ENTRY_SIZE),
        .entries_crc = le_read32(sector + GPT_HDR_ENTRIES_CRC),
    };
    if (h.entry_size < GPT_ENTRY_MIN_SIZE || h.entry_size > GPT_ENTRY_MAX_SIZE ||
        (h.entry_size & (h.entry_size - 1)) != 0)
        return ERR_UNSUPPORTED;
    if (h.my_lba != lba || h.first_usable > h.last_usable || h.entry_count == 0 ||
        h.entry_count > GPT_ENTRIES_MAX || h.entries_lba == 0)
        return ERR_BAD_FORMAT;
    /* The array may not run into the usable range, this header or past 2^64 sectors. */
    array_end = h.entries_lba + gpt_entries_sectors(&h);
    if (array_end < h.entries_lba ||
        (h.entries_lba <= h.last_usable && array_end > h.first_usable) ||
        (h.entries_lba <= lba && lba < array_end))
        return ERR_BAD_FORMAT;
    *out = h;
    return ERR_OK;
}

uint32_t gpt_entries_sectors(const struct gpt_header *h)
{
    uint64_t bytes = (uint64_t)h->entry_count * h->entry_size;

    return (uint32_t)((bytes + GPT_SECTOR_SIZE - 1) / GPT_SECTOR_SIZE);
}

enum gpt_kind gpt_kind_of(const uint8_t *type)
{
    if (memcmp(type, gpt_type_basic_data, 16) == 0)
        return GPT_KIND_BASIC_DATA;
    if (memcmp(type, gpt_type_esp, 16) == 0)
        return GPT_KIND_ESP;
    if (memcmp(type, gpt_type_bios_boot, 16) == 0)
        return GPT_KIND_BIOS_BOOT;
    return GPT_KIND_OTHER;
}

void gpt_scan_init(struct gpt_scan *s, const struct gpt_header *h)
{
    memset(s, 0, sizeof(*s));
    s->hdr = *h;
}

static bool gpt_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* One used entry: a candidate when it is of a FAT kind and inside the usable range. */
static void gpt_scan_entry(struct gpt_scan *s, const uint8_t *e)
{
    struct gpt_part p = {
        .index = s->seen,
        .kind = gpt_kind_of(e + GPT_ENT_TYPE),
        .first_lba = le_read64(e + GPT_ENT_FIRST),
        .last_lba = le_read64(e + GPT_ENT_LAST),
        .attributes = le_read64(e + GPT_ENT_ATTRS),
    };

    s->used++;
    if (p.first_lba > p.last_lba || p.first_lba < s->hdr.first_usable ||
        p.last_lba > s->hdr.last_usable) {
        s->bad++;
        return;
    }
    if (p.kind != GPT_KIND_BASIC_DATA && p.kind != GPT_KIND_ESP)
        return;
    if (s->n == GPT_SCAN_MAX) {
        s->dropped++;
        return;
    }
    s->cand[s->n++] = p;
}

err_t gpt_scan_feed(struct gpt_scan *s, const uint8_t *buf, size_t len)
{
    uint32_t size;

    if (!s || (!buf && len))
        return ERR_INVALID_ARG;
    size = s->hdr.entry_size;
    if (size == 0 || len % size != 0)
        return ERR_INVALID_ARG;
    for (size_t off = 0; off < len && s->seen < s->hdr.entry_count; off += size) {
        const uint8_t *e = buf + off;

        s->crc = crc32_update(s->crc, e, size);
        if (!gpt_zero(e + GPT_ENT_TYPE, 16))
            gpt_scan_entry(s, e);
        s->seen++;
    }
    return ERR_OK;
}

err_t gpt_scan_finish(struct gpt_scan *s)
{
    struct gpt_part sorted[GPT_SCAN_MAX];
    uint32_t k = 0;

    if (!s)
        return ERR_INVALID_ARG;
    if (s->seen < s->hdr.entry_count)
        return ERR_TRUNCATED;
    if (s->crc != s->hdr.entries_crc)
        return ERR_BAD_FORMAT;
    /* Legacy BIOS bootable first, each group in table order. */
    for (int bootable = 1; bootable >= 0; bootable--)
        for (uint32_t i = 0; i < s->n; i++)
            if (((s->cand[i].attributes & GPT_ATTR_LEGACY_BIOS_BOOTABLE) != 0) == bootable)
                sorted[k++] = s->cand[i];
    memcpy(s->cand, sorted, sizeof(sorted[0]) * s->n);
    return ERR_OK;
}
