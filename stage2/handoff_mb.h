/* handoff_mb.h: the Multiboot entry (handoff_mb.asm), beside handoff.h's native ones. */
#ifndef HANDOFF_MB_H
#define HANDOFF_MB_H

#include <stdint.h>

/* The machine state both Multiboot specifications give (0.6.96 section 3.2, 2.0 section
 * 3.3): 32-bit protected mode, paging off, CS a flat 4 GiB code segment (0x08), DS, ES,
 * FS, GS and SS a flat 4 GiB data segment (0x10, reloaded here), A20 on (stage2 turned it
 * on first thing), EFLAGS 0x2 (IF and VM clear), EAX = magic, EBX = info. Beyond the
 * specifications, as for the native protocol: the other general registers 0, ESP =
 * stack_top - 4 holding a 0 return address (the specifications leave ESP undefined), and
 * stage2's reporting IDT loaded. The PICs are left as the BIOS set them, as GRUB leaves
 * them: kernels written for GRUB may count on it. */
_Noreturn void handoff_enter_multiboot(uint32_t entry, uint32_t magic, uint32_t info,
                                       uint32_t stack_top);

#endif
