/* output_picture.c: the address space in one line of characters. A linear scale would give
 * the first MiB, where most of the firmware's ranges are, less than one column, so columns
 * grow geometrically: column 0 is [0, 2^lo * k), and each next column is k times further out,
 * up to 2^hi, the top of the map rounded up to a power of two. */
#include <math.h>

#include "output.h"

/* The exponents of the scale: hi covers the map's end, lo is where columns start growing. */
static void scale(const struct memmap *map, unsigned *lo, unsigned *hi)
{
    uint64_t top = 0;
    if (map->count) {
        const struct e820_entry *e = &map->entry[map->count - 1];
        top = (e->base > UINT64_MAX - e->length) ? UINT64_MAX : e->base + e->length;
    }
    unsigned h = 0;
    while (h < 64 && ((uint64_t)1 << h) < top)
        h++;
    *lo = h >= 24 ? 16 : 10; /* 64 KiB under big maps, 1 KiB under tiny ones */
    *hi = h > *lo ? h : *lo + 1;
}

uint64_t output_picture_column_start(const struct memmap *map, uint32_t c, uint32_t cols)
{
    unsigned lo, hi;
    if (c == 0)
        return 0;
    scale(map, &lo, &hi);
    long double x = exp2l((long double)lo + (long double)(hi - lo) * c / cols);
    if (x >= 18446744073709551615.0L)
        return UINT64_MAX;
    return (uint64_t)x;
}

char output_picture_char(uint32_t type)
{
    switch (type) {
    case 0:
        return '.';
    case E820_TYPE_RAM:
        return '#';
    case E820_TYPE_RESERVED:
        return 'r';
    case E820_TYPE_ACPI:
        return 'a';
    case E820_TYPE_NVS:
        return 'n';
    case E820_TYPE_UNUSABLE:
        return 'x';
    case E820_TYPE_PMEM:
        return 'p';
    case E820_TYPE_PRAM:
        return 'P';
    case E820_TYPE_SOFT_RESERVED:
        return 's';
    default:
        return MULTIOS_MEM_IS_LOADER(type) ? 'L' : '?';
    }
}

/* Type covering most of [a, b) among the entries there; 0 only when nothing covers any of
 * it, so a small reserved range still shows in a column that is mostly hole. Ties go to the
 * entry that comes first. */
static uint32_t column_type(const struct memmap *map, uint64_t a, uint64_t b)
{
    uint64_t best_bytes = 0;
    uint32_t best = 0;
    for (uint32_t i = 0; i < map->count; i++) {
        const struct e820_entry *e = &map->entry[i];
        uint64_t end = (e->base > UINT64_MAX - e->length) ? UINT64_MAX : e->base + e->length;
        uint64_t s = e->base > a ? e->base : a, t = end < b ? end : b;
        if (s >= t)
            continue;
        /* Sum all entries of this type inside the column (the map merges neighbours, but
         * unmergeable types like PRAM come in pieces). */
        uint64_t bytes = 0;
        for (uint32_t j = 0; j < map->count; j++) {
            const struct e820_entry *f = &map->entry[j];
            uint64_t fend = (f->base > UINT64_MAX - f->length) ? UINT64_MAX : f->base + f->length;
            uint64_t fs = f->base > a ? f->base : a, ft = fend < b ? fend : b;
            if (f->type == e->type && fs < ft)
                bytes += ft - fs;
        }
        if (bytes > best_bytes) {
            best_bytes = bytes;
            best = e->type;
        }
    }
    return best;
}

void output_picture(const struct memmap *map, char *line, uint32_t cols)
{
    for (uint32_t c = 0; c < cols; c++) {
        uint64_t a = output_picture_column_start(map, c, cols);
        uint64_t b = output_picture_column_start(map, c + 1, cols);
        line[c] = (a < b) ? output_picture_char(column_type(map, a, b)) : ' ';
    }
    line[cols] = '\0';
}
