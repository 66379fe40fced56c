/* partition.c: the boot partition (partition.h): the partition table read, the FAT32
 * partition chosen among several, the GPT's backup used when its primary is damaged. */
#include "console.h"
#include "gpt.h"
#include "mbr.h"
#include "partition.h"

/* Entry-array sectors read per call: 4 KiB, from a static buffer (the stack is small). */
#define PARTITION_ENTRY_SECTORS 8u

static err_t partition_disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    return disk_read(ctx, lba, count, buf);
}

/* `count` sectors at `lba`; a sector that does not read stops the boot, naming `what`. */
static void partition_read(struct disk *d, uint64_t lba, uint32_t count, void *buf,
                           const char *what)
{
    err_t e = disk_read(d, lba, count, buf);

    if (e == ERR_DISK_READ)
        disk_panic(d, what);
    if (e != ERR_OK)
        panic("disk", "cannot read %s of drive 0x%x: %s", what, d->io.drive, err_str(e));
}

static err_t partition_fat32_at(struct fat32 *fs, struct disk *d, uint64_t lba,
                                uint64_t sectors)
{
    err_t e = fat32_mount(fs, partition_disk_read, d, lba, sectors);

    if (e == ERR_DISK_READ)
        disk_panic(d, "mounting the FAT32 partition");
    return e;
}

static uint32_t partition_mbr(struct fat32 *fs, struct disk *d, const uint8_t *sector,
                              bool hybrid)
{
    struct mbr_part p;
    uint32_t found = 0;
    /* Disk size 0 = unchecked: AH=48h and CHS geometry both understate real disks. */
    err_t e = mbr_find_fat32(sector, DISK_SECTOR_SIZE, 0, &p, &found);

    if (e != ERR_OK)
        panic("disk", "no FAT32 partition on drive 0x%x: %s", d->io.drive, err_str(e));
    if (found > 1)
        log_info("disk: %s disk, FAT32 partition %u at LBA %u, %u sectors: the %s of %u FAT32 "
                 "partitions", hybrid ? "hybrid MBR" : "MBR", p.index + 1u, p.lba_start,
                 p.lba_count, p.status == MBR_STATUS_ACTIVE ? "active one" : "first (none active)",
                 found);
    else
        log_info("disk: %s disk, FAT32 partition %u at LBA %u, %u sectors",
                 hybrid ? "hybrid MBR" : "MBR", p.index + 1u, p.lba_start, p.lba_count);
    e = partition_fat32_at(fs, d, p.lba_start, p.lba_count);
    if (e != ERR_OK)
        panic("disk", "cannot mount the FAT32 partition: %s", err_str(e));
    return p.index;
}

/* The GPT whose header is at `lba`: header checks, then the entry array scanned as it is
 * read. ERR_OK with s->cand[] to try, or why this copy cannot be used; *h is written when
 * the header itself passed (then its alternate LBA can be trusted). */
static err_t partition_gpt_read(struct disk *d, uint64_t lba, struct gpt_scan *s,
                                struct gpt_header *h)
{
    static uint8_t buf[PARTITION_ENTRY_SECTORS * GPT_SECTOR_SIZE];
    err_t e;

    partition_read(d, lba, 1, buf, "the GPT header");
    e = gpt_header_parse(buf, GPT_SECTOR_SIZE, lba, h);
    if (e != ERR_OK)
        return e;
    gpt_scan_init(s, h);
    for (uint32_t done = 0, total = gpt_entries_sectors(h); done < total;) {
        uint32_t n = total - done < PARTITION_ENTRY_SECTORS ? total - done
                                                            : PARTITION_ENTRY_SECTORS;
        partition_read(d, h->entries_lba + done, n, buf, "the GPT partition entries");
        e = gpt_scan_feed(s, buf, (size_t)n * GPT_SECTOR_SIZE);
        if (e != ERR_OK)
            return e;
        done += n;
    }
    return gpt_scan_finish(s);
}

/* Where the backup header is when the primary gave no alternate LBA: the disk's last sector,
 * which the protective slot ends at (unless it is capped at 2^32 - 1) or AH=48h says. */
static uint64_t partition_gpt_backup(const struct disk *d, const struct mbr_part part[4])
{
    for (uint32_t i = 0; i < MBR_ENTRY_COUNT; i++)
        if (part[i].type == MBR_TYPE_GPT_PROTECTIVE && part[i].lba_count != 0xffffffffu)
            return (uint64_t)part[i].lba_start + part[i].lba_count - 1u;
    return d->io.total_sectors ? d->io.total_sectors - 1u : 0;
}

static const char *partition_kind_name(enum gpt_kind k)
{
    return k == GPT_KIND_ESP ? "EFI system" : "Microsoft basic data";
}

static uint32_t partition_gpt(struct fat32 *fs, struct disk *d,
                              const struct mbr_part part[4])
{
    static struct gpt_scan s;
    struct gpt_header h = { 0 };
    err_t e = partition_gpt_read(d, GPT_HEADER_LBA, &s, &h);

    if (e != ERR_OK) {
        /* Only a header that passed its checks is trusted to say where its backup is. */
        uint64_t backup = h.alternate_lba > GPT_HEADER_LBA ? h.alternate_lba
                                                            : partition_gpt_backup(d, part);
        err_t e2;

        log_warn("disk: the primary GPT is damaged (%s): reading its backup at LBA %llu",
                 err_str(e), (unsigned long long)backup);
        e2 = backup > GPT_HEADER_LBA ? partition_gpt_read(d, backup, &s, &h) : ERR_NOT_FOUND;
        if (e2 != ERR_OK)
            panic("disk", "GPT disk: neither the primary GPT (%s) nor its backup at LBA %llu "
                  "(%s) can be used", err_str(e), (unsigned long long)backup, err_str(e2));
    }
    log_info("disk: GPT disk, %u partitions, %u of them Microsoft basic data or EFI system%s",
             s.used, s.n + s.dropped, s.bad ? " (some entries out of range, skipped)" : "");
    for (uint32_t i = 0; i < s.n; i++) {
        const struct gpt_part *c = &s.cand[i];
        uint64_t sectors = c->last_lba - c->first_lba + 1u;
        bool bootable = (c->attributes & GPT_ATTR_LEGACY_BIOS_BOOTABLE) != 0;

        e = partition_fat32_at(fs, d, c->first_lba, sectors);
        if (e == ERR_OK) {
            log_info("disk: FAT32 partition %u (%s%s) at LBA %llu, %llu sectors", c->index + 1u,
                     partition_kind_name(c->kind), bootable ? ", legacy BIOS bootable" : "",
                     (unsigned long long)c->first_lba, (unsigned long long)sectors);
            return c->index;
        }
        log_info("disk: partition %u (%s) holds no FAT32 volume: %s", c->index + 1u,
                 partition_kind_name(c->kind), err_str(e));
    }
    panic("disk", "GPT disk: no FAT32 partition on drive 0x%x (%u Microsoft basic data or EFI "
          "system partitions tried)", d->io.drive, s.n);
}

uint32_t partition_mount(struct fat32 *fs, struct disk *d)
{
    static uint8_t sector[DISK_SECTOR_SIZE];
    struct mbr_part part[MBR_ENTRY_COUNT];
    uint32_t found = 0;
    struct mbr_part p;
    err_t e;

    partition_read(d, 0, 1, sector, "the partition table");
    e = mbr_parse(sector, DISK_SECTOR_SIZE, part);
    if (e != ERR_OK)
        panic("disk", "no FAT32 partition on drive 0x%x: %s", d->io.drive, err_str(e));
    /* A protective MBR means a GPT, unless it is a hybrid MBR that lists a FAT32 partition
     * of its own (the BIOS's view of the disk: use it). */
    if (mbr_is_protective(part) &&
        mbr_find_fat32(sector, DISK_SECTOR_SIZE, 0, &p, &found) == ERR_UNSUPPORTED)
        return partition_gpt(fs, d, part);
    return partition_mbr(fs, d, sector, mbr_is_protective(part));
}
