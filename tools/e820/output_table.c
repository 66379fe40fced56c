/* output_table.c: the default, human format: the map as an aligned table, totals by type,
 * what sanitizing fixed, and a picture of the address space. */
#include <string.h>

#include "output.h"

static void print_entries(FILE *f, const struct memmap *map)
{
    char size[32], tbuf[24];
    fprintf(f, "  %-18s  %-18s  %11s  %s\n", "start", "end (exclusive)", "size", "type");
    for (uint32_t i = 0; i < map->count; i++) {
        const struct e820_entry *e = &map->entry[i];
        output_human_size(e->length, size, sizeof size);
        /* An entry reaching 2^64 has no 64-bit end; print it as the 17-digit number it is. */
        if (e->base + e->length < e->base || e->base + e->length == 0)
            fprintf(f, "  0x%016llx  0x1%016llx", (unsigned long long)e->base,
                    (unsigned long long)(e->base + e->length));
        else
            fprintf(f, "  0x%016llx  0x%016llx", (unsigned long long)e->base,
                    (unsigned long long)(e->base + e->length));
        fprintf(f, "  %11s  %s\n", size, memmap_type_name(e->type, tbuf, sizeof tbuf));
    }
}

static void print_totals(FILE *f, const struct memmap *map)
{
    struct output_total t[MEMMAP_MAX];
    char size[32], tbuf[24];
    uint32_t n = output_totals(map, t);
    fprintf(f, "totals by type:\n");
    for (uint32_t k = 0; k < n; k++) {
        output_human_size(t[k].bytes, size, sizeof size);
        fprintf(f, "  %c %-18s %11s  %20llu bytes in %u entr%s\n", output_picture_char(t[k].type),
                memmap_type_name(t[k].type, tbuf, sizeof tbuf), size,
                (unsigned long long)t[k].bytes, t[k].entries, t[k].entries == 1 ? "y" : "ies");
    }
    uint64_t top = memmap_highest_usable(map);
    output_human_size(memmap_usable_bytes(map), size, sizeof size);
    fprintf(f, "  usable RAM %s, ending at 0x%llx\n", size,
            (unsigned long long)top);
}

static void print_report(FILE *f, const struct memmap_report *rep, uint32_t raw)
{
    fprintf(f, "sanitizing (%u raw entries):", raw);
    const struct {
        uint32_t n;
        const char *what;
    } items[] = {
        { rep->overlaps, "overlaps resolved" },
        { rep->zero_length, "zero-length entries dropped" },
        { rep->type_zero, "type-0 entries dropped" },
        { rep->wraps_clipped, "entries clipped at 2^64" },
        { rep->attr_ignored, "entries dropped (enabled attribute clear)" },
        { rep->merged, "pieces merged into a neighbour" },
    };
    bool any = rep->unsorted;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        any = any || items[i].n;
    if (!any) {
        fprintf(f, " nothing to fix\n");
        return;
    }
    fprintf(f, "\n");
    if (rep->unsorted)
        fprintf(f, "  input was not sorted by base\n");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (items[i].n)
            fprintf(f, "  %-42s %u\n", items[i].what, items[i].n);
}

/* What converting a UEFI map dropped and retyped, before the sanitizer saw it. */
static void print_efi(FILE *f, const struct efi_memmap_report *efi, uint32_t raw)
{
    struct output_efi_item item[OUTPUT_EFI_ITEMS];
    uint32_t n = output_efi_items(efi, item);
    bool any = false;
    fprintf(f, "UEFI map (%u descriptors -> %u raw entries):", efi->descriptors, raw);
    for (uint32_t i = 0; i < n; i++)
        any = any || item[i].n;
    if (!any) {
        fprintf(f, " nothing to convert but types\n");
        return;
    }
    fprintf(f, "\n");
    for (uint32_t i = 0; i < n; i++)
        if (item[i].n)
            fprintf(f, "  %-42s %u\n", item[i].what, item[i].n);
}

/* The picture with a ruler marking 1 MiB and 4 GiB, and the legend. */
static void print_picture(FILE *f, const struct memmap *map)
{
    char line[OUTPUT_PICTURE_COLS + 1], ruler[OUTPUT_PICTURE_COLS + 1];
    const uint32_t cols = OUTPUT_PICTURE_COLS;
    output_picture(map, line, cols);
    memset(ruler, ' ', cols);
    ruler[cols] = '\0';
    uint64_t top = output_picture_column_start(map, cols, cols);
    char first[32], last[32], ctop[32];
    output_human_size(output_picture_column_start(map, 1, cols), first, sizeof first);
    /* A map reaching 2^64 saturates at 2^64 - 1: call that what it is. */
    if (top == UINT64_MAX)
        snprintf(ctop, sizeof ctop, "16 EiB");
    else
        output_human_size(top, ctop, sizeof ctop);
    snprintf(last, sizeof last, "%s", ctop);
    const struct {
        uint64_t at;
        char mark;
    } marks[] = { { 1ull << 20, 'M' }, { 1ull << 32, 'G' } };
    for (size_t m = 0; m < 2; m++)
        for (uint32_t c = 0; c < cols; c++)
            if (output_picture_column_start(map, c, cols) <= marks[m].at &&
                marks[m].at < output_picture_column_start(map, c + 1, cols))
                ruler[c] = marks[m].mark;
    fprintf(f, "address space (log scale, %u columns from 0 to %s; column 0 ends at %s, each "
            "next column is x%.2f wider):\n", cols, last, first,
            (double)output_picture_column_start(map, 2, cols) /
                (double)output_picture_column_start(map, 1, cols));
    fprintf(f, "  |%s|\n", line);
    fprintf(f, "   %s\n", ruler);
    fprintf(f, "  M = the column holding 1 MiB, G = 4 GiB; # usable, r reserved, a ACPI "
            "reclaimable,\n  n ACPI NVS, x bad, p persistent, P PRAM, s soft reserved, "
            "L loader, ? other, . hole\n  (a column shows the type covering most of its "
            "mapped bytes; . if none is mapped)\n");
}

void output_table(FILE *f, const struct e820_result *r)
{
    fprintf(f, "%s: %s input, %u raw entries -> %u sanitized", r->source,
            parse_form_name(r->form), r->raw_count, r->map->count);
    if (r->align)
        fprintf(f, ", usable and loader entries trimmed to %llu-byte frames",
                (unsigned long long)r->align);
    fprintf(f, "\n");
    print_entries(f, r->map);
    print_totals(f, r->map);
    if (r->efi)
        print_efi(f, r->efi, r->raw_count);
    print_report(f, r->report, r->raw_count);
    print_picture(f, r->map);
}
