/* testutil.c: the shared host-test helpers of testutil.h. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/e820/parse.h"

char *testutil_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (tests run from the top of the tree)", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        char *bigger = realloc(buf, cap);
        assert_non_null(bigger);
        buf = bigger;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        fail_msg("cannot read %s", path);
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

char *testutil_crlf(const char *text)
{
    size_t n = 0, lines = 0;
    for (; text[n]; n++)
        lines += text[n] == '\n';
    char *out = malloc(n + lines + 1), *p = out;
    assert_non_null(out);
    for (const char *s = text; *s; s++) {
        if (*s == '\n')
            *p++ = '\r';
        *p++ = *s;
    }
    *p = '\0';
    return out;
}

void testutil_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot create %s", path);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

int testutil_make_tmpdir(char *buf, size_t size, const char *name)
{
    int n = snprintf(buf, size, "/tmp/%s.XXXXXX", name);
    if (n < 0 || (size_t)n >= size)
        return -1;
    return mkdtemp(buf) ? 0 : -1;
}

int testutil_remove_tmpdir(const char *dir)
{
    char cmd[512];
    /* only what testutil_make_tmpdir made: never let a bad path reach rm -rf */
    if (strncmp(dir, "/tmp/", 5) != 0 || strchr(dir, '\'') != NULL)
        return -1;
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

void testutil_assert_entries(const struct e820_entry *got, uint32_t got_n,
                             const struct e820_entry *want, uint32_t want_n)
{
    assert_int_equal(got_n, want_n);
    for (uint32_t i = 0; i < want_n; i++) {
        assert_int_equal(got[i].base, want[i].base);
        assert_int_equal(got[i].length, want[i].length);
        assert_int_equal(got[i].type, want[i].type);
    }
}

void testutil_assert_crlf_same(testutil_reader_fn reader, const char *path)
{
    static struct e820_input lf, crlf_in;
    struct parse_error pe;
    char *text = testutil_read_file(path, NULL);
    char *crlf = testutil_crlf(text);
    assert_int_equal(reader(text, &lf, &pe), ERR_OK);
    assert_int_equal(reader(crlf, &crlf_in, &pe), ERR_OK);
    free(text);
    free(crlf);
    assert_true(lf.count > 0);
    testutil_assert_entries(crlf_in.entry, crlf_in.count, lf.entry, lf.count);
    for (uint32_t i = 0; i < crlf_in.count; i++)
        assert_int_equal(crlf_in.size[i], lf.size[i]);
}

int testutil_tool_setup(const char *tool, char *buf, size_t size, const char *name)
{
    if (access(tool, X_OK) != 0) {
        fprintf(stderr, "%s is missing: make builds the tools before the tests\n", tool);
        return -1;
    }
    return testutil_make_tmpdir(buf, size, name);
}

int testutil_run(char *out, size_t size, const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}
