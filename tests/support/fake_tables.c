/* fake_tables.c: the page-table frame pool of fake_tables.h. */
#include "fake_tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

err_t fake_tables_alloc(void *ctx, uint64_t *phys)
{
    struct fake_tables *t = ctx;
    if (t->used >= t->budget || t->used >= t->count)
        return ERR_NO_MEMORY;
    if (t->bad_phys) {
        *phys = t->bad_phys;
        return ERR_OK;
    }
    memset(t->frame[t->used], 0xa5, 4096); /* dirty: paging must zero what it gets */
    *phys = t->base + (uint64_t)t->used++ * 4096u;
    return ERR_OK;
}

void *fake_tables_ptr(void *ctx, uint64_t phys)
{
    struct fake_tables *t = ctx;
    if (phys >= t->base && (phys - t->base) % 4096u == 0 && (phys - t->base) / 4096u < t->used)
        return t->frame[(phys - t->base) / 4096u];
    if (t->strict) {
        fprintf(stderr, "fake_tables: 0x%llx was never handed out\n", (unsigned long long)phys);
        abort();
    }
    return NULL;
}
