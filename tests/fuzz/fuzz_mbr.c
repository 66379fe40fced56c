/* fuzz_mbr.c: libFuzzer harness for mbr_parse and mbr_find_fat32. The input is a sector
 * (padded to 512 bytes; byte 0 of the input chooses whether the signature and plausible
 * status bytes are forced, so deep paths are reached) and a disk size. Every answer is
 * compared with a reference reading of the same bytes, abort() on a violation:
 *   - accepted tables: the four slots equal the bytes, used slots start after LBA 0, are
 *     non-empty, end within 2^32 sectors and do not overlap (GPT protective exempt);
 *   - refused tables: the error is one the bytes justify, and part[] is untouched;
 *   - find_fat32: the active FAT32 slot, else the first, within the disk when its size is
 *     known, and the count of FAT32 slots.
 * Input: [0] mode, [1..8] disk sectors (little endian), then the sector bytes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "mbr.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The errors the bytes justify, as a bit set over err_t values (ERR_OK alone if none). */
struct ref {
    bool magic, status, shape, overflow, overlap;
};

static struct ref ref_check(const uint8_t *s)
{
    struct ref r = {0};
    r.magic = s[510] != 0x55 || s[511] != 0xAA;
    for (int i = 0; i < 4; i++) {
        const uint8_t *e = s + 0x1BE + 16 * i;
        uint32_t st = rd32(e + 8), n = rd32(e + 12);
        if (e[0] != 0x00 && e[0] != 0x80)
            r.status = true;
        if (e[4] == 0)
            continue;
        if (st == 0 || n == 0)
            r.shape = true;
        if ((uint64_t)st + n > (1ull << 32))
            r.overflow = true;
        for (int j = 0; j < i; j++) {
            const uint8_t *f = s + 0x1BE + 16 * j;
            if (f[4] == 0 || f[4] == 0xEE || e[4] == 0xEE)
                continue;
            uint64_t a0 = rd32(f + 8), a1 = a0 + rd32(f + 12);
            uint64_t b0 = st, b1 = b0 + n;
            /* Overlap of two non-empty ranges; a zero-sized slot is already refused. */
            if (a0 < b1 && b0 < a1)
                r.overlap = true;
        }
    }
    return r;
}

/* Field by field: struct padding is not part of the answer. */
static bool same_part(const struct mbr_part *a, const struct mbr_part *b)
{
    return a->index == b->index && a->status == b->status && a->type == b->type &&
           a->lba_start == b->lba_start && a->lba_count == b->lba_count;
}

static bool ref_allows(const struct ref *r, err_t e)
{
    switch (e) {
    case ERR_BAD_MAGIC: return r->magic;
    case ERR_BAD_FORMAT: return !r->magic && (r->status || r->shape);
    case ERR_OVERFLOW: return !r->magic && r->overflow;
    case ERR_OVERLAP: return !r->magic && r->overlap;
    default: return false;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t sec[520];
    struct mbr_part part[4], keep[4], out, out_keep;

    if (size < 9)
        return 0;
    uint8_t mode = data[0];
    uint64_t disk;
    memcpy(&disk, data + 1, 8);
    if (mode & 0x10)
        disk &= 0xffffffffull; /* sizes around the 2^32 partition limit */
    memset(sec, 0, sizeof(sec));
    size_t n = size - 9 > sizeof(sec) ? sizeof(sec) : size - 9;
    /* Short inputs fill the table area, where the interesting bytes are. */
    memcpy(n > 66 ? sec : sec + 0x1BE, data + 9, n);
    if (mode & 1) {
        sec[510] = 0x55;
        sec[511] = 0xAA;
    }
    if (mode & 2)
        for (int i = 0; i < 4; i++)
            sec[0x1BE + 16 * i] &= 0x80;
    size_t len = (mode & 0x20) ? (mode & 0x40 ? 511 : n) : 512;
    if (len > sizeof(sec))
        len = sizeof(sec);

    memset(part, 0x5a, sizeof(part));
    memcpy(keep, part, sizeof(part));
    err_t e = mbr_parse(sec, len, part);
    struct ref r = ref_check(sec);
    bool valid = !r.magic && !r.status && !r.shape && !r.overflow && !r.overlap;

    if (len < 512) {
        CHECK(e == ERR_TRUNCATED);
    } else if (valid) {
        CHECK(e == ERR_OK);
        for (uint32_t i = 0; i < 4; i++) {
            const uint8_t *b = sec + 0x1BE + 16 * i;
            CHECK(part[i].index == i && part[i].status == b[0] && part[i].type == b[4]);
            CHECK(part[i].lba_start == rd32(b + 8) && part[i].lba_count == rd32(b + 12));
            if (part[i].type == 0)
                continue;
            CHECK(part[i].lba_start >= 1 && part[i].lba_count >= 1);
            CHECK((uint64_t)part[i].lba_start + part[i].lba_count <= (1ull << 32));
            for (uint32_t j = 0; j < i; j++) {
                if (part[j].type == 0 || part[j].type == 0xEE || part[i].type == 0xEE)
                    continue;
                uint64_t je = (uint64_t)part[j].lba_start + part[j].lba_count;
                uint64_t ie = (uint64_t)part[i].lba_start + part[i].lba_count;
                CHECK(je <= part[i].lba_start || ie <= part[j].lba_start);
            }
        }
    } else {
        CHECK(ref_allows(&r, e));
        CHECK(memcmp(part, keep, sizeof(part)) == 0);
    }

    /* find_fat32: same verdict on the table, then the active FAT32 slot, else the first. */
    uint32_t count = 0x5a5a5a5au;
    memset(&out, 0x5a, sizeof(out));
    out_keep = out;
    err_t f = mbr_find_fat32(sec, len, disk, &out, &count);
    if (e != ERR_OK) {
        CHECK(f == e && memcmp(&out, &out_keep, sizeof(out)) == 0);
        CHECK(count == 0x5a5a5a5au);
        return 0;
    }
    int pick = -1;
    uint32_t fat32 = 0;
    bool gpt = false;
    for (int i = 0; i < 4; i++) {
        gpt |= part[i].type == 0xEE;
        if (part[i].type != 0x0B && part[i].type != 0x0C)
            continue;
        fat32++;
        if (pick < 0 || (part[i].status == 0x80 && part[pick].status != 0x80))
            pick = i;
    }
    CHECK(count == fat32);
    if (pick < 0) {
        CHECK(f == (gpt ? ERR_UNSUPPORTED : ERR_NOT_FOUND));
        CHECK(memcmp(&out, &out_keep, sizeof(out)) == 0);
        return 0;
    }
    uint64_t end = (uint64_t)part[pick].lba_start + part[pick].lba_count;
    if (disk != 0 && end > disk) {
        CHECK(f == ERR_TRUNCATED && memcmp(&out, &out_keep, sizeof(out)) == 0);
    } else {
        CHECK(f == ERR_OK && same_part(&out, &part[pick]));
        CHECK(disk == 0 || end <= disk); /* within the disk */
    }
    CHECK(mbr_is_protective(part) == gpt);
    return 0;
}
