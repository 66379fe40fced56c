/* fat32.h: a read-only FAT32 reader for the pure core: mount a partition through a
 * sector-read callback, look files up by path (8.3 and long names, case-insensitive) and read
 * them by (offset, length), following cluster chains with loop and truncation checks.
 * No allocation: the only buffers are the two sector buffers inside struct fat32 (file data is
 * read straight into the caller's buffer, whole sectors at a time, so any cluster size works:
 * 512 B .. 64 KiB, and larger if a BPB says so). Every on-disk value is checked before use.
 *
 * Typical stage2 use:
 *     static struct fat32 fs;           // ~8.3 KiB: keep it static, not on the stack
 *     struct fat32_file f;
 *     e = fat32_mount(&fs, disk_read, &disk, part_lba, part_sectors);
 *     e = fat32_open(&fs, "/boot/kernel.elf", &f);   // ERR_NOT_FOUND -> "kernel not found"
 *     e = fat32_read(&fs, &f, offset, buf, len, &got);
 */
#ifndef FAT32_H
#define FAT32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The read callback counts in 512-byte device sectors whatever the file system's own sector
 * size is (FAT logical sectors of 1024..4096 bytes are read as 2..8 device sectors). */
#define FAT32_DEVICE_SECTOR 512u
/* Largest logical sector size accepted (the two sector buffers are this big). */
#define FAT32_MAX_SECTOR    4096u
/* Longest path component / long name accepted, in UCS-2 units (the FAT limit). */
#define FAT32_NAME_MAX      255u

/* Read `count` 512-byte sectors starting at absolute `lba` into buf (count * 512 bytes).
 * Return ERR_OK or an error (ERR_DISK_READ, ERR_IO...), which fat32 passes on unchanged. */
typedef err_t (*fat32_read_fn)(void *ctx, uint64_t lba, uint32_t count, void *buf);

/* Directory-entry attributes. */
#define FAT32_ATTR_READ_ONLY 0x01u
#define FAT32_ATTR_HIDDEN    0x02u
#define FAT32_ATTR_SYSTEM    0x04u
#define FAT32_ATTR_VOLUME_ID 0x08u
#define FAT32_ATTR_DIRECTORY 0x10u
#define FAT32_ATTR_ARCHIVE   0x20u
#define FAT32_ATTR_LFN       0x0fu

/* A mounted volume. Fields after `ctx` are filled by fat32_mount from the BPB. */
struct fat32 {
    fat32_read_fn read;
    void *ctx;
    uint64_t part_lba;          /* first device sector of the partition */
    uint64_t part_sectors;      /* device sectors in the partition */
    uint32_t bytes_per_sector;  /* logical: 512, 1024, 2048 or 4096 */
    uint32_t dev_per_sector;    /* device sectors per logical sector */
    uint32_t sectors_per_cluster;
    uint32_t cluster_bytes;
    uint32_t reserved_sectors;
    uint32_t num_fats;
    uint32_t fat_sectors;       /* sectors per FAT (logical) */
    uint32_t total_sectors;     /* logical sectors of the volume (BPB) */
    uint32_t root_cluster;
    uint32_t cluster_count;     /* data clusters: valid cluster numbers are 2..cluster_count+1 */
    uint64_t fat_lba;           /* device LBA of the first FAT */
    uint64_t data_lba;          /* device LBA of cluster 2 */
    uint32_t fat_cached;        /* logical FAT sector held in fat_buf (UINT32_MAX: none) */
    uint64_t sec_cached;        /* device LBA held in sec_buf (UINT64_MAX: none) */
    uint8_t  fat_buf[FAT32_MAX_SECTOR];  /* FAT sector cache */
    uint8_t  sec_buf[FAT32_MAX_SECTOR];  /* directory sectors and partial data sectors */
};

/* An open file or directory. The cursor makes sequential reads O(clusters), not O(n^2). */
struct fat32_file {
    uint32_t first_cluster;     /* 0 for an empty file */
    uint32_t size;              /* bytes (0 for directories) */
    uint8_t  attr;              /* FAT32_ATTR_* */
    bool     is_dir;
    uint32_t cur_index;         /* cluster index (within the file) of cur_cluster */
    uint32_t cur_cluster;       /* cluster number at cur_index (0: cursor unset) */
};

/* Mount the FAT32 volume at [part_lba, part_lba + part_sectors). Reads and validates the BPB:
 * 0x55AA signature, bytes/sector 512/1024/2048/4096, sectors/cluster a power of two 1..128,
 * reserved sectors >= 1, 1..4 FATs, 16-bit root entry count and 16-bit FAT size 0 (FAT32),
 * 32-bit FAT size large enough for every cluster, total sectors inside the partition,
 * at least 65525 clusters is NOT required (small test volumes are fine), root cluster in
 * range. Errors: ERR_INVALID_ARG (NULL fs/read), ERR_BAD_MAGIC (signature), ERR_BAD_FORMAT
 * (any BPB field), ERR_TRUNCATED (volume larger than the partition), the read callback's. */
err_t fat32_mount(struct fat32 *fs, fat32_read_fn read, void *ctx, uint64_t part_lba,
                  uint64_t part_sectors);

/* Look up an absolute or relative (to the root) path, components separated by '/', matched
 * case-insensitively (ASCII letters only; paths are UTF-8, long names UCS-2) against long
 * names (LFN entries whose checksum matches their 8.3 entry)
 * and 8.3 names; deleted entries and volume labels are skipped. "" or "/" is the root.
 * On success *out is ready for fat32_read; for a regular file the whole cluster chain has
 * been checked (ends in EOC, no loop, long enough for the size).
 * Errors: ERR_NOT_FOUND (a component does not exist, or a middle one is not a directory),
 * ERR_INVALID_ARG (component longer than FAT32_NAME_MAX), ERR_BAD_FORMAT (bad cluster number,
 * loop: a chain longer than the cluster count, bad-cluster mark), ERR_TRUNCATED (chain ends
 * before the file size), the read callback's error. */
err_t fat32_open(struct fat32 *fs, const char *path, struct fat32_file *out);

/* Read up to len bytes at `offset` into buf; *got (may be NULL) is set to the bytes read,
 * which is less than len only at end of file (offset >= size gives 0 and ERR_OK).
 * Directories cannot be read (ERR_INVALID_ARG). Chain errors as in fat32_open. */
err_t fat32_read(struct fat32 *fs, struct fat32_file *f, uint64_t offset, void *buf,
                 uint64_t len, uint64_t *got);

/* Check a file's cluster chain: every link in range, ends with EOC (no loop, no bad-cluster
 * mark) and has at least ceil(size / cluster_bytes) clusters. fat32_open calls it. */
err_t fat32_check_chain(struct fat32 *fs, const struct fat32_file *f);

/* One directory entry as fat32_dir_next returns it (for listings and tests). */
struct fat32_dirent {
    char     short_name[13];    /* "KERNEL.ELF" (8.3 with dot, 0x05 turned back into 0xE5) */
    uint16_t long_name[FAT32_NAME_MAX + 1]; /* UCS-2, NUL-terminated; empty if no valid LFN */
    uint32_t long_len;
    struct fat32_file file;
};

/* Iterate a directory: *pos starts at 0; each call returns the next live entry (not deleted,
 * not a volume label, not an LFN piece) and advances *pos, or ERR_NOT_FOUND at the end. */
err_t fat32_dir_next(struct fat32 *fs, const struct fat32_file *dir, uint32_t *pos,
                     struct fat32_dirent *out);

/* The root directory as a struct fat32_file. */
struct fat32_file fat32_root(const struct fat32 *fs);

/* ---- internal, shared by the fat32*.c files ---- */
#define FAT32_EOC 0xffffffffu /* fat32_next's "end of chain" */
/* The FAT entry of valid cluster c: *next is the next valid cluster or FAT32_EOC.
 * ERR_BAD_FORMAT for a free/reserved/bad-cluster mark or an out-of-range link. */
err_t fat32_next(struct fat32 *fs, uint32_t c, uint32_t *next);
/* The cluster `steps` links after valid cluster c in *out; ERR_TRUNCATED if the chain ends
 * first, fat32_next's errors as they are. */
err_t fat32_walk(struct fat32 *fs, uint32_t c, uint32_t steps, uint32_t *out);
/* True if c is a data cluster number of this volume. */
bool fat32_cluster_valid(const struct fat32 *fs, uint32_t c);
/* Device LBA of logical sector `sec` of cluster c (c valid, sec < sectors_per_cluster). */
uint64_t fat32_cluster_lba(const struct fat32 *fs, uint32_t c, uint32_t sec);
/* One logical sector at device LBA `lba` into sec_buf (cached); returns sec_buf or NULL and *e. */
const uint8_t *fat32_sector(struct fat32 *fs, uint64_t lba, err_t *e);

#endif
