/* parse_efi_dmesg.c: the UEFI memory map Linux prints at boot (always up to 3.18, with
 * efi=debug since), in every form it has had. Checked against Linux's printing code (the
 * 2.6 print_efi_memmap of arch/i386 and arch/x86, 3.18's arch/x86/platform/efi/efi.c,
 * 5.10.13's efi_print_memmap and efi_memmap_entry_valid, efi_md_typeattr_format in
 * drivers/firmware/efi/efi.c of 5.x and 6.x with the patches that renamed the types and
 * added flags) and against real logs of 2.6.17, 3.16, 4.0 and 5.3 (tests/fixtures/efi):
 *   efi: mem00: type=7, attr=0xf, range=[0x0000000000000000-0x000000000008f000) (0MB)
 *       numeric, end exclusive: 2.6 (as "EFI: mem00" on x86-64, a bare "mem00" on i386) to
 *       3.18;
 *   efi: mem00: [Conventional Memory|   |  |  |  |   |WB|WT|WC|UC] range=[...-...) (0MB)
 *       flags, end exclusive: 3.19 to 4.x;
 *   efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[...-...]
 *       flags, end inclusive: the current form.
 * The flag columns came and went (NV, MR, RO in 4.x, SP in 5.5, then CC, then HP in 6.x;
 * "CR" in a posted variant), so flags are read by name, not by column. Type names were long
 * until the CC change of 5.x ("ACPI Memory NVS", "Memory Mapped I/O") and short since
 * ("ACPI Mem NVS", "MMIO");
 * unknown types print as "[type=N", unknown attribute bits as "|attr=0x...]". Since 4.9,
 * descriptors Linux drops (zero pages, an end past 2^64) are printed once, before the list,
 * with " (invalid)" and an end of up to 32 hex digits.
 * The end is printed modulo 2^64, and the size in MiB is NumberOfPages >> 8, so together
 * they give NumberOfPages exactly, even when the end wrapped. */
#include "lex.h"

/* The long names of 3.19 to 5.x; the current short ones come from efi_memmap_type_name. */
static const struct {
    const char *name;
    uint32_t type;
} long_names[] = {
    { "Conventional Memory", EFI_CONVENTIONAL_MEMORY },
    { "Unusable Memory", EFI_UNUSABLE_MEMORY },
    { "ACPI Reclaim Memory", EFI_ACPI_RECLAIM_MEMORY },
    { "ACPI Memory NVS", EFI_ACPI_MEMORY_NVS },
    { "Memory Mapped I/O", EFI_MEMORY_MAPPED_IO },
    { "MMIO Port Space", EFI_MEMORY_MAPPED_IO_PORT_SPACE },
    { "Persistent Memory", EFI_PERSISTENT_MEMORY },
};

static bool name_to_type(const char *s, const char *e, uint32_t *type)
{
    for (size_t i = 0; i < sizeof long_names / sizeof long_names[0]; i++)
        if (lex_equal_nocase(s, e, long_names[i].name)) {
            *type = long_names[i].type;
            return true;
        }
    for (uint32_t t = 0; t < EFI_MEMORY_TYPE_COUNT; t++)
        if (lex_equal_nocase(s, e, efi_memmap_type_name(t))) {
            *type = t;
            return true;
        }
    return false;
}

static bool flag_to_bit(const char *s, const char *e, uint64_t *bit)
{
    for (uint32_t i = 0; i < EFI_MEMMAP_FLAG_COUNT; i++)
        if (lex_equal_nocase(s, e, efi_memmap_flags[i].name)) {
            *bit = efi_memmap_flags[i].bit;
            return true;
        }
    if (lex_equal_nocase(s, e, "CR")) { /* EFI_MEMORY_CPU_CRYPTO as a posted patch named it */
        *bit = EFI_MEMORY_CPU_CRYPTO;
        return true;
    }
    return false;
}

static bool is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* `memNN:` as a word of its own, followed somewhere by `range=[`: the cursor moves past the
 * colon and *index gets NN. */
static bool find_tag(struct lex_line *ln, uint64_t *index)
{
    struct lex_line t = *ln;
    const char *h;
    while ((h = lex_find(&t, "mem")) != NULL) {
        t.p = h + 3;
        if ((h == ln->p || !is_word_char(h[-1])) && t.p + 2 <= t.end && t.p[0] >= '0' &&
            t.p[0] <= '9' && t.p[1] >= '0' && t.p[1] <= '9' &&
            lex_number(&t, index, ":") == LEX_NUM_OK && lex_accept(&t, ":") &&
            lex_find(&t, "range=[")) {
            ln->p = t.p;
            return true;
        }
        t.p = h + 1;
    }
    return false;
}

bool parse_efi_dmesg_is_entry(const struct lex_line *ln)
{
    struct lex_line t = *ln;
    uint64_t index;
    return find_tag(&t, &index);
}

static err_t fail_at(const struct lex_line *ln, struct parse_error *err, const char *what)
{
    char tok[112];
    lex_token(ln, tok, sizeof tok);
    return lex_fail(err, ERR_BAD_FORMAT, ln->number, "malformed EFI map entry at %s (%s)", tok,
                    what);
}

/* `type=N, attr=0xA,` of the numeric form. */
static err_t read_numeric(struct lex_line *ln, struct parse_error *err,
                          struct efi_memory_descriptor *d)
{
    uint64_t type = 0;
    if (lex_number(ln, &type, ",") != LEX_NUM_OK || type > UINT32_MAX || !lex_accept(ln, ","))
        return fail_at(ln, err, "expected type=N,");
    lex_skip_space(ln);
    if (!lex_accept(ln, "attr=") || lex_hex_prefixed(ln, &d->attribute, ",") != LEX_NUM_OK ||
        !lex_accept(ln, ","))
        return fail_at(ln, err, "expected attr=0xHEX,");
    d->type = (uint32_t)type;
    return ERR_OK;
}

/* `[NAME|flag|flag...]` or `[type=N|...]` or `[NAME|attr=0xA]` of the flag forms; the
 * cursor is past the '['. */
static err_t read_flags(struct lex_line *ln, struct parse_error *err,
                        struct efi_memory_descriptor *d)
{
    uint64_t v;
    const char *s = ln->p;
    if (lex_accept(ln, "type=")) {
        if (lex_number(ln, &v, "|]") != LEX_NUM_OK || v > UINT32_MAX)
            return fail_at(ln, err, "expected a type number");
        d->type = (uint32_t)v;
    } else {
        while (ln->p < ln->end && *ln->p != '|' && *ln->p != ']')
            ln->p++;
        const char *e = ln->p;
        while (s < e && lex_is_space(*s))
            s++;
        while (e > s && lex_is_space(e[-1]))
            e--;
        if (!name_to_type(s, e, &d->type))
            return lex_fail(err, ERR_BAD_FORMAT, ln->number, "unknown EFI memory type name "
                            "'%.*s'", (int)(e - s > 40 ? 40 : e - s), s);
    }
    d->attribute = 0;
    while (lex_accept(ln, "|")) {
        lex_skip_space(ln);
        if (lex_accept(ln, "attr=")) {
            if (lex_hex_prefixed(ln, &v, "]") != LEX_NUM_OK || !lex_accept(ln, "]"))
                return fail_at(ln, err, "expected attr=0xHEX]");
            d->attribute = v;
            return ERR_OK;
        }
        const char *f = ln->p;
        while (ln->p < ln->end && *ln->p != '|' && *ln->p != ']')
            ln->p++;
        const char *fe = ln->p;
        while (fe > f && lex_is_space(fe[-1]))
            fe--;
        if (fe == f)
            continue; /* an empty column: the flag is clear */
        if (!flag_to_bit(f, fe, &v))
            return lex_fail(err, ERR_BAD_FORMAT, ln->number, "unknown EFI attribute flag "
                            "'%.*s'", (int)(fe - f > 16 ? 16 : fe - f), f);
        d->attribute |= v;
    }
    if (!lex_accept(ln, "]"))
        return fail_at(ln, err, "expected | or ]");
    return ERR_OK;
}

/* Up to 32 hex digits after `0x` into hi:lo (an "(invalid)" end can pass 2^64). */
static bool read_wide_hex(struct lex_line *ln, uint64_t *hi, uint64_t *lo)
{
    if (!lex_accept(ln, "0x"))
        return false;
    unsigned n = 0;
    int d;
    *hi = *lo = 0;
    while (ln->p < ln->end && (d = lex_hex_digit(*ln->p)) >= 0) {
        if (++n > 32)
            return false;
        *hi = (*hi << 4) | (*lo >> 60);
        *lo = (*lo << 4) | (uint64_t)d;
        ln->p++;
    }
    return n > 0;
}

/* The range and its tail: `range=[0xS-0xE)` or `...]`, then `(NMB)` and ` (invalid)`. */
struct range {
    uint64_t start, end_hi, end;
    bool inclusive, have_mb, invalid;
    uint64_t mb;
};

static err_t read_range(struct lex_line *ln, struct parse_error *err, struct range *r)
{
    uint64_t hi;
    lex_skip_space(ln);
    *r = (struct range){ 0 };
    if (!lex_accept(ln, "range=[") || !read_wide_hex(ln, &hi, &r->start) || hi != 0 ||
        !lex_accept(ln, "-") || !read_wide_hex(ln, &r->end_hi, &r->end))
        return fail_at(ln, err, "expected range=[0xSTART-0xEND]");
    if (lex_accept(ln, "]"))
        r->inclusive = true;
    else if (!lex_accept(ln, ")"))
        return fail_at(ln, err, "expected ) or ] after the range");
    lex_skip_space(ln);
    struct lex_line t = *ln;
    if (lex_accept(&t, "(") && lex_number(&t, &r->mb, "M") == LEX_NUM_OK &&
        lex_accept(&t, "MB)")) {
        r->have_mb = true;
        *ln = t;
        lex_skip_space(ln);
    }
    r->invalid = lex_accept(ln, "(invalid)");
    return ERR_OK;
}

/* NumberOfPages from the range: its length modulo 2^64 gives the low 52 bits, the size in
 * MiB the bits from 8 up. A line whose two do not agree did not come from Linux. */
static err_t pages_of(const struct range *r, unsigned line, struct parse_error *err,
                      uint64_t *pages)
{
    if (r->invalid) {
        /* Linux prints an end of 0 for zero pages, and start + size - 1 in 128 bits (where
         * it noticed the carry) for an end past 2^64. */
        if (r->end_hi == 0 && r->end == 0) {
            *pages = 0;
            return ERR_OK;
        }
        unsigned __int128 end = ((unsigned __int128)r->end_hi << 64) | r->end;
        if (r->end_hi == 0 && r->end < r->start)
            end += (unsigned __int128)1 << 64; /* the carry Linux missed */
        unsigned __int128 n = (end + 1 - r->start) >> EFI_PAGE_SHIFT;
        *pages = n > UINT64_MAX ? UINT64_MAX : (uint64_t)n;
        return ERR_OK;
    }
    if (r->end_hi != 0)
        return lex_fail(err, ERR_BAD_FORMAT, line, "end 0x%llx%016llx does not fit in 64 bits",
                        (unsigned long long)r->end_hi, (unsigned long long)r->end);
    uint64_t bytes = r->end - r->start + (r->inclusive ? 1u : 0u);
    if (bytes & (EFI_PAGE_SIZE - 1u))
        return lex_fail(err, ERR_BAD_FORMAT, line, "range 0x%llx-0x%llx is not a whole number "
                        "of 4 KiB pages", (unsigned long long)r->start,
                        (unsigned long long)r->end);
    uint64_t low = bytes >> EFI_PAGE_SHIFT; /* NumberOfPages modulo 2^52 */
    if (!r->have_mb) {
        *pages = low;
        return ERR_OK;
    }
    uint64_t full = (r->mb << 8) | (low & 0xffu);
    if (r->mb >> 56 || (full & ((1ull << 52) - 1u)) != low)
        return lex_fail(err, ERR_BAD_FORMAT, line, "size (%lluMB) does not match range "
                        "0x%llx-0x%llx", (unsigned long long)r->mb,
                        (unsigned long long)r->start, (unsigned long long)r->end);
    *pages = full;
    return ERR_OK;
}

/* One entry line, the cursor past `memNN:`. */
static err_t parse_entry(struct lex_line *ln, struct parse_error *err,
                         struct efi_memory_descriptor *d, bool *invalid)
{
    struct range r = { 0 };
    err_t e;
    *d = (struct efi_memory_descriptor){ 0 };
    lex_skip_space(ln);
    if (lex_accept(ln, "type="))
        e = read_numeric(ln, err, d);
    else if (lex_accept(ln, "["))
        e = read_flags(ln, err, d);
    else
        e = fail_at(ln, err, "expected type=N or [");
    if (e == ERR_OK)
        e = read_range(ln, err, &r);
    if (e == ERR_OK)
        e = pages_of(&r, ln->number, err, &d->number_of_pages);
    d->physical_start = r.start;
    *invalid = r.invalid;
    return e;
}

err_t parse_efi_dmesg(const char *text, struct efi_input *out, struct parse_error *err)
{
    struct lex_line ln = { .number = 0 };
    uint32_t listed = 0; /* entries of the current table's list (not "(invalid)" ones) */
    bool seen = false;

    out->count = 0;
    if (err)
        *err = (struct parse_error){ 0 };
    while (lex_next_line(&text, &ln)) {
        uint64_t index;
        struct efi_memory_descriptor d;
        bool invalid;
        if (!find_tag(&ln, &index))
            continue;
        seen = true;
        err_t e = parse_entry(&ln, err, &d, &invalid);
        if (e != ERR_OK)
            return e;
        /* A syslog holds one table per boot, and a kernel prints its table again after
         * efi_fake_mem= edits it: a list restarting at mem00 (or the "(invalid)" lines that
         * precede a list) starts a new table, and the last one is the map. */
        if (listed > 0 && (invalid || index == 0)) {
            out->count = 0;
            listed = 0;
        }
        if (!invalid) {
            if (index != listed)
                return lex_fail(err, ERR_BAD_FORMAT, ln.number, "entry mem%02llu where mem%02u "
                                "was expected: lines of the table are missing or repeated",
                                (unsigned long long)index, listed);
            listed++;
        }
        if (out->count >= MEMMAP_RAW_MAX)
            return lex_fail(err, ERR_CAPACITY, ln.number, "more than %u descriptors (the raw "
                            "table capacity); refusing to drop any", MEMMAP_RAW_MAX);
        out->desc[out->count++] = d;
    }
    if (!seen)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "no 'memNN: ... range=[' lines found");
    return ERR_OK;
}
