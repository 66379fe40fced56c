/* int13.h: the INT 13h disk protocol: probe a drive (extensions AH=41h and size AH=48h, else
 * CHS geometry AH=08h) and read sectors (AH=42h, or AH=02h without extensions) through the
 * bounce buffer, retrying after a reset, cutting chunks a BIOS refuses (127, 63, 7, 1
 * sectors) and, when AH=42h fails even for one sector, going on with CHS, as GRUB's
 * biosdisk.c does. It returns results, logs nothing and never panics; host tests drive it
 * with the scripted fake BIOS (tests/support/sim_disk.c). */
#ifndef INT13_H
#define INT13_H

#include <stdbool.h>
#include <stdint.h>

#include "bios_regs.h"
#include "error.h"

#define INT13_SECTOR_SIZE 512u
#define INT13_RETRIES     3u   /* a failed read is tried this many more times */
/* What a boot drive falls back to when DL is not a drive number (int13_drive_valid). */
#define INT13_FIRST_HARD_DISK 0x80u
/* A status of our own for a CHS read the geometry cannot address (past cylinder 1023):
 * BIOSes use 0x00-0xff, but 0xff is "sense operation failed", never a read's answer. */
#define INT13_STATUS_NONE 0xffu

/* What the protocol works around, reported as it happens. The protocol decides (retry, cut
 * the chunk, give up); the hook only hears about it. A hook rather than a log call keeps the
 * protocol pure, so the host tests run it without a console and can check each event; and
 * rather than handing every failure back to the caller, because then the retry and halving
 * policy would be split between the protocol, which knows why BIOSes fail, and its caller. */
enum int13_event_kind {
    INT13_EVENT_RETRY,     /* a read call failed: the drive is reset and the call retried */
    INT13_EVENT_CHUNK_CUT, /* a chunk failed every try: reads are cut to `count` sectors */
    INT13_EVENT_CHS,       /* a 1-sector AH=42h failed every try: reads go on with CHS
                            * (AH=02h, the geometry in the disk) from `lba` */
};

struct int13_event {
    enum int13_event_kind kind;
    uint64_t lba;     /* first sector of the call that failed */
    uint32_t count;   /* RETRY: sectors of that call; CHUNK_CUT: the new chunk size;
                       * CHS: the chunk size from now on */
    uint8_t status;   /* the BIOS's AH for that call, INT13_STATUS_NONE if it gave none */
    uint32_t attempt; /* RETRY: the try about to be made, 2 .. INT13_RETRIES + 1 */
};

typedef void (*int13_event_fn)(void *ctx, const struct int13_event *ev);

struct int13_disk {
    struct bios_iface bios;
    uint8_t  drive;          /* BIOS drive number: what int13_init was given, or 0x80 */
    uint8_t  drive_given;    /* what int13_init was given (DL at boot) */
    bool     ext;            /* reads use AH=42h: extensions (AH=41h) with the DAP interface,
                              * and no fallback to CHS yet */
    bool     chs_fallback;   /* AH=42h failed for good and reads went on with CHS */
    uint32_t max_chunk;      /* sectors per call: <= 127 and what fits the bounce buffer */
    uint64_t total_sectors;  /* from AH=48h or AH=08h, 0 if unknown */
    uint32_t sector_size;    /* bytes per sector from AH=48h, 0 if it did not say */
    /* CHS geometry from AH=08h (used without extensions or after the fallback) */
    uint32_t heads;
    uint32_t sectors_per_track;
    uint32_t cylinders;
    /* statistics */
    uint32_t calls;          /* successful BIOS read calls */
    uint32_t retries;        /* failed calls that were retried */
    uint64_t sectors_read;
    /* the last read that failed for good (ERR_DISK_READ) */
    uint64_t fail_lba;
    uint8_t  fail_status;    /* the BIOS's AH, 0xff if it gave none */
    /* optional: told about every retry and chunk cut (NULL: nobody is) */
    int13_event_fn event;
    void *event_ctx;
};

/* Whether DL can be a BIOS drive number: 0x00-0x0f (floppies) or 0x80-0x8f (hard disks).
 * Some BIOSes pass garbage; GRUB's boot.S takes anything else for the first hard disk. */
bool int13_drive_valid(uint8_t dl);

/* Probe the drive: extensions (AH=41h), size (AH=48h), else CHS geometry (AH=08h). A drive
 * number int13_drive_valid refuses is replaced by INT13_FIRST_HARD_DISK (drive_given keeps
 * it). Clears *d, the event hook included (set it after). ERR_INVALID_ARG for a missing call
 * or a bounce buffer too small for a sector and the packet; ERR_UNSUPPORTED for sectors that
 * are not 512 bytes (sector_size says what AH=48h found); ERR_BIOS if neither interface
 * answers. */
err_t int13_init(struct int13_disk *d, const struct bios_iface *bios, uint8_t drive);

/* Read `count` sectors from `lba` to `dst` (any address the caller can write, e.g. above
 * 1 MiB): each BIOS call reads into the bounce buffer, which is then copied out. CF is the
 * only failure signal (some BIOSes leave junk in AH on success); a call that reports fewer
 * sectors in its packet counts for those. A failed call is retried after a disk reset; when
 * every try fails the chunk is cut (127, 63, 7, 1 sectors) and the read goes on; when one
 * sector fails every try with AH=42h, reads go on with CHS (AH=08h geometry). ERR_DISK_READ
 * (fail_lba and fail_status say where and why) when a single sector fails every try and
 * there is nothing left to fall back to. */
err_t int13_read(struct int13_disk *d, uint64_t lba, uint32_t count, void *dst);

#endif
