/* fake_ram.c: the fake physical memory window of fake_ram.h. */
#include "fake_ram.h"

#include <stddef.h>

void *fake_ram_at(const struct fake_ram *r, uint64_t phys, uint64_t len)
{
    if (phys < r->base || phys - r->base > r->size || len > r->size - (phys - r->base))
        return NULL;
    return r->bytes + (phys - r->base);
}

void *fake_ram_ptr(void *ctx, uint64_t phys, uint64_t len)
{
    return fake_ram_at(ctx, phys, len);
}
