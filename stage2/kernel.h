/* kernel.h: mount the boot disk's FAT32 partition, read the configuration file
 * /boot/multios.cfg from it, find the kernel it names (default /boot/kernel.elf), validate
 * it, place its segments in RAM (reserving them as KERNEL), load them, and, for a 64-bit
 * kernel, build the page tables it is entered with. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>

#include "config.h"
#include "disk.h"
#include "elf.h"
#include "fat32.h"
#include "memory.h"
#include "paging.h"

struct kernel {
    struct disk *disk;       /* the boot drive, for the disk-read panic */
    const char *path;        /* the kernel file (the configuration's `kernel`) */
    struct fat32 fs;
    struct fat32_file file;
    struct elf_info info;
    struct paging pg;        /* 64-bit kernels: the tables handed over in CR3 */
    uint64_t keep_end;       /* end of the physical range the kernel asks for (page-rounded;
                                0 if it wraps): the loader allocates above it */
};

/* Partition table and FAT32 mount. Panics "disk" (no partition, unreadable volume). */
void kernel_mount(struct kernel *k, struct disk *disk);

/* Read CONFIG_PATH (at most CONFIG_FILE_MAX bytes) and parse it into *cf: defaults when it
 * is missing, a warning naming the line for each line refused (that key keeps its default),
 * one line logged for each setting the file gave. Never panics over the file's contents: a
 * typo must not make the machine unbootable (only a disk that cannot be read does). */
void kernel_config(struct kernel *k, struct config_file *cf);

/* Open `path` (kept in k->path: it must stay valid), validate its headers (nothing
 * allocated: this runs before the frame bitmap exists). Panics "kernel" ("kernel not found:
 * <path> ...", "invalid ELF: ..."). */
void kernel_find(struct kernel *k, const char *path);

/* Place the segments, reserving their frames as KERNEL. Panics "kernel" with elf.h's reason
 * ("... overlaps ...", "kernel too large ..."). */
void kernel_place(struct kernel *k, struct memory *mem);

/* Copy the placed segments from the file and zero their BSS. Panics "kernel". */
void kernel_load(struct kernel *k);

/* 64-bit kernels: identity map of the low 4 GiB and all RAM, the direct map at
 * PAGING_HHDM_OFFSET and the segments at their virtual addresses, in PAGE_TABLES frames
 * below 4 GiB. nx: use the no-execute bit. Panics "paging". */
void kernel_map(struct kernel *k, struct memory *mem, bool nx);

#endif
