/* volume.c: the boot volume: partition table, FAT32 mount, file reads with the disk panic. */
#include "console.h"
#include "mbr.h"
#include "volume.h"

static err_t volume_disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    return disk_read(ctx, lba, count, buf);
}

void volume_mount(struct volume *v, struct disk *disk)
{
    struct mbr_part part;
    uint8_t sector[DISK_SECTOR_SIZE];
    err_t e;

    v->disk = disk;
    e = disk_read(disk, 0, 1, sector);
    if (e == ERR_DISK_READ)
        disk_panic(disk, "reading the partition table");
    if (e != ERR_OK)
        panic("disk", "cannot read the partition table of drive 0x%x: %s", disk->io.drive,
              err_str(e));
    /* Disk size 0 = unchecked: AH=48h and CHS geometry both understate real disks. */
    e = mbr_find_fat32(sector, DISK_SECTOR_SIZE, 0, &part);
    if (e != ERR_OK)
        panic("disk", "no FAT32 partition on drive 0x%x: %s", disk->io.drive, err_str(e));
    log_info("disk: FAT32 partition %u at LBA %u, %u sectors", part.index, part.lba_start,
             part.lba_count);
    v->part_index = part.index;
    e = fat32_mount(&v->fs, volume_disk_read, disk, part.lba_start, part.lba_count);
    if (e == ERR_DISK_READ)
        disk_panic(disk, "mounting the FAT32 partition");
    if (e != ERR_OK)
        panic("disk", "cannot mount the FAT32 partition: %s", err_str(e));
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
