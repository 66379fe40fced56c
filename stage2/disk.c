/* disk.c: stage2's boot drive: the INT 13h protocol (bios/int13.c) with a log line for each
 * failure it works around, a panic when it cannot go on, and the read statistics. */
#include "console.h"
#include "disk.h"

static void disk_event(void *ctx, const struct int13_event *ev)
{
    (void)ctx;
    if (ev->kind == INT13_EVENT_RETRY)
        log_warn("disk: reading %u sectors at LBA %llu failed (status 0x%x): reset, "
                 "try %u of %u", ev->count, (unsigned long long)ev->lba, ev->status,
                 ev->attempt, INT13_RETRIES + 1u);
    else
        log_warn("disk: reads cut to %u sectors", ev->count);
}

void disk_open(struct disk *d, const struct bios_iface *bios, uint8_t drive)
{
    err_t e = int13_init(&d->io, bios, drive);

    if (e != ERR_OK)
        panic("disk", "boot drive 0x%x: neither INT 13h extensions nor CHS geometry: %s",
              drive, err_str(e));
    d->io.event = disk_event;
    if (d->io.ext)
        log_info("disk: drive 0x%x, INT 13h extensions, %llu sectors, up to %u sectors a read",
                 drive, (unsigned long long)d->io.total_sectors, d->io.max_chunk);
    else
        log_info("disk: drive 0x%x, CHS %u/%u/%u, up to %u sectors a read", drive,
                 d->io.cylinders, d->io.heads, d->io.sectors_per_track, d->io.max_chunk);
}

err_t disk_read(struct disk *d, uint64_t lba, uint32_t count, void *dst)
{
    return int13_read(&d->io, lba, count, dst);
}

void disk_panic(const struct disk *d, const char *what)
{
    panic("disk", "disk read failed: drive 0x%x, LBA %llu, BIOS status 0x%x after %u tries, "
          "%s", d->io.drive, (unsigned long long)d->io.fail_lba, d->io.fail_status,
          INT13_RETRIES + 1u, what);
}

void disk_log_stats(const struct disk *d)
{
    log_info("disk: read %llu KiB in %u BIOS calls (%u retried)",
             (unsigned long long)(d->io.sectors_read / 2), d->io.calls, d->io.retries);
}
