/* partition.h: the boot partition: the FAT32 volume stage2 boots from, found on an MBR disk
 * or a GPT disk and mounted; volume.c's first step. */
#ifndef PARTITION_H
#define PARTITION_H

#include "disk.h"
#include "fat32.h"

/* Read the partition table of the boot drive and mount its boot partition into *fs:
 *   MBR: of the FAT32 slots (0x0C, 0x0B), the active one, else the first;
 *   GPT (a protective MBR; the backup header when the primary is damaged): of the Microsoft
 *   basic data and EFI system partitions, those marked legacy BIOS bootable first, then
 *   table order, the first that holds a FAT32 volume.
 * Logs the disk type and the partition chosen (and why, when there was a choice). Returns
 * its 0-based index in the MBR or the GPT (the boot device Multiboot reports). Panics
 * "disk" when there is no such partition or a sector cannot be read. */
uint32_t partition_mount(struct fat32 *fs, struct disk *disk);

#endif
