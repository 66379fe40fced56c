/* stage1_info.h: what stage1 hands stage2 besides the image: its variables, left in memory at
 * STAGE1_INFO_ADDR (layout.h), right below the stack top. Stage1 builds them there with
 * pushes (stage1/mbr.asm checks each push against the offsets below, from layout.inc) and
 * uses them while it loads stage2; stage2's entry (entry.asm) copies them to
 * stage2_stage1_info before it uses the stack above STAGE1_INFO_ADDR. Stage1's read cursor,
 * the disk address packet, is in its own sector in memory (STAGE1_DAP, layout.h). */
#ifndef STAGE1_INFO_H
#define STAGE1_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

struct stage1_info {
    /* CHS geometry from INT 13h AH=08h; sectors == 0: stage1 read stage2 with AH=42h only.
     * Non-zero when the BIOS has no extensions, or when AH=42h kept failing and stage1 fell
     * back to CHS. */
    uint16_t sectors;
    uint16_t heads;
    /* The TSC at stage1's first instructions (before any BIOS call), valid when ud_ip is 0.
     * A CPU without RDTSC (a 486 or 386) raises #UD instead: stage1 points INT 6 at the
     * instruction after it, and the CPU's frame (IP of the RDTSC, CS, FLAGS) lands in
     * ud_ip/ud_cs/ud_flags, where stage1 pushes a zero IP otherwise. */
    uint64_t tsc;
    uint16_t ud_ip;
    uint16_t ud_cs;
    uint16_t ud_flags;
    /* The BIOS's INT 6 (#UD) vector, segment:offset: stage1 points INT 6 into itself while
     * it tries RDTSC, and stage2 puts this back. */
    uint32_t bios_int6;
    /* The drive stage1 read from, and DL as the BIOS passed it: they differ when DL was not
     * a drive number (outside 0x00-0x0f and 0x80-0x8f) and stage1 used 0x80 instead. */
    uint8_t  drive;
    uint8_t  bios_dl;
} __attribute__((packed));

_Static_assert(sizeof(struct stage1_info) == STAGE1_INFO_SIZE, "layout.h's size");
_Static_assert(STAGE1_INFO_ADDR + STAGE1_INFO_SIZE == LOADER_STACK_TOP,
               "stage1 pushes them from its stack top down");

/* The copy entry.asm makes before the stack grows over the original. */
extern struct stage1_info stage2_stage1_info;

/* The TSC at stage1's first instructions, 0 when the CPU has none. */
uint64_t stage1_info_tsc(const struct stage1_info *s);

/* At debug level the TSC stamp (or why there is none); at info level, that stage1 read
 * stage2 with CHS (no extensions, or AH=42h kept failing). */
void stage1_info_log(const struct stage1_info *s);

#endif
