/* protocol.h: the boot-protocol seam: how a kernel is loaded, told about the machine and
 * entered. One file per protocol (proto_<name>.c) fills a struct protocol; protocol.c lists
 * them and picks the one that boots the kernel. Today there is one, proto_multios.c: the
 * native protocol (an ELF32/ELF64 kernel, struct multios_boot_info, handoff.asm).
 *
 * main.c calls the operations in this order, its own steps between them:
 *
 *   kernel_open                   the kernel file open, its head read (kernel.h)
 *   protocol_select -> detect     each protocol in turn looks at the head
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
 * in load, like the image. A protocol's own state is its member of b->proto_state (boot.h). */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#include <stdbool.h>

#include "kernel.h"

/* Room for detect's reason, which the log shows ("ELF header"). */
#define PROTOCOL_WHY_MAX 64

struct boot;

struct protocol {
    const char *name; /* as the log (and a configuration) names it: "multios" */
    /* Does the file carry this protocol's header? Looks at k->head only (reading more of it
     * if the header may sit further in); if so, says what it found in `why`. */
    bool (*detect)(struct kernel_file *k, char why[PROTOCOL_WHY_MAX]);
    /* Judge the headers; set b->keep_end and b->long_mode. Panics "kernel". */
    void (*validate)(struct boot *b);
    /* Place and read the image, reserving its frames; then the hand-off's frames. */
    void (*load)(struct boot *b);
    /* After frames_seal: write the hand-off from b->mem.map. */
    void (*handoff)(struct boot *b);
    /* Log the entry and jump to the kernel. */
    void (*enter)(struct boot *b) __attribute__((noreturn));
};

/* The protocol that boots the kernel: the first in protocol.c's table whose detect claims
 * the file, else the native one (whose validate then says why the file is no kernel:
 * "invalid ELF: bad magic"). Logs which, and why. */
const struct protocol *protocol_select(struct kernel_file *k);

/* The protocols, one file each. */
extern const struct protocol proto_multios;

#endif
