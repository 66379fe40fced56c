/* volume.c: the boot volume: FAT32 mount (partition.c finds it), file reads with the disk
 * panic. */
#include "console.h"
#include "partition.h"
#include "volume.h"

void volume_mount(struct volume *v, struct disk *disk)
{
    v->disk = disk;
    /* MBR or GPT, the partition chosen and mounted */
    v->part_index = partition_mount(&v->fs, disk);
    log_info("fat32: %u-byte clusters, %u clusters", v->fs.cluster_bytes, v->fs.cluster_count);
}

err_t volume_open(struct volume *v, const char *path, struct fat32_file *f, const char *what)
{
    err_t e = fat32_open(&v->fs, path, f);

    if (e == ERR_DISK_READ)
        disk_panic(v->disk, what);
    return e;
}

err_t volume_read(struct volume *v, struct fat32_file *f, uint64_t offset, void *dst,
                  uint64_t len, uint64_t *got, const char *what)
{
    err_t e = fat32_read(&v->fs, f, offset, dst, len, got);

    if (e == ERR_DISK_READ)
        disk_panic(v->disk, what);
    return e;
}
