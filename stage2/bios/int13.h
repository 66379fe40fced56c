/* int13.h: the INT 13h disk protocol: probe a drive (extensions AH=41h and size AH=48h, else
 * CHS geometry AH=08h) and read sectors (AH=42h, or AH=02h without extensions) through the
 * bounce buffer, retrying after a reset and halving chunks a BIOS refuses. It returns
 * results, logs nothing and never panics; host tests drive it with a simulated BIOS disk. */
#ifndef INT13_H
#define INT13_H

#include <stdbool.h>
#include <stdint.h>

#include "bios_regs.h"
#include "error.h"

#define INT13_SECTOR_SIZE 512u
#define INT13_RETRIES     3u   /* a failed read is tried this many more times */

/* What the protocol works around, reported as it happens. The protocol decides (retry, cut
 * the chunk, give up); the hook only hears about it. A hook rather than a log call keeps the
 * protocol pure, so the host tests run it without a console and can check each event; and
 * rather than handing every failure back to the caller, because then the retry and halving
 * policy would be split between the protocol, which knows why BIOSes fail, and its caller. */
enum int13_event_kind {
    INT13_EVENT_RETRY,     /* a read call failed: the drive is reset and the call retried */
    INT13_EVENT_CHUNK_CUT, /* a chunk failed every try: reads are cut to `count` sectors */
};

struct int13_event {
    enum int13_event_kind kind;
    uint64_t lba;     /* first sector of the call that failed */
    uint32_t count;   /* RETRY: sectors of that call; CHUNK_CUT: the new chunk size */
    uint8_t status;   /* the BIOS's AH for that call, 0xff if it gave none */
    uint32_t attempt; /* RETRY: the try about to be made, 2 .. INT13_RETRIES + 1 */
};

typedef void (*int13_event_fn)(void *ctx, const struct int13_event *ev);

struct int13_disk {
    struct bios_iface bios;
    uint8_t  drive;          /* BIOS drive number (DL at boot) */
    bool     ext;            /* INT 13h extensions (AH=41h) with the DAP interface */
    uint32_t max_chunk;      /* sectors per call: <= 127 and what fits the bounce buffer */
    uint64_t total_sectors;  /* from AH=48h or AH=08h, 0 if unknown */
    /* CHS geometry from AH=08h (only used without extensions) */
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

/* Probe the drive: extensions (AH=41h), size (AH=48h), else CHS geometry (AH=08h). Clears
 * *d, the event hook included (set it after). ERR_INVALID_ARG for a missing call or a bounce
 * buffer too small for a sector and the packet; ERR_UNSUPPORTED for sectors that are not
 * 512 bytes; ERR_BIOS if neither interface answers. */
err_t int13_init(struct int13_disk *d, const struct bios_iface *bios, uint8_t drive);

/* Read `count` sectors from `lba` to `dst` (any address the caller can write, e.g. above
 * 1 MiB): each BIOS call reads into the bounce buffer, which is then copied out. A failed
 * call is retried after a disk reset; when every try fails, the chunk is halved and the read
 * goes on; ERR_DISK_READ (fail_lba and fail_status say where and why) when a single sector
 * fails every try. */
err_t int13_read(struct int13_disk *d, uint64_t lba, uint32_t count, void *dst);

#endif
