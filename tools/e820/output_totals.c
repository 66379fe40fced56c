/* output_totals.c: figures shared by the table and json formats: bytes per type and human
 * sizes. */
#include "output.h"

uint32_t output_totals(const struct memmap *map, struct output_total *t)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < map->count; i++) {
        const struct e820_entry *e = &map->entry[i];
        uint32_t k = 0;
        while (k < n && t[k].type != e->type)
            k++;
        if (k == n)
            t[n++] = (struct output_total){ e->type, 0, 0 };
        t[k].entries++;
        /* A map that covers all 2^64 bytes does not fit the counter: saturate. */
        t[k].bytes = (t[k].bytes > UINT64_MAX - e->length) ? UINT64_MAX : t[k].bytes + e->length;
    }
    return n;
}

void output_human_size(uint64_t bytes, char *buf, size_t size)
{
    static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    unsigned u = 0;
    while (u < 6 && (bytes >> (10 * (u + 1))) != 0)
        u++;
    uint64_t whole = bytes >> (10 * u);
    uint64_t rest = bytes - (whole << (10 * u));
    if (rest == 0) {
        snprintf(buf, size, "%llu %s", (unsigned long long)whole, unit[u]);
        return;
    }
    /* Two decimals, truncated rather than rounded, so 1023.999 KiB never reads "1024.00". */
    uint64_t hundredths = (uint64_t)(((unsigned __int128)rest * 100) >> (10 * u));
    snprintf(buf, size, "%llu.%02llu %s", (unsigned long long)whole,
             (unsigned long long)hundredths, unit[u]);
}
