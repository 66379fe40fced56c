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

static void check_result(const struct config_file *f, err_t e, const struct seen *s)
{
    struct config_file d;
    size_t kn, cn;

    config_file_defaults(&d);
    CHECK(config_validate(&f->cfg) == ERR_OK);
    CHECK(f->cfg.frame_gran <= CONFIG_FILE_MAX_FRAME_GRAN);
    CHECK(e == (f->errors ? ERR_BAD_FORMAT : ERR_OK));
    CHECK(f->errors == s->n);
    CHECK((f->set & ~((1u << CONFIG_KEY_COUNT) - 1)) == 0);

    kn = strnlen(f->kernel, sizeof(f->kernel));
    CHECK(kn < sizeof(f->kernel));
    CHECK(kn >= 2 && f->kernel[0] == '/');
    for (size_t i = 0; i < kn; i++)
        CHECK((unsigned char)f->kernel[i] >= 0x20 && f->kernel[i] != 0x7f);
    cn = strnlen(f->cmdline, sizeof(f->cmdline));
    CHECK(cn < sizeof(f->cmdline));
    for (size_t i = 0; i < cn; i++) {
        unsigned char c = (unsigned char)f->cmdline[i];
        CHECK((c >= 0x20 || c == '\t') && c != 0x7f);
    }
    if (cn) {
        CHECK(f->cmdline[0] != ' ' && f->cmdline[0] != '\t');
        CHECK(f->cmdline[cn - 1] != ' ' && f->cmdline[cn - 1] != '\t');
    }

    if (!(f->set & (1u << CONFIG_KEY_KERNEL)))
        CHECK(strcmp(f->kernel, d.kernel) == 0);
    if (!(f->set & (1u << CONFIG_KEY_CMDLINE)))
        CHECK(cn == 0);
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
    return a->cfg.heap_size == b->cfg.heap_size && a->cfg.frame_gran == b->cfg.frame_gran &&
           a->cfg.heap_min_addr == b->cfg.heap_min_addr && a->cfg.memtest == b->cfg.memtest &&
           a->cfg.log_level == b->cfg.log_level && a->set == b->set &&
           a->errors == b->errors && a->lines == b->lines &&
           strcmp(a->kernel, b->kernel) == 0 && strcmp(a->cmdline, b->cmdline) == 0;
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
