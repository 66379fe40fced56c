/* test_config_parse.c: the /boot/multios.cfg parser: every key, every error with its line
 * number, defaults when absent, size suffixes and their overflow, CRLF, NUL bytes, no final
 * newline. Expected values are worked out by hand in each test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config.h"

/* The errors a parse reported, in order. */
struct seen {
    unsigned n;
    struct config_error e[16];
};

static void collect(void *ctx, const struct config_error *e)
{
    struct seen *s = ctx;
    if (s->n < 16)
        s->e[s->n] = *e;
    s->n++;
}

static struct config_file f;
static struct seen seen;

/* Parse a C string (no NUL of its own counted). */
static err_t parse(const char *text)
{
    memset(&seen, 0, sizeof(seen));
    return config_parse(text, strlen(text), &f, collect, &seen);
}

static void expect_one_error(uint32_t line, enum config_problem p, enum config_key k)
{
    assert_int_equal(seen.n, 1);
    assert_int_equal(f.errors, 1);
    assert_int_equal(seen.e[0].line, line);
    assert_int_equal(seen.e[0].problem, p);
    assert_int_equal(seen.e[0].key, k);
}

static void expect_defaults_cfg(void)
{
    /* field by field: the struct has padding */
    assert_int_equal(f.cfg.heap_size, 16u << 20);
    assert_int_equal(f.cfg.heap_min_size, 1u << 20);
    assert_int_equal(f.cfg.heap_align, 4096);
    assert_int_equal(f.cfg.heap_min_addr, 1u << 20);
    assert_int_equal(f.cfg.frame_gran, 4096);
    assert_false(f.cfg.memtest);
    assert_int_equal(f.cfg.log_level, 2);
}

static void empty_and_absent_give_defaults(void **state)
{
    (void)state;
    static const char *const texts[] = { "", "\n", "\n\n  \t\n", "# only a comment\n",
                                         "   # indented comment", "\r\n\r\n" };
    for (unsigned i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        assert_int_equal(parse(texts[i]), ERR_OK);
        expect_defaults_cfg();
        assert_string_equal(config_chosen(&f)->kernel, "/boot/kernel.elf");
        assert_string_equal(config_chosen(&f)->cmdline, "");
        assert_int_equal(f.set, 0);
        assert_int_equal(seen.n, 0);
    }
    /* NULL with length 0 is an empty file; NULL with a length is a caller bug. */
    assert_int_equal(config_parse(NULL, 0, &f, NULL, NULL), ERR_OK);
    expect_defaults_cfg();
    assert_int_equal(config_parse(NULL, 3, &f, NULL, NULL), ERR_INVALID_ARG);
    assert_int_equal(config_parse("x", 1, NULL, NULL, NULL), ERR_INVALID_ARG);
}

static void every_key_is_read(void **state)
{
    (void)state;
    assert_int_equal(parse("kernel = /boot/other.elf\n"
                           "cmdline = root=/dev/sda1 quiet  console=ttyS0 # not a comment\n"
                           "heap_size = 8M\n"
                           "frame_size = 512K\n"
                           "heap_min = 0x4000000\n"
                           "memtest = on\n"
                           "log_level = debug\n"),
                     ERR_OK);
    assert_int_equal(seen.n, 0);
    assert_string_equal(config_chosen(&f)->kernel, "/boot/other.elf");
    assert_string_equal(config_chosen(&f)->cmdline, "root=/dev/sda1 quiet  console=ttyS0 # not a comment");
    assert_int_equal(f.cfg.heap_size, 8u * 1024 * 1024);
    assert_int_equal(f.cfg.frame_gran, 512u * 1024);
    assert_int_equal(f.cfg.heap_min_addr, 0x4000000);
    assert_true(f.cfg.memtest);
    assert_int_equal(f.cfg.log_level, 3);
    /* the globals in the file's set, the entry keys in the (only, untitled) entry's */
    assert_int_equal(f.set, ((1u << CONFIG_KEY_COUNT) - 1) & ~(1u << CONFIG_KEY_DEFAULT) &
                                ~(1u << CONFIG_KEY_KERNEL) & ~(1u << CONFIG_KEY_CMDLINE));
    assert_int_equal(config_chosen(&f)->set, (1u << CONFIG_KEY_KERNEL) |
                                                 (1u << CONFIG_KEY_CMDLINE));
    assert_int_equal(f.entry_count, 1);
    assert_string_equal(f.entry[0].title, "");
    assert_int_equal(f.lines, 7);
    /* untouched by the file */
    assert_int_equal(f.cfg.heap_min_size, 1u << 20);
    assert_int_equal(f.cfg.heap_align, 4096);
    assert_int_equal(config_validate(&f.cfg), ERR_OK);
}

static void keys_are_case_insensitive_and_blanks_ignored(void **state)
{
    (void)state;
    assert_int_equal(parse("\t HEAP_Size\t=\t 0x200000 \t\nMemTest=YES\nLOG_LEVEL=Warn"),
                     ERR_OK);
    assert_int_equal(f.cfg.heap_size, 0x200000);
    assert_true(f.cfg.memtest);
    assert_int_equal(f.cfg.log_level, 1);
    assert_int_equal(f.set, (1u << CONFIG_KEY_HEAP_SIZE) | (1u << CONFIG_KEY_MEMTEST) |
                                (1u << CONFIG_KEY_LOG_LEVEL));
}

static void sizes_and_suffixes(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        uint64_t want;
    } good[] = {
        { "1048576", 1048576 }, { "1024K", 1048576 }, { "1024k", 1048576 }, { "1M", 1048576 },
        { "3m", 3 * 1048576 }, { "1G", 1073741824 }, { "0x100000", 1048576 },
        { "0X100000", 1048576 }, { "0x10M", 16 * 1048576 }, { "0x1aB000", 0x1ab000 },
        { "0002M", 2 * 1048576 },
    };
    static const char *const bad[] = {
        "", "M", "0x", "0xM", "1MB", "1 M", "1T", "-1M", "+1M", "1.5M", "12abc", "0b101",
        "1M1", "ten",
        "18446744073709551616",        /* 2^64: overflows while reading the digits */
        "0x10000000000000000",         /* same in hex */
        "17179869184G",                /* 2^34 * 2^30 = 2^64: the suffix overflows */
        "0x400000000000000K",          /* 2^58 * 2^10 = 2^68 */
    };
    char line[80];
    for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(line, sizeof(line), "heap_size = %s\n", good[i].v);
        assert_int_equal(parse(line), ERR_OK);
        assert_int_equal(f.cfg.heap_size, good[i].want);
    }
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(line, sizeof(line), "\nheap_size = %s\n", bad[i]);
        assert_int_equal(parse(line), ERR_BAD_FORMAT);
        expect_one_error(2, CONFIG_BAD_VALUE, CONFIG_KEY_HEAP_SIZE);
        assert_int_equal(f.cfg.heap_size, 16u << 20); /* the default stays */
        assert_int_equal(f.set, 0);
    }
    /* The largest G value that fits: (2^34 - 1) G = 2^64 - 2^30, as heap_min; the 16 MiB heap
     * still fits below 2^64, so it is accepted. */
    assert_int_equal(parse("heap_min = 17179869183G\n"), ERR_OK);
    assert_int_equal(f.cfg.heap_min_addr, 0xffffffffc0000000ull);
    /* 2^64 - 2^20 leaves less than the heap: well-formed but out of range. */
    assert_int_equal(parse("heap_min = 0xfffffffffff00000\n"), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_OUT_OF_RANGE, CONFIG_KEY_HEAP_MIN);
    assert_int_equal(f.cfg.heap_min_addr, 1u << 20);
    /* 2^64 - 16 MiB - 1 still leaves room for the heap: accepted. */
    assert_int_equal(parse("heap_min = 0xfffffffffeffffff\n"), ERR_OK);
    assert_int_equal(f.cfg.heap_min_addr, 0xfffffffffeffffffull);
}

static void out_of_range_values_keep_the_default(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        enum config_key key;
    } cases[] = {
        { "heap_size = 0", CONFIG_KEY_HEAP_SIZE },
        { "heap_size = 512K", CONFIG_KEY_HEAP_SIZE },  /* below the 1 MiB minimum */
        { "heap_size = 1048575", CONFIG_KEY_HEAP_SIZE },
        { "frame_size = 2K", CONFIG_KEY_FRAME_SIZE },
        { "frame_size = 12K", CONFIG_KEY_FRAME_SIZE }, /* not a power of two */
        { "frame_size = 0", CONFIG_KEY_FRAME_SIZE },
        { "frame_size = 2G", CONFIG_KEY_FRAME_SIZE },  /* above config_validate's 1 GiB */
        { "frame_size = 1M", CONFIG_KEY_FRAME_SIZE },  /* valid in the struct, but no usable
                                                          frame below 1 MiB is left */
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(parse(cases[i].line), ERR_BAD_FORMAT);
        expect_one_error(1, CONFIG_OUT_OF_RANGE, cases[i].key);
        expect_defaults_cfg();
    }
    /* the edges that are allowed */
    assert_int_equal(parse("heap_size = 1M\nframe_size = 4K\n"), ERR_OK);
    assert_int_equal(f.cfg.heap_size, 1u << 20);
    assert_int_equal(f.cfg.frame_gran, 4096);
    assert_int_equal(parse("frame_size = 0x80000\nheap_min = 0\n"), ERR_OK);
    assert_int_equal(f.cfg.frame_gran, 512u << 10);
    assert_int_equal(f.cfg.heap_min_addr, 0);
}

static void booleans_and_levels(void **state)
{
    (void)state;
    static const char *const on[] = { "on", "ON", "yes", "Yes", "true", "1" };
    static const char *const off[] = { "off", "No", "false", "0" };
    static const char *const bad_bool[] = { "2", "onn", "y", "enabled", "" };
    static const struct {
        const char *v;
        uint32_t want;
    } lv[] = { { "error", 0 }, { "0", 0 }, { "warn", 1 }, { "warning", 1 }, { "1", 1 },
               { "INFO", 2 }, { "2", 2 }, { "debug", 3 }, { "3", 3 } };
    static const char *const bad_lv[] = { "4", "trace", "-1", "", "02", "info debug" };
    char line[64];

    for (unsigned i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
        snprintf(line, sizeof(line), "memtest=%s", on[i]);
        assert_int_equal(parse(line), ERR_OK);
        assert_true(f.cfg.memtest);
    }
    for (unsigned i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
        snprintf(line, sizeof(line), "memtest=%s", off[i]);
        assert_int_equal(parse(line), ERR_OK);
        assert_false(f.cfg.memtest);
        assert_int_equal(f.set, 1u << CONFIG_KEY_MEMTEST);
    }
    for (unsigned i = 0; i < sizeof(bad_bool) / sizeof(bad_bool[0]); i++) {
        snprintf(line, sizeof(line), "memtest=%s", bad_bool[i]);
        assert_int_equal(parse(line), ERR_BAD_FORMAT);
        expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_MEMTEST);
    }
    for (unsigned i = 0; i < sizeof(lv) / sizeof(lv[0]); i++) {
        snprintf(line, sizeof(line), "log_level = %s\n", lv[i].v);
        assert_int_equal(parse(line), ERR_OK);
        assert_int_equal(f.cfg.log_level, lv[i].want);
    }
    for (unsigned i = 0; i < sizeof(bad_lv) / sizeof(bad_lv[0]); i++) {
        snprintf(line, sizeof(line), "log_level = %s\n", bad_lv[i]);
        assert_int_equal(parse(line), ERR_BAD_FORMAT);
        expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_LOG_LEVEL);
        assert_int_equal(f.cfg.log_level, 2);
    }
}

static void kernel_path_rules(void **state)
{
    (void)state;
    char line[600];

    assert_int_equal(parse("kernel = /k\n"), ERR_OK);
    assert_string_equal(config_chosen(&f)->kernel, "/k");
    assert_int_equal(parse("kernel=/EFI/My Kernel.elf  "), ERR_OK);
    assert_string_equal(config_chosen(&f)->kernel, "/EFI/My Kernel.elf");
    static const char *const bad[] = { "kernel =", "kernel = /", "kernel = boot/kernel.elf",
                                       "kernel = /bo\tot" };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(bad[i]), ERR_BAD_FORMAT);
        expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_KERNEL);
        assert_string_equal(config_chosen(&f)->kernel, "/boot/kernel.elf");
    }
    /* 255 bytes fit, 256 do not */
    memset(line, 0, sizeof(line));
    strcpy(line, "kernel = /");
    memset(line + 10, 'a', 254);
    assert_int_equal(parse(line), ERR_OK);
    assert_int_equal(strlen(config_chosen(&f)->kernel), 255);
    line[10 + 254] = 'b';
    assert_int_equal(parse(line), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_VALUE_TOO_LONG, CONFIG_KEY_KERNEL);
    assert_string_equal(config_chosen(&f)->kernel, "/boot/kernel.elf");
}

static void cmdline_rules(void **state)
{
    (void)state;
    static char line[CONFIG_LINE_MAX + 64];

    assert_int_equal(parse("cmdline =\n"), ERR_OK); /* explicitly empty */
    assert_string_equal(config_chosen(&f)->cmdline, "");
    assert_int_equal(config_chosen(&f)->set, 1u << CONFIG_KEY_CMDLINE);
    assert_int_equal(parse("cmdline = a=b = c\t d \xc3\xa9\n"), ERR_OK);
    assert_string_equal(config_chosen(&f)->cmdline, "a=b = c\t d \xc3\xa9"); /* inner tab and UTF-8 kept */
    assert_int_equal(parse("cmdline = bell\a\n"), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_CMDLINE);
    assert_int_equal(parse("cmdline = del\x7f\n"), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_CMDLINE);
    assert_string_equal(config_chosen(&f)->cmdline, "");

    /* 1023 bytes fit, 1024 do not (the line itself is still short enough) */
    memset(line, 0, sizeof(line));
    strcpy(line, "cmdline=");
    memset(line + 8, 'x', 1023);
    assert_int_equal(parse(line), ERR_OK);
    assert_int_equal(strlen(config_chosen(&f)->cmdline), 1023);
    assert_int_equal(config_chosen(&f)->cmdline[1022], 'x');
    line[8 + 1023] = 'y';
    assert_int_equal(parse(line), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_VALUE_TOO_LONG, CONFIG_KEY_CMDLINE);
    assert_string_equal(config_chosen(&f)->cmdline, "");
}

static void line_length_limit(void **state)
{
    (void)state;
    static char text[CONFIG_LINE_MAX + 64];
    size_t n;

    /* A comment line of exactly CONFIG_LINE_MAX bytes is fine; one more byte is not, and the
     * parser picks up again at the next line. */
    memset(text, 0, sizeof(text));
    memset(text, '#', CONFIG_LINE_MAX);
    n = CONFIG_LINE_MAX;
    text[n] = '\n';
    strcpy(text + n + 1, "memtest = on\n");
    assert_int_equal(parse(text), ERR_OK);
    assert_true(f.cfg.memtest);
    text[n] = '#';
    text[n + 1] = '\n'; /* now CONFIG_LINE_MAX + 1 bytes; line 2 is "emtest = on" */
    assert_int_equal(parse(text), ERR_BAD_FORMAT);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.e[0].line, 1);
    assert_int_equal(seen.e[0].problem, CONFIG_LINE_TOO_LONG);
    assert_int_equal(seen.e[1].line, 2);
    assert_int_equal(seen.e[1].problem, CONFIG_UNKNOWN_KEY);
    assert_string_equal(seen.e[1].key_text, "emtest");
    assert_false(f.cfg.memtest);
    /* an over-long cmdline line is a long line, not a long value */
    memset(text, 0, sizeof(text));
    strcpy(text, "cmdline = ");
    memset(text + 10, 'z', CONFIG_LINE_MAX);
    assert_int_equal(parse(text), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_LINE_TOO_LONG, CONFIG_KEY_NONE);
    assert_string_equal(config_chosen(&f)->cmdline, "");
}

static void syntax_errors_name_their_line(void **state)
{
    (void)state;
    assert_int_equal(parse("# a config with mistakes\n"
                           "memtest = on\n"          /* 2: fine */
                           "heap_size 8M\n"          /* 3: no '=' */
                           "= 5\n"                   /* 4: no key */
                           "\n"
                           "heapsize = 8M\n"         /* 6: unknown key */
                           "memtest = off\n"         /* 7: duplicate */
                           "timeout = 5\n"           /* 8: unknown (there is no menu) */
                           "log_level = loud\n"      /* 9: malformed */
                           "log_level = debug\n"),   /* 10: fine: 9 did not set it */
                     ERR_BAD_FORMAT);
    assert_int_equal(seen.n, 6);
    assert_int_equal(f.errors, 6);
    assert_int_equal(f.lines, 10);
    static const struct {
        uint32_t line;
        enum config_problem p;
        enum config_key k;
        const char *text;
    } want[] = {
        { 3, CONFIG_BAD_SYNTAX, CONFIG_KEY_NONE, "heap_size?8M" },
        { 4, CONFIG_BAD_SYNTAX, CONFIG_KEY_NONE, "" },
        { 6, CONFIG_UNKNOWN_KEY, CONFIG_KEY_NONE, "heapsize" },
        { 7, CONFIG_DUPLICATE, CONFIG_KEY_MEMTEST, "memtest" },
        { 8, CONFIG_UNKNOWN_KEY, CONFIG_KEY_NONE, "timeout" },
        { 9, CONFIG_BAD_VALUE, CONFIG_KEY_LOG_LEVEL, "log_level" },
    };
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(seen.e[i].line, want[i].line);
        assert_int_equal(seen.e[i].problem, want[i].p);
        assert_int_equal(seen.e[i].key, want[i].k);
        assert_string_equal(seen.e[i].key_text, want[i].text);
    }
    assert_true(f.cfg.memtest);                 /* the first value stays */
    assert_int_equal(f.cfg.log_level, 3);
    assert_int_equal(f.cfg.heap_size, 16u << 20);
    /* a key longer than the copy is clipped, control bytes shown as '?' */
    assert_int_equal(parse("this_key_is_far_too_long_to_copy = 1\n"), ERR_BAD_FORMAT);
    assert_int_equal(strlen(seen.e[0].key_text), CONFIG_KEY_TEXT_MAX);
    assert_memory_equal(seen.e[0].key_text, "this_key_is_far_too_lon", CONFIG_KEY_TEXT_MAX);
    assert_int_equal(parse("k\x01y = 1\n"), ERR_BAD_FORMAT);
    assert_string_equal(seen.e[0].key_text, "k?y");
    /* no callback: still counted */
    assert_int_equal(config_parse("a\nb\n", 4, &f, NULL, NULL), ERR_BAD_FORMAT);
    assert_int_equal(f.errors, 2);
}

static void duplicate_after_a_rejected_value_is_accepted(void **state)
{
    (void)state;
    /* A rejected line does not count as giving the key: the retry on line 2 applies. */
    assert_int_equal(parse("heap_size = lots\nheap_size = 4M\nheap_size = 8M\n"),
                     ERR_BAD_FORMAT);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.e[0].line, 1);
    assert_int_equal(seen.e[0].problem, CONFIG_BAD_VALUE);
    assert_int_equal(seen.e[1].line, 3);
    assert_int_equal(seen.e[1].problem, CONFIG_DUPLICATE);
    assert_int_equal(f.cfg.heap_size, 4u << 20);
}

static void crlf_and_no_final_newline(void **state)
{
    (void)state;
    const char *lf = "kernel = /boot/a.elf\ncmdline = x y\nmemtest = yes";
    const char *crlf = "kernel = /boot/a.elf\r\ncmdline = x y\r\nmemtest = yes\r\n";
    static struct config_file a; /* its strings live in its own pool: parsed, not copied */

    assert_int_equal(config_parse(lf, strlen(lf), &a, NULL, NULL), ERR_OK);
    assert_int_equal(parse(crlf), ERR_OK);
    assert_string_equal(config_chosen(&f)->kernel, "/boot/a.elf");
    assert_string_equal(config_chosen(&f)->cmdline, "x y"); /* no CR kept */
    assert_true(f.cfg.memtest);
    assert_int_equal(a.cfg.memtest, f.cfg.memtest);
    assert_int_equal(a.set, f.set);
    assert_int_equal(config_chosen(&a)->set, config_chosen(&f)->set);
    assert_string_equal(config_chosen(&a)->cmdline, config_chosen(&f)->cmdline);
    assert_string_equal(config_chosen(&a)->kernel, config_chosen(&f)->kernel);
    assert_int_equal(a.lines, 3);
    assert_int_equal(f.lines, 3);
    /* a CR in the middle of a value is a control byte */
    assert_int_equal(parse("cmdline = a\rb\n"), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_CMDLINE);
}

static void nul_bytes_reject_their_line_only(void **state)
{
    (void)state;
    static const char text[] = "memtest = on\ncmdline = abc\0def\nlog_level = debug\0\n"
                               "\0\nheap_size = 2M";
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(config_parse(text, sizeof(text) - 1, &f, collect, &seen), ERR_BAD_FORMAT);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.e[0].line, 2);
    assert_int_equal(seen.e[0].problem, CONFIG_NUL_BYTE);
    assert_int_equal(seen.e[1].line, 3);
    assert_int_equal(seen.e[1].problem, CONFIG_NUL_BYTE);
    assert_int_equal(seen.e[2].line, 4);
    assert_int_equal(seen.e[2].problem, CONFIG_NUL_BYTE);
    assert_true(f.cfg.memtest);
    assert_string_equal(config_chosen(&f)->cmdline, "");
    assert_int_equal(f.cfg.log_level, 2);
    assert_int_equal(f.cfg.heap_size, 2u << 20);
    assert_int_equal(f.lines, 5);
}

static void order_of_dependent_keys(void **state)
{
    (void)state;
    /* heap_min 32 MiB below 2^64 leaves room for the default 16 MiB heap, not for 32 MiB:
     * the second line is out of range; the other order refuses the other key. */
    assert_int_equal(parse("heap_min = 0xfffffffffe000000\nheap_size = 32M\n"), ERR_BAD_FORMAT);
    expect_one_error(2, CONFIG_OUT_OF_RANGE, CONFIG_KEY_HEAP_SIZE);
    assert_int_equal(f.cfg.heap_size, 16u << 20);
    assert_int_equal(f.cfg.heap_min_addr, 0xfffffffffe000000ull);
    assert_int_equal(parse("heap_size = 2M\nheap_min = 0xffffffffffff0000\n"), ERR_BAD_FORMAT);
    expect_one_error(2, CONFIG_OUT_OF_RANGE, CONFIG_KEY_HEAP_MIN);
    assert_int_equal(f.cfg.heap_size, 2u << 20);
    assert_int_equal(f.cfg.heap_min_addr, 1u << 20);
    assert_int_equal(config_validate(&f.cfg), ERR_OK);
}

static void names_and_strings(void **state)
{
    (void)state;
    assert_string_equal(config_key_name(CONFIG_KEY_HEAP_MIN), "heap_min");
    assert_string_equal(config_key_name(CONFIG_KEY_KERNEL), "kernel");
    assert_string_equal(config_key_name(CONFIG_KEY_NONE), "?");
    assert_string_equal(config_key_name((enum config_key)99), "?");
    assert_string_equal(config_problem_str(CONFIG_UNKNOWN_KEY), "unknown key");
    assert_string_equal(config_problem_str((enum config_problem)99), "unknown problem");
    for (int p = 0; p < CONFIG_PROBLEM_COUNT; p++)
        assert_non_null(config_problem_str((enum config_problem)p));
}

/* ---- boot entries ---------------------------------------------------------------------- */

static void titled_entries_and_default(void **state)
{
    (void)state;
    assert_int_equal(parse("# globals first\n"
                           "log_level = warn\n"
                           "default = Two\n"
                           "\n"
                           "[One]\n"
                           "kernel = /boot/one.elf\n"
                           "cmdline = first\n"
                           "[ Two ]\n"
                           "cmdline = second\n"
                           "heap_size = 8M\n"           /* a global, wherever it stands */
                           "[Three words here]\n"
                           "kernel = /boot/three.elf\n"),
                     ERR_OK);
    assert_int_equal(seen.n, 0);
    assert_int_equal(f.entry_count, 3);
    assert_string_equal(f.entry[0].title, "One");
    assert_string_equal(f.entry[0].kernel, "/boot/one.elf");
    assert_string_equal(f.entry[0].cmdline, "first");
    assert_int_equal(f.entry[0].line, 5);
    assert_string_equal(f.entry[1].title, "Two"); /* blanks around the title trimmed */
    assert_string_equal(f.entry[1].kernel, "/boot/kernel.elf"); /* the default kernel */
    assert_string_equal(f.entry[1].cmdline, "second");
    assert_int_equal(f.entry[1].set, 1u << CONFIG_KEY_CMDLINE);
    assert_string_equal(f.entry[2].title, "Three words here");
    assert_string_equal(f.entry[2].cmdline, "");
    assert_int_equal(f.chosen, 1);
    assert_string_equal(config_entry_name(config_chosen(&f)), "Two");
    assert_int_equal(f.cfg.heap_size, 8u << 20);
    assert_int_equal(f.cfg.log_level, 1);
    assert_int_equal(f.set, (1u << CONFIG_KEY_LOG_LEVEL) | (1u << CONFIG_KEY_DEFAULT) |
                                (1u << CONFIG_KEY_HEAP_SIZE));
    assert_int_equal(f.accepted, 10);

    /* by number, counting from 1 */
    assert_int_equal(parse("default = 2\n[a]\nkernel = /a\n[b]\nkernel = /b\n"), ERR_OK);
    assert_int_equal(f.chosen, 1);
    assert_string_equal(config_chosen(&f)->kernel, "/b");
    /* no default: the first */
    assert_int_equal(parse("[a]\nkernel = /a\n[b]\nkernel = /b\n"), ERR_OK);
    assert_int_equal(f.chosen, 0);
}

static void the_top_part_is_an_entry_when_it_names_a_kernel(void **state)
{
    (void)state;
    /* a single-entry file written before entries existed, then titled entries added */
    assert_int_equal(parse("kernel = /boot/old.elf\ncmdline = old\n[New]\nkernel = /new\n"),
                     ERR_OK);
    assert_int_equal(f.entry_count, 2);
    assert_string_equal(f.entry[0].title, "");
    assert_string_equal(config_entry_name(&f.entry[0]), "/boot/old.elf");
    assert_string_equal(f.entry[0].cmdline, "old");
    assert_int_equal(f.entry[0].line, 0);
    assert_string_equal(f.entry[1].title, "New");
    assert_int_equal(f.chosen, 0);
    /* default names it by its kernel's path, as the log does */
    assert_int_equal(parse("default = /boot/old.elf\n[New]\nkernel = /new\n"
                           "[Other]\nkernel = /o\n"),
                     ERR_BAD_FORMAT); /* the top part names no kernel here: no such entry */
    expect_one_error(1, CONFIG_NO_SUCH_ENTRY, CONFIG_KEY_DEFAULT);
    assert_int_equal(f.chosen, 0);
    assert_int_equal(f.set, 0); /* an unresolved default is not a setting */
    assert_int_equal(parse("kernel = /boot/old.elf\ndefault = /boot/old.elf\n[New]\n"
                           "kernel = /new\n"),
                     ERR_OK);
    assert_int_equal(f.chosen, 0);
    assert_string_equal(config_chosen(&f)->kernel, "/boot/old.elf");

    /* entry keys above the titles without a kernel there: reported once, the top dropped */
    assert_int_equal(parse("memtest = on\ncmdline = lost\n[A]\nkernel = /a\n"),
                     ERR_BAD_FORMAT);
    expect_one_error(2, CONFIG_NO_KERNEL_ABOVE, CONFIG_KEY_NONE);
    assert_int_equal(f.entry_count, 1);
    assert_string_equal(f.entry[0].title, "A");
    assert_string_equal(f.entry[0].cmdline, "");
    assert_true(f.cfg.memtest);
    /* only globals above the titles: nothing to report */
    assert_int_equal(parse("memtest = on\n[A]\nkernel = /a\n"), ERR_OK);
    assert_int_equal(f.entry_count, 1);
}

static void refused_titles_and_what_follows_them(void **state)
{
    (void)state;
    static const char *const bad[] = { "[", "[]", "[  ]", "[a", "[a]b", "[a[b]", "[a]]",
                                       "[tab\there]" };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[64];
        snprintf(text, sizeof(text), "%s\nkernel = /x\n[ok]\nkernel = /ok\n", bad[i]);
        assert_int_equal(parse(text), ERR_BAD_FORMAT);
        assert_int_equal(seen.n, 2);
        assert_int_equal(seen.e[0].line, 1);
        assert_int_equal(seen.e[0].problem, CONFIG_BAD_TITLE);
        /* the keys under a refused title go nowhere: not to the entry above it */
        assert_int_equal(seen.e[1].line, 2);
        assert_int_equal(seen.e[1].problem, CONFIG_UNDER_BAD_TITLE);
        assert_int_equal(seen.e[1].key, CONFIG_KEY_KERNEL);
        assert_int_equal(f.entry_count, 1);
        assert_string_equal(f.entry[0].title, "ok");
        assert_string_equal(f.entry[0].kernel, "/ok");
    }
    /* the longest title, and one byte more */
    static char text[256];
    memset(text, 0, sizeof(text));
    text[0] = '[';
    memset(text + 1, 't', CONFIG_TITLE_MAX);
    strcpy(text + 1 + CONFIG_TITLE_MAX, "]\nkernel = /t\n");
    assert_int_equal(parse(text), ERR_OK);
    assert_int_equal(strlen(f.entry[0].title), CONFIG_TITLE_MAX);
    text[0] = '[';
    memset(text + 1, 't', CONFIG_TITLE_MAX + 1);
    strcpy(text + 2 + CONFIG_TITLE_MAX, "]\n");
    assert_int_equal(parse(text), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_BAD_TITLE, CONFIG_KEY_NONE);
    /* a title used twice: the first entry stays, the second's keys go nowhere */
    assert_int_equal(parse("[a]\nkernel = /a1\n[a]\nkernel = /a2\n"), ERR_BAD_FORMAT);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.e[0].problem, CONFIG_DUPLICATE_TITLE);
    assert_int_equal(seen.e[0].line, 3);
    assert_string_equal(seen.e[0].key_text, "[a]");
    assert_int_equal(seen.e[1].problem, CONFIG_UNDER_BAD_TITLE);
    assert_int_equal(f.entry_count, 1);
    assert_string_equal(f.entry[0].kernel, "/a1");
    /* the same key in two entries is no duplicate; twice in one entry is */
    assert_int_equal(parse("[a]\ncmdline = 1\n[b]\ncmdline = 2\ncmdline = 3\n"),
                     ERR_BAD_FORMAT);
    expect_one_error(5, CONFIG_DUPLICATE, CONFIG_KEY_CMDLINE);
    assert_string_equal(f.entry[1].cmdline, "2");
}

static void too_many_entries(void **state)
{
    (void)state;
    static char text[4096];
    size_t n = 0;

    for (unsigned i = 0; i < CONFIG_ENTRIES_MAX + 2; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "[e%u]\nkernel = /k%u\n", i, i);
    assert_int_equal(parse(text), ERR_BAD_FORMAT);
    /* the untitled top entry (no kernel) is dropped at the end, but it held a place while
     * the file was read: 15 titled entries fit, the 16th and 17th titles are refused */
    assert_int_equal(seen.n, 6);
    assert_int_equal(seen.e[0].problem, CONFIG_TOO_MANY_ENTRIES);
    assert_int_equal(seen.e[0].line, 2 * (CONFIG_ENTRIES_MAX - 1) + 1);
    assert_int_equal(seen.e[1].problem, CONFIG_UNDER_BAD_TITLE);
    assert_int_equal(f.entry_count, CONFIG_ENTRIES_MAX - 1);
    assert_string_equal(f.entry[CONFIG_ENTRIES_MAX - 2].kernel, "/k14");
}

static void default_that_names_nothing(void **state)
{
    (void)state;
    static const char *const texts[] = { "default = 0\n[a]\nkernel = /a\n",
                                         "default = 2\n[a]\nkernel = /a\n",
                                         "default = A\n[a]\nkernel = /a\n", /* exact match */
                                         "default = 99999999999999999999\n[a]\nkernel = /a\n" };
    for (unsigned i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        assert_int_equal(parse(texts[i]), ERR_BAD_FORMAT);
        expect_one_error(1, CONFIG_NO_SUCH_ENTRY, CONFIG_KEY_DEFAULT);
        assert_int_equal(f.chosen, 0);
        assert_int_equal(f.accepted, 2); /* the title and the kernel */
    }
    assert_int_equal(parse("default =\n"), ERR_BAD_FORMAT);
    expect_one_error(1, CONFIG_BAD_VALUE, CONFIG_KEY_DEFAULT);
    /* no titles: the one entry, by number */
    assert_int_equal(parse("default = 1\n"), ERR_OK);
    assert_int_equal(f.chosen, 0);
}

static void byte_order_mark_is_skipped(void **state)
{
    (void)state;
    assert_int_equal(parse("\xef\xbb\xbfkernel = /boot/bom.elf\r\ncmdline = x\r\n"), ERR_OK);
    assert_string_equal(config_chosen(&f)->kernel, "/boot/bom.elf");
    assert_int_equal(f.lines, 2);
    /* only at the very start */
    assert_int_equal(parse("cmdline = x\n\xef\xbb\xbfmemtest = on\n"), ERR_BAD_FORMAT);
    expect_one_error(2, CONFIG_UNKNOWN_KEY, CONFIG_KEY_NONE);
    /* a file of nothing but mistakes: nothing accepted */
    static const char utf16[] = "\xff\xfek\0e\0r\0\nfoo\n";
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(config_parse(utf16, sizeof(utf16) - 1, &f, collect, &seen),
                     ERR_BAD_FORMAT);
    assert_int_equal(f.accepted, 0);
    assert_int_equal(f.errors, 2);
}

static void strings_beyond_the_file_limit(void **state)
{
    (void)state;
    /* a text longer than stage2 ever reads: the pool runs out and says so, line by line */
    static char text[CONFIG_ENTRIES_MAX * (CONFIG_CMDLINE_MAX + CONFIG_KERNEL_MAX + 32)];
    size_t n = 0;
    unsigned no_room = 0;

    for (unsigned i = 0; i < CONFIG_ENTRIES_MAX - 1; i++) {
        n += (size_t)snprintf(text + n, sizeof(text) - n, "[%u]\nkernel = /", i);
        memset(text + n, 'k', CONFIG_KERNEL_MAX - 1);
        n += CONFIG_KERNEL_MAX - 1;
        n += (size_t)snprintf(text + n, sizeof(text) - n, "\ncmdline = ");
        memset(text + n, 'c', CONFIG_CMDLINE_MAX);
        n += CONFIG_CMDLINE_MAX;
        text[n++] = '\n';
    }
    assert_true(n > CONFIG_POOL_MAX);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(config_parse(text, n, &f, collect, &seen), ERR_BAD_FORMAT);
    for (unsigned i = 0; i < seen.n && i < 16; i++) {
        assert_int_equal(seen.e[i].problem, CONFIG_NO_ROOM);
        no_room++;
    }
    assert_true(no_room >= 1);
    assert_true(f.pool_used <= CONFIG_POOL_MAX);
    for (uint32_t i = 0; i < f.entry_count; i++)
        assert_true(strlen(f.entry[i].cmdline) == CONFIG_CMDLINE_MAX ||
                    f.entry[i].cmdline[0] == '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_and_absent_give_defaults),
        cmocka_unit_test(every_key_is_read),
        cmocka_unit_test(keys_are_case_insensitive_and_blanks_ignored),
        cmocka_unit_test(sizes_and_suffixes),
        cmocka_unit_test(out_of_range_values_keep_the_default),
        cmocka_unit_test(booleans_and_levels),
        cmocka_unit_test(kernel_path_rules),
        cmocka_unit_test(cmdline_rules),
        cmocka_unit_test(line_length_limit),
        cmocka_unit_test(syntax_errors_name_their_line),
        cmocka_unit_test(duplicate_after_a_rejected_value_is_accepted),
        cmocka_unit_test(crlf_and_no_final_newline),
        cmocka_unit_test(nul_bytes_reject_their_line_only),
        cmocka_unit_test(order_of_dependent_keys),
        cmocka_unit_test(names_and_strings),
        cmocka_unit_test(titled_entries_and_default),
        cmocka_unit_test(the_top_part_is_an_entry_when_it_names_a_kernel),
        cmocka_unit_test(refused_titles_and_what_follows_them),
        cmocka_unit_test(too_many_entries),
        cmocka_unit_test(default_that_names_nothing),
        cmocka_unit_test(byte_order_mark_is_skipped),
        cmocka_unit_test(strings_beyond_the_file_limit),
    };
    return cmocka_run_group_tests_name("config_parse", tests, NULL, NULL);
}
