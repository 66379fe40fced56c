/* fat32.c: FAT32 volume mount (BPB validation), FAT access, cluster-chain checks and file
 * reads. Directories and names are in fat32_dir.c. Every value read from disk is range-checked
 * before it is used as an index, a count or an LBA; chains are walked with a step bound and
 * Brent's cycle detection, so a corrupt FAT gives an error code, never a hang. */
#include "fat32.h"

#include <string.h>

#include "arith.h"
#include "le.h"

/* FAT entry values (28 bits used). */
#define FAT_MASK      0x0fffffffu
#define FAT_BAD       0x0ffffff7u
#define FAT_EOC_MIN   0x0ffffff8u
/* Cluster numbers from 0x0ffffff7 up are marks, so the last data cluster is 0x0ffffff6. */
#define FAT_MAX_COUNT (0x0ffffff6u - 1u)
/* Device sectors per read callback call when reading file data straight into the caller's
 * buffer (4 MiB): keeps `count` small for callers that bounce through low memory. */
#define READ_CHUNK_DEV 8192u

bool fat32_cluster_valid(const struct fat32 *fs, uint32_t c)
{
    return c >= 2u && c - 2u < fs->cluster_count;
}

uint64_t fat32_cluster_lba(const struct fat32 *fs, uint32_t c, uint32_t sec)
{
    return fs->data_lba +
           ((uint64_t)(c - 2u) * fs->sectors_per_cluster + sec) * fs->dev_per_sector;
}

const uint8_t *fat32_sector(struct fat32 *fs, uint64_t lba, err_t *e)
{
    if (fs->sec_cached != lba) {
        fs->sec_cached = UINT64_MAX;
        *e = fs->read(fs->ctx, lba, fs->dev_per_sector, fs->sec_buf);
        if (*e)
            return NULL;
        fs->sec_cached = lba;
    }
    *e = ERR_OK;
    return fs->sec_buf;
}

err_t fat32_next(struct fat32 *fs, uint32_t c, uint32_t *next)
{
    if (!fat32_cluster_valid(fs, c))
        return ERR_BAD_FORMAT;
    /* c <= cluster_count + 1 and mount checked that the FAT holds that many entries. */
    uint64_t byte = (uint64_t)c * 4u;
    uint32_t sec = (uint32_t)(byte / fs->bytes_per_sector);
    uint32_t at = (uint32_t)(byte % fs->bytes_per_sector);
    if (fs->fat_cached != sec) {
        fs->fat_cached = UINT32_MAX;
        err_t e = fs->read(fs->ctx, fs->fat_lba + (uint64_t)sec * fs->dev_per_sector,
                           fs->dev_per_sector, fs->fat_buf);
        if (e)
            return e;
        fs->fat_cached = sec;
    }
    uint32_t v = le_read32(fs->fat_buf + at) & FAT_MASK;
    if (v >= FAT_EOC_MIN) {
        *next = FAT32_EOC;
        return ERR_OK;
    }
    if (v == FAT_BAD || !fat32_cluster_valid(fs, v))
        return ERR_BAD_FORMAT; /* bad-cluster mark, free (0), reserved (1) or out of range */
    *next = v;
    return ERR_OK;
}

err_t fat32_walk(struct fat32 *fs, uint32_t c, uint32_t steps, uint32_t *out)
{
    for (uint32_t i = 0; i < steps; i++) {
        uint32_t next;
        err_t e = fat32_next(fs, c, &next);
        if (e)
            return e;
        if (next == FAT32_EOC)
            return ERR_TRUNCATED;
        c = next;
    }
    *out = c;
    return ERR_OK;
}

/* ---- mount ----------------------------------------------------------------------------- */

err_t fat32_mount(struct fat32 *fs, fat32_read_fn read, void *ctx, uint64_t part_lba,
                  uint64_t part_sectors)
{
    if (!fs || !read)
        return ERR_INVALID_ARG;
    memset(fs, 0, offsetof(struct fat32, fat_buf));
    fs->read = read;
    fs->ctx = ctx;
    fs->fat_cached = UINT32_MAX;
    fs->sec_cached = UINT64_MAX;
    if (part_sectors > UINT64_MAX - part_lba)
        return ERR_OVERFLOW;
    if (part_sectors == 0)
        return ERR_TRUNCATED;
    fs->part_lba = part_lba;
    fs->part_sectors = part_sectors;

    /* The BPB lives in the first 512 bytes whatever the logical sector size. */
    err_t e = read(ctx, part_lba, 1, fs->sec_buf);
    if (e)
        return e;
    const uint8_t *b = fs->sec_buf;
    if (b[510] != 0x55 || b[511] != 0xaa)
        return ERR_BAD_MAGIC;

    uint32_t bps = le_read16(b + 0x0b);
    uint32_t spc = b[0x0d];
    uint32_t reserved = le_read16(b + 0x0e);
    uint32_t nfats = b[0x10];
    uint32_t root_entries = le_read16(b + 0x11);
    uint32_t total = le_read16(b + 0x13);
    uint32_t fat16_size = le_read16(b + 0x16);
    if (total == 0)
        total = le_read32(b + 0x20);
    uint32_t fat_size = le_read32(b + 0x24);
    uint32_t ext_flags = le_read16(b + 0x28);
    uint32_t version = le_read16(b + 0x2a);
    uint32_t root = le_read32(b + 0x2c);

    if (bps < 512u || bps > FAT32_MAX_SECTOR || !arith_is_pow2(bps))
        return ERR_BAD_FORMAT;
    if (!arith_is_pow2(spc) || spc > 128u)
        return ERR_BAD_FORMAT;
    if (reserved == 0 || nfats == 0 || nfats > 4u)
        return ERR_BAD_FORMAT;
    /* FAT12/16 have a fixed root directory and a 16-bit FAT size; FAT32 has neither. */
    if (root_entries != 0 || fat16_size != 0 || fat_size == 0 || version != 0)
        return ERR_BAD_FORMAT;

    fs->bytes_per_sector = bps;
    fs->dev_per_sector = bps / FAT32_DEVICE_SECTOR;
    fs->sectors_per_cluster = spc;
    fs->cluster_bytes = bps * spc;
    fs->reserved_sectors = reserved;
    fs->num_fats = nfats;
    fs->fat_sectors = fat_size;
    fs->total_sectors = total;

    if ((uint64_t)total * fs->dev_per_sector > part_sectors)
        return ERR_TRUNCATED; /* the volume claims more than its partition */
    uint64_t meta = (uint64_t)reserved + (uint64_t)nfats * fat_size;
    if (meta >= total)
        return ERR_BAD_FORMAT;
    uint64_t clusters = (total - meta) / spc;
    if (clusters == 0 || clusters > FAT_MAX_COUNT)
        return ERR_BAD_FORMAT;
    /* The FAT must have an entry for every cluster (2 reserved entries first). */
    if (((uint64_t)fat_size * bps) / 4u < clusters + 2u)
        return ERR_BAD_FORMAT;
    fs->cluster_count = (uint32_t)clusters;

    /* With mirroring off (bit 7), only the FAT numbered in bits 0..3 is current. */
    uint32_t active = (ext_flags & 0x80u) ? (ext_flags & 0x0fu) : 0u;
    if (active >= nfats)
        return ERR_BAD_FORMAT;
    fs->fat_lba = part_lba + ((uint64_t)reserved + (uint64_t)active * fat_size) * fs->dev_per_sector;
    fs->data_lba = part_lba + meta * fs->dev_per_sector;
    if (!fat32_cluster_valid(fs, root))
        return ERR_BAD_FORMAT;
    fs->root_cluster = root;
    fs->sec_cached = UINT64_MAX; /* sec_buf held the boot sector, read as one device sector */
    return ERR_OK;
}

struct fat32_file fat32_root(const struct fat32 *fs)
{
    struct fat32_file f;
    memset(&f, 0, sizeof(f));
    f.first_cluster = fs->root_cluster;
    f.attr = FAT32_ATTR_DIRECTORY;
    f.is_dir = true;
    return f;
}

/* ---- chains ---------------------------------------------------------------------------- */

err_t fat32_check_chain(struct fat32 *fs, const struct fat32_file *f)
{
    if (!fs || !f)
        return ERR_INVALID_ARG;
    uint64_t need = f->is_dir ? 1u : ((uint64_t)f->size + fs->cluster_bytes - 1u) / fs->cluster_bytes;
    if (f->first_cluster == 0)
        return need ? (f->is_dir ? ERR_BAD_FORMAT : ERR_TRUNCATED) : ERR_OK;
    if (!fat32_cluster_valid(fs, f->first_cluster))
        return ERR_BAD_FORMAT;
    /* Brent: the tortoise jumps to the hare at powers of two; meeting it again means a loop.
     * A chain longer than the cluster count is a loop as well (belt and braces). */
    uint32_t hare = f->first_cluster, tortoise = hare;
    uint64_t power = 1, lam = 0, len = 1;
    for (;;) {
        uint32_t next;
        err_t e = fat32_next(fs, hare, &next);
        if (e)
            return e;
        if (next == FAT32_EOC)
            break;
        if (lam == power) {
            tortoise = hare;
            power *= 2u;
            lam = 0;
        }
        hare = next;
        lam++;
        len++;
        if (hare == tortoise || len > fs->cluster_count)
            return ERR_BAD_FORMAT;
    }
    return len < need ? ERR_TRUNCATED : ERR_OK;
}

/* Cluster number of cluster index `index` of f, from the file's cursor when it helps. */
static err_t seek_cluster(struct fat32 *fs, struct fat32_file *f, uint32_t index, uint32_t *out)
{
    uint32_t c = f->first_cluster, i = 0;
    if (f->cur_cluster && f->cur_index <= index) {
        c = f->cur_cluster;
        i = f->cur_index;
    }
    if (!fat32_cluster_valid(fs, c))
        return ERR_BAD_FORMAT;
    err_t e = fat32_walk(fs, c, index - i, &c);
    if (e)
        return e;
    f->cur_cluster = c;
    f->cur_index = index;
    *out = c;
    return ERR_OK;
}

err_t fat32_read(struct fat32 *fs, struct fat32_file *f, uint64_t offset, void *buf,
                 uint64_t len, uint64_t *got)
{
    if (got)
        *got = 0;
    if (!fs || !f || (!buf && len))
        return ERR_INVALID_ARG;
    if (f->is_dir)
        return ERR_INVALID_ARG;
    if (offset >= f->size || len == 0)
        return ERR_OK;
    if (len > f->size - offset)
        len = f->size - offset;

    const uint32_t bps = fs->bytes_per_sector, cb = fs->cluster_bytes;
    uint8_t *dst = buf;
    uint64_t pos = offset, rem = len;
    uint32_t index = (uint32_t)(pos / cb), c;
    err_t e = seek_cluster(fs, f, index, &c);
    if (e)
        return e;

    while (rem) {
        uint32_t within = (uint32_t)(pos % cb);
        uint64_t n; /* bytes done this round */
        uint32_t last = c, run = 1; /* contiguous clusters [c, last] this round covers */
        if (within % bps != 0 || rem < bps) {
            /* Part of one sector: through the sector buffer. */
            const uint8_t *s = fat32_sector(fs, fat32_cluster_lba(fs, c, within / bps), &e);
            if (!s)
                return e;
            n = bps - within % bps;
            if (n > rem)
                n = rem;
            memcpy(dst, s + within % bps, (size_t)n);
        } else {
            /* Whole sectors straight into the caller's buffer, across clusters that follow
             * each other on disk. */
            uint64_t want = rem / bps, have = (cb - within) / bps;
            while (have < want && have * fs->dev_per_sector < READ_CHUNK_DEV) {
                uint32_t next;
                e = fat32_next(fs, last, &next);
                if (e)
                    return e;
                if (next != last + 1u)
                    break;
                last = next;
                run++;
                have += fs->sectors_per_cluster;
            }
            uint64_t sectors = want < have ? want : have;
            if (sectors * fs->dev_per_sector > READ_CHUNK_DEV)
                sectors = READ_CHUNK_DEV / fs->dev_per_sector;
            e = fs->read(fs->ctx, fat32_cluster_lba(fs, c, within / bps),
                         (uint32_t)(sectors * fs->dev_per_sector), dst);
            if (e)
                return e;
            n = sectors * bps;
        }
        dst += n;
        pos += n;
        rem -= n;
        if (got)
            *got += n;
        /* Which cluster holds pos now? */
        uint64_t adv = (within + n) / cb;
        if (adv == 0 || rem == 0)
            continue;
        if (adv < run) {
            c += (uint32_t)adv;
        } else {
            uint32_t next;
            c = last;
            e = fat32_next(fs, c, &next);
            if (e)
                return e;
            if (next == FAT32_EOC)
                return ERR_TRUNCATED;
            c = next;
        }
        index += (uint32_t)adv;
        f->cur_cluster = c;
        f->cur_index = index;
    }
    return ERR_OK;
}
