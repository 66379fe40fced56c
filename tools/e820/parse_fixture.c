/* parse_fixture.c: the project's fixture format, `0xBASE 0xLENGTH TYPE [ATTR]` a line. */
#include "lex.h"

static const char *const field_name[4] = { "base", "length", "type", "attributes" };

/* Why a number failed, in words for the message. */
static const char *num_problem(enum lex_num r, int field)
{
    if (r == LEX_NUM_OVERFLOW)
        return field < 2 ? "does not fit in 64 bits" : "does not fit in 32 bits";
    if (field < 2)
        return "is not a 0x-prefixed hex number";
    return "is not a decimal or 0x-prefixed hex number";
}

/* Cut a trailing `#` comment off the line. */
static void strip_comment(struct lex_line *ln)
{
    for (const char *q = ln->p; q < ln->end; q++)
        if (*q == '#') {
            ln->end = q;
            return;
        }
}

static err_t parse_line(struct lex_line *ln, struct e820_input *out, struct parse_error *err)
{
    uint64_t v[4] = { 0, 0, 0, 0 };
    int fields = 0;

    for (;;) {
        lex_skip_space(ln);
        if (lex_at_end(ln))
            break;
        if (fields == 4) {
            char tok[112];
            lex_token(ln, tok, sizeof tok);
            return lex_fail(err, ERR_BAD_FORMAT, ln->number,
                            "unexpected %s after the attributes (expected at most 4 fields: "
                            "0xBASE 0xLENGTH TYPE [ATTR])", tok);
        }
        const char *start = ln->p;
        enum lex_num r = fields < 2 ? lex_hex_prefixed(ln, &v[fields], NULL)
                                    : lex_number(ln, &v[fields], NULL);
        if (r == LEX_NUM_OK && fields >= 2 && v[fields] > UINT32_MAX)
            r = LEX_NUM_OVERFLOW;
        if (r != LEX_NUM_OK) {
            char tok[112];
            ln->p = start;
            lex_token(ln, tok, sizeof tok);
            return lex_fail(err, ERR_BAD_FORMAT, ln->number, "%s %s %s", field_name[fields],
                            tok, num_problem(r, fields));
        }
        fields++;
    }
    if (fields < 3)
        return lex_fail(err, ERR_BAD_FORMAT, ln->number,
                        "missing %s (expected 0xBASE 0xLENGTH TYPE [ATTR])",
                        field_name[fields]);
    /* Attributes present means the BIOS returned the ACPI 3.0 24-byte form. */
    return lex_push(out, err, ln->number, v[0], v[1], (uint32_t)v[2], (uint32_t)v[3],
                    fields == 4 ? 24 : 20);
}

err_t parse_fixture(const char *text, struct e820_input *out, struct parse_error *err)
{
    struct lex_line ln = { .number = 0 };

    out->count = 0;
    if (err)
        *err = (struct parse_error){ 0 };
    while (lex_next_line(&text, &ln)) {
        strip_comment(&ln);
        lex_skip_space(&ln);
        if (lex_at_end(&ln))
            continue;
        err_t e = parse_line(&ln, out, err);
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}
