/* bios.c: the struct bios_iface that hands the real thunk to BIOS-using core code. */
#include <stddef.h>

#include "bios.h"

struct bios_iface bios_iface_default(void)
{
    return (struct bios_iface){
        .call = bios_int,
        .ctx = NULL,
        .bounce = (void *)(uintptr_t)BOUNCE_PHYS,
        .bounce_phys = BOUNCE_PHYS,
        .bounce_size = BOUNCE_SIZE,
    };
}
