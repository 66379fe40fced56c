/* output.h: the inspector's output formats (table, fixture, json) over one sanitized map. */
#ifndef E820_OUTPUT_H
#define E820_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "memmap.h"
#include "parse.h"

/* Everything a format may print: where the map came from, the map, what sanitizing fixed. */
struct e820_result {
    const char *source;    /* file name as given, "<stdin>" for - */
    enum parse_form form;  /* which reader read it */
    uint32_t raw_count;    /* entries the reader found */
    const struct memmap *map;
    const struct memmap_report *report;
    uint64_t align;        /* --align granularity, 0 if the byte-exact map is shown */
    const struct efi_memmap_report *efi; /* the UEFI conversion, NULL for E820 inputs */
};

void output_table(FILE *f, const struct e820_result *r);
void output_fixture(FILE *f, const struct e820_result *r);
void output_json(FILE *f, const struct e820_result *r);

/* The counts of a UEFI conversion (efi_memmap_report), each with its json key and the words
 * the table prints. */
struct output_efi_item {
    const char *key;
    const char *what;
    uint32_t n;
};
#define OUTPUT_EFI_ITEMS 8u
uint32_t output_efi_items(const struct efi_memmap_report *r, struct output_efi_item *item);

/* Bytes per type, in order of first appearance in the map. */
struct output_total {
    uint32_t type;
    uint32_t entries;
    uint64_t bytes; /* saturates at UINT64_MAX */
};

/* Fill t (room for map->count totals) and return how many types there are. */
uint32_t output_totals(const struct memmap *map, struct output_total *t);

/* "640 KiB", "1.99 GiB", "16 EiB": exact integers when the size is a whole number of the
 * unit, else two decimals. */
void output_human_size(uint64_t bytes, char *buf, size_t size);

/* The address space as a one-line picture of `cols` characters (plus NUL) on a log2 scale,
 * each column showing the type (or hole) covering most of its bytes. */
#define OUTPUT_PICTURE_COLS 64u
void output_picture(const struct memmap *map, char *line, uint32_t cols);
/* Start address of column c of the picture (c == cols gives the end, saturated). */
uint64_t output_picture_column_start(const struct memmap *map, uint32_t c, uint32_t cols);
/* The character that stands for a type in the picture ('.' for a hole = type 0). */
char output_picture_char(uint32_t type);

#endif
