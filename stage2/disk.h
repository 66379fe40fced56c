/* disk.h: stage2's boot drive: the INT 13h protocol (bios/int13.h) with its logging and its
 * panics, for the FAT32 reader. */
#ifndef DISK_H
#define DISK_H

#include <stdint.h>

#include "bios_regs.h"
#include "error.h"
#include "int13.h"

#define DISK_SECTOR_SIZE INT13_SECTOR_SIZE

struct disk {
    struct int13_disk io; /* the drive as the protocol sees it: geometry, statistics, failure */
};

/* Probe the boot drive (int13_init) or panic "disk" (no interface, sectors that are not 512
 * bytes); log which interface and chunk size were chosen, a warning when the drive number
 * was not one (bios_dl: DL as the BIOS passed it to stage1, drive: what stage1 used), and
 * from then on one warning for each read retried, each chunk cut and a fall back to CHS.
 * d->io.drive is the drive read from. */
void disk_open(struct disk *d, const struct bios_iface *bios, uint8_t drive, uint8_t bios_dl);

/* int13_read on the drive: `count` sectors from `lba` to `dst`. ERR_DISK_READ when the
 * retries are spent: disk_panic says which sector and why. */
err_t disk_read(struct disk *d, uint64_t lba, uint32_t count, void *dst);

/* One line of read statistics. */
void disk_log_stats(const struct disk *d);

/* After ERR_DISK_READ: panic "disk" with "disk read failed", the sector, the BIOS status and
 * `what` the loader was reading. */
_Noreturn void disk_panic(const struct disk *d, const char *what);

#endif
