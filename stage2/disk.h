/* disk.h: sector reads from the BIOS boot drive through INT 13h, for the FAT32 reader. */
#ifndef DISK_H
#define DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "bios_regs.h"
#include "error.h"

#define DISK_SECTOR_SIZE 512u

struct disk {
    struct bios_iface bios;
    uint8_t  drive;          /* BIOS drive number (DL at boot) */
    bool     ext;            /* INT 13h extensions (AH=41h) with the DAP interface */
    uint32_t max_chunk;      /* sectors per call: <= 127 and what fits the bounce buffer */
    uint64_t total_sectors;  /* from AH=48h or AH=08h, 0 if unknown */
    /* CHS geometry from AH=08h (only used without extensions) */
    uint32_t heads;
    uint32_t sectors_per_track;
    uint32_t cylinders;
    /* statistics, logged after the kernel is read */
    uint32_t calls;          /* successful BIOS read calls */
    uint32_t retries;        /* failed calls that were retried */
    uint64_t sectors_read;
    /* the last read that failed for good (ERR_DISK_READ) */
    uint64_t fail_lba;
    uint8_t  fail_status;    /* the BIOS's AH, 0xff if it gave none */
};

/* Probe the drive: extensions (AH=41h), size (AH=48h), else CHS geometry (AH=08h).
 * ERR_BIOS if neither interface answers. */
err_t disk_init(struct disk *d, const struct bios_iface *bios, uint8_t drive);

/* Read `count` sectors from `lba` to `dst` (any address the caller can write, e.g. above
 * 1 MiB): each BIOS call reads into the bounce buffer, which is then copied out. A failed
 * call is retried after a disk reset; ERR_DISK_READ when the retries are spent. */
err_t disk_read(struct disk *d, uint64_t lba, uint32_t count, void *dst);

/* stage2's use of the two above: disk_init or panic "disk", with a log line saying which
 * interface and chunk size were chosen; and one line of read statistics. */
void disk_open(struct disk *d, const struct bios_iface *bios, uint8_t drive);
void disk_log_stats(const struct disk *d);

/* After ERR_DISK_READ: panic "disk" with "disk read failed", the sector, the BIOS status and
 * `what` the loader was reading. */
_Noreturn void disk_panic(const struct disk *d, const char *what);

#endif
