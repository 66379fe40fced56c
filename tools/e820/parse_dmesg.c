/* parse_dmesg.c: Linux's boot-time E820 printout, from dmesg, journalctl or a syslog file:
 *   BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable     (2.6.39+, inclusive end)
 *   BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)           (older, exclusive end)
 * Whatever precedes `BIOS-e820:` on a line (timestamps, `kernel:`, syslog host fields) is
 * ignored, and so is every line without it. */
#include "lex.h"

/* Linux's e820_print_type names. Types it prints as numbers are handled in name_to_type. */
static const struct {
    const char *name;
    uint32_t type;
} names[] = {
    { "usable", E820_TYPE_RAM },
    { "reserved", E820_TYPE_RESERVED },
    { "ACPI data", E820_TYPE_ACPI },
    { "ACPI NVS", E820_TYPE_NVS },
    { "unusable", E820_TYPE_UNUSABLE },
    { "soft reserved", E820_TYPE_SOFT_RESERVED },
};

/* `N)` possibly followed by blanks: the tail of "persistent (type N)". */
static bool number_then(struct lex_line *t, uint64_t *v, const char *closer)
{
    if (lex_number(t, v, closer) != LEX_NUM_OK || *v > UINT32_MAX)
        return false;
    if (*closer && !lex_accept(t, closer))
        return false;
    lex_skip_space(t);
    return lex_at_end(t);
}

/* The type name at [s, e): a known name, `type N` (Linux's default), `unknown-N`,
 * `persistent (type N)` (types 7 and 12). The old form wraps the name in parentheses. */
static bool name_to_type(const char *s, const char *e, uint32_t *type)
{
    if (e - s >= 2 && *s == '(' && e[-1] == ')') {
        s++;
        e--;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (lex_equal_nocase(s, e, names[i].name)) {
            *type = names[i].type;
            return true;
        }
    struct lex_line t = { .p = s, .end = e };
    uint64_t v;
    if ((lex_accept(&t, "type ") && number_then(&t, &v, "")) ||
        (t.p = s, lex_accept(&t, "unknown-") && number_then(&t, &v, "")) ||
        (t.p = s, lex_accept(&t, "persistent (type ") && number_then(&t, &v, ")"))) {
        *type = (uint32_t)v;
        return true;
    }
    return false;
}

/* `[mem 0xS-0xE]`, inclusive end. */
static err_t read_mem_range(struct lex_line *ln, struct parse_error *err, uint64_t *base,
                            uint64_t *length)
{
    uint64_t s = 0, e = 0;
    char tok[112];
    if (!lex_accept(ln, "[mem "))
        goto bad;
    lex_skip_space(ln);
    if (lex_hex_prefixed(ln, &s, "-") != LEX_NUM_OK || !lex_accept(ln, "-") ||
        lex_hex_prefixed(ln, &e, "]") != LEX_NUM_OK || !lex_accept(ln, "]"))
        goto bad;
    if (e < s)
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "end 0x%llx is below start 0x%llx",
                        (unsigned long long)e, (unsigned long long)s);
    if (!lex_length_inclusive(s, e, length))
        return lex_fail(err, ERR_BAD_FORMAT, ln->number,
                        "range 0x0-0x%llx covers all of the 64-bit space", (unsigned long long)e);
    *base = s;
    return ERR_OK;
bad:
    lex_token(ln, tok, sizeof tok);
    return lex_fail(err, ERR_BAD_FORMAT, ln->number,
                    "malformed range at %s (expected [mem 0xSTART-0xEND])", tok);
}

/* `S - E`, bare hex, exclusive end. */
static err_t read_old_range(struct lex_line *ln, struct parse_error *err, uint64_t *base,
                            uint64_t *length)
{
    uint64_t s = 0, e = 0;
    char tok[112];
    enum lex_num r = lex_hex_digits(ln, &s, NULL);
    if (r == LEX_NUM_OK) {
        lex_skip_space(ln);
        if (!lex_accept(ln, "-"))
            goto bad;
        lex_skip_space(ln);
        r = lex_hex_digits(ln, &e, "(");
    }
    if (r == LEX_NUM_OVERFLOW) {
        lex_token(ln, tok, sizeof tok);
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "address %s does not fit in 64 bits",
                        tok);
    }
    if (r != LEX_NUM_OK)
        goto bad;
    if (!lex_length_exclusive(s, e, length))
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "end %llx is below start %llx",
                        (unsigned long long)e, (unsigned long long)s);
    *base = s;
    return ERR_OK;
bad:
    lex_token(ln, tok, sizeof tok);
    return lex_fail(err, ERR_BAD_FORMAT, ln->number,
                    "malformed range at %s (expected [mem 0xSTART-0xEND] or START - END)", tok);
}

static err_t parse_line(struct lex_line *ln, struct e820_input *out, struct parse_error *err)
{
    uint64_t base = 0, length = 0;
    const char *s, *e;
    uint32_t type = 0;

    lex_skip_space(ln);
    err_t r = (*ln->p == '[') ? read_mem_range(ln, err, &base, &length)
                              : read_old_range(ln, err, &base, &length);
    if (r != ERR_OK)
        return r;
    lex_rest(ln, &s, &e);
    if (s == e)
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "missing type after the range");
    if (!name_to_type(s, e, &type))
        return lex_fail(err, ERR_BAD_FORMAT, ln->number, "unknown type name '%.*s'",
                        (int)(e - s > 40 ? 40 : e - s), s);
    return lex_push(out, err, ln->number, base, length, type, 0, 20);
}

err_t parse_dmesg(const char *text, struct e820_input *out, struct parse_error *err)
{
    struct lex_line ln = { .number = 0 };
    bool seen = false;

    out->count = 0;
    if (err)
        *err = (struct parse_error){ 0 };
    while (lex_next_line(&text, &ln)) {
        /* A syslog file may hold several boots; each starts its table with this header, and
         * the last boot's table is the one that describes the machine now. */
        if (lex_find(&ln, "BIOS-provided physical RAM map:")) {
            out->count = 0;
            continue;
        }
        const char *tag = lex_find(&ln, "BIOS-e820:");
        if (!tag)
            continue;
        ln.p = tag + 10;
        seen = true;
        err_t e = parse_line(&ln, out, err);
        if (e != ERR_OK)
            return e;
    }
    if (!seen)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "no 'BIOS-e820:' lines found");
    return ERR_OK;
}
