/* fuzz_efi_readers.c: libFuzzer harness for the UEFI readers of build/e820 (Linux efi=debug
 * lines, UEFI Shell memmap). Any text either fails with a message naming what is wrong, or
 * gives descriptors that convert and sanitize; and the descriptors the dmesg reader found,
 * printed again in the core's Linux format, read back to exactly the same descriptors. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/e820/parse.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The descriptors printed one a line, as a loader's serial log would, and read back. */
static void check_round_trip(const struct efi_input *in)
{
    static struct efi_input back;
    struct parse_error pe;
    size_t cap = (size_t)in->count * 200 + 1, len = 0;
    char *text = malloc(cap);
    if (!text)
        return;
    text[0] = '\0';
    for (uint32_t i = 0; i < in->count; i++) {
        len += (size_t)efi_memmap_format(&in->desc[i], i, text + len, cap - len);
        text[len++] = '\n';
        text[len] = '\0';
    }
    if (in->count == 0) {
        free(text);
        return;
    }
    CHECK(parse_efi_dmesg(text, &back, &pe) == ERR_OK);
    CHECK(back.count == in->count);
    for (uint32_t i = 0; i < in->count; i++)
        CHECK(back.desc[i].type == in->desc[i].type &&
              back.desc[i].physical_start == in->desc[i].physical_start &&
              back.desc[i].number_of_pages == in->desc[i].number_of_pages &&
              back.desc[i].attribute == in->desc[i].attribute);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct efi_input in;
    static struct e820_input out;
    static struct e820_entry sane[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8 + 1];
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct parse_error pe = { 0 };
    if (parse_efi_dmesg(text, &in, &pe) == ERR_OK)
        check_round_trip(&in);
    else
        CHECK(pe.msg[0] != '\0');
    memset(&pe, 0, sizeof pe);
    if (parse_efi_shell(text, &in, &pe) != ERR_OK)
        CHECK(pe.msg[0] != '\0');

    static const enum parse_form forms[] = { PARSE_FORM_EFI_DMESG, PARSE_FORM_EFI_SHELL };
    for (size_t k = 0; k < 2; k++) {
        memset(&pe, 0, sizeof pe);
        if (parse_text(forms[k], text, &out, &pe) != ERR_OK) {
            CHECK(pe.msg[0] != '\0');
            continue;
        }
        CHECK(out.efi && out.count <= out.efi_report.descriptors);
        struct memmap map;
        memmap_init(&map, sane, MEMMAP_MAX);
        CHECK(memmap_sanitize(&map, out.entry, out.size, out.count, scratch, sizeof scratch,
                              NULL) == ERR_OK);
    }
    (void)parse_detect(text);
    free(text);
    return 0;
}
