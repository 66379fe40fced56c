/* kernel_elf.h: an ELF32/ELF64 kernel image (core/elf.h) in stage2: its headers validated
 * from the kernel file's head, its segments placed in RAM (reserved as KERNEL) and read
 * straight from the file to where they belong. The file is read only through the FAT32
 * reader and judged only by elf.h: validation sees the headers first, so nothing is copied
 * before the whole file has been judged, and there is no staging copy that could sit where
 * the kernel wants to go. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stdbool.h>
#include <stdint.h>

#include "elf.h"
#include "kernel.h"
#include "memory.h"

/* Validate the headers, reading more of the head when the program headers lie past it.
 * Nothing is allocated: this runs before the frame bitmap exists. Logs the class, entry and
 * span. Returns the end of the physical range the kernel asks for, page-rounded (0 if it
 * wraps): the loader allocates above it. Panics "kernel" ("invalid ELF: <reason>"). */
uint64_t kernel_elf_validate(struct kernel_file *k, struct elf_info *info);

/* What placement works against: the map and frames, the loader's low memory to avoid,
 * KERNEL frames; at_paddr for a kernel run with paging off whatever its class (Multiboot). */
struct elf_place_env kernel_elf_env(struct memory *mem, bool at_paddr);

/* Log where each placed segment went. */
void kernel_elf_log_placed(const struct elf_info *info);

/* Place the segments, reserving their frames as KERNEL, and log where each went. Panics
 * "kernel" with elf.h's reason ("... overlaps ...", "kernel too large ..."). */
void kernel_elf_place(struct elf_info *info, struct memory *mem);

/* Copy the placed segments from the file and zero their BSS. Panics "kernel" or "disk". */
void kernel_elf_load(struct kernel_file *k, struct elf_info *info);

#endif
