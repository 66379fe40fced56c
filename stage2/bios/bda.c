/* bda.c: the BIOS data area words the loader reads (bda.h). */
#include <string.h>

#include "bda.h"

/* 0 when unreadable: no BDA word the loader reads has 0 as a meaningful answer. */
static uint32_t bda_word(bda_ptr_fn ptr, void *ctx, uint32_t phys)
{
    const void *p = ptr(ctx, phys, 2);
    uint16_t w;

    if (!p)
        return 0;
    memcpy(&w, p, sizeof w);
    return w;
}

uint32_t bda_ebda(bda_ptr_fn ptr, void *ctx)
{
    uint32_t ebda = bda_word(ptr, ctx, PC_BDA_EBDA_SEG) << 4;

    return ebda >= PC_BDA_END && ebda < PC_VGA_HOLE ? ebda : 0;
}

uint32_t bda_base_kib(bda_ptr_fn ptr, void *ctx)
{
    return bda_word(ptr, ctx, PC_BDA_BASE_KIB);
}
