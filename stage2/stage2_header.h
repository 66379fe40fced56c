/* stage2_header.h: the header at the start of stage2.bin: the magic stage1 checks, the size
 * and checksum stage2's own entry checks. Built by stage2/entry.asm, sealed by
 * tools/mkimage_seal.py, read by stage1/mbr.asm: all three take the offsets and the magic
 * from here (build/gen/layout.inc). */
#ifndef STAGE2_HEADER_H
#define STAGE2_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

#define STAGE2_MAGIC          0x32534f4du  /* "MOS2" in memory order */
#define STAGE2_HEADER_VERSION 1u

struct stage2_header {
    uint8_t  jump[4];       /* jmp near start16 + pad */
    uint32_t magic;
    uint16_t sectors;       /* whole image, header included */
    uint16_t version;
    uint32_t checksum;      /* the 32-bit sum of all dwords of the image is 0 */
};

/* A stage1 already on a disk reads a newer stage2: the fields stage1 and the sealer use stay
 * where they are. */
_Static_assert(offsetof(struct stage2_header, magic) == 4, "stage1 reads it at +4");
_Static_assert(offsetof(struct stage2_header, sectors) == 8, "stage1 reads it at +8");
_Static_assert(offsetof(struct stage2_header, checksum) == 12, "stage2 header layout");
_Static_assert(sizeof(struct stage2_header) == 16, "stage2 header size");

/* Linker-script symbols (linker.ld): where the image and its bss live in memory. */
extern char __stage2_start[], __stage2_end[];

/* DL as stage1 handed it over (entry.asm keeps it outside .bss). */
extern uint8_t stage2_boot_drive;

#endif
