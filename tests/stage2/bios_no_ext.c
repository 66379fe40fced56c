/* bios_no_ext.c: test-only BIOS glue for build/stage2-chs.bin, linked instead of
 * stage2/bios.c: every call goes to the real thunk, except INT 13h AH=41h, which answers "no
 * extensions". QEMU's BIOS always has them, so this is how the boot tests (suite chs) boot
 * stage2's CHS path for real. */
#include <stdint.h>

#include "bios.h"

static void bios_no_ext_int(void *ctx, uint8_t vec, const struct bios_regs *in,
                            struct bios_regs *out)
{
    if (vec == 0x13 && bios_ah(in) == 0x41) {
        *out = *in;
        out->eflags |= EFLAGS_CF;
        out->eax = (in->eax & 0xffff00ffu) | 0x0100u; /* AH=01h: invalid function */
        return;
    }
    bios_int(ctx, vec, in, out);
}

struct bios_iface bios_iface_default(void)
{
    return (struct bios_iface){
        .call = bios_no_ext_int,
        .ctx = NULL,
        .bounce = (void *)(uintptr_t)BOUNCE_PHYS,
        .bounce_phys = BOUNCE_PHYS,
        .bounce_size = BOUNCE_SIZE,
    };
}
