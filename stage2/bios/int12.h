/* int12.h: INT 12h, the BIOS's size of conventional memory. */
#ifndef INT12_H
#define INT12_H

#include <stdint.h>

#include "bios_regs.h"

/* KiB of conventional memory below the EBDA: AX after INT 12h, as the BIOS gave it. INT 12h
 * has no error convention (CF is not defined), so a BIOS without it reads as 0 (the
 * registers start zeroed); whether an answer is sane is the caller's to judge. */
uint32_t int12_kib(const struct bios_iface *bios);

#endif
