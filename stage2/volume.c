/* volume.c: the boot volume: FAT32 mount (partition.c finds it), file reads with the disk
 * panic, gzip files read decompressed (volume.h). */
#include "console.h"
#include "le.h"
#include "partition.h"
#include "volume.h"

void volume_mount(struct volume *v, struct disk *disk)
{
    v->disk = disk;
    v->gzip_max = 0;
    v->opened = 0;
    v->gz.owner = 0;
    /* MBR or GPT, the partition chosen and mounted */
    v->part_index = partition_mount(&v->fs, disk);
    log_info("fat32: %u-byte clusters, %u clusters", v->fs.cluster_bytes, v->fs.cluster_count);
}

void volume_limit(struct volume *v, uint64_t max_bytes)
{
    v->gzip_max = max_bytes;
}

/* The file's bytes on disk. */
static err_t volume_raw(struct volume *v, struct volume_file *f, uint64_t offset, void *dst,
                        uint64_t len, uint64_t *got, const char *what)
{
    err_t e = fat32_read(&v->fs, &f->fat, offset, dst, len, got);

    if (e == ERR_DISK_READ)
        disk_panic(v->disk, what);
    return e;
}

err_t volume_open(struct volume *v, const char *path, struct volume_file *f, const char *what)
{
    uint8_t b[4];
    uint64_t got = 0;
    err_t e = fat32_open(&v->fs, path, &f->fat);

    if (e == ERR_DISK_READ)
        disk_panic(v->disk, what);
    if (e != ERR_OK)
        return e;
    f->path = path;
    f->size = f->disk_size = f->fat.size;
    f->is_dir = f->fat.is_dir;
    f->gzip = false;
    f->id = ++v->opened;
    if (f->is_dir)
        return ERR_OK;
    e = volume_raw(v, f, 0, b, 3, &got, what);
    if (e != ERR_OK || !gzip_magic(b, (size_t)got))
        return e;
    f->gzip = true;
    if (f->disk_size < GZIP_MIN_FILE)
        panic("gzip", "%s: %s: %u bytes, less than a gzip header and trailer", path,
              err_str(ERR_INFLATE_TRUNCATED), f->disk_size);
    e = volume_raw(v, f, f->disk_size - 4u, b, 4, &got, what);
    if (e != ERR_OK)
        return e;
    f->size = le_read32(b);
    /* A cut file ends in compressed data, which read as ISIZE is mostly impossibly large:
     * say so now rather than call it a bomb. */
    if (!gzip_isize_possible(f->size, f->disk_size))
        panic("gzip", "%s: truncated or damaged: its last 4 bytes (the ISIZE) say %u bytes, "
              "more than %u bytes of gzip data can hold", path, f->size, f->disk_size);
    if (v->gzip_max && f->size > v->gzip_max)
        panic("gzip", "%s: a gzip bomb: it decompresses to %u KiB (its ISIZE), more than the "
              "%llu KiB of RAM this machine has", path, f->size >> 10,
              (unsigned long long)(v->gzip_max >> 10));
    return ERR_OK;
}

/* inflate_read_fn: the next VOLUME_GZIP_IN compressed bytes of the file being read. */
static err_t volume_gzip_in(void *ctx, const uint8_t **buf, size_t *len)
{
    struct volume *v = ctx;
    struct volume_gzip *s = &v->gz;
    uint64_t got = 0;
    err_t e = fat32_read(&v->fs, &s->file->fat, s->in_pos, s->in, VOLUME_GZIP_IN, &got);

    s->in_pos += (uint32_t)got;
    *buf = s->in;
    *len = (size_t)got;
    return e;
}

/* The stream, at the start of f; at most f->size bytes may come out of it. */
static void volume_gzip_start(struct volume *v, struct volume_file *f)
{
    gzip_init(&v->gz.g, v->gz.window, volume_gzip_in, v, f->size);
    v->gz.owner = f->id;
    v->gz.in_pos = 0;
}

/* Panic "gzip" with the file, the error and what was being read. */
static _Noreturn void volume_gzip_fail(struct volume *v, struct volume_file *f, err_t e,
                                       const char *what)
{
    const struct gzip *g = &v->gz.g;

    if (e == ERR_DISK_READ)
        disk_panic(v->disk, what);
    if (e == ERR_GZIP_LIMIT && g->members > 0)
        panic("gzip", "%s: more than one gzip member, %s: the loader takes the size from the "
              "last member's ISIZE (%u bytes); recompress it as one member", f->path, what,
              f->size);
    if (e == ERR_GZIP_LIMIT)
        panic("gzip", "%s: it decompresses to more than the %u bytes its ISIZE gives: damaged, "
              "or a gzip bomb, %s", f->path, f->size, what);
    panic("gzip", "%s: %s (%s), %s", f->path, err_str(e),
          g->state == GZIP_FAILED ? g->msg : "it ends before the size its trailer gives",
          what);
}

/* Decompressed bytes: from the window when they were just made, else from the stream,
 * skipping ahead or starting again as needed. The caller clamped len to the file. */
static void volume_gzip_read(struct volume *v, struct volume_file *f, uint64_t offset,
                             uint8_t *dst, uint64_t len, uint64_t *got, const char *what)
{
    struct volume_gzip *s = &v->gz;
    uint64_t end = offset + len;
    size_t n = 0;
    err_t e;

    s->file = f;
    if (s->owner != f->id)
        volume_gzip_start(v, f);
    if (offset < s->g.total) {
        uint64_t back = s->g.total - offset;
        if (back <= s->g.z.whave) {
            n = len < back ? (size_t)len : (size_t)back;
            gzip_history(&s->g, (uint32_t)back, dst, n);
            dst += n;
            offset += n;
            *got += n;
        } else {
            log_debug("gzip: %s: read at %llu, %llu bytes behind the stream: decompressing "
                      "again from the start", f->path, (unsigned long long)offset,
                      (unsigned long long)back);
            s->restarts++;
            volume_gzip_start(v, f);
        }
    }
    if (offset < end && offset > s->g.total) {
        uint64_t skip = offset - s->g.total;
        if ((e = gzip_read(&s->g, NULL, (size_t)skip, &n)) != ERR_OK)
            volume_gzip_fail(v, f, e, what);
        if (n != skip)
            volume_gzip_fail(v, f, ERR_GZIP_SIZE, what);
    }
    if (offset < end) {
        if ((e = gzip_read(&s->g, dst, (size_t)(end - offset), &n)) != ERR_OK)
            volume_gzip_fail(v, f, e, what);
        if (n != end - offset)
            volume_gzip_fail(v, f, ERR_GZIP_SIZE, what);
        *got += n;
    }
    if (end == f->size && (e = gzip_finish(&s->g)) != ERR_OK)
        volume_gzip_fail(v, f, e, what);
}

err_t volume_read(struct volume *v, struct volume_file *f, uint64_t offset, void *dst,
                  uint64_t len, uint64_t *got, const char *what)
{
    uint64_t dummy;

    if (!got)
        got = &dummy;
    if (!f->gzip || f->is_dir)
        return volume_raw(v, f, offset, dst, len, got, what);
    *got = 0;
    if (offset >= f->size || len == 0)
        return ERR_OK;
    if (len > f->size - offset)
        len = f->size - offset;
    volume_gzip_read(v, f, offset, dst, len, got, what);
    return ERR_OK;
}

void volume_finish(struct volume *v, struct volume_file *f, const char *what)
{
    struct volume_gzip *s = &v->gz;
    size_t n;
    err_t e;

    if (!f->gzip || f->is_dir)
        return;
    s->file = f;
    if (s->owner != f->id)
        volume_gzip_start(v, f);
    if ((e = gzip_read(&s->g, NULL, (size_t)(f->size - s->g.total), &n)) != ERR_OK)
        volume_gzip_fail(v, f, e, what);
    if (s->g.total != f->size)
        volume_gzip_fail(v, f, ERR_GZIP_SIZE, what);
    if ((e = gzip_finish(&s->g)) != ERR_OK)
        volume_gzip_fail(v, f, e, what);
    log_debug("gzip: %s: %u -> %u bytes checked (CRC-32 %08x); decompression restarted %u "
              "times on this volume", f->path, f->disk_size, f->size, s->g.crc, s->restarts);
}
