/* volume.h: the boot volume: the FAT32 partition of the boot drive, found through the
 * partition table and mounted, and its files opened and read. A sector the disk cannot read
 * stops the boot here (panic "disk", naming what was being read); every other error is the
 * caller's to judge, as a missing config file is not a missing kernel.
 *
 * gzip files are read decompressed, whatever their name: a file that starts with the gzip
 * magic (1f 8b 08) has the size its trailer's ISIZE gives (the last four bytes), and reads
 * see the decompressed bytes (core/gzip.h), so a kernel or a module may be shipped gzip'd.
 * One decompression stream per volume: reads at increasing offsets continue it; a read
 * behind it is served from its 32 KiB window when it can be, else decompresses again from
 * the start (correct, slower: logged at debug level); a read of another gzip file takes the
 * stream over. A read that reaches the end of the file checks the CRC-32 and the length, and
 * volume_finish checks a file that is not read to its end. Damaged gzip data is the data
 * on disk being wrong, as an unreadable sector is: it stops the boot here (panic "gzip",
 * naming the file, the error and what was being read). */
#ifndef VOLUME_H
#define VOLUME_H

#include <stdbool.h>
#include <stdint.h>

#include "disk.h"
#include "fat32.h"
#include "gzip.h"

/* Compressed bytes read from the disk at a time (64 sectors: a BIOS call or two). */
#define VOLUME_GZIP_IN 0x8000u

/* An open file. */
struct volume_file {
    struct fat32_file fat;   /* the file on disk */
    const char *path;        /* as opened (the caller's: it must stay valid) */
    uint32_t size;           /* bytes a read sees: the file's, or a gzip file's ISIZE */
    uint32_t disk_size;      /* bytes on disk */
    bool is_dir;
    bool gzip;               /* reads decompress */
    uint32_t id;             /* which open this is (the gzip stream's owner) */
};

/* The volume's decompression stream. */
struct volume_gzip {
    struct gzip g;
    uint32_t owner;          /* volume_file.id of the file it decompresses (0: none) */
    uint32_t in_pos;         /* compressed bytes read so far */
    uint32_t restarts;       /* reads behind the window that started it again */
    struct volume_file *file; /* the file being read (during volume_read) */
    uint8_t window[INFLATE_WINDOW];
    uint8_t in[VOLUME_GZIP_IN];
};

struct volume {
    struct disk *disk;  /* the boot drive, for the disk-read panic */
    uint32_t part_index; /* the boot partition's 0-based index in the MBR or GPT (the boot
                            device Multiboot reports) */
    struct fat32 fs;
    uint64_t gzip_max;  /* the most a gzip file may decompress to (0: no limit yet) */
    uint32_t opened;    /* files opened so far (volume_file.id) */
    struct volume_gzip gz;
};

/* The boot partition found on the MBR or GPT disk and mounted (partition.h). Panics "disk"
 * (no partition, unreadable volume). */
void volume_mount(struct volume *v, struct disk *disk);

/* From now on a gzip file whose ISIZE is above max_bytes (the machine's usable RAM) is a gzip
 * bomb: volume_open panics "gzip" instead of decompressing it. */
void volume_limit(struct volume *v, uint64_t max_bytes);

/* fat32_open, then the gzip magic looked for. A failed disk read panics with `what`
 * ("looking up the kernel"); other errors are returned (ERR_NOT_FOUND, ...). A directory
 * opens: check f->is_dir. A gzip file shorter than a gzip header and trailer, or over the
 * volume_limit, panics "gzip". */
err_t volume_open(struct volume *v, const char *path, struct volume_file *f, const char *what);

/* Up to len bytes at `offset` (*got: how many, fewer only past f->size). A failed disk read
 * panics "disk" with `what`, damaged gzip data "gzip"; other errors are returned. */
err_t volume_read(struct volume *v, struct volume_file *f, uint64_t offset, void *dst,
                  uint64_t len, uint64_t *got, const char *what);

/* A gzip file: decompress what no read has reached yet and check the CRC-32 and ISIZE, as a
 * read to the end does (panics "gzip" if they are wrong). Nothing for other files. */
void volume_finish(struct volume *v, struct volume_file *f, const char *what);

#endif
