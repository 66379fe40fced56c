/* kernel.h: the kernel file on the boot volume: found by the configured path, its first
 * bytes (the head) read for the boot protocols to detect and validate (protocol.h); the
 * protocol reads the rest through k->vol to where it places it. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>

#include "elf.h"
#include "multiboot.h"
#include "volume.h"

/* Read at open: an ELF kernel's headers usually fit. */
#define KERNEL_HEAD_FIRST 4096u
/* The most any protocol reads as headers: a Multiboot 2 header may lie anywhere in the first
 * 32 KiB, which also holds the ELF header and ELF_MAX_PHNUM 64-byte program headers. */
#define KERNEL_HEAD_MAX MB2_SEARCH
_Static_assert(KERNEL_HEAD_MAX >= MB1_SEARCH && KERNEL_HEAD_MAX >= 64u + ELF_MAX_PHNUM * 64u,
               "the head holds every protocol's headers");

struct kernel_file {
    struct volume *vol;
    const char *path;        /* the configuration's `kernel`: it must stay valid */
    struct volume_file file; /* file.size: decompressed, for a gzip'd kernel */
    uint32_t head_len;       /* bytes of the file in head[] (less only if the file is) */
    /* Not from the heap: the kernel is read before the heap exists, so the heap can be
     * placed where the kernel is not. */
    uint8_t head[KERNEL_HEAD_MAX];
};

/* Open `path` and read its first KERNEL_HEAD_FIRST bytes (fewer if the file is smaller). A
 * gzip file (found by its magic, whatever its name) is read decompressed (volume.h).
 * Panics "kernel" ("kernel not found: <path> ..."), "disk", or "gzip". */
void kernel_open(struct kernel_file *k, struct volume *vol, const char *path);

/* Make the head hold the first `len` bytes (at most KERNEL_HEAD_MAX and the file's size).
 * A gzip'd kernel is decompressed only that far. Panics "disk" or "gzip". */
void kernel_read_head(struct kernel_file *k, uint32_t len);

/* After the protocol loaded the kernel: a gzip'd kernel is decompressed to its end, so that
 * its CRC-32 and length are checked even where no segment reached (panic "gzip" if they are
 * wrong). Nothing for a plain file. */
void kernel_check(struct kernel_file *k);

#endif
