/* output_json.c: the sanitized map, totals and sanitize report as one JSON object. Addresses
 * and lengths are "0x..." strings: JSON readers commonly hold numbers as doubles, which lose
 * bits above 2^53, and these are exact 64-bit values. Byte totals are plain numbers. */
#include "output.h"

static void print_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void print_entries(FILE *f, const struct memmap *map)
{
    char tbuf[24];
    fprintf(f, "  \"entries\": [");
    for (uint32_t i = 0; i < map->count; i++) {
        const struct e820_entry *e = &map->entry[i];
        fprintf(f, "%s\n    {\"base\": \"0x%llx\", \"length\": \"0x%llx\", \"type\": %u, "
                "\"name\": ", i ? "," : "", (unsigned long long)e->base,
                (unsigned long long)e->length, e->type);
        print_string(f, memmap_type_name(e->type, tbuf, sizeof tbuf));
        fprintf(f, "}");
    }
    fprintf(f, "%s],\n", map->count ? "\n  " : "");
}

static void print_totals(FILE *f, const struct memmap *map)
{
    struct output_total t[MEMMAP_MAX];
    char tbuf[24];
    uint32_t n = output_totals(map, t);
    fprintf(f, "  \"totals\": {\n    \"usable_bytes\": %llu,\n    \"highest_usable\": "
            "\"0x%llx\",\n    \"by_type\": [",
            (unsigned long long)memmap_usable_bytes(map),
            (unsigned long long)memmap_highest_usable(map));
    for (uint32_t k = 0; k < n; k++) {
        fprintf(f, "%s\n      {\"type\": %u, \"name\": ", k ? "," : "", t[k].type);
        print_string(f, memmap_type_name(t[k].type, tbuf, sizeof tbuf));
        fprintf(f, ", \"bytes\": %llu, \"entries\": %u}", (unsigned long long)t[k].bytes,
                t[k].entries);
    }
    fprintf(f, "%s]\n  },\n", n ? "\n    " : "");
}

static void print_report(FILE *f, const struct memmap_report *rep)
{
    fprintf(f, "  \"report\": {\"overlaps\": %u, \"zero_length\": %u, \"type_zero\": %u, "
            "\"wraps_clipped\": %u, \"attr_ignored\": %u, \"merged\": %u, \"unsorted\": %s}\n",
            rep->overlaps, rep->zero_length, rep->type_zero, rep->wraps_clipped,
            rep->attr_ignored, rep->merged, rep->unsorted ? "true" : "false");
}

/* "efi": the UEFI conversion's counts, or null for an E820 input. */
static void print_efi(FILE *f, const struct efi_memmap_report *efi)
{
    struct output_efi_item item[OUTPUT_EFI_ITEMS];
    if (!efi) {
        fprintf(f, "  \"efi\": null,\n");
        return;
    }
    uint32_t n = output_efi_items(efi, item);
    fprintf(f, "  \"efi\": {\"descriptors\": %u", efi->descriptors);
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, ", \"%s\": %u", item[i].key, item[i].n);
    fprintf(f, "},\n");
}

void output_json(FILE *f, const struct e820_result *r)
{
    fprintf(f, "{\n  \"source\": ");
    print_string(f, r->source);
    fprintf(f, ",\n  \"input_form\": \"%s\",\n  \"raw_entries\": %u,\n  \"align\": ",
            parse_form_name(r->form), r->raw_count);
    if (r->align)
        fprintf(f, "%llu,\n", (unsigned long long)r->align);
    else
        fprintf(f, "null,\n");
    print_entries(f, r->map);
    print_totals(f, r->map);
    print_efi(f, r->efi);
    print_report(f, r->report);
    fprintf(f, "}\n");
}
