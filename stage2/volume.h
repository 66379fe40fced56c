/* volume.h: the boot volume: the FAT32 partition of the boot drive, found through the
 * partition table and mounted, and its files opened and read. A sector the disk cannot read
 * stops the boot here (panic "disk", naming what was being read); every other error is the
 * caller's to judge, as a missing config file is not a missing kernel. */
#ifndef VOLUME_H
#define VOLUME_H

#include <stdint.h>

#include "disk.h"
#include "fat32.h"

struct volume {
    struct disk *disk;  /* the boot drive, for the disk-read panic */
    uint32_t part_index; /* the boot partition's 0-based index in the MBR or GPT (the boot
                            device Multiboot reports) */
    struct fat32 fs;
};

/* The boot partition found on the MBR or GPT disk and mounted (partition.h). Panics "disk"
 * (no partition, unreadable volume). */
void volume_mount(struct volume *v, struct disk *disk);

/* fat32_open. A failed disk read panics with `what` ("looking up the kernel"); other
 * errors are returned (ERR_NOT_FOUND, ...). A directory opens: check f->is_dir. */
err_t volume_open(struct volume *v, const char *path, struct fat32_file *f, const char *what);

/* fat32_read of up to len bytes at `offset` (*got: how many). A failed disk read panics
 * with `what`; other errors are returned. */
err_t volume_read(struct volume *v, struct fat32_file *f, uint64_t offset, void *dst,
                  uint64_t len, uint64_t *got, const char *what);

#endif
