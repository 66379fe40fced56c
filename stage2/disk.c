/* disk.c: stage2's boot drive: the INT 13h protocol (bios/int13.c) with a log line for each
 * failure it works around, a panic when it cannot go on, and the read statistics. */
#include "console.h"
#include "disk.h"

static void disk_event(void *ctx, const struct int13_event *ev)
{
    const struct int13_disk *io = ctx;

    if (ev->kind == INT13_EVENT_RETRY)
        log_warn("disk: reading %u sectors at LBA %llu failed (status 0x%x): reset, "
                 "try %u of %u", ev->count, (unsigned long long)ev->lba, ev->status,
                 ev->attempt, INT13_RETRIES + 1u);
    else if (ev->kind == INT13_EVENT_CHUNK_CUT)
        log_warn("disk: reads cut to %u sectors", ev->count);
    else
        log_warn("disk: AH=42h fails at LBA %llu even for one sector (status 0x%x): reading "
                 "with CHS (AH=02h) from here, %u/%u/%u, up to %u sectors a read",
                 (unsigned long long)ev->lba, ev->status, io->cylinders, io->heads,
                 io->sectors_per_track, ev->count);
}

void disk_open(struct disk *d, const struct bios_iface *bios, uint8_t drive, uint8_t bios_dl)
{
    err_t e = int13_init(&d->io, bios, drive);

    /* DL outside 0x00-0x0f and 0x80-0x8f is garbage from the BIOS: stage1 read from 0x80
     * instead (bios_dl is what the BIOS passed it), and so does the protocol. */
    if (bios_dl != drive)
        log_warn("disk: the BIOS passed boot drive 0x%x, not a drive number: stage1 used 0x%x",
                 bios_dl, drive);
    if (d->io.drive != drive)
        log_warn("disk: boot drive 0x%x is not a drive number: 0x%x used", drive,
                 d->io.drive);
    if (e == ERR_UNSUPPORTED)
        panic("disk", "boot drive 0x%x has %u-byte sectors (INT 13h AH=48h); the loader "
              "reads 512-byte sectors only", d->io.drive, d->io.sector_size);
    if (e != ERR_OK)
        panic("disk", "boot drive 0x%x: neither INT 13h extensions nor CHS geometry: %s",
              d->io.drive, err_str(e));
    d->io.event = disk_event;
    d->io.event_ctx = &d->io;
    if (d->io.ext)
        log_info("disk: drive 0x%x, INT 13h extensions, %llu sectors, up to %u sectors a read",
                 d->io.drive, (unsigned long long)d->io.total_sectors, d->io.max_chunk);
    else
        log_info("disk: drive 0x%x, CHS %u/%u/%u, up to %u sectors a read", d->io.drive,
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
    log_info("disk: read %llu KiB in %u BIOS calls (%u retried)%s",
             (unsigned long long)(d->io.sectors_read / 2), d->io.calls, d->io.retries,
             d->io.chs_fallback ? ", with CHS after AH=42h failed" : "");
}
