/* fuzz_gpt.c: libFuzzer harness for the GPT header checks and the entry scan (core/gpt.c).
 * The input is a header sector (byte 0 chooses whether its CRC is made to match, so the
 * checks past it are reached, and from which LBA it was read) followed by entry bytes fed in
 * chunks of sizes the input chooses. Every answer is checked against the bytes, abort() on a
 * violation:
 *   - an accepted header: the signature, a matching CRC over its size, my_lba as asked, the
 *     limits of gpt.h, an array clear of LBA 0, the header and the usable range;
 *   - the scan: it never reads past what it was fed, counts exactly the entries it was given
 *     up to entry_count, keeps only FAT kinds inside the usable range, bootable ones first,
 *     and finishes ERR_OK only with every entry seen and the array's CRC right.
 * Input: [0] mode (bit 0: a small LBA, 1: a matching header CRC, 2: sane array fields, 3:
 * a matching array CRC, 4: FAT type GUIDs), [1..8] LBA, [9..520] header, then up to 4 KiB of
 * entry bytes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "fuzz_check.h"
#include "gpt.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void check_header(const uint8_t *sec, uint64_t lba, const struct gpt_header *h)
{
    uint8_t copy[512];
    uint32_t size = rd32(sec + 12);

    CHECK(memcmp(sec, "EFI PART", 8) == 0);
    CHECK(size >= 92 && size <= 512);
    memcpy(copy, sec, size);
    memset(copy + 16, 0, 4);
    CHECK(crc32_update(0, copy, size) == rd32(sec + 16));
    CHECK(h->my_lba == lba && rd64(sec + 24) == lba);
    CHECK(h->first_usable <= h->last_usable);
    CHECK(h->entry_size >= 128 && h->entry_size <= 512 && !(h->entry_size & (h->entry_size - 1)));
    CHECK(h->entry_count >= 1 && h->entry_count <= GPT_ENTRIES_MAX);
    uint64_t end = h->entries_lba + gpt_entries_sectors(h);
    CHECK(h->entries_lba >= 1 && end > h->entries_lba);
    CHECK(!(h->entries_lba <= lba && lba < end));
    CHECK(end <= h->first_usable || h->entries_lba > h->last_usable);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t ents[4096];
    uint8_t sec[512];
    struct gpt_header h;
    struct gpt_scan s;
    uint64_t lba;

    if (size < 9 + 512)
        return 0;
    uint8_t mode = data[0];
    memcpy(&lba, data + 1, 8);
    if (mode & 1)
        lba &= 0xff;
    memcpy(sec, data + 9, 512);
    size_t left = size - 9 - 512 > sizeof ents ? sizeof ents : size - 9 - 512;
    memcpy(ents, data + 9 + 512, left);
    /* bit 4: every 128-byte entry a FAT kind (by its first byte) */
    for (size_t off = 0; (mode & 16) && off + 128 <= left; off += 128)
        memcpy(ents + off, ents[off] & 1 ? gpt_type_esp : gpt_type_basic_data, 16);
    if (mode & 4) { /* sane fields, so the scan is reached: a small array from LBA 2 */
        uint64_t two = 2, first = 34, last = 34 + sec[40];
        uint32_t count = 1 + sec[80] % 16, esize = 128u << (sec[84] % 3);
        memcpy(sec + 72, &two, 8);
        memcpy(sec + 40, &first, 8);
        memcpy(sec + 48, &last, 8);
        memcpy(sec + 80, &count, 4);
        memcpy(sec + 84, &esize, 4);
        lba = 1;
        if ((mode & 8) && left >= (size_t)count * esize) { /* and the array's CRC */
            uint32_t crc = crc32_update(0, ents, (size_t)count * esize);
            memcpy(sec + 88, &crc, 4);
        }
    }
    if (mode & 2) { /* a plausible header whose CRC matches */
        memcpy(sec, "EFI PART", 8);
        sec[10] = 1, sec[11] = 0;
        uint32_t hs = 92 + (sec[12] % 2) * (sec[13] % 421);
        memcpy(sec + 12, &hs, 4);
        memcpy(sec + 24, &lba, 8);
        memset(sec + 16, 0, 4);
        uint32_t crc = crc32_update(0, sec, hs);
        memcpy(sec + 16, &crc, 4);
    }
    err_t e = gpt_header_parse(sec, sizeof sec, lba, &h);
    if (e != ERR_OK) {
        CHECK(e == ERR_BAD_MAGIC || e == ERR_UNSUPPORTED || e == ERR_BAD_FORMAT);
        return 0;
    }
    check_header(sec, lba, &h);

    /* The scan, over the rest of the input in chunks of whole entries. */
    const uint8_t *p = ents;
    size_t fed = 0;
    uint32_t crc = 0, used = 0;
    gpt_scan_init(&s, &h);
    while (left >= h.entry_size) {
        size_t n = h.entry_size * (1 + (p[0] % 4));
        if (n > left)
            n = left - left % h.entry_size;
        CHECK(gpt_scan_feed(&s, p, n) == ERR_OK);
        for (size_t off = 0; off < n && fed < h.entry_count; off += h.entry_size, fed++) {
            crc = crc32_update(crc, p + off, h.entry_size);
            static const uint8_t zero[16];
            used += memcmp(p + off, zero, 16) != 0;
        }
        p += n;
        left -= n;
    }
    if (left)
        CHECK(gpt_scan_feed(&s, p, left) == ERR_INVALID_ARG);
    CHECK(s.seen == fed && s.used == used && s.n + s.dropped + s.bad <= used);
    err_t f = gpt_scan_finish(&s);
    if (fed < h.entry_count)
        CHECK(f == ERR_TRUNCATED);
    else
        CHECK(f == (crc == h.entries_crc ? ERR_OK : ERR_BAD_FORMAT));
    if (f != ERR_OK)
        return 0;
    bool unbootable_seen = false;
    for (uint32_t i = 0; i < s.n; i++) {
        const struct gpt_part *c = &s.cand[i];
        bool bootable = (c->attributes & GPT_ATTR_LEGACY_BIOS_BOOTABLE) != 0;
        CHECK(c->kind == GPT_KIND_BASIC_DATA || c->kind == GPT_KIND_ESP);
        CHECK(c->first_lba <= c->last_lba && c->first_lba >= h.first_usable &&
              c->last_lba <= h.last_usable && c->index < h.entry_count);
        CHECK(!(bootable && unbootable_seen)); /* bootable ones first */
        unbootable_seen |= !bootable;
    }
    return 0;
}
