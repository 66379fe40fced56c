/* test_memmap_fixtures.c: every tests/fixtures/e820/NAME.txt sanitized must equal
 * NAME.expected (worked out by hand), including the report counts given on `#@ key=value`
 * lines there. One cmocka test per fixture. Tables are read by the inspector's reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "memmap.h"
#include "../../tools/e820/parse.h"
#include "testutil.h"

/* Real-firmware tables and our own tricky ones; fewer means fixtures went missing. */
#define MIN_FIXTURES 27

static const char *fixture_dir(void)
{
    const char *d = getenv("MEMMAP_FIXTURES");
    return d ? d : "tests/fixtures/e820";
}

/* NAME.EXT of the fixture directory; a missing file fails the test. */
static char *read_fixture(const char *name, const char *ext)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s%s", fixture_dir(), name, ext);
    return testutil_read_file(path, NULL);
}

/* The value of `key=` on the expected file's `#@` lines (error=capacity reads as 0), or -1
 * when absent. */
static long report_key(const char *text, const char *key)
{
    size_t klen = strlen(key);
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        const char *end = eol ? eol : line + strlen(line);
        if (strncmp(line, "#@", 2) == 0) {
            for (const char *p = line + 2; p + klen < end; p++)
                if ((p[-1] == ' ' || p[-1] == '@') && strncmp(p, key, klen) == 0 && p[klen] == '=')
                    return p[klen + 1] == 'c' ? 0 : strtol(p + klen + 1, NULL, 0);
        }
        line = eol ? eol + 1 : end;
    }
    return -1;
}

static struct e820_input in, want;
static struct e820_entry out_store[MEMMAP_MAX], again_store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8];

static void check_count(const char *exp, const char *key, uint32_t got)
{
    long v = report_key(exp, key);
    if (v < 0)
        fail_msg("%s missing from the #@ line", key);
    if ((long)got != v)
        fail_msg("report %s: got %u, expected %ld", key, got, v);
}

static void one_fixture(void **state)
{
    const char *name = *state;
    char *txt = read_fixture(name, ".txt"), *exp = read_fixture(name, ".expected");
    assert_non_null(txt);
    assert_non_null(exp);
    struct parse_error perr;
    err_t e = parse_fixture(txt, &in, &perr);
    if (report_key(exp, "error") >= 0) {
        assert_int_equal(e, ERR_CAPACITY); /* the only error a fixture expects */
        free(txt);
        free(exp);
        return;
    }
    if (e != ERR_OK)
        fail_msg("%s.txt line %u: %s", name, perr.line, perr.msg);
    assert_int_equal(parse_fixture(exp, &want, &perr), ERR_OK);

    struct memmap m;
    struct memmap_report rep;
    memmap_init(&m, out_store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, in.entry, in.size, in.count, scratch, sizeof(scratch),
                                     &rep), ERR_OK);
    bool same = m.count == want.count;
    for (uint32_t i = 0; same && i < m.count; i++)
        same = m.entry[i].base == want.entry[i].base &&
               m.entry[i].length == want.entry[i].length && m.entry[i].type == want.entry[i].type;
    if (!same) {
        for (uint32_t i = 0; i < m.count; i++)
            print_message("# got 0x%llx 0x%llx %u\n", (unsigned long long)m.entry[i].base,
                          (unsigned long long)m.entry[i].length, m.entry[i].type);
        fail_msg("%s: sanitized map differs from %s.expected", name, name);
    }
    check_count(exp, "overlaps", rep.overlaps);
    check_count(exp, "zero_length", rep.zero_length);
    check_count(exp, "type_zero", rep.type_zero);
    check_count(exp, "wraps_clipped", rep.wraps_clipped);
    check_count(exp, "attr_ignored", rep.attr_ignored);
    check_count(exp, "merged", rep.merged);
    check_count(exp, "unsorted", rep.unsorted);

    /* A sanitized map is a fixed point: sanitizing it again changes and reports nothing. */
    struct memmap m2;
    memmap_init(&m2, again_store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m2, m.entry, NULL, m.count, scratch, sizeof(scratch), &rep),
                     ERR_OK);
    assert_int_equal(m2.count, m.count);
    assert_memory_equal(m2.entry, m.entry, m.count * sizeof(m.entry[0]));
    assert_int_equal(rep.overlaps + rep.merged + rep.unsorted, 0);
    free(txt);
    free(exp);
}

static size_t fixtures_found;

/* Fails if fixtures went missing (or the test runs from the wrong directory). */
static void fixtures_present(void **state)
{
    (void)state;
    assert_true(fixtures_found >= MIN_FIXTURES);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *d = opendir(fixture_dir());
    if (!d) {
        printf("not ok 1 - cannot open %s (run from the top of the tree)\n", fixture_dir());
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".txt") != 0)
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strndup(de->d_name, len - 4);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);

    fixtures_found = n;
    struct CMUnitTest *tests = calloc(n + 1, sizeof(*tests));
    tests[0] = (struct CMUnitTest){"fixtures_present", fixtures_present, NULL, NULL, NULL};
    for (size_t i = 0; i < n; i++)
        tests[i + 1] = (struct CMUnitTest){names[i], one_fixture, NULL, NULL, names[i]};
    int rc = _cmocka_run_group_tests("memmap_fixtures", tests, n + 1, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return rc;
}
