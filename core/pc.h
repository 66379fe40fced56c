/* pc.h: the PC architecture's fixed physical addresses below 1 MiB (IBM PC/AT and every BIOS
 * since), the one place the core and stage2 name them. The loader's own low-memory layout is
 * not here: it is the loader's choice, not the machine's. */
#ifndef PC_H
#define PC_H

/* The BIOS data area: 256 bytes after the real-mode interrupt vectors. */
#define PC_BDA          0x400u
#define PC_BDA_EBDA_SEG 0x40Eu  /* word: segment of the extended BIOS data area */
#define PC_BDA_BASE_KIB 0x413u  /* word: KiB of conventional memory below the EBDA (INT 12h) */
#define PC_BDA_CURSOR   0x450u  /* bytes: the text cursor's column, then row, on page 0 */
#define PC_BDA_END      0x500u  /* the first byte after it */

/* Conventional memory ends at 640 KiB, where the legacy VGA hole (0xA0000-0xBFFFF) begins;
 * an EBDA, when there is one, sits right below it. */
#define PC_VGA_HOLE     0xA0000u
#define PC_CONV_KIB     (PC_VGA_HOLE / 1024u)
#define PC_VGA_TEXT     0xB8000u  /* colour text mode frame buffer, 80x25 cells of 2 bytes */

/* The BIOS ROM: the system BIOS in its last 64 KiB, and the 128 KiB from 0xE0000 where
 * ACPI's RSDP may be (ACPI 6.x, 5.2.5.1). */
#define PC_BIOS_AREA    0xE0000u
#define PC_BIOS_ROM     0xF0000u

/* 1 MiB: the end of what real mode (and so every BIOS call) can address. */
#define PC_HIGH_MEM     0x100000u

#endif
