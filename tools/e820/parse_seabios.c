/* parse_seabios.c: the E820 table in a SeaBIOS debug log (port 0x402 / serial capture):
 *   e820 map has 9 items:
 *     0: 0000000000000000 - 000000000009fc00 = 1 RAM
 * Exclusive ends; everything else SeaBIOS prints is skipped. SeaBIOS dumps its table each time
 * it changes it during POST, so the last table is the one INT 15h returns at boot. */
#include "lex.h"

/* `e820 map has N items:` at or after the cursor; returns where the header starts. */
static const char *find_header(const struct lex_line *ln, uint64_t *n)
{
    struct lex_line t = *ln;
    const char *h;
    while ((h = lex_find(&t, "e820 map has ")) != NULL) {
        t.p = h + 13;
        if (lex_number(&t, n, NULL) == LEX_NUM_OK && lex_accept(&t, " items:"))
            return h;
        t.p = h + 1;
    }
    return NULL;
}

/* One `  i: START - END = TYPE NAME` line, i == want, of a table of n. False if the line is
 * not an entry line at all (after the last entry: one not numbered n); true with *e set when
 * it is one but malformed or one too many. */
static bool read_entry(struct lex_line *ln, uint64_t want, uint64_t n, unsigned header,
                       struct e820_input *out, struct parse_error *err, err_t *e)
{
    uint64_t idx = 0, s = 0, end = 0, type = 0, length = 0;
    char tok[112];

    lex_skip_space(ln);
    if (lex_number(ln, &idx, ":") != LEX_NUM_OK || !lex_accept(ln, ":"))
        return false;
    lex_skip_space(ln);
    if (want == n) {
        if (idx != n)
            return false;
        *e = lex_fail(err, ERR_BAD_FORMAT, ln->number, "count mismatch: the header on line "
                      "%u announced %llu items, but entry %llu follows", header,
                      (unsigned long long)n, (unsigned long long)n);
        return true;
    }
    if (idx != want) {
        *e = lex_fail(err, ERR_BAD_FORMAT, ln->number, "entry numbered %llu where %llu was "
                      "expected", (unsigned long long)idx, (unsigned long long)want);
        return true;
    }
    enum lex_num r = lex_hex_digits(ln, &s, NULL);
    if (r != LEX_NUM_OK)
        goto bad;
    lex_skip_space(ln);
    if (!lex_accept(ln, "-"))
        goto bad;
    lex_skip_space(ln);
    if ((r = lex_hex_digits(ln, &end, NULL)) != LEX_NUM_OK)
        goto bad;
    lex_skip_space(ln);
    if (!lex_accept(ln, "="))
        goto bad;
    lex_skip_space(ln);
    if ((r = lex_number(ln, &type, NULL)) != LEX_NUM_OK || type > UINT32_MAX)
        goto bad;
    /* The name after the number (RAM, RESERVED, ..., UNKNOWN) is derived from the number, so
     * the number alone decides. */
    if (!lex_length_exclusive(s, end, &length)) {
        *e = lex_fail(err, ERR_BAD_FORMAT, ln->number, "end %016llx is below start %016llx",
                      (unsigned long long)end, (unsigned long long)s);
        return true;
    }
    *e = lex_push(out, err, ln->number, s, length, (uint32_t)type, 0, 20);
    return true;
bad:
    lex_token(ln, tok, sizeof tok);
    *e = lex_fail(err, ERR_BAD_FORMAT, ln->number, "malformed entry %llu at %s%s (expected "
                  "START - END = TYPE NAME)", (unsigned long long)want, tok,
                  r == LEX_NUM_OVERFLOW ? ", number too large" : "");
    return true;
}

err_t parse_seabios(const char *text, struct e820_input *out, struct parse_error *err)
{
    struct lex_line ln = { .number = 0 }, header = { .number = 0 };
    const char *cursor = text, *table = NULL;
    uint64_t n = 0, h_n;

    out->count = 0;
    if (err)
        *err = (struct parse_error){ 0 };
    /* Find the last header first: earlier tables (even broken ones) are history. */
    while (lex_next_line(&cursor, &ln))
        if (find_header(&ln, &h_n)) {
            header = ln;
            table = cursor;
            n = h_n;
        }
    if (!table)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "no 'e820 map has N items:' line found");
    if (n > MEMMAP_RAW_MAX)
        return lex_fail(err, ERR_CAPACITY, header.number, "the table has %llu items, more than "
                        "the %u the raw table holds", (unsigned long long)n, MEMMAP_RAW_MAX);

    /* Whatever the header line carried before the message (a Xen "(XEN) HVM1: " relay tag, a
     * serial logger's timestamp) comes in front of each entry line too: the same width, if
     * not the same text. An entry line without it is read as it is. */
    size_t prefix = (size_t)(find_header(&header, &h_n) - header.p);
    ln = header;
    for (uint64_t i = 0;; i++) {
        err_t e = ERR_OK;
        if (!lex_next_line(&table, &ln)) {
            if (i == n)
                break;
            return lex_fail(err, ERR_BAD_FORMAT, ln.number + 1, "table truncated: the header "
                            "on line %u announced %llu items, the input ends after %llu",
                            header.number, (unsigned long long)n, (unsigned long long)i);
        }
        struct lex_line body = ln, bare = ln;
        if ((size_t)(body.end - body.p) >= prefix)
            body.p += prefix;
        if (!read_entry(&body, i, n, header.number, out, err, &e) &&
            (prefix == 0 || !read_entry(&bare, i, n, header.number, out, err, &e))) {
            if (i == n)
                break;
            return lex_fail(err, ERR_BAD_FORMAT, ln.number, "table truncated: the header on "
                            "line %u announced %llu items, only %llu follow", header.number,
                            (unsigned long long)n, (unsigned long long)i);
        }
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}
