/* parse_efi_shell.c: the UEFI Shell's `memmap` command, as a serial capture or a file saved
 * with `memmap > fs0:\memmap.txt` holds it. The forms, from EDK2's ShellPkg
 * (UefiShellDebug1CommandsLib/MemMap.c and its .uni strings) and the EFI 1.x shell of the
 * EDK (memmap/memmap.c, Library/Misc.c):
 *   Type       Start            End              # Pages          Attributes
 *   BS_Code    0000000000000000-0000000000000FFF 0000000000000001 000000000000000F
 *   7000000A   0000000000100000-00000000001FFFFF 0000000000000100 000000000000000F
 *   MemoryMap,"BootServiceCode","0","FFF","1","F"                       (memmap -sfo)
 *   available  0000000000000000-000000000008EFFF  000000000000008F 000000000000000F   (1.x)
 * EDK2 prints short names where it has them (BS_Code, RT_Data, ACPI_Recl, MMIO_Port, ...),
 * full ones otherwise and in -sfo (BootServiceCode, MemoryMappedIO, ...), and OEM/OS types as
 * 8 hex digits (not at all in -sfo). EFI 1.x shells print lower-case names (available,
 * BS_data, ACPI_recl, MemMapIO, MemPortIO, PAL_code). The end is inclusive; the page count
 * is the descriptor's own, and the end must agree with it (modulo 2^64, as printed). */
#include "lex.h"

static const struct {
    const char *name;
    uint32_t type;
} names[] = {
    /* EDK2's table, short names where it has them (compared without case, which also takes
     * EFI 1.x's reserved, BS_code, BS_data, RT_code, RT_data, available, ACPI_recl) */
    { "Reserved", EFI_RESERVED_MEMORY_TYPE },
    { "LoaderCode", EFI_LOADER_CODE },
    { "LoaderData", EFI_LOADER_DATA },
    { "BS_Code", EFI_BOOT_SERVICES_CODE },
    { "BS_Data", EFI_BOOT_SERVICES_DATA },
    { "RT_Code", EFI_RUNTIME_SERVICES_CODE },
    { "RT_Data", EFI_RUNTIME_SERVICES_DATA },
    { "Available", EFI_CONVENTIONAL_MEMORY },
    { "Unusable", EFI_UNUSABLE_MEMORY },
    { "ACPI_Recl", EFI_ACPI_RECLAIM_MEMORY },
    { "ACPI_NVS", EFI_ACPI_MEMORY_NVS },
    { "MMIO", EFI_MEMORY_MAPPED_IO },
    { "MMIO_Port", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
    { "PalCode", EFI_PAL_CODE },
    { "Persistent", EFI_PERSISTENT_MEMORY },
    { "Unaccepted", EFI_UNACCEPTED_MEMORY },
    /* EDK2's full names (-sfo) */
    { "BootServiceCode", EFI_BOOT_SERVICES_CODE },
    { "BootServiceData", EFI_BOOT_SERVICES_DATA },
    { "RuntimeCode", EFI_RUNTIME_SERVICES_CODE },
    { "RuntimeData", EFI_RUNTIME_SERVICES_DATA },
    { "UnusableMemory", EFI_UNUSABLE_MEMORY },
    { "ACPIReclaimMemory", EFI_ACPI_RECLAIM_MEMORY },
    { "ACPIMemoryNVS", EFI_ACPI_MEMORY_NVS },
    { "MemoryMappedIO", EFI_MEMORY_MAPPED_IO },
    { "MemoryMappedIOPortSpace", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
    /* EFI 1.x's own words; its name for any type past PAL code is "Unkown-Desc-Type" (sic),
     * which loses the number: read as 0xffffffff, a type no spec defines (so: reserved) */
    { "MemMapIO", EFI_MEMORY_MAPPED_IO },
    { "MemPortIO", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
    { "PAL_code", EFI_PAL_CODE },
    { "Unkown-Desc-Type", 0xffffffffu },
};

/* A whitespace-separated word of a line. */
struct word {
    const char *s, *e;
};

#define MAX_WORDS 12u

static uint32_t split_words(const struct lex_line *ln, struct word *w)
{
    uint32_t n = 0;
    for (const char *p = ln->p; p < ln->end && n < MAX_WORDS;) {
        while (p < ln->end && lex_is_space(*p))
            p++;
        if (p >= ln->end)
            break;
        w[n].s = p;
        while (p < ln->end && !lex_is_space(*p))
            p++;
        w[n++].e = p;
    }
    return n;
}

/* 1 to 16 hex digits, nothing else. */
static bool hex_word(const char *s, const char *e, uint64_t *v)
{
    if (e - s < 1 || e - s > 16)
        return false;
    uint64_t x = 0;
    for (; s < e; s++) {
        int d = lex_hex_digit(*s);
        if (d < 0)
            return false;
        x = (x << 4) | (uint64_t)d;
    }
    *v = x;
    return true;
}

/* A type word: a name, or EDK2's 8 hex digits for an OEM/OS type. */
static bool type_word(const char *s, const char *e, uint32_t *type)
{
    uint64_t v;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (lex_equal_nocase(s, e, names[i].name)) {
            *type = names[i].type;
            return true;
        }
    if (e - s == 8 && hex_word(s, e, &v)) {
        *type = (uint32_t)v;
        return true;
    }
    return false;
}

/* The table line's fields: a word START-END followed by PAGES and ATTR; the word before it
 * is the type. Words before that (a serial logger's timestamp) are not looked at. */
struct fields {
    struct word type;
    uint64_t start, end, pages, attr;
    uint32_t after; /* words after ATTR */
};

static bool table_fields(const struct lex_line *ln, struct fields *f)
{
    struct word w[MAX_WORDS];
    uint32_t n = split_words(ln, w);
    for (uint32_t k = 1; k + 2 < n; k++) {
        const char *dash = w[k].s;
        while (dash < w[k].e && *dash != '-')
            dash++;
        if (dash == w[k].e || !hex_word(w[k].s, dash, &f->start) ||
            !hex_word(dash + 1, w[k].e, &f->end) || !hex_word(w[k + 1].s, w[k + 1].e, &f->pages) ||
            !hex_word(w[k + 2].s, w[k + 2].e, &f->attr))
            continue;
        f->type = w[k - 1];
        f->after = n - (k + 3);
        return true;
    }
    return false;
}

/* `MemoryMap,"NAME","START","END","PAGES","ATTR"` of memmap -sfo. */
static bool sfo_fields(const struct lex_line *ln, struct fields *f, bool *shaped)
{
    struct lex_line t = *ln;
    const char *h = lex_find(&t, "MemoryMap,\"");
    *shaped = h != NULL;
    if (!h)
        return false;
    t.p = h + 11;
    uint64_t *v[4] = { &f->start, &f->end, &f->pages, &f->attr };
    f->type.s = t.p;
    while (t.p < t.end && *t.p != '"')
        t.p++;
    f->type.e = t.p;
    for (int i = 0; i < 4; i++) {
        if (!lex_accept(&t, "\",\""))
            return false;
        const char *s = t.p;
        while (t.p < t.end && *t.p != '"')
            t.p++;
        if (!hex_word(s, t.p, v[i]))
            return false;
    }
    if (!lex_accept(&t, "\""))
        return false;
    lex_skip_space(&t);
    f->after = lex_at_end(&t) ? 0 : 1;
    return true;
}

bool parse_efi_shell_is_entry(const struct lex_line *ln)
{
    struct fields f;
    uint32_t type;
    bool shaped;
    return (table_fields(ln, &f) && type_word(f.type.s, f.type.e, &type)) ||
           sfo_fields(ln, &f, &shaped);
}

/* The table's header, or -sfo's: a new table starts (the last one in the input wins). */
static bool is_header(const struct lex_line *ln)
{
    struct lex_line t = *ln;
    const char *h = lex_find(&t, "Type");
    if (h) {
        t.p = h;
        if (lex_find(&t, "Start") && lex_find(&t, "End") && lex_find(&t, "Attributes"))
            return true;
    }
    t = *ln;
    return lex_find(&t, "ShellCommand,\"memmap\"") != NULL;
}

static err_t entry(const struct lex_line *ln, const struct fields *f, struct efi_input *out,
                   struct parse_error *err)
{
    uint32_t type;
    if (!type_word(f->type.s, f->type.e, &type))
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "unknown memory type '%.*s'",
                        (int)(f->type.e - f->type.s > 40 ? 40 : f->type.e - f->type.s),
                        f->type.s);
    if (f->after)
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "unexpected text after the "
                        "attributes");
    /* The shell prints Start + Pages * 4096 - 1 in 64 bits: check, modulo 2^64. */
    if (f->end != f->start + (f->pages << EFI_PAGE_SHIFT) - 1u)
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "end %016llX does not match start "
                        "%016llX and %llu pages", (unsigned long long)f->end,
                        (unsigned long long)f->start, (unsigned long long)f->pages);
    if (out->count >= MEMMAP_RAW_MAX)
        return lex_fail(err, ERR_CAPACITY, ln->number, "more than %u descriptors (the raw "
                        "table capacity); refusing to drop any", MEMMAP_RAW_MAX);
    out->desc[out->count++] = (struct efi_memory_descriptor){
        .type = type, .physical_start = f->start, .number_of_pages = f->pages,
        .attribute = f->attr };
    return ERR_OK;
}

err_t parse_efi_shell(const char *text, struct efi_input *out, struct parse_error *err)
{
    struct lex_line ln = { .number = 0 };
    bool seen = false;

    out->count = 0;
    if (err)
        *err = (struct parse_error){ 0 };
    while (lex_next_line(&text, &ln)) {
        struct fields f;
        uint32_t type;
        bool shaped;
        if (is_header(&ln)) {
            out->count = 0;
            continue;
        }
        if (sfo_fields(&ln, &f, &shaped) || table_fields(&ln, &f)) {
            /* A line of the table's shape must carry a known type: START-END followed by two
             * hex words is too specific to be anything but a memmap line. */
            err_t e = entry(&ln, &f, out, err);
            if (e != ERR_OK)
                return e;
            seen = true;
            continue;
        }
        if (shaped)
            return lex_fail(err, ERR_BAD_FORMAT, ln.number, "malformed memmap -sfo line "
                            "(expected MemoryMap,\"TYPE\",\"START\",\"END\",\"PAGES\",\"ATTR\")");
        /* A type name opening a line that is not a table line: a summary line ("Available :
         * 22,674 Pages") is fine, anything else is a broken entry. */
        struct word w[MAX_WORDS];
        uint32_t n = split_words(&ln, w);
        if (n >= 2 && type_word(w[0].s, w[0].e, &type) && *w[1].s != ':' &&
            hex_word(w[1].s, w[1].s + 1, &(uint64_t){ 0 }))
            return lex_fail(err, ERR_BAD_FORMAT, ln.number, "malformed memmap line (expected "
                            "TYPE START-END PAGES ATTRIBUTES)");
    }
    if (!seen)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "no memmap table lines found");
    return ERR_OK;
}
