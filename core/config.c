/* config.c: the default boot configuration and its sanity check. */
#include "config.h"

#include "arith.h"

void config_defaults(struct boot_config *c)
{
    c->heap_size = CONFIG_DEFAULT_HEAP_SIZE;
    c->heap_min_size = CONFIG_DEFAULT_HEAP_MIN_SIZE;
    c->heap_align = CONFIG_DEFAULT_HEAP_ALIGN;
    c->heap_min_addr = CONFIG_DEFAULT_HEAP_MIN_ADDR;
    c->frame_gran = CONFIG_DEFAULT_FRAME_GRAN;
    c->memtest = CONFIG_DEFAULT_MEMTEST;
    c->log_level = CONFIG_DEFAULT_LOG_LEVEL;
}

err_t config_validate(const struct boot_config *c)
{
    if (!c)
        return ERR_INVALID_ARG;
    if (!arith_is_pow2(c->frame_gran) || c->frame_gran < CONFIG_MIN_FRAME_GRAN ||
        c->frame_gran > CONFIG_MAX_FRAME_GRAN)
        return ERR_INVALID_ARG;
    if (!arith_is_pow2(c->heap_align))
        return ERR_INVALID_ARG;
    if (c->heap_min_size == 0 || c->heap_min_size > c->heap_size)
        return ERR_INVALID_ARG;
    if (c->heap_size > UINT64_MAX - c->heap_min_addr)
        return ERR_INVALID_ARG;
    if (c->log_level > CONFIG_LOG_DEBUG)
        return ERR_INVALID_ARG;
    return ERR_OK;
}
