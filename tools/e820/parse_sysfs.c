/* parse_sysfs.c: a /sys/firmware/memmap directory (or a copy of one): subdirectories 0, 1, ...
 * in firmware order, each holding `start` and `end` (0x hex, end inclusive) and `type`
 * (Linux's e820_type_to_string names). Errors carry line 0 and name the file in msg. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

/* Names as Linux's e820_type_to_string writes them; anything else (its "Unknown E820 type",
 * or a name from a newer kernel) counts as reserved, the safe reading. */
static const struct {
    const char *name;
    uint32_t type;
} names[] = {
    { "System RAM", E820_TYPE_RAM },
    { "Reserved", E820_TYPE_RESERVED },
    { "ACPI Tables", E820_TYPE_ACPI },
    { "ACPI Non-volatile Storage", E820_TYPE_NVS },
    { "Unusable memory", E820_TYPE_UNUSABLE },
    { "Persistent Memory", E820_TYPE_PMEM },
    { "Persistent Memory (legacy)", E820_TYPE_PRAM },
    { "Soft Reserved", E820_TYPE_SOFT_RESERVED },
};

/* Read the small file dir/index/leaf into buf as one NUL-terminated line. */
static err_t read_leaf(const char *dir, unsigned long index, const char *leaf, char *buf,
                       size_t size, struct parse_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%lu/%s", dir, index, leaf);
    FILE *f = fopen(path, "rb");
    if (!f)
        return lex_fail(err, ERR_IO, 0, "%lu/%s: cannot open", index, leaf);
    size_t n = fread(buf, 1, size - 1, f);
    bool more = (n == size - 1) && fgetc(f) != EOF;
    bool bad = ferror(f);
    fclose(f);
    if (bad)
        return lex_fail(err, ERR_IO, 0, "%lu/%s: read error", index, leaf);
    if (more)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu/%s: longer than %zu bytes", index, leaf,
                        size - 1);
    buf[n] = '\0';
    if (strlen(buf) != n)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu/%s: contains a NUL byte", index, leaf);
    /* One line, one trailing newline at most. */
    char *nl = strchr(buf, '\n');
    if (nl && nl[1] != '\0')
        return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu/%s: more than one line", index, leaf);
    if (nl)
        *nl = '\0';
    return ERR_OK;
}

static err_t read_address(const char *dir, unsigned long index, const char *leaf, uint64_t *v,
                          struct parse_error *err)
{
    char buf[64], tok[112];
    err_t e = read_leaf(dir, index, leaf, buf, sizeof buf, err);
    if (e != ERR_OK)
        return e;
    struct lex_line ln = { .p = buf, .end = buf + strlen(buf), .number = 1 };
    lex_skip_space(&ln);
    enum lex_num r = lex_hex_prefixed(&ln, v, NULL);
    lex_skip_space(&ln);
    if (r == LEX_NUM_OK && lex_at_end(&ln))
        return ERR_OK;
    lex_token(&ln, tok, sizeof tok);
    return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu/%s: %s %s", index, leaf, tok,
                    r == LEX_NUM_OVERFLOW ? "does not fit in 64 bits"
                    : r == LEX_NUM_OK     ? "follows the address"
                                          : "is not a 0x-prefixed hex number");
}

static err_t read_type(const char *dir, unsigned long index, uint32_t *type,
                       struct parse_error *err)
{
    char buf[128];
    err_t e = read_leaf(dir, index, "type", buf, sizeof buf, err);
    if (e != ERR_OK)
        return e;
    struct lex_line ln = { .p = buf, .end = buf + strlen(buf), .number = 1 };
    const char *s, *t;
    lex_rest(&ln, &s, &t);
    if (s == t)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu/type: empty", index);
    *type = E820_TYPE_RESERVED;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (lex_equal_nocase(s, t, names[i].name))
            *type = names[i].type;
    return ERR_OK;
}

/* Decimal subdirectory name without sign or leading zeros; false for anything else. */
static bool entry_index(const char *name, unsigned long *index)
{
    if (name[0] < '0' || name[0] > '9' || (name[0] == '0' && name[1] != '\0') ||
        strlen(name) > 9)
        return false;
    char *end;
    *index = strtoul(name, &end, 10);
    return *end == '\0';
}

static int compare_index(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return (x > y) - (x < y);
}

err_t parse_sysfs(const char *dir, struct e820_input *out, struct parse_error *err)
{
    unsigned long index[MEMMAP_RAW_MAX];
    uint32_t n = 0;
    struct dirent *d;

    out->count = 0;
    if (err)
        *err = (struct parse_error){ 0 };
    DIR *dh = opendir(dir);
    if (!dh)
        return lex_fail(err, ERR_IO, 0, "cannot open directory");
    /* Other names (a README a user dropped in, "." and "..") are not entries. */
    while ((d = readdir(dh)) != NULL) {
        unsigned long i;
        if (!entry_index(d->d_name, &i))
            continue;
        if (n == MEMMAP_RAW_MAX) {
            closedir(dh);
            return lex_fail(err, ERR_CAPACITY, 0, "more than %u entries (the raw table "
                            "capacity); refusing to drop any", MEMMAP_RAW_MAX);
        }
        index[n++] = i;
    }
    closedir(dh);
    if (n == 0)
        return lex_fail(err, ERR_BAD_FORMAT, 0, "no numbered entry directories (0, 1, ...)");
    /* readdir order is arbitrary; the numbers are the firmware's order. */
    qsort(index, n, sizeof index[0], compare_index);

    for (uint32_t k = 0; k < n; k++) {
        uint64_t start = 0, end = 0, length = 0;
        uint32_t type = 0;
        err_t e;
        if ((e = read_address(dir, index[k], "start", &start, err)) != ERR_OK ||
            (e = read_address(dir, index[k], "end", &end, err)) != ERR_OK ||
            (e = read_type(dir, index[k], &type, err)) != ERR_OK)
            return e;
        if (end < start)
            return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu/end: 0x%llx is below start 0x%llx",
                            index[k], (unsigned long long)end, (unsigned long long)start);
        if (!lex_length_inclusive(start, end, &length))
            return lex_fail(err, ERR_BAD_FORMAT, 0, "%lu: 0x0-0x%llx covers all of the 64-bit "
                            "space", index[k], (unsigned long long)end);
        e = lex_push(out, err, 0, start, length, type, 0, 20);
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}
