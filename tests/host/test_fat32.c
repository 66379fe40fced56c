/* test_fat32.c: the FAT32 reader against images made by mkfs.fat + mtools (tests/host/fat32.mk)
 * with 512 B .. 64 KiB clusters, 4 KiB sectors and a partition offset: every file is read back
 * and compared with its source file; then corrupted copies (BPB fields, loops, truncated and
 * bad chains, LFN checksums, I/O errors) through a patch overlay on the read callback. Where
 * the test needs to know where things are on disk it finds them with its own small reader
 * (ref_*), not with the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fat32.h"
#include "testutil.h"

#define FIX "build/fixtures/fat32/"
#define SRC FIX "src/"

/* ---- a file-backed disk with a patch overlay ------------------------------------------- */

#define MAX_PATCHES 32
struct disk {
    int fd;
    uint64_t sectors;
    uint32_t npatch;
    uint64_t patch_lba[MAX_PATCHES];
    uint8_t patch[MAX_PATCHES][512];
    uint64_t fail_lba;    /* reads touching this LBA fail (UINT64_MAX: none) */
    uint64_t reads;
    uint64_t max_count;   /* largest count seen */
};

static err_t disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    struct disk *d = ctx;
    d->reads++;
    if (count > d->max_count)
        d->max_count = count;
    if (count == 0 || lba >= d->sectors || count > d->sectors - lba)
        return ERR_IO;
    if (d->fail_lba >= lba && d->fail_lba - lba < count)
        return ERR_DISK_READ;
    ssize_t n = pread(d->fd, buf, (size_t)count * 512u, (off_t)(lba * 512u));
    if (n != (ssize_t)count * 512)
        return ERR_IO;
    for (uint32_t i = 0; i < d->npatch; i++)
        if (d->patch_lba[i] >= lba && d->patch_lba[i] - lba < count)
            memcpy((uint8_t *)buf + (d->patch_lba[i] - lba) * 512u, d->patch[i], 512);
    return ERR_OK;
}

static struct disk *disk_open(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), FIX "%s", name);
    struct disk *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    d->fd = open(path, O_RDONLY);
    if (d->fd < 0)
        fail_msg("cannot open %s (make %sstamp builds it)", path, FIX);
    struct stat st;
    assert_int_equal(fstat(d->fd, &st), 0);
    d->sectors = (uint64_t)st.st_size / 512u;
    d->fail_lba = UINT64_MAX;
    return d;
}

static void disk_close(struct disk *d)
{
    close(d->fd);
    free(d);
}

static void raw_read(struct disk *d, uint64_t byte, void *out, size_t n)
{
    /* read through the overlay, sector by sector */
    uint8_t sec[512];
    uint8_t *o = out;
    while (n) {
        uint64_t lba = byte / 512u;
        size_t at = (size_t)(byte % 512u), k = 512u - at < n ? 512u - at : n;
        assert_int_equal(disk_read(d, lba, 1, sec), ERR_OK);
        memcpy(o, sec + at, k);
        o += k;
        byte += k;
        n -= k;
    }
}

static struct fat32 fs; /* ~8 KiB: static, as in stage2 */

/* The disk changed under the mounted reader: forget what it cached. */
static void fs_drop_caches(void)
{
    fs.fat_cached = UINT32_MAX;
    fs.sec_cached = UINT64_MAX;
}

static void unpatch(struct disk *d)
{
    d->npatch = 0;
    fs_drop_caches();
}

/* Overwrite bytes at an absolute byte offset (through the overlay). */
static void patch(struct disk *d, uint64_t byte, const void *data, size_t n)
{
    const uint8_t *s = data;
    while (n) {
        uint64_t lba = byte / 512u;
        size_t at = (size_t)(byte % 512u), k = 512u - at < n ? 512u - at : n;
        uint32_t i;
        for (i = 0; i < d->npatch && d->patch_lba[i] != lba; i++)
            ;
        if (i == d->npatch) {
            assert_true(d->npatch < MAX_PATCHES);
            raw_read(d, lba * 512u, d->patch[i], 512);
            d->patch_lba[i] = lba;
            d->npatch++;
        }
        memcpy(d->patch[i] + at, s, k);
        fs_drop_caches();
        s += k;
        byte += k;
        n -= k;
    }
}

static void patch32(struct disk *d, uint64_t byte, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    patch(d, byte, b, 4);
}

static void patch16(struct disk *d, uint64_t byte, uint32_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    patch(d, byte, b, 2);
}

/* ---- reference: an independent minimal reading of the layout --------------------------- */

struct ref {
    uint64_t base;      /* byte offset of the volume */
    uint32_t bps, spc, reserved, nfats, fatsz, root;
    uint64_t fat_byte, data_byte, cluster_bytes;
};

static uint32_t rd(struct disk *d, uint64_t byte, int n)
{
    uint8_t b[4] = { 0 };
    raw_read(d, byte, b, (size_t)n);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static struct ref ref_layout(struct disk *d, uint64_t part_lba)
{
    struct ref r;
    r.base = part_lba * 512u;
    r.bps = rd(d, r.base + 11, 2);
    r.spc = rd(d, r.base + 13, 1);
    r.reserved = rd(d, r.base + 14, 2);
    r.nfats = rd(d, r.base + 16, 1);
    r.fatsz = rd(d, r.base + 36, 4);
    r.root = rd(d, r.base + 44, 4);
    r.fat_byte = r.base + (uint64_t)r.reserved * r.bps;
    r.data_byte = r.fat_byte + (uint64_t)r.nfats * r.fatsz * r.bps;
    r.cluster_bytes = (uint64_t)r.bps * r.spc;
    return r;
}

static uint64_t ref_cluster_byte(const struct ref *r, uint32_t c)
{
    return r->data_byte + (uint64_t)(c - 2u) * r->cluster_bytes;
}

static uint32_t ref_fat(struct disk *d, const struct ref *r, uint32_t c)
{
    return rd(d, r->fat_byte + (uint64_t)c * 4u, 4) & 0x0fffffffu;
}

/* Every FAT copy gets the same change, so the test does not depend on which one is read. */
static void ref_set_fat(struct disk *d, const struct ref *r, uint32_t c, uint32_t v)
{
    for (uint32_t i = 0; i < r->nfats; i++)
        patch32(d, r->fat_byte + (uint64_t)i * r->fatsz * r->bps + (uint64_t)c * 4u, v);
}

/* Byte offset of the 8.3 entry `name11` in the first cluster of directory cluster `dir`. */
static uint64_t ref_find(struct disk *d, const struct ref *r, uint32_t dir, const char *name11)
{
    for (uint64_t o = 0; o < r->cluster_bytes; o += 32) {
        char n[11];
        uint64_t at = ref_cluster_byte(r, dir) + o;
        raw_read(d, at, n, 11);
        if (n[0] == 0)
            break;
        if (!memcmp(n, name11, 11))
            return at;
    }
    fail_msg("reference reader: %.11s not found", name11);
    return 0;
}

static uint32_t ref_entry_cluster(struct disk *d, uint64_t at)
{
    return (rd(d, at + 20, 2) << 16) | rd(d, at + 26, 2);
}

/* ---- source files ---------------------------------------------------------------------- */

/* Open `path` on the mounted fs and compare with SRC/src_rel: whole read, chunked reads with
 * an odd chunk size, single bytes at scattered offsets, and reads past the end. */
static void check_file(const char *path, const char *src_rel)
{
    char sp[512];
    snprintf(sp, sizeof(sp), SRC "%s", src_rel);
    size_t size;
    uint8_t *want = (uint8_t *)testutil_read_file(sp, &size);
    struct fat32_file f;
    err_t e = fat32_open(&fs, path, &f);
    if (e)
        fail_msg("open %s: %s", path, err_str(e));
    assert_false(f.is_dir);
    assert_int_equal(f.size, size);
    uint8_t *got = malloc(size + 100);
    assert_non_null(got);
    uint64_t n = 0;
    memset(got, 0x5a, size + 100);
    assert_int_equal(fat32_read(&fs, &f, 0, got, size + 100, &n), ERR_OK);
    assert_int_equal(n, size);
    assert_memory_equal(got, want, size);
    assert_int_equal(got[size], 0x5a); /* nothing written past what was read */

    memset(got, 0, size + 1);
    const uint64_t chunk = 777;
    for (uint64_t off = 0; off < size; off += chunk) {
        assert_int_equal(fat32_read(&fs, &f, off, got + off, chunk, &n), ERR_OK);
        assert_int_equal(n, off + chunk <= size ? chunk : size - off);
    }
    assert_memory_equal(got, want, size);

    for (uint64_t k = 0; size && k < 50; k++) {
        uint64_t off = (k * 2654435761u) % size; /* backwards and forwards: cursor resets */
        uint8_t b = 0;
        assert_int_equal(fat32_read(&fs, &f, off, &b, 1, &n), ERR_OK);
        assert_int_equal(n, 1);
        assert_int_equal(b, want[off]);
    }
    assert_int_equal(fat32_read(&fs, &f, size, got, 10, &n), ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(fat32_read(&fs, &f, UINT64_MAX, got, 10, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(got);
    free(want);
}

static void expect_open(const char *path, err_t want)
{
    struct fat32_file f;
    err_t e = fat32_open(&fs, path, &f);
    if (e != want)
        fail_msg("open %s: got %s, want %s", path, err_str(e), err_str(want));
}

struct image {
    const char *name;
    uint64_t part_lba;
    uint32_t bps, spc;
};

static const struct image images[] = {
    { "fat32-s1.img", 0, 512, 1 },      { "fat32-s8.img", 0, 512, 8 },
    { "fat32-s64.img", 0, 512, 64 },    { "fat32-s128.img", 0, 512, 128 },
    { "fat32-S4096.img", 0, 4096, 1 },  { "fat32-off.img", 2048, 512, 1 },
};

static struct disk *mount_image(const struct image *im)
{
    struct disk *d = disk_open(im->name);
    err_t e = fat32_mount(&fs, disk_read, d, im->part_lba, d->sectors - im->part_lba);
    if (e)
        fail_msg("mount %s: %s", im->name, err_str(e));
    return d;
}

static void test_images_read_back(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
        const struct image *im = &images[i];
        struct disk *d = mount_image(im);
        struct ref r = ref_layout(d, im->part_lba);
        assert_int_equal(fs.bytes_per_sector, im->bps);
        assert_int_equal(fs.sectors_per_cluster, im->spc);
        assert_int_equal(fs.cluster_bytes, im->bps * im->spc);
        assert_int_equal(fs.root_cluster, r.root);
        assert_int_equal(fs.data_lba * 512u, r.data_byte);

        check_file("/boot/kernel.elf", "boot/kernel.elf");
        check_file("/boot/multios.cfg", "boot/multios.cfg");
        check_file("/A Very Long File Name, With Spaces.txt",
                   "A Very Long File Name, With Spaces.txt");
        check_file("/dir1/dir2/dir3/deep.bin", "dir1/dir2/dir3/deep.bin");
        check_file("/exact64k.bin", "exact64k.bin");
        check_file("/MiXeD.TxT", "MiXeD.TxT");
        check_file("/empty.txt", "empty.txt");
        check_file("/frag/big.bin", "frag/big.bin");
        check_file("/frag/fill7.bin", "frag/fill7.bin");
        check_file("/many/file0.txt", "many/file0.txt");
        check_file("/many/file299.txt", "many/file299.txt");
        check_file("/many/file150.txt", "many/file150.txt");
        disk_close(d);
    }
}

static void test_names(void **state)
{
    (void)state;
    struct disk *d = mount_image(&images[0]);
    check_file("/BOOT/KERNEL.ELF", "boot/kernel.elf");
    check_file("boot//Kernel.Elf", "boot/kernel.elf");
    check_file("/a very long file name, with spaces.TXT", "A Very Long File Name, With Spaces.txt");
    check_file("/AVERYL~1.TXT", "A Very Long File Name, With Spaces.txt"); /* its 8.3 alias */
    check_file("/mixed.txt", "MiXeD.TxT");
    check_file("/dir1/dir2/../dir2/./dir3/deep.bin", "dir1/dir2/dir3/deep.bin");
    check_file("/dir1/../boot/multios.cfg", "boot/multios.cfg"); /* ".." with cluster 0 */

    expect_open("/boot/nothere.elf", ERR_NOT_FOUND);
    expect_open("/many/file7.txt", ERR_NOT_FOUND);   /* deleted by the image builder */
    expect_open("/many/file300.txt", ERR_NOT_FOUND);
    expect_open("/empty.txt/x", ERR_NOT_FOUND);      /* a file used as a directory */
    expect_open("/MULTIOS", ERR_NOT_FOUND);          /* the volume label is not a file */
    expect_open("/A Very Long File Name", ERR_NOT_FOUND); /* prefix of a long name */
    expect_open("/A Very Long File Name, With Spaces.txtx", ERR_NOT_FOUND);
    char longname[300];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    expect_open(longname, ERR_INVALID_ARG);

    struct fat32_file f;
    assert_int_equal(fat32_open(&fs, "/", &f), ERR_OK);
    assert_true(f.is_dir);
    assert_int_equal(f.first_cluster, fs.root_cluster);
    assert_int_equal(fat32_open(&fs, "/dir1/dir2", &f), ERR_OK);
    assert_true(f.is_dir);
    uint8_t b;
    assert_int_equal(fat32_read(&fs, &f, 0, &b, 1, NULL), ERR_INVALID_ARG);
    disk_close(d);
}

static void test_directory_listing(void **state)
{
    (void)state;
    struct disk *d = mount_image(&images[0]); /* 512 B clusters: /many spans many clusters */
    struct fat32_file dir;
    assert_int_equal(fat32_open(&fs, "/many", &dir), ERR_OK);
    static struct fat32_dirent de;
    static bool seen[300];
    memset(seen, 0, sizeof(seen));
    uint32_t pos = 0, files = 0, dots = 0;
    err_t e;
    while ((e = fat32_dir_next(&fs, &dir, &pos, &de)) == ERR_OK) {
        if (!strcmp(de.short_name, ".") || !strcmp(de.short_name, "..")) {
            dots++;
            continue;
        }
        /* mtools stores "file12.txt" as an 8.3 name with the lowercase flags, no LFN */
        char name[64];
        assert_true(de.long_len < sizeof(name));
        for (uint32_t i = 0; i <= de.long_len; i++)
            name[i] = (char)de.long_name[i];
        if (!de.long_len)
            strcpy(name, de.short_name);
        unsigned k;
        assert_int_equal(sscanf(name, "file%u.txt", &k), 1);
        assert_true(k < 300 && k != 7 && !seen[k]);
        seen[k] = true;
        char want[32];
        snprintf(want, sizeof(want), "file %u\n", k);
        assert_int_equal(de.file.size, strlen(want));
        files++;
    }
    assert_int_equal(e, ERR_NOT_FOUND);
    assert_int_equal(dots, 2);
    assert_int_equal(files, 299);
    /* the directory really spans clusters (checked with the reference reader) */
    struct ref r = ref_layout(d, 0);
    assert_true(ref_fat(d, &r, dir.first_cluster) != 0x0fffffff);
    disk_close(d);
}

static void test_fragmented_chain(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
        struct disk *d = mount_image(&images[i]);
        struct ref r = ref_layout(d, images[i].part_lba);
        uint32_t frag = ref_entry_cluster(d, ref_find(d, &r, r.root, "FRAG       "));
        uint32_t c = ref_entry_cluster(d, ref_find(d, &r, frag, "BIG     BIN"));
        uint32_t jumps = 0, steps = 0;
        while (c >= 2 && c < 0x0ffffff8 && steps++ < 100000) {
            uint32_t n = ref_fat(d, &r, c);
            if (n < 0x0ffffff8 && n != c + 1)
                jumps++;
            c = n;
        }
        assert_true(jumps >= 1); /* the image builder fragmented it */
        disk_close(d);
    }
}

/* ---- corruption ------------------------------------------------------------------------ */

static void expect_mount(struct disk *d, uint64_t sectors, err_t want)
{
    err_t e = fat32_mount(&fs, disk_read, d, 0, sectors);
    if (e != want)
        fail_msg("mount: got %s, want %s", err_str(e), err_str(want));
}

static void test_bad_bpb(void **state)
{
    (void)state;
    struct disk *d = disk_open("fat32-s1.img");
    uint64_t n = d->sectors;
    struct {
        uint32_t off, size, value;
        err_t want;
    } cases[] = {
        { 510, 1, 0x54, ERR_BAD_MAGIC },       /* signature */
        { 11, 2, 256, ERR_BAD_FORMAT },        /* bytes/sector */
        { 11, 2, 768, ERR_BAD_FORMAT },
        { 11, 2, 8192, ERR_BAD_FORMAT },
        { 13, 1, 0, ERR_BAD_FORMAT },          /* sectors/cluster */
        { 13, 1, 3, ERR_BAD_FORMAT },
        { 14, 2, 0, ERR_BAD_FORMAT },          /* reserved sectors */
        { 16, 1, 0, ERR_BAD_FORMAT },          /* number of FATs */
        { 16, 1, 9, ERR_BAD_FORMAT },
        { 17, 2, 512, ERR_BAD_FORMAT },        /* FAT16 root entries */
        { 22, 2, 100, ERR_BAD_FORMAT },        /* FAT16 FAT size */
        { 36, 4, 0, ERR_BAD_FORMAT },          /* FAT32 FAT size */
        { 36, 4, 1, ERR_BAD_FORMAT },          /* a FAT too small for the clusters */
        { 36, 4, 0x7fffffff, ERR_BAD_FORMAT }, /* FATs bigger than the volume */
        { 44, 4, 0, ERR_BAD_FORMAT },          /* root cluster */
        { 44, 4, 1, ERR_BAD_FORMAT },
        { 44, 4, 0x0ffffff0, ERR_BAD_FORMAT },
        { 32, 4, 0xffffffff, ERR_TRUNCATED },  /* more sectors than the partition */
        { 40, 2, 0x80 | 5, ERR_BAD_FORMAT },   /* active FAT 5 of 2 */
        { 42, 2, 1, ERR_BAD_FORMAT },          /* FS version */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unpatch(d);
        if (cases[i].size == 1) {
            uint8_t v = (uint8_t)cases[i].value;
            patch(d, cases[i].off, &v, 1);
        } else if (cases[i].size == 2) {
            patch16(d, cases[i].off, cases[i].value);
        } else {
            patch32(d, cases[i].off, cases[i].value);
        }
        err_t e = fat32_mount(&fs, disk_read, d, 0, n);
        if (e != cases[i].want)
            fail_msg("case %zu (offset %u = %u): got %s, want %s", i, cases[i].off,
                     cases[i].value, err_str(e), err_str(cases[i].want));
    }
    unpatch(d);
    expect_mount(d, n, ERR_OK);
    expect_mount(d, 81919, ERR_TRUNCATED); /* partition one sector short of the volume */
    expect_mount(d, 0, ERR_TRUNCATED);
    assert_int_equal(fat32_mount(&fs, disk_read, d, UINT64_MAX, 2), ERR_OVERFLOW);
    assert_int_equal(fat32_mount(&fs, NULL, d, 0, n), ERR_INVALID_ARG);
    assert_int_equal(fat32_mount(NULL, disk_read, d, 0, n), ERR_INVALID_ARG);
    /* a BPB past the end of the disk: the callback's error is passed on */
    assert_int_equal(fat32_mount(&fs, disk_read, d, n, 10), ERR_IO);
    d->fail_lba = 0;
    assert_int_equal(fat32_mount(&fs, disk_read, d, 0, n), ERR_DISK_READ);
    disk_close(d);
}

struct kfile {
    struct ref r;
    uint64_t entry;    /* byte offset of KERNEL.ELF's directory entry */
    uint32_t first;
    uint32_t chain[1024];
    uint32_t len;
};

static struct disk *kernel_setup(struct kfile *k)
{
    struct disk *d = disk_open("fat32-s8.img"); /* 4 KiB clusters: kernel.elf has 74 */
    k->r = ref_layout(d, 0);
    uint32_t boot = ref_entry_cluster(d, ref_find(d, &k->r, k->r.root, "BOOT       "));
    k->entry = ref_find(d, &k->r, boot, "KERNEL  ELF");
    k->first = ref_entry_cluster(d, k->entry);
    k->len = 0;
    for (uint32_t c = k->first; c >= 2 && c < 0x0ffffff8 && k->len < 1024; c = ref_fat(d, &k->r, c))
        k->chain[k->len++] = c;
    assert_int_equal(k->len, (300001 + 4095) / 4096);
    expect_mount(d, d->sectors, ERR_OK);
    return d;
}

static void test_bad_chains(void **state)
{
    (void)state;
    struct kfile k;
    struct disk *d = kernel_setup(&k);
    uint64_t n = d->sectors;
    struct fat32_file f;

    /* loop: the last cluster points back to the first, or into the middle */
    ref_set_fat(d, &k.r, k.chain[k.len - 1], k.first);
    expect_mount(d, n, ERR_OK);
    expect_open("/boot/kernel.elf", ERR_BAD_FORMAT);
    unpatch(d);
    ref_set_fat(d, &k.r, k.chain[k.len - 1], k.chain[k.len / 2]);
    expect_open("/boot/kernel.elf", ERR_BAD_FORMAT);
    unpatch(d);
    ref_set_fat(d, &k.r, k.first, k.first); /* self loop */
    expect_open("/boot/kernel.elf", ERR_BAD_FORMAT);

    /* truncated: EOC in the middle */
    unpatch(d);
    ref_set_fat(d, &k.r, k.chain[10], 0x0fffffff);
    expect_open("/boot/kernel.elf", ERR_TRUNCATED);
    /* the size says more than the chain holds */
    unpatch(d);
    patch32(d, k.entry + 28, (k.len + 1) * 4096u);
    expect_open("/boot/kernel.elf", ERR_TRUNCATED);
    /* a longer chain than needed is fine */
    unpatch(d);
    patch32(d, k.entry + 28, 5000);
    expect_open("/boot/kernel.elf", ERR_OK);
    /* bad-cluster mark, free entry, reserved value, out-of-range link */
    uint32_t marks[] = { 0x0ffffff7, 0, 1, 0x0ffffff0, 0x00ffffff };
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        unpatch(d);
        ref_set_fat(d, &k.r, k.chain[3], marks[i]);
        expect_open("/boot/kernel.elf", ERR_BAD_FORMAT);
    }
    /* the high 4 bits of an entry are reserved and ignored */
    unpatch(d);
    ref_set_fat(d, &k.r, k.chain[3], 0xf0000000u | k.chain[4]);
    check_file("/boot/kernel.elf", "boot/kernel.elf");
    /* first cluster out of range / zero with a size */
    unpatch(d);
    patch16(d, k.entry + 26, 1);
    patch16(d, k.entry + 20, 0);
    expect_open("/boot/kernel.elf", ERR_BAD_FORMAT);
    patch16(d, k.entry + 26, 0);
    expect_open("/boot/kernel.elf", ERR_TRUNCATED);

    /* a chain corrupted after open: reads report it instead of reading garbage */
    unpatch(d);
    assert_int_equal(fat32_open(&fs, "/boot/kernel.elf", &f), ERR_OK);
    ref_set_fat(d, &k.r, k.chain[5], 0x0fffffff);
    static uint8_t buf[300001];
    uint64_t got = 0;
    assert_int_equal(fat32_read(&fs, &f, 0, buf, sizeof(buf), &got), ERR_TRUNCATED);
    assert_true(got <= 6u * 4096u);
    disk_close(d);
}

static void test_directory_loop(void **state)
{
    (void)state;
    struct disk *d = disk_open("fat32-s1.img");
    struct ref r = ref_layout(d, 0);
    uint32_t many = ref_entry_cluster(d, ref_find(d, &r, r.root, "MANY       "));
    /* /many spans ~40 clusters; make its 3rd cluster point back to its first */
    uint32_t c2 = ref_fat(d, &r, ref_fat(d, &r, many));
    ref_set_fat(d, &r, c2, many);
    expect_mount(d, d->sectors, ERR_OK);
    /* lookups in it end (the 65536-entry cap bounds the walk) */
    expect_open("/many/nothere.txt", ERR_NOT_FOUND);
    check_file("/many/file1.txt", "many/file1.txt"); /* in the first cluster: still found */
    /* a directory whose chain has a bad link */
    unpatch(d);
    ref_set_fat(d, &r, many, 0);
    expect_open("/many/nothere.txt", ERR_BAD_FORMAT);
    /* a bad-cluster mark further down the chain: found only when the walk gets there */
    unpatch(d);
    ref_set_fat(d, &r, ref_fat(d, &r, many), 0x0ffffff7);
    check_file("/many/file1.txt", "many/file1.txt");
    expect_open("/many/file299.txt", ERR_BAD_FORMAT);
    disk_close(d);
}

static void test_lfn_checksum(void **state)
{
    (void)state;
    struct disk *d = disk_open("fat32-s1.img");
    struct ref r = ref_layout(d, 0);
    uint64_t at = ref_find(d, &r, r.root, "AVERYL~1TXT");
    /* the LFN pieces sit right before the 8.3 entry; the one just before is sequence 1 */
    assert_int_equal(rd(d, at - 32 + 11, 1), 0x0f);
    assert_int_equal(rd(d, at - 32, 1) & 0x1f, 1);
    expect_mount(d, d->sectors, ERR_OK);
    expect_open("/A Very Long File Name, With Spaces.txt", ERR_OK);
    uint8_t sum = (uint8_t)(rd(d, at - 32 + 13, 1) ^ 0x55);
    patch(d, at - 32 + 13, &sum, 1);
    expect_open("/A Very Long File Name, With Spaces.txt", ERR_NOT_FOUND);
    expect_open("/AVERYL~1.TXT", ERR_OK); /* the 8.3 name still works */
    /* a missing middle piece (marked deleted) also voids the long name */
    unpatch(d);
    uint8_t del = 0xe5;
    patch(d, at - 64, &del, 1);
    expect_open("/A Very Long File Name, With Spaces.txt", ERR_NOT_FOUND);
    expect_open("/AVERYL~1.TXT", ERR_OK);
    disk_close(d);
}

/* Long names are UCS-2 on disk and UTF-8 in paths; case folding is ASCII only. */
static void test_lfn_non_ascii(void **state)
{
    (void)state;
    struct disk *d = disk_open("fat32-s1.img");
    struct ref r = ref_layout(d, 0);
    uint64_t at = ref_find(d, &r, r.root, "MIXED   TXT");
    /* one LFN piece "MiXeD.TxT"; its 3rd character (bytes 5..6) becomes U+00E9 */
    assert_int_equal(rd(d, at - 32, 1), 0x41);
    assert_int_equal(rd(d, at - 32 + 5, 2), 'X');
    patch16(d, at - 32 + 5, 0x00e9);
    expect_mount(d, d->sectors, ERR_OK);
    check_file("/Mi\xc3\xa9" "eD.TxT", "MiXeD.TxT");
    check_file("/MI\xc3\xa9" "ED.txt", "MiXeD.TxT");       /* ASCII letters fold */
    expect_open("/MI\xc3\x89" "ED.TXT", ERR_NOT_FOUND);     /* U+00C9 is not folded to U+00E9 */
    expect_open("/Mi\xc3" "eD.TxT", ERR_NOT_FOUND);          /* malformed UTF-8 */
    expect_open("/Mi\xe9" "eD.TxT", ERR_NOT_FOUND);          /* Latin-1 is not UTF-8 */
    check_file("/mixed.txt", "MiXeD.TxT");                /* the 8.3 name is unchanged */
    disk_close(d);
}

static void test_io_errors(void **state)
{
    (void)state;
    struct kfile k;
    struct disk *d = kernel_setup(&k);
    struct fat32_file f;
    assert_int_equal(fat32_open(&fs, "/boot/kernel.elf", &f), ERR_OK);
    /* a data sector of the 6th cluster fails: the read stops with the callback's error */
    d->fail_lba = (k.r.data_byte + (uint64_t)(k.chain[5] - 2) * 4096u) / 512u + 3;
    static uint8_t buf[300001];
    uint64_t got = 0;
    assert_int_equal(fat32_read(&fs, &f, 0, buf, sizeof(buf), &got), ERR_DISK_READ);
    assert_true(got <= 5u * 4096u);
    /* the FAT sector fails */
    d->fail_lba = k.r.fat_byte / 512u;
    fs_drop_caches();
    assert_int_equal(fat32_open(&fs, "/boot/kernel.elf", &f), ERR_DISK_READ);
    disk_close(d);
}

/* Reads go straight to the caller's buffer in big requests, not sector by sector. */
static void test_read_efficiency(void **state)
{
    (void)state;
    struct disk *d = disk_open("fat32-s1.img");
    expect_mount(d, d->sectors, ERR_OK);
    struct fat32_file f;
    assert_int_equal(fat32_open(&fs, "/boot/kernel.elf", &f), ERR_OK);
    static uint8_t buf[300001];
    d->reads = 0;
    d->max_count = 0;
    uint64_t got;
    assert_int_equal(fat32_read(&fs, &f, 0, buf, sizeof(buf), &got), ERR_OK);
    /* 586 sectors of 512-byte clusters, contiguous on this fresh image: a handful of reads
     * (data runs + FAT sectors), not one per cluster. */
    assert_true(d->reads < 20);
    assert_true(d->max_count >= 64);
    disk_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images_read_back),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_directory_listing),
        cmocka_unit_test(test_fragmented_chain),
        cmocka_unit_test(test_bad_bpb),
        cmocka_unit_test(test_bad_chains),
        cmocka_unit_test(test_directory_loop),
        cmocka_unit_test(test_lfn_checksum),
        cmocka_unit_test(test_lfn_non_ascii),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_read_efficiency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
