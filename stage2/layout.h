/* layout.h: the loader's fixed places, the one source of truth for C, NASM and the linker
 * script: low memory, the GDT selectors, the stage2 image's limits. Macros only. C includes it
 * as is; stage2/asm_offsets.c turns it (with the struct offsets the assembly uses) into
 * build/gen/layout.inc for stage1/mbr.asm and the stage2 .asm files and build/gen/layout.ld for
 * stage2/linker.ld, so the assembly and the linker script cannot disagree with C.
 *
 *   0x00000 +--------------------------+
 *           | IVT, BIOS data area      |  the BIOS's
 *   0x00500 +--------------------------+  MEMORY_LOADER_LOW_BASE: A20 test word
 *   0x00510 | stack guard (16 bytes)   |  LOADER_STACK_GUARD
 *           | stack, grows down        |  one stack for stage1, real and protected mode
 *   0x07be8 | stage1's info for stage2 |  STAGE1_INFO_ADDR: struct stage1_info
 *   0x07c00 +--------------------------+  LOADER_STACK_TOP = STAGE1_LOAD_ADDR
 *           | stage1 (512 bytes)       |  where the BIOS loads the boot sector
 *   0x08000 +--------------------------+  STAGE2_LOAD_ADDR
 *           | stage2: header, .text16, |  .text16 and .data16 below STAGE2_REAL_END
 *           | code, data, bss          |
 *   0x60000 +--------------------------+  STAGE2_END_MAX = MEMORY_KERNEL_STACK_BASE
 *           | kernel's initial stack   |  64 KiB
 *   0x70000 +--------------------------+  BOUNCE_PHYS
 *           | BIOS bounce buffer       |  64 KiB: every BIOS buffer goes through it
 *   0x80000 +--------------------------+  MEMORY_LOADER_LOW_END: an EBDA may start here
 *
 * The macro names are the names in the generated files too (NASM %define, linker symbol). */
#ifndef LAYOUT_H
#define LAYOUT_H

/* PC architecture: the BIOS loads the boot sector (stage1) here. */
#define STAGE1_LOAD_ADDR 0x7c00u
/* The MBR as stage1 uses it:
 *     0..2    jmp short, nop
 *     3..89   room for a FAT32 BIOS parameter block (some BIOSes write one there)
 *    90..97   the head of stage1's disk address packet (constant)
 *    98..105  stage2's first sector, a 64-bit LBA (STAGE1_STAGE2_LBA), which is the packet's
 *             LBA field
 *   106..107  stage2's length in sectors, 16 bits (STAGE1_STAGE2_SECTORS)
 *   108..439  stage1's code and constant data (STAGE1_CODE_END)
 *   440..445  disk signature and 2 reserved bytes (Windows, fdisk, sfdisk and parted write
 *             them); 446..509 the partition table; 510 0x55 0xAA
 * The stage2 location is the installer's to write (tools/mkimage.py writes LBA 1 and the
 * image's sectors): stage2 may sit in the gap before the first partition, in a GPT BIOS-boot
 * partition or in a contiguous file on the FAT32 partition, and stage1 reads it from there.
 * Little-endian; at most STAGE2_MAX_SECTORS sectors, 0 meaning "no stage2 installed"; its
 * sectors must not straddle a multiple of 2^32 (stage1 carries the LBA into bits 16-31 only).
 * Stage1 uses the bytes from 90 to 107 as its read cursor in memory (the disk keeps them). */
#define STAGE1_DAP            90u
#define STAGE1_STAGE2_LBA     98u
#define STAGE1_STAGE2_SECTORS 106u
#define STAGE1_CODE_END       440u

/* Stage1 loads stage2 here, in 512-byte sectors, and jumps to its first byte. */
#define STAGE2_LOAD_ADDR 0x8000u
#define STAGE2_SECTOR    512u
/* Stage2 and its bss end at or below this (linker.ld asserts it); stage1 refuses an image of
 * more sectors than fit. */
#define STAGE2_END_MAX     0x60000u
#define STAGE2_MAX_SECTORS ((STAGE2_END_MAX - STAGE2_LOAD_ADDR) / STAGE2_SECTOR)
/* The real-mode half of the thunk runs with CS = SS = 0, so its code, data and stack must lie
 * below what segment 0 reaches. */
#define STAGE2_REAL_END 0x10000u

/* The loader's low memory: LOADER_RECLAIMABLE in the final map (nothing at or above its end,
 * where an EBDA may start). The A20 test word (a20.c) is its first word. */
#define MEMORY_LOADER_LOW_BASE 0x500u
/* One stack for stage1 and stage2 (real and protected mode), below stage1's code. */
#define LOADER_STACK_TOP STAGE1_LOAD_ADDR
/* What stage1 leaves for stage2 (struct stage1_info, stage2/stage1_info.h): its variables,
 * the TSC stamp among them, right below the stack top it started with. Stage2's entry keeps
 * its stack below them until it has copied them. */
#define STAGE1_INFO_SIZE 24u
#define STAGE1_INFO_ADDR (LOADER_STACK_TOP - STAGE1_INFO_SIZE)
/* The stack's lowest 16 bytes above the A20 test word: a pattern bios_int checks before every
 * BIOS call, so a stack that overflowed towards the BIOS data area and the IVT is a panic
 * instead of a BIOS call through a trampled vector. */
#define LOADER_STACK_GUARD       (MEMORY_LOADER_LOW_BASE + 0x10u)
#define LOADER_STACK_GUARD_SIZE  16u
#define LOADER_STACK_GUARD_VALUE 0x4b415453u /* "STAK" */
/* The kernel's initial stack: 64 KiB from stage2's ceiling. */
#define MEMORY_KERNEL_STACK_BASE STAGE2_END_MAX
#define MEMORY_KERNEL_STACK_SIZE 0x10000u
/* 64 KiB right after it that every BIOS buffer goes through. */
#define BOUNCE_PHYS (MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE)
#define BOUNCE_SIZE 0x10000u
#define MEMORY_LOADER_LOW_END (BOUNCE_PHYS + BOUNCE_SIZE)

/* Stage2's GDT (entry.asm builds it; the hand-off contract promises the selectors). The
 * 16-bit pair has 64 KiB limits: the thunk loads it before it clears PE, so real mode starts
 * with real-mode segment limits. */
#define GDT_SEL_CODE32 0x08u
#define GDT_SEL_DATA32 0x10u
#define GDT_SEL_CODE16 0x18u
#define GDT_SEL_DATA16 0x20u
#define GDT_SEL_CODE64 0x28u /* L = 1: the far jump into long mode */

_Static_assert(LOADER_STACK_GUARD + LOADER_STACK_GUARD_SIZE <= LOADER_STACK_TOP,
               "the guard lies inside the stack");
_Static_assert(LOADER_STACK_TOP <= STAGE2_REAL_END, "the thunk's real-mode stack");
_Static_assert(STAGE1_DAP + 8 == STAGE1_STAGE2_LBA && STAGE1_STAGE2_LBA + 8 == STAGE1_STAGE2_SECTORS,
               "the stage2 location is the LBA of stage1's disk address packet");
_Static_assert(STAGE2_MAX_SECTORS <= 0xffffu, "stage1's sector count is 16 bits");
_Static_assert((STAGE2_END_MAX - STAGE2_LOAD_ADDR) % STAGE2_SECTOR == 0,
               "stage1's sector limit is exactly the ceiling");
_Static_assert(MEMORY_LOADER_LOW_END == 0x80000u, "the loader's low memory ends at 0x80000");

#endif
