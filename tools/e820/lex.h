/* lex.h: the little scanning helpers every text reader shares: line walking and number
 * parsing with overflow checks. Header-only (static inline) so each reader stays one .c file
 * that other modules' tests can link on its own. */
#ifndef E820_LEX_H
#define E820_LEX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/* One line of the input, without its terminator (a trailing '\r' is dropped too, so files
 * saved on Windows read the same). */
struct lex_line {
    const char *p;   /* cursor within the line */
    const char *end; /* one past the last character */
    unsigned number; /* 1-based */
};

/* Cut the next line from *text; false at the end of the input. */
static inline bool lex_next_line(const char **text, struct lex_line *ln)
{
    const char *s = *text;
    if (*s == '\0')
        return false;
    const char *e = s;
    while (*e != '\0' && *e != '\n')
        e++;
    *text = (*e == '\n') ? e + 1 : e;
    ln->p = s;
    ln->end = (e > s && e[-1] == '\r') ? e - 1 : e;
    ln->number++;
    return true;
}

static inline bool lex_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline void lex_skip_space(struct lex_line *ln)
{
    while (ln->p < ln->end && lex_is_space(*ln->p))
        ln->p++;
}

static inline bool lex_at_end(const struct lex_line *ln)
{
    return ln->p >= ln->end;
}

static inline int lex_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Results of the number scanners. */
enum lex_num {
    LEX_NUM_OK = 0,
    LEX_NUM_NONE,     /* no digits at the cursor */
    LEX_NUM_OVERFLOW, /* more than the target width */
    LEX_NUM_TRAILING, /* digits followed by something that is not a separator */
};

/* True for a character that may follow a number: end, space, and the punctuation the log
 * formats put after numbers. */
static inline bool lex_is_separator(const struct lex_line *ln, const char *q, const char *seps)
{
    if (q >= ln->end || lex_is_space(*q))
        return true;
    for (; seps && *seps; seps++)
        if (*q == *seps)
            return true;
    return false;
}

/* Hex digits (no prefix) up to 64 bits. On success the cursor moves past them. */
static inline enum lex_num lex_hex_digits(struct lex_line *ln, uint64_t *v, const char *seps)
{
    const char *q = ln->p;
    uint64_t x = 0;
    int d;
    if (q >= ln->end || lex_hex_digit(*q) < 0)
        return LEX_NUM_NONE;
    for (; q < ln->end && (d = lex_hex_digit(*q)) >= 0; q++) {
        if (x >> 60)
            return LEX_NUM_OVERFLOW;
        x = (x << 4) | (uint64_t)d;
    }
    if (!lex_is_separator(ln, q, seps))
        return LEX_NUM_TRAILING;
    ln->p = q;
    *v = x;
    return LEX_NUM_OK;
}

/* `0x` followed by hex digits, up to 64 bits. */
static inline enum lex_num lex_hex_prefixed(struct lex_line *ln, uint64_t *v, const char *seps)
{
    const char *save = ln->p;
    if (ln->end - ln->p < 2 || ln->p[0] != '0' || (ln->p[1] != 'x' && ln->p[1] != 'X'))
        return LEX_NUM_NONE;
    ln->p += 2;
    enum lex_num r = lex_hex_digits(ln, v, seps);
    if (r != LEX_NUM_OK)
        ln->p = save;
    return r == LEX_NUM_NONE ? LEX_NUM_TRAILING : r;
}

/* Decimal or 0x-prefixed hex, up to 64 bits. */
static inline enum lex_num lex_number(struct lex_line *ln, uint64_t *v, const char *seps)
{
    if (ln->end - ln->p >= 2 && ln->p[0] == '0' && (ln->p[1] == 'x' || ln->p[1] == 'X'))
        return lex_hex_prefixed(ln, v, seps);
    const char *q = ln->p;
    uint64_t x = 0;
    if (q >= ln->end || *q < '0' || *q > '9')
        return LEX_NUM_NONE;
    for (; q < ln->end && *q >= '0' && *q <= '9'; q++) {
        unsigned d = (unsigned)(*q - '0');
        if (x > (UINT64_MAX - d) / 10)
            return LEX_NUM_OVERFLOW;
        x = x * 10 + d;
    }
    if (!lex_is_separator(ln, q, seps))
        return LEX_NUM_TRAILING;
    ln->p = q;
    *v = x;
    return LEX_NUM_OK;
}

/* First occurrence of the NUL-terminated `needle` in the line at or after the cursor, or
 * NULL. */
static inline const char *lex_find(const struct lex_line *ln, const char *needle)
{
    size_t n = 0;
    while (needle[n])
        n++;
    for (const char *q = ln->p; q + n <= ln->end; q++) {
        size_t i = 0;
        while (i < n && q[i] == needle[i])
            i++;
        if (i == n)
            return q;
    }
    return NULL;
}

/* If the line at the cursor starts with `word`, step over it. */
static inline bool lex_accept(struct lex_line *ln, const char *word)
{
    const char *q = ln->p;
    for (; *word; word++, q++)
        if (q >= ln->end || *q != *word)
            return false;
    ln->p = q;
    return true;
}

/* The rest of the line with surrounding blanks trimmed: [*s, *e). */
static inline void lex_rest(struct lex_line *ln, const char **s, const char **e)
{
    lex_skip_space(ln);
    const char *end = ln->end;
    while (end > ln->p && lex_is_space(end[-1]))
        end--;
    *s = ln->p;
    *e = end;
}

/* Case-insensitive: does [s, e) equal `word` exactly? */
static inline bool lex_equal_nocase(const char *s, const char *e, const char *word)
{
    for (; s < e && *word; s++, word++) {
        char a = *s, b = *word;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return s == e && *word == '\0';
}

/* Length of [start, end) where end is exclusive. A printer that computes end = start + size
 * in 64 bits prints 0 for a range ending exactly at 2^64 (SeaBIOS, Linux 2.6), so end 0
 * after a non-zero start means 2^64. False if end < start otherwise. */
static inline bool lex_length_exclusive(uint64_t start, uint64_t end, uint64_t *length)
{
    if (end == 0 && start != 0) {
        *length = 0 - start;
        return true;
    }
    if (end < start)
        return false;
    *length = end - start;
    return true;
}

/* Length of [start, end] where end is inclusive. False if end < start, or for the whole
 * 64-bit space, whose length 2^64 an E820 entry cannot hold. */
static inline bool lex_length_inclusive(uint64_t start, uint64_t end, uint64_t *length)
{
    if (end < start || (start == 0 && end == UINT64_MAX))
        return false;
    *length = end - start + 1;
    return true;
}

/* The token at the cursor, for error messages: at most 24 characters, quoted, with
 * unprintable bytes shown as \xNN (a stray control byte must not hide in the message). */
static inline void lex_token(const struct lex_line *ln, char *buf, size_t size)
{
    const char *q = ln->p;
    size_t n = 0, o = 0;
    while (q + n < ln->end && !lex_is_space(q[n]) && n < 24)
        n++;
    if (n == 0) {
        snprintf(buf, size, "end of line");
        return;
    }
    char tok[24 * 4 + 1];
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)q[i];
        if (c < 0x20 || c >= 0x7f)
            o += (size_t)snprintf(tok + o, sizeof tok - o, "\\x%02x", c);
        else
            tok[o++] = (char)c;
    }
    tok[o] = '\0';
    snprintf(buf, size, "'%s'%s", tok, (q + n < ln->end && !lex_is_space(q[n])) ? "..." : "");
}

/* Fill err (which may be NULL) and return code. */
__attribute__((format(printf, 4, 5)))
static inline err_t lex_fail(struct parse_error *err, err_t code, unsigned line,
                             const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->line = line;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Append one raw entry, or fail with ERR_CAPACITY naming the line: never truncate. */
static inline err_t lex_push(struct e820_input *out, struct parse_error *err, unsigned line,
                             uint64_t base, uint64_t length, uint32_t type, uint32_t attr,
                             uint8_t size)
{
    if (out->count >= MEMMAP_RAW_MAX)
        return lex_fail(err, ERR_CAPACITY,
                        line, "more than %u entries (the raw table capacity); refusing to "
                        "drop any", MEMMAP_RAW_MAX);
    out->entry[out->count] = (struct e820_entry){ base, length, type, attr };
    out->size[out->count] = size;
    out->count++;
    return ERR_OK;
}

#endif
