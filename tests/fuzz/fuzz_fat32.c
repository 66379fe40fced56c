/* fuzz_fat32.c: libFuzzer harness for the FAT32 reader. Input: the first sectors of a 1 MiB
 * disk (the rest reads as zeros), with the volume at LBA 0. Mount, list the root, open a few
 * paths and read the files found in whole and in odd chunks: the two reads must agree, byte
 * counts must add up, and nothing may crash, hang or touch memory it should not.
 *
 * Built with -DFUZZ_FAT32_SEED_MAIN it is instead a small program that writes seed images (a
 * hand-laid volume with /boot/kernel.elf under a long name, 8.3 names and a fragmented
 * chain) into the directory given on its command line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat32.h"
#include "fuzz_check.h"

#define DISK_SECTORS 2048u
#define CHUNK 777u

struct mem_disk {
    const uint8_t *data;
    size_t size;
};

static err_t mem_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    const struct mem_disk *d = ctx;
    if (lba >= DISK_SECTORS || count > DISK_SECTORS - lba)
        return ERR_IO;
    uint8_t *out = buf;
    uint64_t byte = lba * 512u, n = (uint64_t)count * 512u;
    memset(out, 0, (size_t)n);
    if (byte < d->size) {
        uint64_t k = d->size - byte < n ? d->size - byte : n;
        memcpy(out, d->data + byte, (size_t)k);
    }
    return ERR_OK;
}

#ifndef FUZZ_FAT32_SEED_MAIN

static struct fat32 fs;
static uint8_t whole[DISK_SECTORS * 512u + 16];
static uint8_t chunked[DISK_SECTORS * 512u + 16];

static void read_file(struct fat32_file *f)
{
    if (f->is_dir)
        return;
    /* open checked the chain, so the file fits on this 1 MiB disk */
    CHECK(f->size <= DISK_SECTORS * 512u);
    uint64_t got = 0;
    err_t e = fat32_read(&fs, f, 0, whole, (uint64_t)f->size + 16, &got);
    if (e != ERR_OK)
        return;
    CHECK(got == f->size);
    for (uint64_t off = 0; off < f->size; off += CHUNK) {
        uint64_t n = 0;
        e = fat32_read(&fs, f, off, chunked + off, CHUNK, &n);
        CHECK(e == ERR_OK); /* the same clusters as the whole read */
        CHECK(n == (f->size - off < CHUNK ? f->size - off : CHUNK));
    }
    CHECK(memcmp(whole, chunked, f->size) == 0);
    uint64_t n = 1;
    CHECK(fat32_read(&fs, f, f->size, chunked, 1, &n) == ERR_OK && n == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mem_disk d = { data, size };
    if (fat32_mount(&fs, mem_read, &d, 0, DISK_SECTORS) != ERR_OK)
        return 0;
    CHECK(fs.cluster_count >= 1 && fs.bytes_per_sector >= 512);
    CHECK((uint64_t)fs.total_sectors * fs.dev_per_sector <= DISK_SECTORS);

    static const char *const paths[] = {
        "/boot/kernel.elf", "/BOOT/KERNEL.ELF", "/", "/boot", "/boot/..",
        "/a/b/c/d", "/kernel.elf", "/boot/A long name.txt",
    };
    struct fat32_file f;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        err_t e = fat32_open(&fs, paths[i], &f);
        if (e == ERR_OK)
            read_file(&f);
    }
    /* list the root, read what it holds (bounded: at most 64 entries) */
    static struct fat32_dirent de;
    struct fat32_file root = fat32_root(&fs);
    uint32_t pos = 0, prev = 0;
    for (int i = 0; i < 64; i++) {
        err_t e = fat32_dir_next(&fs, &root, &pos, &de);
        if (e != ERR_OK)
            break;
        CHECK(pos > prev);
        prev = pos;
        CHECK(de.long_len <= FAT32_NAME_MAX && de.long_name[de.long_len] == 0);
        CHECK(memchr(de.short_name, 0, sizeof(de.short_name)) != NULL);
        if (!de.file.is_dir && fat32_check_chain(&fs, &de.file) == ERR_OK)
            read_file(&de.file);
    }
    return 0;
}

#else /* FUZZ_FAT32_SEED_MAIN: write seed images */

static uint8_t img[64 * 4096];

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

static uint8_t lfn_sum(const uint8_t *n)
{
    uint8_t s = 0;
    for (int i = 0; i < 11; i++)
        s = (uint8_t)(((s & 1) << 7) + (s >> 1) + n[i]);
    return s;
}

/* 8.3 entry */
static void dirent(uint8_t *e, const char *name11, uint8_t attr, uint32_t cluster, uint32_t size)
{
    memcpy(e, name11, 11);
    e[11] = attr;
    put16(e + 20, cluster >> 16);
    put16(e + 26, cluster & 0xffff);
    put32(e + 28, size);
}

/* one LFN piece holding up to 13 ASCII characters of `name` starting at piece seq */
static void lfn(uint8_t *e, const char *name, int seq, bool last, uint8_t sum)
{
    static const uint8_t pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
    size_t len = strlen(name), start = (size_t)(seq - 1) * 13;
    e[0] = (uint8_t)(seq | (last ? 0x40 : 0));
    e[11] = 0x0f;
    e[13] = sum;
    for (int i = 0; i < 13; i++) {
        size_t k = start + (size_t)i;
        uint16_t c = k < len ? (uint8_t)name[k] : (k == len ? 0 : 0xffff);
        put16(e + pos[i], c);
    }
}

/* Volume: `bps`-byte sectors, `spc` sectors per cluster, 1 reserved sector, 1 FAT of 1 sector
 * (126 clusters used), root at cluster 2. /boot (cluster 3) holds KERNEL.ELF (long name
 * "kernel.elf"), 3 clusters long, fragmented: 4 -> 6 -> 5. */
static size_t build(uint32_t bps, uint32_t spc)
{
    memset(img, 0, sizeof(img));
    uint8_t *b = img;
    b[0] = 0xeb; b[1] = 0x58; b[2] = 0x90;
    memcpy(b + 3, "MULTIOS ", 8);
    put16(b + 11, bps);
    b[13] = (uint8_t)spc;
    put16(b + 14, 1);
    b[16] = 1;
    put32(b + 32, 2 + 126 * spc); /* 126 clusters: what one FAT sector describes */
    put32(b + 36, 1);
    put32(b + 44, 2);
    b[510] = 0x55; b[511] = 0xaa;
    uint8_t *fat = img + bps;
    put32(fat + 0, 0x0ffffff8);
    put32(fat + 4, 0x0fffffff);
    put32(fat + 8, 0x0fffffff);  /* root: one cluster */
    put32(fat + 12, 0x0fffffff); /* /boot */
    put32(fat + 16, 6);          /* kernel: 4 -> 6 -> 5 */
    put32(fat + 24, 5);
    put32(fat + 20, 0x0fffffff);
    uint32_t cb = bps * spc;
    uint8_t *root = img + 2 * bps;         /* cluster 2 */
    uint8_t *boot = root + cb;             /* cluster 3 */
    dirent(root, "MULTIOS    ", 0x08, 0, 0);
    dirent(root + 32, "BOOT       ", 0x10, 3, 0);
    dirent(boot, ".          ", 0x10, 3, 0);
    dirent(boot + 32, "..         ", 0x10, 0, 0);
    const char *sn = "KERNEL  ELF";
    lfn(boot + 64, "kernel.elf", 1, true, lfn_sum((const uint8_t *)sn));
    uint32_t size = 2 * cb + 100;
    dirent(boot + 96, sn, 0x20, 4, size);
    for (uint32_t c = 4; c <= 6; c++)
        for (uint32_t i = 0; i < cb; i++)
            img[2 * bps + (c - 2) * cb + i] = (uint8_t)(c * 31 + i);
    return 2 * bps + 5 * (size_t)cb;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    static const uint32_t shapes[][2] = { { 512, 1 }, { 512, 2 }, { 512, 8 }, { 4096, 1 } };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/seed-bps%u-spc%u.img", argv[1], shapes[i][0],
                 shapes[i][1]);
        size_t n = build(shapes[i][0], shapes[i][1]);
        struct mem_disk d = { img, n };
        struct fat32 *fs = malloc(sizeof(*fs));
        struct fat32_file f;
        /* the seed must be a volume the reader accepts, with the kernel readable */
        if (!fs || fat32_mount(fs, mem_read, &d, 0, DISK_SECTORS) != ERR_OK ||
            fat32_open(fs, "/boot/kernel.elf", &f) != ERR_OK) {
            fprintf(stderr, "seed %s is not readable\n", path);
            return 1;
        }
        free(fs);
        FILE *o = fopen(path, "wb");
        if (!o || fwrite(img, 1, n, o) != n || fclose(o) != 0)
            return 1;
    }
    return 0;
}

#endif
