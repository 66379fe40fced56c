/* protocol.h: the boot-protocol seam: how a kernel is loaded, told about the machine and
 * entered. One file per protocol (proto_<name>.c) fills a struct protocol; protocol.c lists
 * them and picks the one that boots the kernel. Today there is one, proto_multios.c: the
 * native protocol (an ELF32/ELF64 kernel, struct multios_boot_info, handoff.asm);
 * proto_multiboot2.c and proto_multiboot1.c boot Multiboot kernels (their common steps in
 * mb_boot.c, entered through handoff_mb.asm).
 *
 * main.c calls the operations in this order, its own steps between them:
 *
 *   kernel_open                   the kernel file open, its head read (kernel.h)
 *   protocol_select -> detect     each protocol in turn looks at the head (or only the
 *                                 one the entry's `protocol` names)
 *   validate                      the headers judged: b->keep_end, b->long_mode
 *   cpu_require_long_mode (when b->long_mode), memory_frames (above b->keep_end), memory_test
 *   load                          the image placed and read; the hand-off's frames
 *   disk_log_stats, the boot heap, memory_release_low, frames_seal
 *   handoff                       the hand-off written from the final map
 *   enter                         the jump
 *
 * What each operation may allocate:
 *   detect, validate  nothing: the frame bitmap does not exist yet. It is placed above
 *                     b->keep_end, so a kernel linked at fixed addresses finds its range
 *                     free. Both may read more of the head (kernel_read_head).
 *   load              frames, through b->mem (elf_place, frames_alloc_typed), each written
 *                     back into b->mem.map under a loader type: first the image (KERNEL),
 *                     then what the hand-off needs whose size is known now (PAGE_TABLES,
 *                     BOOT_INFO). Only the boot heap is allocated after it, so with too
 *                     little RAM it is the heap that fails.
 *   handoff           no frames (the map is sealed); the boot heap only, for what is sized
 *                     by what it holds (the command line, tables).
 *   enter             nothing. Never returns.
 * Each panics with the step that failed ("kernel", "paging", "boot info").
 *
 * The memory map comes from one code path: every hand-off is built from b->mem.map after
 * frames_seal (the sanitized firmware map, every loader allocation written back), and from
 * nothing else. A protocol only translates that map into its own format (the native one cuts
 * it to whole frames and keeps the loader types); none reads the firmware's table itself,
 * so no two protocols can be told different truths.
 *
 * The configuration (b->conf) is where a protocol finds the command line (copied in
 * handoff) and what else its kernel is given; files beside the kernel are read and reserved
 * in load, like the image (modules.h). A protocol's own state is its member of
 * b->proto_state (boot.h). */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#include <stdbool.h>

#include "config.h"
#include "kernel.h"

/* Room for detect's reason, which the log shows ("ELF header"). */
#define PROTOCOL_WHY_MAX 64

struct boot;

/* What detect found. */
enum protocol_claim {
    PROTOCOL_NO,      /* none of this protocol's headers */
    PROTOCOL_BROKEN,  /* its magic, but not a valid header (a bad checksum): boots only if
                         nothing else claims the file, so that validate says what is wrong */
    PROTOCOL_YES,     /* its header */
};

struct protocol {
    const char *name; /* as the log and the configuration's `protocol` name it: "multios" */
    enum config_protocol id;
    const void *data; /* the protocol's constants, for operations two protocols share (the
                         other operations find the protocol in b->proto) */
    /* Does the file carry this protocol's header? Looks at k->head only (reading more of it
     * if the header may sit further in); says what it found in `why` (YES and BROKEN). */
    enum protocol_claim (*detect)(const struct protocol *p, struct kernel_file *k,
                                  char why[PROTOCOL_WHY_MAX]);
    /* Judge the headers; set b->keep_end, b->long_mode (and b->video_req when they ask for a
     * display). Panics "kernel". */
    void (*validate)(struct boot *b);
    /* Place and read the image, reserving its frames; the modules; then the hand-off's
     * frames. */
    void (*load)(struct boot *b);
    /* After frames_seal: write the hand-off from b->mem.map. */
    void (*handoff)(struct boot *b);
    /* Log the entry and jump to the kernel. */
    void (*enter)(struct boot *b) __attribute__((noreturn));
};

/* The protocol that boots the kernel. `wanted` CONFIG_PROTOCOL_AUTO: the first in
 * protocol.c's table whose detect claims the file (Multiboot 2, Multiboot 1, then the native
 * ELF), else the first that found a broken header, else the native one (whose validate then
 * says why the file is no kernel: "invalid ELF: bad magic"). Otherwise the protocol named,
 * which panics "kernel" when the file has none of its headers. Logs which, and why. */
const struct protocol *protocol_select(struct kernel_file *k, enum config_protocol wanted);

/* The protocols, one file each. */
extern const struct protocol proto_multios;
extern const struct protocol proto_multiboot1;
extern const struct protocol proto_multiboot2;

#endif
