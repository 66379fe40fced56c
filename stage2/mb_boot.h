/* mb_boot.h: what the two Multiboot protocols (proto_multiboot1.c, proto_multiboot2.c) share:
 * their state, and the steps that differ only in the header parser and the information
 * builder (mb_boot.c over core/multiboot.h). */
#ifndef MB_BOOT_H
#define MB_BOOT_H

#include <stdint.h>

#include "elf.h"
#include "modules.h"
#include "multiboot.h"
#include "protocol.h"

struct boot;

/* A version's header parser and information builder (core/multiboot.h). */
struct mb_version {
    uint32_t version;  /* 1 or 2 */
    uint32_t magic;    /* EAX at entry */
    err_t (*parse)(const uint8_t *head, uint64_t head_len, uint64_t file_size,
                   struct mb_header *h);
    err_t (*build)(void *buf, uint64_t cap, uint64_t phys, const struct mb_info_in *in,
                   uint64_t *used);
};

struct proto_multiboot_state {
    struct mb_header hdr;
    struct elf_info img;     /* the ELF's segments, or the address fields' one */
    uint32_t entry;          /* physical, where the image went */
    struct modules mods;
    uint64_t info_phys;      /* the information structure (BOOT_INFO frames) */
    uint64_t info_bytes;
};

/* The protocol operations of both versions (struct protocol's data is the mb_version). */
/* detect: the header parsed from the head (which is read up to the version's window). */
enum protocol_claim mb_boot_detect(const struct protocol *p, struct kernel_file *k,
                                   char why[PROTOCOL_WHY_MAX]);
/* validate: the header judged (panics "kernel" with its reason), then the image it
 * describes: its address fields, else the ELF (any class: it runs with paging off). */
void mb_boot_validate(struct boot *b);
/* load: the image placed where it is linked (or, relocatable, where its tag allows), read,
 * the modules, the information structure's frames. */
void mb_boot_load(struct boot *b);
/* handoff: the information structure built from the final map. */
void mb_boot_handoff(struct boot *b);
/* enter: EAX = the version's magic, EBX = the structure, 32-bit protected mode, paging off. */
_Noreturn void mb_boot_enter(struct boot *b);

#endif
