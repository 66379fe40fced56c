/* fuzz_config.c: libFuzzer harness for config_parse. The input is the file's bytes. abort() on
 * a violation of:
 *   - the result: cfg passes config_validate, frames at most CONFIG_FILE_MAX_FRAME_GRAN;
 *     kernel and cmdline are NUL-terminated within their arrays, the kernel an absolute path
 *     without control bytes, the command line without control bytes other than tab and
 *     without blanks at either end; keys not set from the file hold their defaults; the return value says whether any line was refused;
 *   - the reports: one per refused line at most, in increasing line order, each within the
 *     file, with a known problem and a NUL-terminated printable key text; lines counted as
 *     the reference below counts them;
 *   - line ends: the same file with every LF turned into CRLF parses to the same result
 *     (when no line gets past the length limit by it). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_check.h"

struct seen {
    uint32_t n;
    uint32_t last_line;
    uint32_t max_line; /* lines in the file */
};

static void on_error(void *ctx, const struct config_error *e)
{
    struct seen *s = ctx;
    size_t n;

    CHECK(e->line > s->last_line); /* one report per line at most, in order */
    CHECK(e->line >= 1 && e->line <= s->max_line);
    CHECK((unsigned)e->problem < CONFIG_PROBLEM_COUNT);
    CHECK((unsigned)e->key <= CONFIG_KEY_NONE);
    n = strnlen(e->key_text, sizeof(e->key_text));
    CHECK(n < sizeof(e->key_text));
    for (size_t i = 0; i < n; i++)
        CHECK(e->key_text[i] > 0x20 && e->key_text[i] < 0x7f);
    CHECK(strcmp(config_problem_str(e->problem), "unknown problem") != 0);
    s->last_line = e->line;
    s->n++;
}

static uint32_t count_lines(const uint8_t *d, size_t n)
{
    uint32_t lines = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n')
            lines++;
    if (n && d[n - 1] != '\n')
        lines++;
    return lines;
}

/* A string the parser kept: bounded, no control bytes (tabs only where allowed), no blanks
 * at its ends. */
static size_t check_text(const char *p, size_t max, bool tab_ok)
{
    size_t n = strnlen(p, max + 1);
    CHECK(n <= max);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        CHECK((c >= 0x20 || (tab_ok && c == '\t')) && c != 0x7f);
    }
    if (n) {
        CHECK(p[0] != ' ' && p[0] != '\t');
        CHECK(p[n - 1] != ' ' && p[n - 1] != '\t');
    }
    return n;
}

static void check_entry(const struct config_file *f, const struct config_entry *en)
{
    size_t kn = check_text(en->kernel, CONFIG_KERNEL_MAX, false);
    size_t cn = check_text(en->cmdline, CONFIG_CMDLINE_MAX, true);

    CHECK(kn >= 2 && en->kernel[0] == '/');
    check_text(en->title, CONFIG_TITLE_MAX, false);
    CHECK(strchr(en->title, '[') == NULL && strchr(en->title, ']') == NULL);
    CHECK((en->set & ~((1u << CONFIG_KEY_KERNEL) | (1u << CONFIG_KEY_CMDLINE))) == 0);
    if (!(en->set & (1u << CONFIG_KEY_KERNEL)))
        CHECK(strcmp(en->kernel, CONFIG_DEFAULT_KERNEL) == 0);
    if (!(en->set & (1u << CONFIG_KEY_CMDLINE)))
        CHECK(cn == 0);
    /* titled entries come from a [title] line; only the first may be untitled */
    CHECK(en->title[0] ? en->line >= 1 : (en == &f->entry[0] && en->line == 0));
}

static void check_result(const struct config_file *f, err_t e, const struct seen *s)
{
    struct config_file d;

    config_file_defaults(&d);
    CHECK(config_validate(&f->cfg) == ERR_OK);
    CHECK(f->cfg.frame_gran <= CONFIG_FILE_MAX_FRAME_GRAN);
    CHECK(e == (f->errors ? ERR_BAD_FORMAT : ERR_OK));
    CHECK(f->errors == s->n);
    CHECK((f->set & ~((1u << CONFIG_KEY_COUNT) - 1)) == 0);
    CHECK((f->set & ((1u << CONFIG_KEY_KERNEL) | (1u << CONFIG_KEY_CMDLINE))) == 0);
    CHECK(f->entry_count >= 1 && f->entry_count <= CONFIG_ENTRIES_MAX);
    CHECK(f->chosen < f->entry_count);
    CHECK(f->pool_used <= CONFIG_POOL_MAX);
    CHECK(f->accepted <= f->lines);
    for (uint32_t i = 0; i < f->entry_count; i++) {
        check_entry(f, &f->entry[i]);
        for (uint32_t j = 0; j < i; j++) /* titles are unique */
            CHECK(!f->entry[i].title[0] || strcmp(f->entry[i].title, f->entry[j].title) != 0);
    }
    if (!(f->set & (1u << CONFIG_KEY_DEFAULT)))
        CHECK(f->chosen == 0);

    if (!(f->set & (1u << CONFIG_KEY_HEAP_SIZE)))
        CHECK(f->cfg.heap_size == d.cfg.heap_size);
    if (!(f->set & (1u << CONFIG_KEY_FRAME_SIZE)))
        CHECK(f->cfg.frame_gran == d.cfg.frame_gran);
    if (!(f->set & (1u << CONFIG_KEY_HEAP_MIN)))
        CHECK(f->cfg.heap_min_addr == d.cfg.heap_min_addr);
    if (!(f->set & (1u << CONFIG_KEY_MEMTEST)))
        CHECK(f->cfg.memtest == d.cfg.memtest);
    if (!(f->set & (1u << CONFIG_KEY_LOG_LEVEL)))
        CHECK(f->cfg.log_level == d.cfg.log_level);
    /* never from the file */
    CHECK(f->cfg.heap_min_size == d.cfg.heap_min_size);
    CHECK(f->cfg.heap_align == d.cfg.heap_align);
}

static bool same(const struct config_file *a, const struct config_file *b)
{
    if (!(a->cfg.heap_size == b->cfg.heap_size && a->cfg.frame_gran == b->cfg.frame_gran &&
          a->cfg.heap_min_addr == b->cfg.heap_min_addr && a->cfg.memtest == b->cfg.memtest &&
          a->cfg.log_level == b->cfg.log_level && a->set == b->set &&
          a->errors == b->errors && a->lines == b->lines && a->accepted == b->accepted &&
          a->entry_count == b->entry_count && a->chosen == b->chosen))
        return false;
    for (uint32_t i = 0; i < a->entry_count; i++) {
        const struct config_entry *x = &a->entry[i], *y = &b->entry[i];
        if (x->set != y->set || x->line != y->line || strcmp(x->title, y->title) != 0 ||
            strcmp(x->kernel, y->kernel) != 0 || strcmp(x->cmdline, y->cmdline) != 0)
            return false;
    }
    return true;
}

static struct config_file f1, f2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s = { 0 };
    uint8_t *crlf;
    size_t n = 0, run = 0, longest = 0;
    err_t e;

    /* An exact-size copy, so ASan sees any read past the end. */
    char *text = malloc(size ? size : 1);
    CHECK(text);
    memcpy(text, data, size);
    s.max_line = count_lines(data, size);
    e = config_parse(size ? text : NULL, size, &f1, on_error, &s);
    check_result(&f1, e, &s);
    CHECK(f1.lines == s.max_line);

    /* CRLF twin */
    for (size_t i = 0; i < size; i++) {
        run = data[i] == '\n' ? 0 : run + 1;
        if (run > longest)
            longest = run;
    }
    crlf = malloc(2 * size + 1);
    CHECK(crlf);
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\n')
            crlf[n++] = '\r';
        crlf[n++] = data[i];
    }
    if (longest < CONFIG_LINE_MAX) {
        struct seen s2 = { .max_line = s.max_line };
        e = config_parse((const char *)crlf, n, &f2, on_error, &s2);
        check_result(&f2, e, &s2);
        CHECK(same(&f1, &f2));
    }
    free(crlf);
    free(text);
    return 0;
}
