/* rsdp_find.c: the BIOS machine's RSDP search (rsdp_find.h), over the core's rsdp_scan. */
#include "rsdp.h"
#include "rsdp_find.h"

uint64_t rsdp_find(bda_ptr_fn ptr, void *ctx)
{
    uint32_t ebda = bda_ebda(ptr, ctx);
    const uint8_t *p;
    uint64_t r;

    /* Only an EBDA whose first KiB lies below the 640 KiB line. */
    if (ebda && ebda + RSDP_FIND_EBDA_BYTES <= PC_VGA_HOLE) {
        p = ptr(ctx, ebda, RSDP_FIND_EBDA_BYTES);
        r = p ? rsdp_scan(p, ebda, RSDP_FIND_EBDA_BYTES) : 0;
        if (r)
            return r;
    }
    p = ptr(ctx, PC_BIOS_AREA, PC_HIGH_MEM - PC_BIOS_AREA);
    return p ? rsdp_scan(p, PC_BIOS_AREA, PC_HIGH_MEM - PC_BIOS_AREA) : 0;
}
