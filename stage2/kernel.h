/* kernel.h: find /boot/kernel.elf on the boot disk's FAT32 partition, validate it, place its
 * segments in RAM (reserving them as KERNEL), load them, and, for a 64-bit kernel, build the
 * page tables it is entered with. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>

#include "disk.h"
#include "elf.h"
#include "fat32.h"
#include "memory.h"
#include "paging.h"

#define KERNEL_PATH "/boot/kernel.elf"

struct kernel {
    struct disk *disk;       /* the boot drive, for the disk-read panic */
    struct fat32 fs;
    struct fat32_file file;
    struct elf_info info;
    struct paging pg;        /* 64-bit kernels: the tables handed over in CR3 */
    uint64_t keep_end;       /* end of the physical range the kernel asks for (page-rounded;
                                0 if it wraps): the loader allocates above it */
};

/* Partition table, FAT32 mount, open KERNEL_PATH, validate its headers (nothing allocated:
 * this runs before the frame bitmap exists). Panics "disk" (no partition, unreadable
 * volume) or "kernel" ("kernel not found", "invalid ELF: ..."). */
void kernel_find(struct kernel *k, struct disk *disk);

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
