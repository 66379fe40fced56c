/* fuzz_inspector.c: libFuzzer harness for the inspector's text readers and outputs. Any input
 * goes through every text reader; each either fails with a message or yields a table that
 * sanitizes, prints in every format, and whose fixture output reads back to the same map.
 * Built by tests/fuzz/inspector.mk with the readers, the output_*.c files and the core's
 * memory map (not main.c, load.c or parse_sysfs.c); seeds: tests/fixtures/inspector/ and
 * tests/fixtures/e820/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/e820/output.h"
#include "../../tools/e820/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const struct e820_result *r)
{
    static struct e820_input back;
    struct parse_error pe;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    output_fixture(f, r);
    fclose(f);
    if (parse_fixture(buf, &back, &pe) != ERR_OK || back.count != r->map->count)
        abort();
    for (uint32_t i = 0; i < back.count; i++)
        if (back.entry[i].base != r->map->entry[i].base ||
            back.entry[i].length != r->map->entry[i].length ||
            back.entry[i].type != r->map->entry[i].type)
            abort();
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct e820_input in;
    static struct e820_entry sane[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / sizeof(uint64_t) + 1];
    static const enum parse_form forms[] = { PARSE_FORM_FIXTURE, PARSE_FORM_DMESG,
                                             PARSE_FORM_SEABIOS, PARSE_FORM_EFI_DMESG,
                                             PARSE_FORM_EFI_SHELL };
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    enum parse_form detected = parse_detect(text);
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        struct parse_error pe = { 0 };
        if (parse_text(forms[k], text, &in, &pe) != ERR_OK) {
            if (pe.msg[0] == '\0')
                abort(); /* every failure explains itself */
            continue;
        }
        struct memmap map;
        struct memmap_report rep;
        memmap_init(&map, sane, MEMMAP_MAX);
        if (memmap_sanitize(&map, in.entry, in.size, in.count, scratch, sizeof scratch,
                            &rep) != ERR_OK)
            abort(); /* any table a reader accepts fits the sanitizer */
        struct e820_result r = { "fuzz", detected, in.count, &map, &rep, 0,
                                 in.efi ? &in.efi_report : NULL };
        check_round_trip(&r);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            output_table(null, &r);
            output_json(null, &r);
            fclose(null);
        }
    }
    free(text);
    return 0;
}
