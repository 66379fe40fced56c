/* parse_detect.c: tell the text input forms apart, and dispatch to their readers. */
#include "lex.h"

/* True if the line is a SeaBIOS table header `e820 map has N items:`. */
static bool is_seabios_header(const struct lex_line *ln)
{
    struct lex_line t = *ln;
    const char *h;
    uint64_t n;
    while ((h = lex_find(&t, "e820 map has ")) != NULL) {
        t.p = h + 13;
        if (lex_number(&t, &n, NULL) == LEX_NUM_OK && lex_accept(&t, " items:"))
            return true;
        t.p = h + 1;
    }
    return false;
}

/* True if the line holds a Linux `BIOS-e820:` entry: followed by `[mem` or by `HEX -`. */
static bool is_dmesg_entry(const struct lex_line *ln)
{
    struct lex_line t = *ln;
    const char *h = lex_find(&t, "BIOS-e820:");
    if (!h)
        return false;
    t.p = h + 10;
    lex_skip_space(&t);
    if (lex_accept(&t, "[mem "))
        return true;
    uint64_t start;
    if (lex_hex_digits(&t, &start, NULL) != LEX_NUM_OK)
        return false;
    lex_skip_space(&t);
    return lex_accept(&t, "-");
}

/* The fixture format is recognised by its first significant line; `#` lines are skipped
 * everywhere, since fixture headers often quote the dmesg or SeaBIOS lines they came from. A
 * SeaBIOS log beats dmesg lines when both occur (a Xen or QEMU serial capture holds both), as
 * the SeaBIOS table is the raw one the bootloader will see. For the same reason Linux's EFI
 * map (efi=debug) beats its E820 lines in one dmesg: on a UEFI machine those are Linux's own
 * conversion of the EFI map, which is what the loader reads. */
enum parse_form parse_detect(const char *text)
{
    struct lex_line ln = { .number = 0 };
    bool first = true, dmesg = false, efi_dmesg = false, efi_shell = false;
    bool only_comments = true;

    while (lex_next_line(&text, &ln)) {
        lex_skip_space(&ln);
        if (lex_at_end(&ln) || *ln.p == '#')
            continue;
        only_comments = false;
        if (first && (lex_accept(&ln, "0x") || lex_accept(&ln, "0X")))
            return PARSE_FORM_FIXTURE;
        first = false;
        if (is_seabios_header(&ln))
            return PARSE_FORM_SEABIOS;
        dmesg = dmesg || is_dmesg_entry(&ln);
        efi_dmesg = efi_dmesg || parse_efi_dmesg_is_entry(&ln);
        efi_shell = efi_shell || parse_efi_shell_is_entry(&ln);
    }
    if (efi_dmesg)
        return PARSE_FORM_EFI_DMESG;
    if (dmesg)
        return PARSE_FORM_DMESG;
    if (efi_shell)
        return PARSE_FORM_EFI_SHELL;
    /* Nothing but comments: an empty fixture, which reads as an empty table. */
    return only_comments ? PARSE_FORM_FIXTURE : PARSE_FORM_UNKNOWN;
}

err_t parse_text(enum parse_form form, const char *text, struct e820_input *out,
                 struct parse_error *err)
{
    out->efi = false;
    switch (form) {
    case PARSE_FORM_FIXTURE:
        return parse_fixture(text, out, err);
    case PARSE_FORM_DMESG:
        return parse_dmesg(text, out, err);
    case PARSE_FORM_SEABIOS:
        return parse_seabios(text, out, err);
    case PARSE_FORM_EFI_DMESG:
    case PARSE_FORM_EFI_SHELL:
        return parse_efi(form, text, out, err);
    default:
        out->count = 0;
        return lex_fail(err, ERR_UNSUPPORTED, 0, "not a text input form");
    }
}

const char *parse_form_name(enum parse_form form)
{
    switch (form) {
    case PARSE_FORM_FIXTURE:
        return "fixture";
    case PARSE_FORM_DMESG:
        return "dmesg";
    case PARSE_FORM_SEABIOS:
        return "seabios";
    case PARSE_FORM_SYSFS:
        return "sysfs";
    case PARSE_FORM_EFI_DMESG:
        return "efi-dmesg";
    case PARSE_FORM_EFI_SHELL:
        return "efi-shell";
    default:
        return "unknown";
    }
}
