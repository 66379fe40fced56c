/* config_parse.c: the /boot/multios.cfg parser (format in config.h). Line by line, each line
 * judged on its own: a bad line is reported and skipped, so a typo costs one setting, never
 * the boot. Every value is checked with config_validate before it is kept, so the result is
 * always valid. No allocation; the strings go into the caller's struct config_file. */
#include <string.h>

#include "config.h"

static const char *const config_key_names[CONFIG_KEY_COUNT] = {
    [CONFIG_KEY_KERNEL] = "kernel",       [CONFIG_KEY_CMDLINE] = "cmdline",
    [CONFIG_KEY_HEAP_SIZE] = "heap_size", [CONFIG_KEY_FRAME_SIZE] = "frame_size",
    [CONFIG_KEY_HEAP_MIN] = "heap_min",   [CONFIG_KEY_MEMTEST] = "memtest",
    [CONFIG_KEY_LOG_LEVEL] = "log_level",
};

static const char *const config_problem_names[CONFIG_PROBLEM_COUNT] = {
    [CONFIG_BAD_SYNTAX] = "expected 'key = value'",
    [CONFIG_UNKNOWN_KEY] = "unknown key",
    [CONFIG_BAD_VALUE] = "malformed value",
    [CONFIG_OUT_OF_RANGE] = "value out of range",
    [CONFIG_VALUE_TOO_LONG] = "value too long",
    [CONFIG_DUPLICATE] = "key given twice (the first value stays)",
    [CONFIG_LINE_TOO_LONG] = "line too long",
    [CONFIG_NUL_BYTE] = "NUL byte in line",
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

static void copy_str(char *dst, struct span s)
{
    memcpy(dst, s.p, s.n);
    dst[s.n] = '\0';
}

/* Apply one numeric/boolean setting to a copy and keep it only if the whole set stays valid. */
static enum config_problem apply_value(struct config_file *out, enum config_key key,
                                       struct span v, bool *ok)
{
    struct boot_config c = out->cfg;
    uint64_t n = 0;

    *ok = false;
    switch (key) {
    case CONFIG_KEY_KERNEL:
        if (v.n > CONFIG_KERNEL_MAX)
            return CONFIG_VALUE_TOO_LONG;
        if (v.n < 2 || v.p[0] != '/' || !text_ok(v, false))
            return CONFIG_BAD_VALUE;
        copy_str(out->kernel, v);
        *ok = true;
        return CONFIG_PROBLEM_COUNT;
    case CONFIG_KEY_CMDLINE:
        if (v.n > CONFIG_CMDLINE_MAX)
            return CONFIG_VALUE_TOO_LONG;
        if (!text_ok(v, true))
            return CONFIG_BAD_VALUE;
        copy_str(out->cmdline, v);
        *ok = true;
        return CONFIG_PROBLEM_COUNT;
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
    default:
        return CONFIG_UNKNOWN_KEY;
    }
    if (config_validate(&c) != ERR_OK || c.frame_gran > CONFIG_FILE_MAX_FRAME_GRAN)
        return CONFIG_OUT_OF_RANGE;
    out->cfg = c;
    *ok = true;
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

/* One line without its LF. */
static void parse_line(struct config_file *out, struct span line, uint32_t no,
                       config_error_fn on_error, void *ctx)
{
    static const struct span none = { "", 0 };
    size_t eq;
    struct span key, val;
    enum config_key k;
    enum config_problem p;
    bool ok;

    if (line.n > CONFIG_LINE_MAX) {
        report(out, on_error, ctx, no, CONFIG_LINE_TOO_LONG, CONFIG_KEY_NONE, none);
        return;
    }
    if (find(line.p, line.n, '\0') < line.n) {
        report(out, on_error, ctx, no, CONFIG_NUL_BYTE, CONFIG_KEY_NONE, none);
        return;
    }
    line = trim(line);
    if (!line.n || line.p[0] == '#')
        return;
    eq = find(line.p, line.n, '=');
    key = trim((struct span){ line.p, eq });
    if (eq == line.n || !key.n) {
        report(out, on_error, ctx, no, CONFIG_BAD_SYNTAX, CONFIG_KEY_NONE, key);
        return;
    }
    val = trim((struct span){ line.p + eq + 1, line.n - eq - 1 });
    k = key_lookup(key);
    if (k == CONFIG_KEY_NONE) {
        report(out, on_error, ctx, no, CONFIG_UNKNOWN_KEY, k, key);
        return;
    }
    if (out->set & (1u << k)) {
        report(out, on_error, ctx, no, CONFIG_DUPLICATE, k, key);
        return;
    }
    p = apply_value(out, k, val, &ok);
    if (!ok) {
        report(out, on_error, ctx, no, p, k, key);
        return;
    }
    out->set |= 1u << k;
}

void config_file_defaults(struct config_file *out)
{
    memset(out, 0, sizeof(*out));
    config_defaults(&out->cfg);
    memcpy(out->kernel, CONFIG_DEFAULT_KERNEL, sizeof(CONFIG_DEFAULT_KERNEL));
}

err_t config_parse(const char *text, size_t len, struct config_file *out,
                   config_error_fn on_error, void *ctx)
{
    size_t pos = 0;

    if (!out)
        return ERR_INVALID_ARG;
    config_file_defaults(out);
    if (!text && len)
        return ERR_INVALID_ARG;
    while (pos < len) {
        size_t end = pos + find(text + pos, len - pos, '\n');

        if (out->lines < UINT32_MAX)
            out->lines++;
        parse_line(out, (struct span){ text + pos, end - pos }, out->lines, on_error, ctx);
        if (end >= len)
            break; /* the last line had no LF */
        pos = end + 1;
    }
    return out->errors ? ERR_BAD_FORMAT : ERR_OK;
}
