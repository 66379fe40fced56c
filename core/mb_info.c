/* mb_info.c: the memory map a Multiboot kernel is given, derived from the loader's final map
 * (one code path for every protocol), with mem_lower/mem_upper from the same, and the cursor
 * both information builders write with. */
#include <string.h>

#include "le.h"
#include "mb_info_int.h"

/* The loader's own types (LOADER_RECLAIMABLE .. BOOT_INFO) are memory a Multiboot kernel is
 * told about separately (the information structure and the modules) or not at all: it is
 * available RAM to it, as it was in the firmware's table. */
static uint32_t mb_type(uint32_t type)
{
    return MULTIOS_MEM_IS_LOADER(type) ? E820_TYPE_RAM : type;
}

bool mb_map_next(const struct memmap *m, uint32_t *i, struct e820_entry *out)
{
    const struct e820_entry *e;

    if (!m || !i || !out || *i >= m->count)
        return false;
    e = &m->entry[(*i)++];
    *out = (struct e820_entry){ e->base, e->length, mb_type(e->type), 0 };
    /* The loader only ever retypes usable RAM, so available neighbours that touch were one
     * firmware entry (a sanitized map never has two touching entries of one type). */
    while (out->type == E820_TYPE_RAM && *i < m->count) {
        const struct e820_entry *n = &m->entry[*i];
        if (mb_type(n->type) != E820_TYPE_RAM || n->base != out->base + out->length)
            break;
        out->length += n->length;
        (*i)++;
    }
    return true;
}

void mb_mem_lower_upper(const struct memmap *m, uint32_t *lower, uint32_t *upper)
{
    struct e820_entry e;
    uint32_t i = 0;

    *lower = *upper = 0;
    while (mb_map_next(m, &i, &e)) {
        uint64_t last = memmap_entry_last(&e), kib;
        if (e.type != E820_TYPE_RAM)
            continue;
        if (e.base == 0) {
            kib = e.length >> 10;
            *lower = kib > 640u ? 640u : (uint32_t)kib;
        }
        if (e.base <= PC_HIGH_MEM && last >= PC_HIGH_MEM) {
            kib = (last - PC_HIGH_MEM + 1u) >> 10;
            *upper = kib > 0xffffffffu ? 0xffffffffu : (uint32_t)kib;
        }
    }
}

/* Far past 4 GiB: a layout that reaches it is refused by mb_finish, and nothing wraps. */
#define MB_WRITER_MAX (1ull << 40)

uint64_t mb_take(struct mb_writer *w, uint64_t n, uint64_t align)
{
    uint64_t at = (w->pos + align - 1u) & ~(align - 1u), lo, hi;

    if (at < w->pos || at > MB_WRITER_MAX || n > MB_WRITER_MAX - at) {
        w->pos = MB_WRITER_MAX;
        return MB_WRITER_MAX;
    }
    if (w->buf) { /* the padding and the new bytes start zeroed */
        lo = w->pos < w->cap ? w->pos : w->cap;
        hi = at + n < w->cap ? at + n : w->cap;
        memset(w->buf + lo, 0, (size_t)(hi - lo));
    }
    w->pos = at + n;
    return at;
}

static uint8_t *mb_at(struct mb_writer *w, uint64_t at, uint64_t n)
{
    return w->buf && at <= w->cap && n <= w->cap - at ? w->buf + at : NULL;
}

void mb_put8(struct mb_writer *w, uint64_t at, uint8_t v)
{
    uint8_t *p = mb_at(w, at, 1);
    if (p)
        *p = v;
}

void mb_put16(struct mb_writer *w, uint64_t at, uint16_t v)
{
    uint8_t *p = mb_at(w, at, 2);
    if (p)
        le_write16(p, v);
}

void mb_put32(struct mb_writer *w, uint64_t at, uint32_t v)
{
    uint8_t *p = mb_at(w, at, 4);
    if (p)
        le_write32(p, v);
}

void mb_put64(struct mb_writer *w, uint64_t at, uint64_t v)
{
    uint8_t *p = mb_at(w, at, 8);
    if (p)
        le_write64(p, v);
}

void mb_put_bytes(struct mb_writer *w, uint64_t at, const void *src, uint64_t n)
{
    uint8_t *p = mb_at(w, at, n);
    if (p && n)
        memcpy(p, src, (size_t)n);
}

uint32_t mb_phys(const struct mb_writer *w, uint64_t at)
{
    return (uint32_t)(w->phys + at);
}

uint32_t mb_put_str(struct mb_writer *w, const char *s)
{
    uint64_t n = strlen(s) + 1u, at = mb_take(w, n, 1);

    mb_put_bytes(w, at, s, n);
    return mb_phys(w, at);
}

err_t mb_finish(const struct mb_writer *w, uint64_t *used)
{
    *used = w->pos;
    if (w->pos > 0x100000000ull || w->phys > 0x100000000ull - w->pos)
        return ERR_OVERFLOW;
    if (w->buf && w->pos > w->cap)
        return ERR_CAPACITY;
    return ERR_OK;
}
