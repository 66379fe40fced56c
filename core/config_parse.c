/* config_parse.c: the /boot/multios.cfg parser (format in config.h). Line by line, each line
 * judged on its own: a bad line is reported and skipped, so a typo costs one setting, never
 * the boot. Every value is checked with config_validate before it is kept, so the result is
 * always valid. No allocation; the strings go into the caller's struct config_file's pool. */
#include <string.h>

#include "config.h"

static const char *const config_key_names[CONFIG_KEY_COUNT] = {
    [CONFIG_KEY_KERNEL] = "kernel",       [CONFIG_KEY_CMDLINE] = "cmdline",
    [CONFIG_KEY_HEAP_SIZE] = "heap_size", [CONFIG_KEY_FRAME_SIZE] = "frame_size",
    [CONFIG_KEY_HEAP_MIN] = "heap_min",   [CONFIG_KEY_MEMTEST] = "memtest",
    [CONFIG_KEY_LOG_LEVEL] = "log_level", [CONFIG_KEY_DEFAULT] = "default",
};

bool config_key_is_entry(enum config_key k)
{
    return k == CONFIG_KEY_KERNEL || k == CONFIG_KEY_CMDLINE;
}

static const char *const config_problem_names[CONFIG_PROBLEM_COUNT] = {
    [CONFIG_BAD_SYNTAX] = "expected 'key = value'",
    [CONFIG_UNKNOWN_KEY] = "unknown key",
    [CONFIG_BAD_VALUE] = "malformed value",
    [CONFIG_OUT_OF_RANGE] = "value out of range",
    [CONFIG_VALUE_TOO_LONG] = "value too long",
    [CONFIG_DUPLICATE] = "key given twice (the first value stays)",
    [CONFIG_LINE_TOO_LONG] = "line too long",
    [CONFIG_NUL_BYTE] = "NUL byte in line",
    [CONFIG_BAD_TITLE] = "malformed entry title (expected '[title]')",
    [CONFIG_DUPLICATE_TITLE] = "entry title used twice (the first entry stays)",
    [CONFIG_TOO_MANY_ENTRIES] = "too many entries",
    [CONFIG_UNDER_BAD_TITLE] = "belongs to a refused entry",
    [CONFIG_NO_KERNEL_ABOVE] = "entry setting before the first [title] without a kernel there",
    [CONFIG_NO_SUCH_ENTRY] = "no such entry (the first entry boots)",
    [CONFIG_NO_ROOM] = "no room left for the file's text",
};

const char *config_key_name(enum config_key k)
{
    return (unsigned)k < CONFIG_KEY_COUNT ? config_key_names[k] : "?";
}

const char *config_problem_str(enum config_problem p)
{
    return (unsigned)p < CONFIG_PROBLEM_COUNT ? config_problem_names[p] : "unknown problem";
}

/* A span of the input: not NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

/* Index of the first c in s[0..n), or n. (memchr is not among the four libc functions the
 * pure core may use.) */
static size_t find(const char *s, size_t n, char c)
{
    size_t i = 0;
    while (i < n && s[i] != c)
        i++;
    return i;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r'; /* '\r': the CR of a CRLF line end */
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static struct span trim(struct span s)
{
    while (s.n && is_blank(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_blank(s.p[s.n - 1]))
        s.n--;
    return s;
}

/* Case-insensitive comparison of a span with a lower-case word. */
static bool span_is(struct span s, const char *word)
{
    size_t i = 0;
    for (; word[i]; i++)
        if (i >= s.n || lower(s.p[i]) != word[i])
            return false;
    return i == s.n;
}

static enum config_key key_lookup(struct span s)
{
    for (unsigned k = 0; k < CONFIG_KEY_COUNT; k++)
        if (span_is(s, config_key_names[k]))
            return (enum config_key)k;
    return CONFIG_KEY_NONE;
}

static int digit_value(char c, unsigned base)
{
    c = lower(c);
    if (c >= '0' && c <= '9')
        return c - '0';
    if (base == 16 && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decimal or 0x hex, then an optional K/M/G (binary multiples). False on anything else or
 * on overflow. */
static bool parse_size(struct span s, uint64_t *out)
{
    unsigned base = 10, shift = 0;
    uint64_t v = 0;
    size_t i = 0, digits = 0;

    if (s.n > 2 && s.p[0] == '0' && lower(s.p[1]) == 'x') {
        base = 16;
        i = 2;
    }
    for (; i < s.n; i++, digits++) {
        int d = digit_value(s.p[i], base);
        if (d < 0)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;
        v = v * base + (uint64_t)d;
    }
    if (!digits)
        return false;
    if (i < s.n) {
        char c = lower(s.p[i++]);
        shift = c == 'k' ? 10 : c == 'm' ? 20 : c == 'g' ? 30 : 0;
        if (!shift || i != s.n)
            return false;
        if (v > (UINT64_MAX >> shift))
            return false;
        v <<= shift;
    }
    *out = v;
    return true;
}

static bool parse_bool(struct span s, bool *out)
{
    static const char *const yes[] = { "on", "yes", "true", "1" };
    static const char *const no[] = { "off", "no", "false", "0" };
    for (unsigned i = 0; i < 4; i++) {
        if (span_is(s, yes[i])) {
            *out = true;
            return true;
        }
        if (span_is(s, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

static bool parse_level(struct span s, uint32_t *out)
{
    static const char *const words[][2] = {
        { "error", "0" }, { "warn", "1" }, { "info", "2" }, { "debug", "3" },
    };
    for (uint32_t i = 0; i < 4; i++) {
        if (span_is(s, words[i][0]) || span_is(s, words[i][1])) {
            *out = i;
            return true;
        }
    }
    if (span_is(s, "warning")) {
        *out = CONFIG_LOG_WARN;
        return true;
    }
    return false;
}

/* Text for the kernel: no control bytes (tab included: a command line may hold tabs, a
 * path may not). */
static bool text_ok(struct span s, bool tab_ok)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if ((c < 0x20 && !(tab_ok && c == '\t')) || c == 0x7f)
            return false;
    }
    return true;
}

/* A NUL-terminated copy of s in the file's pool, or NULL when the pool is full. */
static const char *pool_put(struct config_file *out, struct span s)
{
    char *p;

    if (s.n >= CONFIG_POOL_MAX - out->pool_used)
        return NULL;
    p = out->pool + out->pool_used;
    memcpy(p, s.p, s.n);
    p[s.n] = '\0';
    out->pool_used += (uint32_t)s.n + 1u;
    return p;
}

static bool span_eq(struct span s, const char *str)
{
    size_t i = 0;
    for (; str[i]; i++)
        if (i >= s.n || s.p[i] != str[i])
            return false;
    return i == s.n;
}

/* An entry key: the kernel's path or its command line. */
static enum config_problem apply_entry(struct config_file *out, struct config_entry *en,
                                       enum config_key key, struct span v)
{
    const char *str;

    if (key == CONFIG_KEY_KERNEL) {
        if (v.n > CONFIG_KERNEL_MAX)
            return CONFIG_VALUE_TOO_LONG;
        if (v.n < 2 || v.p[0] != '/' || !text_ok(v, false))
            return CONFIG_BAD_VALUE;
    } else {
        if (v.n > CONFIG_CMDLINE_MAX)
            return CONFIG_VALUE_TOO_LONG;
        if (!text_ok(v, true))
            return CONFIG_BAD_VALUE;
    }
    str = pool_put(out, v);
    if (!str)
        return CONFIG_NO_ROOM;
    if (key == CONFIG_KEY_KERNEL)
        en->kernel = str;
    else
        en->cmdline = str;
    return CONFIG_PROBLEM_COUNT;
}

/* A global key, applied to a copy and kept only if the whole set stays valid. */
static enum config_problem apply_global(struct config_file *out, enum config_key key,
                                        struct span v)
{
    struct boot_config c = out->cfg;
    uint64_t n = 0;

    switch (key) {
    case CONFIG_KEY_HEAP_SIZE:
    case CONFIG_KEY_FRAME_SIZE:
    case CONFIG_KEY_HEAP_MIN:
        if (!parse_size(v, &n))
            return CONFIG_BAD_VALUE;
        if (key == CONFIG_KEY_HEAP_SIZE)
            c.heap_size = n;
        else if (key == CONFIG_KEY_FRAME_SIZE)
            c.frame_gran = n;
        else
            c.heap_min_addr = n;
        break;
    case CONFIG_KEY_MEMTEST:
        if (!parse_bool(v, &c.memtest))
            return CONFIG_BAD_VALUE;
        break;
    case CONFIG_KEY_LOG_LEVEL:
        if (!parse_level(v, &c.log_level))
            return CONFIG_BAD_VALUE;
        break;
    case CONFIG_KEY_DEFAULT:
        /* resolved once every entry is known (config_finish) */
        if (!v.n || v.n > CONFIG_TITLE_MAX || !text_ok(v, false))
            return CONFIG_BAD_VALUE;
        out->default_text = pool_put(out, v);
        return out->default_text ? CONFIG_PROBLEM_COUNT : CONFIG_NO_ROOM;
    default:
        return CONFIG_UNKNOWN_KEY;
    }
    if (config_validate(&c) != ERR_OK || c.frame_gran > CONFIG_FILE_MAX_FRAME_GRAN)
        return CONFIG_OUT_OF_RANGE;
    out->cfg = c;
    return CONFIG_PROBLEM_COUNT;
}

static void report(struct config_file *out, config_error_fn on_error, void *ctx, uint32_t line,
                   enum config_problem p, enum config_key key, struct span key_text)
{
    struct config_error e = { .line = line, .problem = p, .key = key };
    size_t n = key_text.n < CONFIG_KEY_TEXT_MAX ? key_text.n : CONFIG_KEY_TEXT_MAX;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key_text.p[i];
        e.key_text[i] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    e.key_text[n] = '\0';
    out->errors++;
    if (on_error)
        on_error(ctx, &e);
}

/* Where the parse is: the entry the next entry keys go to, or none under a refused title. */
struct cursor {
    struct config_file *out;
    config_error_fn on_error;
    void *ctx;
    struct config_entry *entry;
};

static void entry_defaults(struct config_entry *en, const char *title, uint32_t line)
{
    *en = (struct config_entry){ .title = title, .kernel = CONFIG_DEFAULT_KERNEL,
                                 .cmdline = "", .line = line };
}

/* A `[title]` line (already trimmed, starting with '['). */
static void parse_title(struct cursor *c, struct span line, uint32_t no)
{
    struct config_file *out = c->out;
    struct span t = trim((struct span){ line.p + 1, line.n - 1 });
    enum config_problem p = CONFIG_PROBLEM_COUNT;
    const char *title;

    c->entry = NULL; /* the keys under a refused title go nowhere */
    if (!t.n || t.p[t.n - 1] != ']') {
        p = CONFIG_BAD_TITLE;
    } else {
        t = trim((struct span){ t.p, t.n - 1 });
        if (!t.n || t.n > CONFIG_TITLE_MAX || !text_ok(t, false) ||
            find(t.p, t.n, '[') < t.n || find(t.p, t.n, ']') < t.n)
            p = CONFIG_BAD_TITLE;
    }
    for (uint32_t i = 0; p == CONFIG_PROBLEM_COUNT && i < out->entry_count; i++)
        if (span_eq(t, out->entry[i].title))
            p = CONFIG_DUPLICATE_TITLE;
    if (p == CONFIG_PROBLEM_COUNT && out->entry_count == CONFIG_ENTRIES_MAX)
        p = CONFIG_TOO_MANY_ENTRIES;
    if (p == CONFIG_PROBLEM_COUNT && !(title = pool_put(out, t)))
        p = CONFIG_NO_ROOM;
    if (p != CONFIG_PROBLEM_COUNT) {
        report(out, c->on_error, c->ctx, no, p, CONFIG_KEY_NONE, line);
        return;
    }
    c->entry = &out->entry[out->entry_count++];
    entry_defaults(c->entry, title, no);
    out->accepted++;
}

/* One line without its LF. */
static void parse_line(struct cursor *c, struct span line, uint32_t no)
{
    static const struct span none = { "", 0 };
    struct config_file *out = c->out;
    size_t eq;
    struct span key, val;
    enum config_key k;
    enum config_problem p;
    uint32_t *set;

    if (line.n > CONFIG_LINE_MAX) {
        report(out, c->on_error, c->ctx, no, CONFIG_LINE_TOO_LONG, CONFIG_KEY_NONE, none);
        return;
    }
    if (find(line.p, line.n, '\0') < line.n) {
        report(out, c->on_error, c->ctx, no, CONFIG_NUL_BYTE, CONFIG_KEY_NONE, none);
        return;
    }
    line = trim(line);
    if (!line.n || line.p[0] == '#')
        return;
    if (line.p[0] == '[') {
        parse_title(c, line, no);
        return;
    }
    eq = find(line.p, line.n, '=');
    key = trim((struct span){ line.p, eq });
    if (eq == line.n || !key.n) {
        report(out, c->on_error, c->ctx, no, CONFIG_BAD_SYNTAX, CONFIG_KEY_NONE, key);
        return;
    }
    val = trim((struct span){ line.p + eq + 1, line.n - eq - 1 });
    k = key_lookup(key);
    if (k == CONFIG_KEY_NONE) {
        report(out, c->on_error, c->ctx, no, CONFIG_UNKNOWN_KEY, k, key);
        return;
    }
    if (config_key_is_entry(k) && !c->entry) {
        report(out, c->on_error, c->ctx, no, CONFIG_UNDER_BAD_TITLE, k, key);
        return;
    }
    set = config_key_is_entry(k) ? &c->entry->set : &out->set;
    if (*set & (1u << k)) {
        report(out, c->on_error, c->ctx, no, CONFIG_DUPLICATE, k, key);
        return;
    }
    p = config_key_is_entry(k) ? apply_entry(out, c->entry, k, val) : apply_global(out, k, val);
    if (p != CONFIG_PROBLEM_COUNT) {
        report(out, c->on_error, c->ctx, no, p, k, key);
        return;
    }
    *set |= 1u << k;
    out->accepted++;
    if (k == CONFIG_KEY_DEFAULT)
        out->default_line = no;
    if (config_key_is_entry(k) && c->entry == &out->entry[0] && !out->top_line)
        out->top_line = no;
}

/* `default` as a 1-based entry number, or 0. */
static uint32_t entry_number(const char *s)
{
    uint32_t n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > CONFIG_ENTRIES_MAX)
            return 0;
        n = n * 10u + (uint32_t)(*s - '0');
    }
    return n;
}

/* Once every line is read: drop the top entry when titled entries exist and it names no
 * kernel, then find the `default` entry. */
static void config_finish(struct cursor *c)
{
    struct config_file *out = c->out;
    struct span dflt = { "default", 7 };

    if (out->entry_count > 1 && !(out->entry[0].set & (1u << CONFIG_KEY_KERNEL))) {
        if (out->top_line)
            report(out, c->on_error, c->ctx, out->top_line, CONFIG_NO_KERNEL_ABOVE,
                   CONFIG_KEY_NONE, (struct span){ "", 0 });
        for (uint32_t i = 1; i < out->entry_count; i++)
            out->entry[i - 1] = out->entry[i];
        out->entry_count--;
    }
    if (!out->default_text)
        return;
    for (uint32_t i = 0; i < out->entry_count; i++) {
        if (strcmp(out->default_text, config_entry_name(&out->entry[i])) == 0) {
            out->chosen = i;
            return;
        }
    }
    uint32_t n = entry_number(out->default_text);
    if (n >= 1 && n <= out->entry_count) {
        out->chosen = n - 1;
        return;
    }
    out->set &= ~(1u << CONFIG_KEY_DEFAULT);
    out->accepted--; /* the line set nothing after all */
    report(out, c->on_error, c->ctx, out->default_line, CONFIG_NO_SUCH_ENTRY,
           CONFIG_KEY_DEFAULT, dflt);
}

void config_file_defaults(struct config_file *out)
{
    memset(out, 0, sizeof(*out));
    config_defaults(&out->cfg);
    entry_defaults(&out->entry[0], "", 0);
    out->entry_count = 1;
}

err_t config_parse(const char *text, size_t len, struct config_file *out,
                   config_error_fn on_error, void *ctx)
{
    struct cursor c = { out, on_error, ctx, NULL };
    size_t pos = 0;

    if (!out)
        return ERR_INVALID_ARG;
    config_file_defaults(out);
    if (!text && len)
        return ERR_INVALID_ARG;
    c.entry = &out->entry[0];
    while (pos < len) {
        size_t end = pos + find(text + pos, len - pos, '\n');
        struct span line = { text + pos, end - pos };

        /* A UTF-8 byte-order mark is not part of the first key (it still starts line 1). */
        if (pos == 0 && line.n >= 3 && (unsigned char)text[0] == 0xef &&
            (unsigned char)text[1] == 0xbb && (unsigned char)text[2] == 0xbf) {
            line.p += 3;
            line.n -= 3;
        }
        if (out->lines < UINT32_MAX)
            out->lines++;
        parse_line(&c, line, out->lines);
        if (end >= len)
            break; /* the last line had no LF */
        pos = end + 1;
    }
    config_finish(&c);
    return out->errors ? ERR_BAD_FORMAT : ERR_OK;
}
