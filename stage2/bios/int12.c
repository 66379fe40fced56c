/* int12.c: INT 12h, the BIOS's size of conventional memory. */
#include "int12.h"

uint32_t int12_kib(const struct bios_iface *bios)
{
    struct bios_regs in, out;

    bios_regs_init(&in);
    out = in;
    bios->call(bios->ctx, 0x12, &in, &out);
    return out.eax & 0xffffu;
}
