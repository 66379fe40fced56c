/* parse_efi.c: the UEFI input forms end to end: a reader recovers the descriptors, then the
 * core converts them exactly as a UEFI loader converts the array GetMemoryMap() returned. */
#include <stdlib.h>

#include "lex.h"

err_t parse_efi(enum parse_form form, const char *text, struct e820_input *out,
                struct parse_error *err)
{
    struct efi_input *in = malloc(sizeof *in);
    struct efi_memmap m;
    err_t e;

    out->count = 0;
    out->efi = true;
    out->efi_report = (struct efi_memmap_report){ 0 };
    if (!in)
        return lex_fail(err, ERR_IO, 0, "out of memory reading the input");
    if (form == PARSE_FORM_EFI_DMESG)
        e = parse_efi_dmesg(text, in, err);
    else if (form == PARSE_FORM_EFI_SHELL)
        e = parse_efi_shell(text, in, err);
    else
        e = lex_fail(err, ERR_UNSUPPORTED, 0, "not a UEFI input form");
    /* The readers hand over version-1 descriptors laid out as the firmware lays them out. */
    if (e == ERR_OK)
        e = efi_memmap_init(&m, in->desc, (size_t)in->count * sizeof in->desc[0],
                            sizeof in->desc[0], EFI_MEMORY_DESCRIPTOR_VERSION);
    if (e == ERR_OK &&
        (e = efi_memmap_to_e820(&m, out->entry, MEMMAP_RAW_MAX, &out->count,
                                &out->efi_report)) != ERR_OK)
        lex_fail(err, e, 0, "converting the EFI map failed: %s", err_str(e));
    for (uint32_t i = 0; i < out->count; i++)
        out->size[i] = 20; /* no ACPI 3.0 attributes */
    free(in);
    return e;
}
