/* bios.h: stage2's BIOS call (the real-mode thunk in thunk.asm) and its bounce buffer. */
#ifndef BIOS_H
#define BIOS_H

#include <stdint.h>

#include "bios_regs.h"
#include "layout.h" /* BOUNCE_PHYS, BOUNCE_SIZE: the buffer every BIOS buffer goes through */

/* INT vec in real mode with registers *in; the registers after it land in *out (in == out
 * allowed). Matches bios_int_fn; ctx is unused. Call only from 32-bit protected mode with
 * paging off and the stack below 64 KiB (stage2's is). */
void bios_int(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out);

/* The thunk and the bounce buffer, for pure code that takes a struct bios_iface. */
struct bios_iface bios_iface_default(void);

#endif
